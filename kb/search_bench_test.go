package kb

import (
	"bufio"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"kefu"
	"kefu/store"
	"kefu/text"
)

// The answer-latency goal: p99 < 5 ms for one question against 10,000 FAQ
// entries. BenchmarkSearch10k measures it (ns/op, p50, p99 and the heap
// after the index is built); TestSearch10k checks, on the same knowledge
// base, that the search returns what the plain scoring of every phrasing
// returns, and logs the latencies with -v. Both read the public ATEC and JDDC
// data in shared/data beside the repository and skip without it.
//
//	go test -run '^$' -bench Search10k -benchmem ./kb/
//	go test -run Search10k -v ./kb/

const corpusFAQs = 10_000

// dataDir is shared/data beside the repository: tests run in /work/main/kb.
func dataDir(tb testing.TB) string {
	dir := filepath.Join("..", "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(dir, "atec", "atec_dev.tsv")); err != nil {
		tb.Skipf("ATEC data not found in %s (it lives in shared/data beside the repository): %v", dir, err)
	}
	return dir
}

// corpus is a zh-CN knowledge base of corpusFAQs entries and the questions
// to ask it.
type corpus struct {
	faqs    []kefu.FAQ // to add after the shipped defaults
	queries []string
	// expect maps a held-out ATEC question to the phrasing of the same
	// meaning that is indexed.
	expect map[string]string
}

