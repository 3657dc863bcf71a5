package faq

import (
	"encoding/gob"
	"fmt"
	"io"
	"sort"
	"strconv"

	"kefu/bot/classify"
	"kefu/bot/textfeat"
)

// Reranker re-orders the best BM25 candidates with a logistic-regression
// model of question pairs. Its features say which characters and bigrams
// the two questions share, which each has alone (花呗 on one side and 借呗
// on the other is fatal, 请问 alone is harmless), which unmatched pairs
// of characters stand for each other, and how the candidate ranked under
// BM25.
type Reranker struct {
	Model *classify.Model
	Depth int // candidates re-ranked per query
}

// RerankOptions tune reranker training.
type RerankOptions struct {
	Depth      int // candidates per training query; 0 means 20
	Classifier classify.Options
}

// TrainReranker learns from pairs of questions with the same meaning. It
// indexes the distinct second questions, searches with each first
// question, and learns to tell its own partner from the other candidates
// that BM25 ranks high, which are exactly the confusions it must fix.
func TrainReranker(pairs [][2]string, opts Options, ropts RerankOptions) *Reranker {
	if ropts.Depth == 0 {
		ropts.Depth = 20
	}
	if ropts.Classifier.Epochs == 0 {
		ropts.Classifier = classify.Options{Epochs: 8, LearningRate: 0.2, L2: 1e-6, MinCount: 2}
	}
	pos := map[string]int{}
	var entries []string
	for _, p := range pairs {
		if _, ok := pos[p[1]]; !ok {
			pos[p[1]] = len(entries)
			entries = append(entries, p[1])
		}
	}
	s := IndexWith(entries, opts)
	var docs []classify.Doc
	for _, p := range pairs {
		q := textfeat.Chars(p[0])
		hits := s.bm25(q, ropts.Depth)
		answer := pos[p[1]]
		for r, h := range hits {
			label := "different"
			if h.Index == answer {
				label = "same"
			}
			docs = append(docs, classify.Doc{Features: pairFeatures(q, s.units[h.Index], r, h.Score/hits[0].Score), Label: label})
		}
	}
	return &Reranker{Model: classify.Train(docs, ropts.Classifier), Depth: ropts.Depth}
}

// WithReranker returns a searcher over the same entries that re-ranks with
// rr.
func (ix *Searcher) WithReranker(rr *Reranker) *Searcher {
	c := ix.WithSynonyms(ix.synonyms)
	c.reranker = rr
	return c
}

// rerank replaces the scores of cands (BM25 order) by the model's
// probability that the candidate means the same as the query.
func (rr *Reranker) rerank(q []string, units [][]string, cands []Hit) {
	if len(cands) == 0 {
		return
	}
	top := cands[0].Score
	same := 0
	for i, l := range rr.Model.Labels {
		if l == "same" {
			same = i
		}
	}
	for r := range cands {
		p := rr.Model.Probabilities(pairFeatures(q, units[cands[r].Index], r, cands[r].Score/top))
		cands[r].Score = p[same]
	}
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].Score > cands[b].Score })
}

// pairFeatures describes a (query, candidate) pair for the reranker.
func pairFeatures(q, d []string, rank int, scoreRatio float64) []string {
	var f []string
	qs, ds := map[string]bool{}, map[string]bool{}
	for _, t := range q {
		qs[t] = true
	}
	for _, t := range d {
		ds[t] = true
	}
	qb, db := map[string]bool{}, map[string]bool{}
	for _, t := range bigrams(q) {
		qb[t] = true
	}
	for _, t := range bigrams(d) {
		db[t] = true
	}
	var qOnly, dOnly []string
	for t := range qs {
		if ds[t] {
			f = append(f, "mu:"+t)
		} else {
			f = append(f, "u:"+t)
			qOnly = append(qOnly, t)
		}
	}
	for t := range ds {
		if !qs[t] {
			f = append(f, "u:"+t)
			dOnly = append(dOnly, t)
		}
	}
	for t := range qb {
		if db[t] {
			f = append(f, "mb:"+t)
		} else {
			f = append(f, "b:"+t)
		}
	}
	for t := range db {
		if !qb[t] {
			f = append(f, "b:"+t)
		}
	}
	// Unmatched characters facing each other: learns 呗/贝, 钱/款 and so on
	// when few are left over.
	if len(qOnly) <= 4 && len(dOnly) <= 4 {
		for _, a := range qOnly {
			for _, b := range dOnly {
				if a > b {
					a, b = b, a
				}
				f = append(f, "x:"+a+"|"+b)
			}
		}
	}
	if len(qOnly)+len(dOnly) == 0 {
		f = append(f, "same-chars")
	}
	f = append(f,
		"rank:"+bucket(float64(rank), 0, 1, 2, 4, 9),
		"ratio:"+bucket(scoreRatio, 0.5, 0.7, 0.8, 0.9, 0.95, 0.999),
		"edit:"+bucket(EditSimilarity(q, d), 0.3, 0.5, 0.6, 0.7, 0.8, 0.9),
		"jacc:"+bucket(jaccard(qb, db), 0.2, 0.3, 0.4, 0.5, 0.6, 0.8),
		"qonly:"+bucket(float64(len(qOnly)), 0, 1, 2, 3, 5),
		"donly:"+bucket(float64(len(dOnly)), 0, 1, 2, 3, 5),
	)
	return f
}

// bucket names the interval of x among ascending bounds.
func bucket(x float64, bounds ...float64) string {
	for i, b := range bounds {
		if x <= b {
			return strconv.Itoa(i)
		}
	}
	return strconv.Itoa(len(bounds))
}

func jaccard(a, b map[string]bool) float64 {
	inter := 0
	for t := range a {
		if b[t] {
			inter++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}

// Save writes the reranker (gob).
func (rr *Reranker) Save(w io.Writer) error { return gob.NewEncoder(w).Encode(rr) }

// LoadReranker reads a reranker written by Save.
func LoadReranker(r io.Reader) (*Reranker, error) {
	var rr Reranker
	if err := gob.NewDecoder(r).Decode(&rr); err != nil {
		return nil, fmt.Errorf("faq: load reranker: %w", err)
	}
	if rr.Model == nil {
		return nil, fmt.Errorf("faq: load reranker: no model")
	}
	if err := rr.Model.Prepare(); err != nil {
		return nil, err
	}
	return &rr, nil
}
