package faq

import (
	"math"

	"kefu/bot/textfeat"
)

// ResponseScorer scores candidate replies to a dialogue context (response
// selection): TF-IDF cosine similarity of each context turn with the
// candidate over characters and character bigrams, the last turn counting
// most. The IDF comes from a corpus of utterances given to
// NewResponseScorer, so words found in every reply (亲, 的) count little.
type ResponseScorer struct {
	df    map[string]int
	n     int
	Decay float64 // weight of each earlier turn relative to the next; 0 means 0.5
}

// NewResponseScorer learns document frequencies from utterances.
func NewResponseScorer(utterances []string) *ResponseScorer {
	rs := &ResponseScorer{df: map[string]int{}, n: len(utterances)}
	for _, u := range utterances {
		for t := range tfidfTerms(u) {
			rs.df[t]++
		}
	}
	return rs
}

// tfidfTerms counts the characters and bigrams of s (spaces from word
// segmentation are ignored, so segmented and raw text match).
func tfidfTerms(s string) map[string]float64 {
	u := textfeat.Chars(s)
	tf := map[string]float64{}
	for _, t := range u {
		tf[t]++
	}
	for _, t := range bigrams(u) {
		tf["2:"+t]++
	}
	return tf
}

func (rs *ResponseScorer) vector(s string) map[string]float64 {
	v := tfidfTerms(s)
	var norm float64
	for t, c := range v {
		idf := math.Log(1 + float64(rs.n+1)/float64(rs.df[t]+1))
		x := (1 + math.Log(c)) * idf
		v[t] = x
		norm += x * x
	}
	if norm > 0 {
		norm = math.Sqrt(norm)
		for t := range v {
			v[t] /= norm
		}
	}
	return v
}

func cosine(a, b map[string]float64) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	var dot float64
	for t, x := range a {
		dot += x * b[t]
	}
	return dot
}

// Score returns one score per candidate (higher is better) for context,
// the dialogue turns in order.
func (rs *ResponseScorer) Score(context []string, candidates []string) []float64 {
	decay := rs.Decay
	if decay == 0 {
		decay = 0.5
	}
	turns := make([]map[string]float64, len(context))
	for i, c := range context {
		turns[i] = rs.vector(c)
	}
	out := make([]float64, len(candidates))
	for j, cand := range candidates {
		cv := rs.vector(cand)
		w := 1.0
		for i := len(turns) - 1; i >= 0; i-- {
			out[j] += w * cosine(turns[i], cv)
			w *= decay
		}
	}
	return out
}
