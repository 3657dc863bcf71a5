package eval

import (
	"fmt"

	"kefu/bot/faq"
)

// RetrievalReport is what `kefu eval retrieval` prints for FAQ matching
// (ATEC).
type RetrievalReport struct {
	Mode      string  `json:"mode"`
	N         int     `json:"n"`          // queries
	IndexSize int     `json:"index_size"` // entries searched (per fold in CV)
	RAt1      float64 `json:"r_at_1"`
	RAt5      float64 `json:"r_at_5"`
	MRR       float64 `json:"mrr"`
}

// SelectionReport is what `kefu eval retrieval` prints for response
// selection (ECD).
type SelectionReport struct {
	Mode   string  `json:"mode"`
	N      int     `json:"n"` // contexts
	R10At1 float64 `json:"r10_at_1"`
	R10At2 float64 `json:"r10_at_2"`
	R10At5 float64 `json:"r10_at_5"`
	MRR    float64 `json:"mrr"`
}

// faqTask turns pairs into an FAQ-matching task: the index is the distinct
// question2 of positive pairs, each positive pair's question1 is a query
// whose right answer is its question2.
func faqTask(pairs []Pair) (entries []string, queries []string, answers []int) {
	pos := map[string]int{}
	for _, p := range pairs {
		if !p.Same {
			continue
		}
		i, ok := pos[p.Q2]
		if !ok {
			i = len(entries)
			pos[p.Q2] = i
			entries = append(entries, p.Q2)
		}
		queries = append(queries, p.Q1)
		answers = append(answers, i)
	}
	return entries, queries, answers
}

// rankOf returns the 1-based rank of answer among hits, 0 if absent.
func rankOf(hits []faq.Hit, answer int) int {
	for r, h := range hits {
		if h.Index == answer {
			return r + 1
		}
	}
	return 0
}

// searchDepth is how many hits are fetched per query; ranks beyond it
// count as misses, which only affects MRR negligibly.
const searchDepth = 100

// ScoreFAQ evaluates retrieval on pairs with the whole file as one index.
// syn and rr may be nil (no synonyms, no reranker).
func ScoreFAQ(mode string, pairs []Pair, opts faq.Options, syn *faq.Synonyms, rr *faq.Reranker) RetrievalReport {
	entries, queries, answers := faqTask(pairs)
	s := faq.IndexWith(entries, opts)
	if syn != nil {
		s = s.WithSynonyms(syn)
	}
	if rr != nil {
		s = s.WithReranker(rr)
	}
	var ranks Ranks
	for i, q := range queries {
		ranks = append(ranks, rankOf(s.Search(q, searchDepth), answers[i]))
	}
	return RetrievalReport{Mode: mode, N: len(queries), IndexSize: len(entries),
		RAt1: ranks.RecallAt(1), RAt5: ranks.RecallAt(5), MRR: ranks.MRR()}
}

// CrossValidateFAQ splits pairs into k folds. For each fold, the index is
// that fold's positive question2s and the queries its positive question1s
// (so an index is about 1/k of the file, close to the size of a real FAQ),
// and when learn is true synonyms are learned from the positive pairs of
// the other folds. The reported index_size is the mean per fold.
func CrossValidateFAQ(pairs []Pair, k int, opts faq.Options, learn bool, synOpts faq.SynonymOptions, rerank bool) RetrievalReport {
	labels := make([]string, len(pairs))
	for i, p := range pairs {
		labels[i] = fmt.Sprint(p.Same)
	}
	fold := Folds(labels, k, 7)
	var ranks Ranks
	size := 0
	for f := 0; f < k; f++ {
		var test []Pair
		var train [][2]string
		for i, p := range pairs {
			switch {
			case fold[i] == f:
				test = append(test, p)
			case p.Same:
				train = append(train, [2]string{p.Q1, p.Q2})
			}
		}
		entries, queries, answers := faqTask(test)
		size += len(entries)
		s := faq.IndexWith(entries, opts)
		if learn {
			s = s.WithSynonyms(faq.LearnSynonyms(train, synOpts))
		}
		if rerank {
			s = s.WithReranker(faq.TrainReranker(train, opts, faq.RerankOptions{}))
		}
		for i, q := range queries {
			ranks = append(ranks, rankOf(s.Search(q, searchDepth), answers[i]))
		}
	}
	mode := fmt.Sprintf("cv%d", k)
	if learn {
		mode += "+synonyms"
	}
	if rerank {
		mode += "+reranker"
	}
	return RetrievalReport{Mode: mode, N: len(ranks), IndexSize: size / k,
		RAt1: ranks.RecallAt(1), RAt5: ranks.RecallAt(5), MRR: ranks.MRR()}
}

// PairsToTraining returns the positive pairs as synonym-learning input.
func PairsToTraining(pairs []Pair) [][2]string {
	var out [][2]string
	for _, p := range pairs {
		if p.Same {
			out = append(out, [2]string{p.Q1, p.Q2})
		}
	}
	return out
}

// ScoreSelection ranks each group's candidates with a scorer whose IDF is
// learned from all utterances of the file (no labels are used) and scores
// the rank of the first correct candidate.
func ScoreSelection(mode string, groups []SelectionGroup, decay float64) SelectionReport {
	var corpus []string
	for _, g := range groups {
		corpus = append(corpus, g.Context...)
		corpus = append(corpus, g.Candidates...)
	}
	rs := faq.NewResponseScorer(corpus)
	rs.Decay = decay
	var ranks Ranks
	for _, g := range groups {
		scores := rs.Score(g.Context, g.Candidates)
		rank := 0
		for j, ok := range g.Correct {
			if !ok {
				continue
			}
			// rank = 1 + candidates scored strictly higher, ties counted
			// against us (a tie is not a win).
			r := 1
			for k := range scores {
				if k != j && scores[k] >= scores[j] {
					r++
				}
			}
			if rank == 0 || r < rank {
				rank = r
			}
		}
		ranks = append(ranks, rank)
	}
	return SelectionReport{Mode: mode, N: len(groups), R10At1: ranks.RecallAt(1), R10At2: ranks.RecallAt(2), R10At5: ranks.RecallAt(5), MRR: ranks.MRR()}
}