// buildCorpus makes the knowledge base from ATEC (Ant Financial customer
// questions): the kefu defaults (92 zh-CN entries), then one entry per group
// of questions that ATEC labels as the same meaning (question and
// alternatives), then every other distinct ATEC question, dealt out as
// alternatives over the remaining entries, so that the index holds about six
// phrasings per entry as the shipped defaults do. Answers are the shipped
// answers, in turn. The queries are 300 ATEC questions held out of the index
// (each has a same-meaning phrasing in it) and 200 real customer requests
// from JDDC.
func buildCorpus(tb testing.TB, defaultFAQs int, answers []string) corpus {
	dir := dataDir(tb)
	f, err := os.Open(filepath.Join(dir, "atec", "atec_dev.tsv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	type pair struct{ q1, q2 string }
	var pairs []pair
	var order []string // distinct sentences in file order
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if len(p) != 4 {
			continue
		}
		for _, s := range p[1:3] {
			if !seen[s] {
				seen[s] = true
				order = append(order, s)
			}
		}
		if p[3] == "1" && p[1] != p[2] {
			pairs = append(pairs, pair{p[1], p[2]})
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}

	c := corpus{expect: map[string]string{}}
	held := map[string]bool{}
	for _, p := range pairs {
		if len(c.expect) == 300 {
			break
		}
		if _, dup := c.expect[p.q2]; !dup && !held[p.q2] {
			held[p.q1] = true
			c.expect[p.q1] = p.q2
			c.queries = append(c.queries, p.q1)
		}
	}
	// Groups of the same meaning (union-find over the other positive pairs).
	parent := map[string]string{}
	var find func(string) string
	find = func(s string) string {
		p, ok := parent[s]
		if !ok || p == s {
			return s
		}
		r := find(p)
		parent[s] = r
		return r
	}
	for _, p := range pairs {
		if held[p.q1] || held[p.q2] {
			continue
		}
		for _, s := range []string{p.q1, p.q2} {
			if _, ok := parent[s]; !ok {
				parent[s] = s
			}
		}
		parent[find(p.q1)] = find(p.q2)
	}
	pairOfHeld := map[string]bool{}
	for _, v := range c.expect {
		pairOfHeld[v] = true
	}
	groups := map[string][]string{}
	var roots []string
	var singles []string
	for _, s := range order {
		if held[s] {
			continue
		}
		if _, ok := parent[s]; !ok {
			if pairOfHeld[s] {
				roots = append(roots, s) // a held-out question's pair stands alone
				groups[s] = []string{s}
			} else {
				singles = append(singles, s)
			}
			continue
		}
		r := find(s)
		if groups[r] == nil {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], s)
	}
	entry := func(phrasings []string) kefu.FAQ {
		n := len(c.faqs)
		return kefu.FAQ{Locale: "zh-CN", Category: "花呗借呗", Intent: "payment", Question: phrasings[0],
			Alternatives: phrasings[1:], Answer: answers[n%len(answers)], Status: kefu.ArticlePublished}
	}
	for _, r := range roots {
		c.faqs = append(c.faqs, entry(groups[r]))
	}
	rest := corpusFAQs - defaultFAQs - len(c.faqs)
	if rest <= 0 || len(singles) < rest {
		tb.Fatalf("ATEC gives %d groups and %d other questions; cannot make %d entries", len(roots), len(singles), corpusFAQs)
	}
	for i := range rest {
		lo, hi := i*len(singles)/rest, (i+1)*len(singles)/rest
		c.faqs = append(c.faqs, entry(singles[lo:hi]))
	}

	// Real customer requests from JD.com chats.
	jf, err := os.Open(filepath.Join(dir, "jddc", "intent_dev.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	defer jf.Close()
	sc = bufio.NewScanner(jf)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 0; n < 200 && sc.Scan(); {
		var s struct{ Request string }
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			tb.Fatal(err)
		}
		if strings.TrimSpace(s.Request) != "" {
			c.queries = append(c.queries, s.Request)
			n++
		}
	}
	return c
}

// loadKB opens a SQLite store in dir and fills it through the service:
// the shipped defaults (FAQ in both languages and the help-centre articles),
// then the corpus, to 10,000 zh-CN FAQ entries.
func loadKB(tb testing.TB, dir string) (*Service, corpus, func()) {
	ctx := context.Background()
	db, err := store.Open(ctx, "", dir)
	if err != nil {
		tb.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		tb.Fatal(err)
	}
	s := &Service{DB: db, Clock: &kefu.FixedClock{T: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}}
	editor := kefu.NewContext(ctx, &kefu.Actor{UserID: "u1", Name: "编辑", Permissions: []kefu.Permission{kefu.PermKBManage}})
	if res, err := s.LoadDefaults(editor); err != nil || len(res.Problems) != 0 {
		db.Close()
		tb.Fatalf("defaults: %+v %v", res, err)
	}
	shipped, err := s.PublishedFAQs(ctx, "zh-CN")
	if err != nil {
		db.Close()
		tb.Fatal(err)
	}
	var answers []string
	for _, f := range shipped {
		answers = append(answers, f.Answer)
	}
	c := buildCorpus(tb, len(shipped), answers)
	start := time.Now()
	for _, f := range c.faqs {
		if _, err := s.CreateFAQ(editor, f); err != nil {
			db.Close()
			tb.Fatalf("%q: %v", f.Question, err)
		}
	}
	tb.Logf("%d entries added in %v", len(c.faqs), time.Since(start))
	return s, c, func() { db.Close() }
}

// latencies asks every query once through Service.Search (k = 1, as the bot
// asks) and returns the sorted latencies.
func latencies(tb testing.TB, s *Service, queries []string) []time.Duration {
	ctx := context.Background()
	lat := make([]time.Duration, len(queries))
	for i, q := range queries {
		start := time.Now()
		if _, err := s.Search(ctx, "zh-CN", q, 1); err != nil {
			tb.Fatal(err)
		}
		lat[i] = time.Since(start)
	}
	slices.Sort(lat)
	return lat
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted))*p+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// memAfterGC reads the memory statistics after full collections.
func memAfterGC() runtime.MemStats {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m
}

const mib = 1 << 20

// BenchmarkSearch10k asks the questions in turn through Service.Search
// (k = 1, as the bot asks). Besides ns/op it reports the 50th and 99th
// percentiles of the single searches, the heap in use after the index is
// built (the whole test process, after GC), the live heap the first search
// added (the published entries loaded from the store and the index on them),
// and how long that first search took (load and build).
func BenchmarkSearch10k(b *testing.B) {
	s, c, done := loadKB(b, b.TempDir())
	defer done()
	ctx := context.Background()
	before := memAfterGC()
	start := time.Now()
	if _, err := s.Search(ctx, "zh-CN", c.queries[0], 1); err != nil { // loads and builds the index
		b.Fatal(err)
	}
	build := time.Since(start)
	after := memAfterGC()
	latencies(b, s, c.queries) // warm up

	var all []time.Duration
	i := 0
	for b.Loop() {
		q := c.queries[i%len(c.queries)]
		i++
		t0 := time.Now()
		if _, err := s.Search(ctx, "zh-CN", q, 1); err != nil {
			b.Fatal(err)
		}
		all = append(all, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(all)
	b.ReportMetric(float64(percentile(all, 0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(all, 0.99).Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(after.HeapInuse)/mib, "heap-inuse-MiB")
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/mib, "kb-MiB")
	b.ReportMetric(float64(build.Microseconds())/1000, "first-search-ms")
	runtime.KeepAlive(s)
}

func TestSearch10k(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 10,000 FAQ entries; skipped in -short mode")
	}
	s, c, done := loadKB(t, t.TempDir())
	defer done()
	ctx := context.Background()
	m0 := memAfterGC()
	start := time.Now()
	faqs, err := s.PublishedFAQs(ctx, "zh-CN")
	if err != nil {
		t.Fatal(err)
	}
	articles, err := s.PublishedArticles(ctx, "zh-CN")
	if err != nil {
		t.Fatal(err)
	}
	load := time.Since(start)
	m1 := memAfterGC()
	start = time.Now()
	ix := newIndex(faqs, articles)
	build := time.Since(start)
	m2 := memAfterGC()
	if len(faqs) != corpusFAQs {
		t.Fatalf("%d published zh-CN entries, want %d", len(faqs), corpusFAQs)
	}

	// The search returns what scoring every phrasing returns (on every
	// tenth question: the plain scoring takes about 70 ms each).
	ref := newRefIndex(faqs, articles)
	hits := 0
	for i, q := range c.queries {
		got := ix.search(q, 10)
		if len(got) > 0 {
			hits++
		}
		if i%10 == 0 {
			want := ref.search(q, 10)
			sameHits(t, q, got, want)
			sameHits(t, q, ix.search(q, 1), want.top(1))
		}
	}
	if hits < len(c.queries)*9/10 {
		t.Errorf("only %d of %d questions found anything", hits, len(c.queries))
	}

	lat := latencies(t, s, c.queries)
	lat = latencies(t, s, c.queries)
	t.Logf("%d zh-CN FAQ entries and %d articles: %d texts indexed (FAQ questions, alternatives and articles), %d postings of %d terms",
		len(faqs), len(articles), len(ix.docEntry), len(ix.postDoc), len(ix.terms))
	t.Logf("loaded from SQLite in %v, indexed in %v", load, build)
	t.Logf("live heap: entries %.1f MiB, index %.1f MiB; heap in use after GC %.1f MiB",
		float64(m1.HeapAlloc-m0.HeapAlloc)/mib, float64(m2.HeapAlloc-m1.HeapAlloc)/mib, float64(m2.HeapInuse)/mib)
	t.Logf("%d questions through Service.Search (k=1): p50 %v, p99 %v, max %v",
		len(lat), percentile(lat, 0.5), percentile(lat, 0.99), lat[len(lat)-1])
	runtime.KeepAlive(ix)
}

// sameHits compares a search's hits with the plain scoring's: the same
// entries with the same scores, in order of score, and each entry's
// confidence that of its best-scoring phrasing. Ties are left undecided: the
// plain scoring adds up a document's score in a random order, so of entries
// (or an entry's phrasings) with equal scores any may come first.
func sameHits(t *testing.T, q string, got []Hit, want refResult) {
	t.Helper()
	if len(got) != len(want.hits) {
		t.Fatalf("%q: %d hits, want %d", q, len(got), len(want.hits))
	}
	for i := range got {
		if !near(got[i].Score, want.hits[i].Score) {
			t.Fatalf("%q: hit %d scores %v, want %v", q, i, got[i].Score, want.hits[i].Score)
		}
	}
	if len(got) == 0 {
		return
	}
	last := want.hits[len(want.hits)-1].Score
	for _, h := range got {
		if near(h.Score, last) && len(want.hits) == want.k {
			continue // the cut-off may fall among equal entries
		}
		confs, ok := want.best[hitKey(h)]
		if !ok || !slices.ContainsFunc(confs, func(c float64) bool { return near(c, h.Confidence) }) {
			t.Fatalf("%q: got %s %+v, want one of confidences %v", q, hitKey(h), h, confs)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(b)) }

func hitKey(h Hit) string {
	if h.FAQ != nil {
		return "faq:" + h.FAQ.ID
	}
	return "article:" + h.Article.ID
}

// refResult is what the plain scoring found: the best k hits and, per entry
// found, the confidences of its phrasings of (nearly) the best score.
type refResult struct {
	hits []Hit
	k    int
	best map[string][]float64
}

func (r refResult) top(k int) refResult {
	r.hits, r.k = r.hits[:min(k, len(r.hits))], k
	return r
}

// refIndex is the search as first written: it scores every phrasing. It
// is kept here to check that faster versions return the same.
type refIndex struct {
	docs  []refDoc
	df    map[string]int
	avgdl float64
}

type refDoc struct {
	hit    Hit
	terms  map[string]int
	len    int
	idfSum float64
}

func newRefIndex(faqs []kefu.FAQ, articles []kefu.Article) *refIndex {
	ix := &refIndex{df: map[string]int{}}
	add := func(h Hit, s string) {
		d := refDoc{hit: h, terms: map[string]int{}}
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

func (ix *refIndex) idf(t string) float64 {
	n := float64(len(ix.docs))
	return math.Log(1 + (n-float64(ix.df[t])+0.5)/(float64(ix.df[t])+0.5))
}

func (ix *refIndex) search(query string, k int) refResult {
	qterms := map[string]bool{}
	for _, t := range text.Terms(query) {
		qterms[t] = true
	}
	totalIDF := 0.0
	for t := range qterms {
		totalIDF += ix.idf(t)
	}
	best := map[string]Hit{}
	all := map[string][]Hit{} // every phrasing that scores, per entry
	for _, d := range ix.docs {
		score, covered := 0.0, 0.0
		for t := range qterms {
			tf := float64(d.terms[t])
			if tf == 0 {
				continue
			}
			score += ix.idf(t) * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*float64(d.len)/ix.avgdl))
			covered += ix.idf(t)
		}
		if score == 0 {
			continue
		}
		h := d.hit
		h.Score, h.Confidence = score, math.Sqrt(covered/totalIDF*covered/d.idfSum)
		key := hitKey(h)
		all[key] = append(all[key], h)
		if prev, ok := best[key]; !ok || score > prev.Score {
			best[key] = h
		}
	}
	res := refResult{k: k, best: map[string][]float64{}}
	for key, h := range best {
		res.hits = append(res.hits, h)
		for _, p := range all[key] {
			if near(p.Score, h.Score) {
				res.best[key] = append(res.best[key], p.Confidence)
			}
		}
	}
	slices.SortFunc(res.hits, func(a, b Hit) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
	return res.top(k)
}
