package kb

import (
	"context"
	"math"
	"slices"
	"strings"
	"sync"

	"kefu"
	"kefu/text"
)

// Hit is a search result: a FAQ entry or an article, with its score.
type Hit struct {
	Kind    string        `json:"kind"` // faq or article
	FAQ     *kefu.FAQ     `json:"faq,omitempty"`
	Article *kefu.Article `json:"article,omitempty"`
	Score   float64       `json:"score"`
	// Confidence is how completely the question and the matched phrasing
	// cover each other: the geometric mean of the share of the question's
	// terms found in the phrasing and the share of the phrasing's terms found
	// in the question, each weighted by how rare the terms are. 1 for the
	// same words; extra or missing words lower it.
	Confidence float64 `json:"confidence"`
}

// index is a BM25 index over the published knowledge base of one locale.
// Its documents are the searchable texts: a FAQ's question and each of its
// alternatives (each a document of its own, pointing back to the entry), and
// an article's title and body. It is an inverted index: for each term, the
// documents holding it with the term's BM25 score in each, so a search reads
// only the documents that share a term with the question and adds up
// precomputed scores. An index is not changed once built, so searches run on
// it concurrently.
type index struct {
	entries []Hit // a FAQ entry or an article, Score and Confidence unset

	// Per document, in the order added.
	docEntry []int32   // the document's entry
	idfSum   []float64 // the IDF of the document's distinct terms, summed

	terms    map[string]int32 // term → term number
	idf      []float64        // per term
	nodocIDF float64          // the IDF of a term no document has

	// The postings of term t are postDoc[start[t]:start[t+1]], in document
	// order, and postScore the same range.
	start     []int32
	postDoc   []int32
	postScore []float64 // idf·tf·(k1+1) / (tf + k1·(1 − b + b·len/avgdl))

	scratch sync.Pool // of *scratch, sized for this index
}

// BM25 parameters, the usual defaults.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

func newIndex(faqs []kefu.FAQ, articles []kefu.Article) *index {
	ix := &index{terms: map[string]int32{}}
	type found struct{ term, doc, tf int32 }
	var all []found  // the postings, as found
	var lens []int   // per document, its number of terms
	var df []int32   // per term
	var tf []int32   // per term, in the document being added
	var seen []int32 // the document's distinct terms
	add := func(entry int, s string) {
		n := 0
		for _, t := range text.Terms(s) {
			id, ok := ix.terms[t]
			if !ok {
				id = int32(len(df))
				ix.terms[t] = id
				df = append(df, 0)
				tf = append(tf, 0)
			}
			if tf[id] == 0 {
				seen = append(seen, id)
			}
			tf[id]++
			n++
		}
		doc := int32(len(lens))
		for _, id := range seen {
			all = append(all, found{id, doc, tf[id]})
			df[id]++
			tf[id] = 0
		}
		seen = seen[:0]
		ix.docEntry = append(ix.docEntry, int32(entry))
		lens = append(lens, n)
	}
	for i := range faqs {
		f := &faqs[i]
		e := len(ix.entries)
		ix.entries = append(ix.entries, Hit{Kind: "faq", FAQ: f})
		add(e, f.Question)
		for _, q := range f.Alternatives {
			add(e, q)
		}
	}
	for i := range articles {
		a := &articles[i]
		e := len(ix.entries)
		ix.entries = append(ix.entries, Hit{Kind: "article", Article: a})
		add(e, a.Title+" "+a.Title+" "+a.Body)
	}
	ix.docEntry = slices.Clip(ix.docEntry)

	n := float64(len(lens))
	idf := func(df int32) float64 { return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5)) }
	ix.nodocIDF = idf(0)
	ix.idf = make([]float64, len(df))
	for id, d := range df {
		ix.idf[id] = idf(d)
	}
	total := 0
	for _, l := range lens {
		total += l
	}
	avgdl := 0.0
	if len(lens) > 0 {
		avgdl = float64(total) / n
	}

	// Group the postings by term, keeping document order, and score them.
	ix.start = make([]int32, len(df)+1)
	for id, d := range df {
		ix.start[id+1] = ix.start[id] + d
	}
	next := slices.Clone(ix.start[:len(df)])
	ix.postDoc = make([]int32, len(all))
	ix.postScore = make([]float64, len(all))
	ix.idfSum = make([]float64, len(lens))
	for _, p := range all {
		w, tf := ix.idf[p.term], float64(p.tf)
		i := next[p.term]
		next[p.term]++
		ix.postDoc[i] = p.doc
		ix.postScore[i] = w * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*float64(lens[p.doc])/avgdl))
		ix.idfSum[p.doc] += w
	}
	docs, entries := len(lens), len(ix.entries)
	ix.scratch.New = func() any {
		return &scratch{acc: make([]acc, docs), best: make([]best, entries)}
	}
	return ix
}

