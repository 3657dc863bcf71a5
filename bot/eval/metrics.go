package eval

import "sort"

// ClassScores are the precision, recall and F1 of one class.
type ClassScores struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// BinaryScores are precision, recall and F1 of a yes/no detector.
type BinaryScores struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Positives int     `json:"positives"` // true positives + false negatives
	Predicted int     `json:"predicted"` // true positives + false positives
}

// Confusion counts (gold, predicted) label pairs.
type Confusion struct {
	counts map[string]map[string]int
}

// NewConfusion returns an empty confusion matrix.
func NewConfusion() *Confusion {
	return &Confusion{counts: map[string]map[string]int{}}
}

// Add records one prediction.
func (c *Confusion) Add(gold, predicted string) {
	row := c.counts[gold]
	if row == nil {
		row = map[string]int{}
		c.counts[gold] = row
	}
	row[predicted]++
}

// Count returns how often gold was predicted as predicted.
func (c *Confusion) Count(gold, predicted string) int { return c.counts[gold][predicted] }

// N is the number of predictions recorded.
func (c *Confusion) N() int {
	n := 0
	for _, row := range c.counts {
		for _, k := range row {
			n += k
		}
	}
	return n
}

// Accuracy is the share of predictions equal to the gold label.
func (c *Confusion) Accuracy() float64 {
	n, right := 0, 0
	for gold, row := range c.counts {
		for pred, k := range row {
			n += k
			if pred == gold {
				right += k
			}
		}
	}
	return ratio(right, n)
}

// Labels are the gold labels seen, sorted. Only these count in the macro
// average: a label that was predicted but never gold has no recall.
func (c *Confusion) Labels() []string {
	var out []string
	for gold := range c.counts {
		out = append(out, gold)
	}
	sort.Strings(out)
	return out
}

// PerClass returns precision, recall, F1 and support for every gold label.
func (c *Confusion) PerClass() map[string]ClassScores {
	predicted := map[string]int{}
	for _, row := range c.counts {
		for pred, k := range row {
			predicted[pred] += k
		}
	}
	out := map[string]ClassScores{}
	for _, gold := range c.Labels() {
		support := 0
		for _, k := range c.counts[gold] {
			support += k
		}
		tp := c.counts[gold][gold]
		p := ratio(tp, predicted[gold])
		r := ratio(tp, support)
		out[gold] = ClassScores{Precision: p, Recall: r, F1: f1(p, r), Support: support}
	}
	return out
}

// MacroF1 is the unweighted mean F1 over gold labels.
func (c *Confusion) MacroF1() float64 {
	per := c.PerClass()
	if len(per) == 0 {
		return 0
	}
	var sum float64
	for _, s := range per {
		sum += s.F1
	}
	return sum / float64(len(per))
}

// Binary scores yes/no predictions.
func Binary(gold, predicted []bool) BinaryScores {
	tp, pos, pred := 0, 0, 0
	for i := range gold {
		if gold[i] {
			pos++
		}
		if predicted[i] {
			pred++
			if gold[i] {
				tp++
			}
		}
	}
	p, r := ratio(tp, pred), ratio(tp, pos)
	return BinaryScores{Precision: p, Recall: r, F1: f1(p, r), Positives: pos, Predicted: pred}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Ranks accumulates the 1-based rank of the right answer for each query
// (0 when it was not retrieved) for recall@k and mean reciprocal rank.
type Ranks []int

// RecallAt is the share of queries whose right answer ranked within k.
func (r Ranks) RecallAt(k int) float64 {
	hit := 0
	for _, rank := range r {
		if rank > 0 && rank <= k {
			hit++
		}
	}
	return ratio(hit, len(r))
}

// MRR is the mean of 1/rank (0 for a miss).
func (r Ranks) MRR() float64 {
	if len(r) == 0 {
		return 0
	}
	var sum float64
	for _, rank := range r {
		if rank > 0 {
			sum += 1 / float64(rank)
		}
	}
	return sum / float64(len(r))
}
