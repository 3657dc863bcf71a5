package kb

import (
	"context"
	"math"
	"sort"
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

// doc is one searchable text: a FAQ's question and its alternatives (each a
// document of its own, pointing back to the entry) or an article's title
// and body.
type doc struct {
	hit    Hit
	terms  map[string]int
	len    int
	idfSum float64 // of the document's distinct terms
}

// index is a BM25 index over the published knowledge base of one locale.
type index struct {
	docs  []doc
	df    map[string]int
	avgdl float64
}

// BM25 parameters, the usual defaults.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

func newIndex(faqs []kefu.FAQ, articles []kefu.Article) *index {
	ix := &index{df: map[string]int{}}
	add := func(h Hit, s string) {
		d := doc{hit: h, terms: map[string]int{}}
		for _, t := range text.Terms(s) {
			d.terms[t]++
			d.len++
		}
		for t := range d.terms {
			ix.df[t]++
		}
		ix.docs = append(ix.docs, d)
	}
	for i := range faqs {
		f := &faqs[i]
		for _, q := range append([]string{f.Question}, f.Alternatives...) {
			add(Hit{Kind: "faq", FAQ: f}, q)
		}
	}
	for i := range articles {
		a := &articles[i]
		add(Hit{Kind: "article", Article: a}, a.Title+" "+a.Title+" "+a.Body)
	}
	total := 0
	for _, d := range ix.docs {
		total += d.len
	}
	if len(ix.docs) > 0 {
		ix.avgdl = float64(total) / float64(len(ix.docs))
	}
	for i := range ix.docs {
		for t := range ix.docs[i].terms {
			ix.docs[i].idfSum += ix.idf(t)
		}
	}
	return ix
}

// idf is BM25's inverse document frequency of a term.
func (ix *index) idf(t string) float64 {
	n := float64(len(ix.docs))
	return math.Log(1 + (n-float64(ix.df[t])+0.5)/(float64(ix.df[t])+0.5))
}

// search scores every document against the query and returns the best k
// distinct entries (a FAQ matched by several of its phrasings counts once).
func (ix *index) search(query string, k int) []Hit {
	qterms := map[string]bool{}
	for _, t := range text.Terms(query) {
		qterms[t] = true
	}
	idf := ix.idf
	totalIDF := 0.0
	for t := range qterms {
		totalIDF += idf(t)
	}
	best := map[string]Hit{}
	for _, d := range ix.docs {
		score, covered := 0.0, 0.0
		for t := range qterms {
			tf := float64(d.terms[t])
			if tf == 0 {
				continue
			}
			score += idf(t) * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*float64(d.len)/ix.avgdl))
			covered += idf(t)
		}
		if score == 0 {
			continue
		}
		key := d.hit.Kind + ":"
		if d.hit.FAQ != nil {
			key += d.hit.FAQ.ID
		} else {
			key += d.hit.Article.ID
		}
		if prev, ok := best[key]; !ok || score > prev.Score {
			h := d.hit
			h.Score, h.Confidence = score, math.Sqrt(covered/totalIDF*covered/d.idfSum)
			best[key] = h
		}
	}
	out := make([]Hit, 0, len(best))
	for _, h := range best {
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	if len(out) > k {
		out = out[:k]
	}
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
	s.search.mu.Lock()
	defer s.search.mu.Unlock()
	ix, ok := s.search.indexes[locale]
	if !ok {
		faqs, err := s.PublishedFAQs(ctx, locale)
		if err != nil {
			return nil, err
		}
		articles, err := s.PublishedArticles(ctx, locale)
		if err != nil {
			return nil, err
		}
		ix = newIndex(faqs, articles)
		if s.search.indexes == nil {
			s.search.indexes = map[string]*index{}
		}
		s.search.indexes[locale] = ix
	}
	return ix.search(query, k), nil
}
