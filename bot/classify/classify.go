// Package classify is a small multinomial logistic-regression classifier
// over sparse string features, trained with AdaGrad stochastic gradient
// descent. It knows nothing about text: callers turn text into features
// (see bot/textfeat) and labels into strings. The intent, anger and
// sentiment models of kefu's bot are all instances of it.
//
// A linear model was chosen over anything deeper because it trains in
// seconds on two CPU cores, predicts in microseconds, saves to a few
// megabytes and is easy to inspect: every weight belongs to one feature.
package classify

import (
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand"
	"sort"
)

// Doc is one training example: its features (repeats count as term
// frequency) and its label.
type Doc struct {
	Features []string
	Label    string
	// Weight scales this example's gradient; 0 means 1.
	Weight float64
}

// Options tune training. The zero value gives sensible defaults.
type Options struct {
	Epochs       int     // passes over the data; 0 means 15
	LearningRate float64 // AdaGrad step size; 0 means 0.5
	L2           float64 // L2 penalty per example step; 0 means 1e-6
	MinCount     int     // drop features found in fewer documents; 0 means 1
	// BalanceClasses weights each example by total/(classes × class size),
	// so rare intents are not drowned by common ones.
	BalanceClasses bool
	// IDF multiplies feature values by log(1+N/df), the usual tf-idf.
	IDF  bool
	Seed int64 // shuffling seed; 0 means 1
}

func (o Options) withDefaults() Options {
	if o.Epochs <= 0 {
		o.Epochs = 15
	}
	if o.LearningRate <= 0 {
		o.LearningRate = 0.5
	}
	if o.L2 <= 0 {
		o.L2 = 1e-6
	}
	if o.MinCount <= 0 {
		o.MinCount = 1
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	return o
}

// Model is a trained classifier. Its exported fields are what Save writes.
type Model struct {
	Labels  []string  // class names, in score order
	Vocab   []string  // feature names; feature i has weights W[i*len(Labels):]
	W       []float32 // feature weights, row-major by feature
	Bias    []float32 // one per label
	IDF     []float32 // per feature, empty when Options.IDF was off
	index   map[string]int32
	nLabels int
}

// vector is a sparse, L2-normalised feature vector.
type vector struct {
	idx []int32
	val []float32
}

// Train fits a model to docs. It panics on no docs; a single label gives a
// model that always predicts it.
func Train(docs []Doc, opts Options) *Model {
	if len(docs) == 0 {
		panic("classify: no training documents")
	}
	opts = opts.withDefaults()

	// Labels in a stable order, and document frequencies for the vocabulary.
	labelIndex := map[string]int{}
	var labels []string
	df := map[string]int{}
	for _, d := range docs {
		if _, ok := labelIndex[d.Label]; !ok {
			labelIndex[d.Label] = -1
			labels = append(labels, d.Label)
		}
		seen := map[string]bool{}
		for _, f := range d.Features {
			if !seen[f] {
				seen[f] = true
				df[f]++
			}
		}
	}
	sort.Strings(labels)
	for i, l := range labels {
		labelIndex[l] = i
	}
	var vocab []string
	for f, n := range df {
		if n >= opts.MinCount {
			vocab = append(vocab, f)
		}
	}
	sort.Strings(vocab)
	m := &Model{Labels: labels, Vocab: vocab}
	m.buildIndex()
	if opts.IDF {
		m.IDF = make([]float32, len(vocab))
		for i, f := range vocab {
			m.IDF[i] = float32(math.Log(1 + float64(len(docs))/float64(df[f])))
		}
	}

	k := len(labels)
	m.W = make([]float32, len(vocab)*k)
	m.Bias = make([]float32, k)
	vecs := make([]vector, len(docs))
	ys := make([]int, len(docs))
	ws := make([]float64, len(docs))
	classCount := make([]int, k)
	for i, d := range docs {
		vecs[i] = m.vectorize(d.Features)
		ys[i] = labelIndex[d.Label]
		classCount[ys[i]]++
		ws[i] = d.Weight
		if ws[i] == 0 {
			ws[i] = 1
		}
	}
	if opts.BalanceClasses {
		for i := range ws {
			ws[i] *= float64(len(docs)) / float64(k*classCount[ys[i]])
		}
	}
	if k == 1 {
		return m
	}

	// AdaGrad keeps a running sum of squared gradients per weight, which
	// gives rare features (most n-grams) larger steps than common ones.
	gW := make([]float32, len(m.W))
	gB := make([]float32, k)
	rng := rand.New(rand.NewSource(opts.Seed))
	order := rng.Perm(len(docs))
	probs := make([]float64, k)
	eta := float32(opts.LearningRate)
	l2 := float32(opts.L2)
	for epoch := 0; epoch < opts.Epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, di := range order {
			v := vecs[di]
			m.scoresInto(v, probs)
			softmax(probs)
			for c := 0; c < k; c++ {
				g := probs[c]
				if c == ys[di] {
					g -= 1
				}
				g *= ws[di]
				if g == 0 {
					continue
				}
				gf := float32(g)
				for j, fi := range v.idx {
					p := int(fi)*k + c
					grad := gf*v.val[j] + l2*m.W[p]
					gW[p] += grad * grad
					m.W[p] -= eta * grad / float32(math.Sqrt(float64(gW[p]))+1e-8)
				}
				gB[c] += gf * gf
				m.Bias[c] -= eta * gf / float32(math.Sqrt(float64(gB[c]))+1e-8)
			}
		}
	}
	return m
}

