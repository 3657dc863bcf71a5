// Package faq finds the stored questions (FAQ entries, canned answers'
// questions) closest in meaning to a customer's question.
//
// Retrieval is BM25 over two fields of each entry, its characters
// (unigrams) and its character bigrams, scored separately and added with
// weights: bigrams reward matching words, unigrams rescue paraphrases that
// share characters but not words ("花呗还款" vs "还花呗"). Two optional
// steps use pairs of questions known to mean the same (a support team's
// history of "this question was answered by that FAQ"): Synonyms expand
// the query with terms customers use interchangeably, and a Reranker, a
// small model of which word matches and mismatches matter, re-orders the
// best BM25 candidates.
//
// Everything lives in memory: 10,000 entries take a few megabytes and a
// search takes well under a millisecond.
package faq

import (
	"container/heap"
	"math"
	"sort"
	"sync"

	"kefu/bot/textfeat"
)

// Options tune the index. The zero value means the defaults below, which
// were tuned on the ATEC dev pairs (docs/bot-quality.md).
type Options struct {
	K1             float64 // BM25 term-frequency saturation; 0 means 1.2
	B              float64 // BM25 length normalisation; 0 means 0.75
	UnigramWeight  float64 // weight of the unigram field; 0 means 0.5
	BigramWeight   float64 // weight of the bigram field; 0 means 1
	RerankDepth    int     // how many BM25 candidates to re-rank; 0 means 30
	EditWeight     float64 // weight of edit similarity in the re-rank; 0 disables it
	StopCharacters string  // characters ignored in the unigram field; "" means DefaultStopCharacters
}

// DefaultStopCharacters are function characters that match everywhere and
// say nothing about meaning in customer questions.
const DefaultStopCharacters = "的了吗呢啊吧呀么嘛哦是我你他她它们这那有在和与或也就都还又要能会可以个"

func (o Options) withDefaults() Options {
	if o.K1 == 0 {
		o.K1 = 1.2
	}
	if o.B == 0 {
		o.B = 0.75
	}
	if o.UnigramWeight == 0 {
		o.UnigramWeight = 0.5
	}
	if o.BigramWeight == 0 {
		o.BigramWeight = 1
	}
	if o.RerankDepth == 0 {
		o.RerankDepth = 30
	}
	if o.StopCharacters == "" {
		o.StopCharacters = DefaultStopCharacters
	}
	return o
}

// Hit is one search result: the position of the entry in the slice given
// to New, and its score (higher is better; only comparable within one
// search).
type Hit struct {
	Index int     `json:"index"`
	Score float64 `json:"score"`
}

type posting struct {
	doc int32
	tf  float32
}

// field is one BM25 field: an inverted index and document lengths.
type field struct {
	postings map[string][]posting
	lengths  []float32
	avgLen   float64
	idf      map[string]float64
	weight   float64
}

// Searcher is an immutable searchable set of entries; safe for
// concurrent Search calls.
type Searcher struct {
	opts     Options
	entries  []string
	units    [][]string // each entry's units, for edit similarity
	uni, bi  field
	stop     map[string]bool
	synonyms *Synonyms
	reranker *Reranker
	scratch  sync.Pool // []float64 score accumulators, one per search
}

// Index indexes entries with the default options.
func Index(entries []string) *Searcher { return IndexWith(entries, Options{}) }

// IndexWith indexes entries with opts.
func IndexWith(entries []string, opts Options) *Searcher {
	opts = opts.withDefaults()
	ix := &Searcher{opts: opts, entries: entries, stop: map[string]bool{}}
	for _, r := range opts.StopCharacters {
		ix.stop[string(r)] = true
	}
	ix.uni = field{postings: map[string][]posting{}, weight: opts.UnigramWeight}
	ix.bi = field{postings: map[string][]posting{}, weight: opts.BigramWeight}
	ix.units = make([][]string, len(entries))
	for i, e := range entries {
		u := textfeat.Chars(e)
		ix.units[i] = u
		ix.uni.add(int32(i), ix.unigrams(u))
		ix.bi.add(int32(i), bigrams(u))
	}
	ix.uni.finish(len(entries))
	ix.bi.finish(len(entries))
	ix.scratch.New = func() any { s := make([]float64, len(entries)); return &s }
	return ix
}

// Len is the number of entries.
func (ix *Searcher) Len() int { return len(ix.entries) }

// Entry returns entry i as given to New.
func (ix *Searcher) Entry(i int) string { return ix.entries[i] }

// WithSynonyms returns a searcher over the same entries that uses syn to expand queries. It shares the
// index data with ix.
func (ix *Searcher) WithSynonyms(syn *Synonyms) *Searcher {
	c := &Searcher{opts: ix.opts, entries: ix.entries, units: ix.units, uni: ix.uni, bi: ix.bi, stop: ix.stop, synonyms: syn, reranker: ix.reranker}
	c.scratch.New = ix.scratch.New
	return c
}

func (ix *Searcher) unigrams(units []string) []string {
	out := make([]string, 0, len(units))
	for _, u := range units {
		if !ix.stop[u] {
			out = append(out, u)
		}
	}
	return out
}

