// Package sentiment tells whether review-like text (a product review, a
// rating comment, a customer's last message) is positive or negative.
//
// The model is logistic regression (bot/classify) over character 1–3-grams
// plus a few features from a hand-written lexicon (see Lexicon). Trained on
// tens of thousands of reviews the n-grams do the work; trained on kefu's
// small shipped set the lexicon features carry it.
package sentiment

import (
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math"

	"kefu/bot/classify"
	"kefu/bot/textfeat"
)

// Labels of the classifier.
const (
	Positive = "positive"
	Negative = "negative"
)

// Example is one labelled text.
type Example struct {
	Text     string `json:"text"`
	Positive bool   `json:"positive"`
}

// Options tune training.
type Options struct {
	Classifier classify.Options
	MaxN       int // longest character n-gram; 0 means 3
	// LexiconRepeat is how many times each unit of lexicon evidence is
	// repeated as a feature; more makes the lexicon weigh more against the
	// n-grams. 0 means 2.
	LexiconRepeat int
}

// DefaultOptions are the settings measured in docs/bot-quality.md for
// training on a large review set.
func DefaultOptions() Options {
	return Options{Classifier: classify.Options{Epochs: 8, LearningRate: 0.3, L2: 1e-6, MinCount: 2}, MaxN: 3}
}

// Model is a trained sentiment classifier.
type Model struct {
	clf           *classify.Model
	lexicon       *Lexicon
	maxN          int
	lexiconRepeat int
}

// features of text: n-grams, and lexicon evidence as "#lex+"/"#lex-"
// repeated by strength (rounded), plus which side wins.
func features(text string, lx *Lexicon, maxN, repeat int) []string {
	f := textfeat.Extract(text, textfeat.Options{MaxN: maxN, NoBoundary: true})
	if lx == nil {
		return f
	}
	pos, neg := lx.Score(text)
	for i := 0; i < int(math.Round(pos))*repeat; i++ {
		f = append(f, "#lex+")
	}
	for i := 0; i < int(math.Round(neg))*repeat; i++ {
		f = append(f, "#lex-")
	}
	side := "#lex=0"
	switch {
	case pos > neg:
		side = "#lex>0"
	case neg > pos:
		side = "#lex<0"
	}
	for i := 0; i < repeat; i++ {
		f = append(f, side)
	}
	return f
}

// Train fits a model on examples; lx may be nil for n-grams only.
func Train(examples []Example, lx *Lexicon, opts Options) *Model {
	if opts.MaxN == 0 {
		opts.MaxN = 3
	}
	if opts.LexiconRepeat == 0 {
		opts.LexiconRepeat = 2
	}
	docs := make([]classify.Doc, 0, len(examples))
	for _, ex := range examples {
		label := Negative
		if ex.Positive {
			label = Positive
		}
		docs = append(docs, classify.Doc{Features: features(ex.Text, lx, opts.MaxN, opts.LexiconRepeat), Label: label})
	}
	return &Model{clf: classify.Train(docs, opts.Classifier), lexicon: lx, maxN: opts.MaxN, lexiconRepeat: opts.LexiconRepeat}
}

// Predict returns whether text is positive and the model's probability
// that it is.
func (m *Model) Predict(text string) (bool, float64) {
	p := m.clf.Probabilities(features(text, m.lexicon, m.maxN, m.lexiconRepeat))
	for i, l := range m.clf.Labels {
		if l == Positive {
			return p[i] >= 0.5, p[i]
		}
	}
	return false, 0
}

// Prune drops near-zero weights to shrink a model trained on a large set.
func (m *Model) Prune(threshold float32) { m.clf.Prune(threshold) }

// saved is the on-disk form; the lexicon is stored as its parsed maps.
type saved struct {
	MaxN, LexiconRepeat int
	Classifier          *classify.Model
	Words               map[string]float64
	Negators, Contrast  map[string]bool
	MaxLen              int
}

// Save writes the model, lexicon included (gob).
func (m *Model) Save(w io.Writer) error {
	s := saved{MaxN: m.maxN, LexiconRepeat: m.lexiconRepeat, Classifier: m.clf}
	if m.lexicon != nil {
		s.Words, s.Negators, s.Contrast, s.MaxLen = m.lexicon.words, m.lexicon.negators, m.lexicon.contrast, m.lexicon.maxLen
	}
	return gob.NewEncoder(w).Encode(s)
}

// Load reads a model written by Save.
func Load(r io.Reader) (*Model, error) {
	var s saved
	if err := gob.NewDecoder(r).Decode(&s); err != nil {
		return nil, fmt.Errorf("sentiment: load: %w", err)
	}
	if s.Classifier == nil {
		return nil, errors.New("sentiment: load: no classifier")
	}
	if err := s.Classifier.Prepare(); err != nil {
		return nil, err
	}
	m := &Model{clf: s.Classifier, maxN: s.MaxN, lexiconRepeat: s.LexiconRepeat}
	if s.Words != nil {
		m.lexicon = &Lexicon{words: s.Words, negators: s.Negators, contrast: s.Contrast, maxLen: s.MaxLen}
		if m.lexicon.negators == nil {
			m.lexicon.negators = map[string]bool{}
		}
		if m.lexicon.contrast == nil {
			m.lexicon.contrast = map[string]bool{}
		}
	}
	return m, nil
}