func (m *Model) buildIndex() {
	m.nLabels = len(m.Labels)
	m.index = make(map[string]int32, len(m.Vocab))
	for i, f := range m.Vocab {
		m.index[f] = int32(i)
	}
}

// vectorize counts known features, applies sublinear term frequency
// (1+log tf), optional IDF, and L2-normalises, so long and short messages
// score on the same scale.
func (m *Model) vectorize(features []string) vector {
	counts := make(map[int32]float32, len(features))
	for _, f := range features {
		if i, ok := m.index[f]; ok {
			counts[i]++
		}
	}
	v := vector{idx: make([]int32, 0, len(counts)), val: make([]float32, 0, len(counts))}
	for i := range counts {
		v.idx = append(v.idx, i)
	}
	sort.Slice(v.idx, func(a, b int) bool { return v.idx[a] < v.idx[b] })
	var norm float64
	for _, i := range v.idx {
		x := 1 + float32(math.Log(float64(counts[i])))
		if len(m.IDF) > 0 {
			x *= m.IDF[i]
		}
		v.val = append(v.val, x)
		norm += float64(x) * float64(x)
	}
	if norm > 0 {
		inv := float32(1 / math.Sqrt(norm))
		for j := range v.val {
			v.val[j] *= inv
		}
	}
	return v
}

func (m *Model) scoresInto(v vector, out []float64) {
	k := m.nLabels
	for c := 0; c < k; c++ {
		out[c] = float64(m.Bias[c])
	}
	for j, fi := range v.idx {
		row := m.W[int(fi)*k : int(fi)*k+k]
		x := float64(v.val[j])
		for c, w := range row {
			out[c] += float64(w) * x
		}
	}
}

func softmax(s []float64) {
	max := math.Inf(-1)
	for _, x := range s {
		if x > max {
			max = x
		}
	}
	var sum float64
	for i, x := range s {
		s[i] = math.Exp(x - max)
		sum += s[i]
	}
	for i := range s {
		s[i] /= sum
	}
}

// Probabilities returns the probability of each label in m.Labels order.
func (m *Model) Probabilities(features []string) []float64 {
	p := make([]float64, m.nLabels)
	if m.nLabels == 1 {
		p[0] = 1
		return p
	}
	m.scoresInto(m.vectorize(features), p)
	softmax(p)
	return p
}

// Predict returns the most probable label and its probability.
func (m *Model) Predict(features []string) (string, float64) {
	p := m.Probabilities(features)
	best := 0
	for c := range p {
		if p[c] > p[best] {
			best = c
		}
	}
	return m.Labels[best], p[best]
}

// Prune drops features whose weights are all below threshold in absolute
// value; they barely move any score and only cost memory and load time.
func (m *Model) Prune(threshold float32) {
	k := m.nLabels
	var vocab []string
	var w []float32
	var idf []float32
	for i, f := range m.Vocab {
		row := m.W[i*k : i*k+k]
		keep := false
		for _, x := range row {
			if x > threshold || x < -threshold {
				keep = true
				break
			}
		}
		if keep {
			vocab = append(vocab, f)
			w = append(w, row...)
			if len(m.IDF) > 0 {
				idf = append(idf, m.IDF[i])
			}
		}
	}
	m.Vocab, m.W, m.IDF = vocab, w, idf
	m.buildIndex()
}

// Weight returns the weight of feature f for label, and false if either is
// unknown. Useful for explaining a prediction.
func (m *Model) Weight(f, label string) (float32, bool) {
	i, ok := m.index[f]
	if !ok {
		return 0, false
	}
	for c, l := range m.Labels {
		if l == label {
			return m.W[int(i)*m.nLabels+c], true
		}
	}
	return 0, false
}

// Save writes the model with encoding/gob.
func (m *Model) Save(w io.Writer) error {
	return gob.NewEncoder(w).Encode(m)
}

// Load reads a model written by Save.
func Load(r io.Reader) (*Model, error) {
	var m Model
	if err := gob.NewDecoder(r).Decode(&m); err != nil {
		return nil, fmt.Errorf("classify: load: %w", err)
	}
	if err := m.Prepare(); err != nil {
		return nil, err
	}
	return &m, nil
}

// Prepare checks a model decoded by a caller (for example as a field of a
// larger gob value) and builds its lookup index. Load calls it itself.
func (m *Model) Prepare() error {
	if len(m.Labels) == 0 || len(m.W) != len(m.Vocab)*len(m.Labels) || len(m.Bias) != len(m.Labels) ||
		(len(m.IDF) != 0 && len(m.IDF) != len(m.Vocab)) {
		return errors.New("classify: inconsistent model")
	}
	m.buildIndex()
	return nil
}
