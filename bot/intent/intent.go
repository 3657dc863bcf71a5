// Package intent classifies a customer's request into one of the twelve
// intents of kefu's taxonomy (presale, order, logistics, …, other). It is a
// linear model (bot/classify) over character 1–3-grams and words of the
// request, with the boilerplate that chat front-ends paste into messages
// (order cards, "咨询订单号:…") stripped first, because it says nothing
// about what the customer wants. Hand-written concept groups (concepts.go)
// add one feature per family of synonyms, which matters when an intent has
// only dozens of training examples.
package intent

import (
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"kefu/bot/classify"
	"kefu/bot/textfeat"
)

// The twelve intents of the taxonomy (shared/taxonomy.md).
const (
	Presale       = "presale"
	Order         = "order"
	Logistics     = "logistics"
	ReturnRefund  = "return_refund"
	Quality       = "quality"
	RepairInstall = "repair_install"
	Payment       = "payment"
	Invoice       = "invoice"
	Promotion     = "promotion"
	Account       = "account"
	Complaint     = "complaint"
	Other         = "other"
)

// Labels lists the intents in taxonomy order.
var Labels = []string{Presale, Order, Logistics, ReturnRefund, Quality, RepairInstall,
	Payment, Invoice, Promotion, Account, Complaint, Other}

// Example is one labelled request. Angry is carried along for the anger
// detector's training data, which shares the file.
type Example struct {
	Text   string `json:"text"`
	Intent string `json:"intent"`
	Angry  bool   `json:"angry,omitempty"`
	// Weight scales the example in training; 0 means 1. Cross-validation
	// gives kefu's own examples a lower weight than in-domain ones.
	Weight float64 `json:"-"`
}

// Options tune training; see DefaultOptions.
type Options struct {
	Classifier classify.Options
	// MaxN is the longest character n-gram; 0 means 3.
	MaxN int
}

// DefaultOptions are the settings measured in docs/bot-quality.md.
func DefaultOptions() Options {
	return Options{
		Classifier: classify.Options{Epochs: 30, LearningRate: 0.5, L2: 1e-4},
		MaxN:       3,
	}
}

// Model is a trained intent classifier.
type Model struct {
	clf  *classify.Model
	maxN int
}

// boilerplate matches text that chat front-ends insert on the customer's
// behalf: order cards, "咨询订单号 … 下单时间 …" headers and the web widget's
// "sent by clicking" notice.
var boilerplate = []*regexp.Regexp{
	regexp.MustCompile(`\[订单编号:.*?\]\]|\[订单编号:[^\[\]]*\]`),
	regexp.MustCompile(`顾客通过点击\S*信息发送:?`),
	regexp.MustCompile(`咨询订单号:\s*\S+`),
	regexp.MustCompile(`订单金额:\s*\S+`),
	regexp.MustCompile(`下单时间:\s*\S+(\s+\[时间x\])?`),
	regexp.MustCompile(`商品ID:\s*\S+`),
	regexp.MustCompile(`您选择了一个订单进行咨询\([^)]*\)`),
	regexp.MustCompile(`请选择咨询订单`),
}

// chatter matches greetings, calls for a human agent and the generic menu
// headings that front-ends send (taxonomy rule 1: these are not the
// request). They are removed before classification so that "你好 我要开发票"
// and "我要开发票" look alike, and a message of nothing else is Other.
var chatter = regexp.MustCompile(`(?i)(你好|您好|在吗|在么|在不在|我要转人工|转人工|人工客服|` +
	`订单业务咨询|商品信息咨询|配送咨询|京东快递\((移动端|PC端)\)|\bhello\b|\bhi\b)`)

// Clean removes pasted boilerplate and collapses spaces.
func Clean(text string) string {
	for _, re := range boilerplate {
		text = re.ReplaceAllString(text, " ")
	}
	text = chatter.ReplaceAllString(text, " ")
	return strings.Join(strings.Fields(text), " ")
}

// conceptRepeat is how many times a concept feature is repeated, so that
// after length normalisation one concept weighs about as much as a few
// n-grams together (3 was best of 1, 3, 8, 20 on the JDDC dev folds).
const conceptRepeat = 3

// Features returns the classifier features of a request.
func Features(text string, maxN int) []string {
	clean := Clean(text)
	f := textfeat.Extract(clean, textfeat.Options{MaxN: maxN})
	if len(f) == 0 {
		return nil
	}
	for _, c := range conceptFeatures(clean) {
		for i := 0; i < conceptRepeat; i++ {
			f = append(f, c)
		}
	}
	return f
}

// Train fits an intent model. Examples with an empty text are skipped: an
// empty request is always Other (taxonomy rule 10).
func Train(examples []Example, opts Options) *Model {
	if opts.MaxN == 0 {
		opts.MaxN = 3
	}
	var docs []classify.Doc
	for _, ex := range examples {
		f := Features(ex.Text, opts.MaxN)
		if len(f) == 0 {
			continue
		}
		docs = append(docs, classify.Doc{Features: f, Label: ex.Intent, Weight: ex.Weight})
	}
	return &Model{clf: classify.Train(docs, opts.Classifier), maxN: opts.MaxN}
}

// Predict returns the intent of text and the model's probability for it.
// A request with nothing left after cleaning is Other with confidence 1.
func (m *Model) Predict(text string) (string, float64) {
	f := Features(text, m.maxN)
	if len(f) == 0 {
		return Other, 1
	}
	return m.clf.Predict(f)
}

// Probabilities returns every intent's probability for text.
func (m *Model) Probabilities(text string) map[string]float64 {
	out := map[string]float64{}
	f := Features(text, m.maxN)
	if len(f) == 0 {
		out[Other] = 1
		return out
	}
	for i, p := range m.clf.Probabilities(f) {
		out[m.clf.Labels[i]] = p
	}
	return out
}

// saved is the on-disk form of a Model.
type saved struct {
	MaxN       int
	Classifier *classify.Model
}

// Save writes the model (gob).
func (m *Model) Save(w io.Writer) error {
	return gob.NewEncoder(w).Encode(saved{MaxN: m.maxN, Classifier: m.clf})
}

// Load reads a model written by Save.
func Load(r io.Reader) (*Model, error) {
	var s saved
	if err := gob.NewDecoder(r).Decode(&s); err != nil {
		return nil, fmt.Errorf("intent: load: %w", err)
	}
	if s.Classifier == nil {
		return nil, errors.New("intent: load: no classifier")
	}
	if err := s.Classifier.Prepare(); err != nil {
		return nil, err
	}
	return &Model{clf: s.Classifier, maxN: s.MaxN}, nil
}