// scratch is one search's working memory. Only the parts a search touched
// are cleared after it.
type scratch struct {
	acc     []acc   // per document
	docs    []int32 // documents with a score
	best    []best  // per entry
	entries []int32 // entries with a best document
	top     []int32 // the best k entries, best first
}

// acc is a document's score and the IDF of the query terms it holds.
type acc struct{ score, covered float64 }

// best is an entry's best-scoring document (1 + its number; 0 for none)
// and the score.
type best struct {
	score float64
	doc   int32
}

// before orders entries' best documents: higher scores first, then the
// first added.
func (a best) before(b best) bool {
	return a.score > b.score || a.score == b.score && a.doc < b.doc
}

// search scores the documents that share a term with the query and returns
// the best k distinct entries (a FAQ matched by several of its phrasings
// counts once, with its best-scoring phrasing). Entries of equal score come
// in the order they were added.
func (ix *index) search(query string, k int) []Hit {
	sc := ix.scratch.Get().(*scratch)
	defer ix.scratch.Put(sc)

	var qterms []string
	for _, t := range text.Terms(query) {
		if !slices.Contains(qterms, t) {
			qterms = append(qterms, t)
		}
	}
	totalIDF := 0.0
	for _, t := range qterms {
		id, ok := ix.terms[t]
		if !ok {
			totalIDF += ix.nodocIDF
			continue
		}
		w := ix.idf[id]
		totalIDF += w
		lo, hi := ix.start[id], ix.start[id+1]
		scores := ix.postScore[lo:hi]
		for i, d := range ix.postDoc[lo:hi] {
			a := &sc.acc[d]
			if a.score == 0 {
				sc.docs = append(sc.docs, d)
			}
			a.score += scores[i]
			a.covered += w
		}
	}

	// Each entry's best document.
	for _, d := range sc.docs {
		e := ix.docEntry[d]
		b, this := &sc.best[e], best{sc.acc[d].score, d + 1}
		if b.doc == 0 {
			sc.entries = append(sc.entries, e)
			*b = this
		} else if this.before(*b) {
			*b = this
		}
	}

	// The best k entries, kept in order by insertion.
	top := sc.top[:0]
	for _, e := range sc.entries {
		b := sc.best[e]
		if len(top) == k && !b.before(sc.best[top[k-1]]) {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, e, func(t, _ int32) int {
			if sc.best[t].before(b) {
				return -1
			}
			return 1
		})
		if len(top) == k {
			top = top[:k-1]
		}
		top = slices.Insert(top, i, e)
	}
	sc.top = top

	out := make([]Hit, len(top))
	for i, e := range top {
		d := sc.best[e].doc - 1
		a := sc.acc[d]
		out[i] = ix.entries[e]
		out[i].Score, out[i].Confidence = a.score, math.Sqrt(a.covered/totalIDF*a.covered/ix.idfSum[d])
	}

	for _, d := range sc.docs {
		sc.acc[d] = acc{}
	}
	for _, e := range sc.entries {
		sc.best[e] = best{}
	}
	sc.docs, sc.entries = sc.docs[:0], sc.entries[:0]
	return out
}

// searcher keeps one index per locale, rebuilt lazily after a change.
type searcher struct {
	mu      sync.Mutex
	indexes map[string]*index
}

// Search finds published FAQ entries and articles for a question, best
// first. It needs no permission: it is what the public help centre and the
// widget show.
func (s *Service) Search(ctx context.Context, locale, query string, k int) ([]Hit, error) {
	if strings.TrimSpace(query) == "" {
		return nil, kefu.Invalid("q", "Enter a question.")
	}
	if k <= 0 || k > 50 {
		k = 10
	}
	ix, err := s.index(ctx, locale)
	if err != nil {
		return nil, err
	}
	return ix.search(query, k), nil
}

// index returns the locale's search index, building it if a change dropped
// it. Searches then run on it without the lock.
func (s *Service) index(ctx context.Context, locale string) (*index, error) {
	s.search.mu.Lock()
	defer s.search.mu.Unlock()
	if ix, ok := s.search.indexes[locale]; ok {
		return ix, nil
	}
	faqs, err := s.PublishedFAQs(ctx, locale)
	if err != nil {
		return nil, err
	}
	articles, err := s.PublishedArticles(ctx, locale)
	if err != nil {
		return nil, err
	}
	ix := newIndex(faqs, articles)
	if s.search.indexes == nil {
		s.search.indexes = map[string]*index{}
	}
	s.search.indexes[locale] = ix
	return ix, nil
}