// bigrams joins adjacent units; a Latin word next to a CJK character
// makes a bigram too ("plus会").
func bigrams(units []string) []string {
	if len(units) < 2 {
		return units
	}
	out := make([]string, 0, len(units)-1)
	for i := 0; i+1 < len(units); i++ {
		out = append(out, units[i]+units[i+1])
	}
	return out
}

func (f *field) add(doc int32, terms []string) {
	counts := map[string]float32{}
	for _, t := range terms {
		counts[t]++
	}
	for t, c := range counts {
		f.postings[t] = append(f.postings[t], posting{doc: doc, tf: c})
	}
	f.lengths = append(f.lengths, float32(len(terms)))
}

func (f *field) finish(n int) {
	var sum float64
	for _, l := range f.lengths {
		sum += float64(l)
	}
	if n > 0 {
		f.avgLen = sum / float64(n)
	}
	if f.avgLen == 0 {
		f.avgLen = 1
	}
	f.idf = make(map[string]float64, len(f.postings))
	for t, ps := range f.postings {
		df := float64(len(ps))
		f.idf[t] = math.Log(1 + (float64(n)-df+0.5)/(df+0.5))
	}
}

// accumulate adds weight × BM25(term) for every entry containing term.
func (f *field) accumulate(scores []float64, term string, qWeight float64, k1, b float64) {
	idf, ok := f.idf[term]
	if !ok {
		return
	}
	w := f.weight * qWeight * idf
	for _, p := range f.postings[term] {
		tf := float64(p.tf)
		norm := k1 * (1 - b + b*float64(f.lengths[p.doc])/f.avgLen)
		scores[p.doc] += w * tf * (k1 + 1) / (tf + norm)
	}
}

// collect adds the weighted terms of a query in one field; repeated terms
// add up.
func collect(terms []string, w float64, into map[string]float64) {
	for _, t := range terms {
		into[t] += w
	}
}

// Search returns the k best entries for query, best first. A query with
// no known terms returns nothing.
func (ix *Searcher) Search(query string, k int) []Hit {
	if k <= 0 || len(ix.entries) == 0 {
		return nil
	}
	q := textfeat.Chars(query)
	depth := max(k, ix.opts.RerankDepth)
	if ix.reranker != nil {
		depth = max(k, ix.reranker.Depth)
	}
	cands := ix.bm25(q, depth)
	switch {
	case ix.reranker != nil:
		ix.reranker.rerank(q, ix.units, cands)
	case ix.opts.EditWeight > 0 && len(cands) > 0:
		// BM25 scores are scaled to the best candidate's so the edit
		// similarity (0..1) weighs the same whatever the query length.
		top := cands[0].Score
		for i := range cands {
			sim := EditSimilarity(q, ix.units[cands[i].Index])
			cands[i].Score = cands[i].Score/top + ix.opts.EditWeight*sim
		}
		sort.SliceStable(cands, func(a, b int) bool { return cands[a].Score > cands[b].Score })
	}
	if len(cands) > k {
		cands = cands[:k]
	}
	return cands
}

// bm25 returns the depth best entries for the query units by BM25 (with
// synonym expansion when set), best first.
func (ix *Searcher) bm25(q []string, depth int) []Hit {
	uniTerms := map[string]float64{}
	biTerms := map[string]float64{}
	collect(ix.unigrams(q), 1, uniTerms)
	collect(bigrams(q), 1, biTerms)
	if ix.synonyms != nil {
		ix.synonyms.expand(q, uniTerms, biTerms)
	}
	sp := ix.scratch.Get().(*[]float64)
	scores := *sp
	defer func() {
		clear(scores)
		ix.scratch.Put(sp)
	}()
	for t, w := range uniTerms {
		ix.uni.accumulate(scores, t, w, ix.opts.K1, ix.opts.B)
	}
	for t, w := range biTerms {
		ix.bi.accumulate(scores, t, w, ix.opts.K1, ix.opts.B)
	}
	return topK(scores, depth)
}

// hitHeap is a min-heap on score, for keeping the k best.
type hitHeap []Hit

func (h hitHeap) Len() int { return len(h) }
func (h hitHeap) Less(i, j int) bool {
	if h[i].Score != h[j].Score {
		return h[i].Score < h[j].Score
	}
	return h[i].Index > h[j].Index
}
func (h hitHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *hitHeap) Push(x any)   { *h = append(*h, x.(Hit)) }
func (h *hitHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// topK returns the k highest positive scores, best first (ties: lower
// index first).
func topK(scores []float64, k int) []Hit {
	h := make(hitHeap, 0, k+1)
	for i, s := range scores {
		if s <= 0 {
			continue
		}
		if len(h) < k {
			heap.Push(&h, Hit{Index: i, Score: s})
		} else if s > h[0].Score {
			h[0] = Hit{Index: i, Score: s}
			heap.Fix(&h, 0)
		}
	}
	out := make([]Hit, len(h))
	for i := len(h) - 1; i >= 0; i-- {
		out[i] = heap.Pop(&h).(Hit)
	}
	return out
}

// EditSimilarity is 1 − Levenshtein distance / longer length, over units
// (CJK characters and Latin words): 1 for equal sequences, 0 for nothing
// in common.
func EditSimilarity(a, b []string) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return 1 - float64(prev[len(b)])/float64(max(len(a), len(b)))
}
