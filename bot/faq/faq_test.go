package faq

import (
	"bytes"
	"math"
	"testing"
)

var faqs = []string{
	"花呗怎么还款",
	"借呗的额度怎么提升",
	"花呗可以分期付款吗",
	"如何修改收货地址",
	"发票怎么开",
	"退货运费谁承担",
}

func TestSearchRanksRightFAQFirst(t *testing.T) {
	s := Index(faqs)
	for q, want := range map[string]int{
		"怎么还花呗的钱":     0,
		"借呗额度能提高吗":    1,
		"花呗能分期吗":      2,
		"收货地址填错了怎么修改": 3,
		"我要开发票":       4,
		"退货的运费要我出吗":   5,
	} {
		hits := s.Search(q, 3)
		if len(hits) == 0 || hits[0].Index != want {
			t.Errorf("Search(%q) = %v, want %q first", q, hits, faqs[want])
		}
	}
	if hits := s.Search("", 3); len(hits) != 0 {
		t.Errorf("empty query gave %v", hits)
	}
	if hits := s.Search("花呗", 1); len(hits) != 1 {
		t.Errorf("k=1 gave %d hits", len(hits))
	}
}

func TestEditSimilarity(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want float64
	}{
		{"花呗还款", "花呗还款", 1},
		{"花呗还款", "花贝还款", 0.75},
		{"", "", 1},
		{"abc", "", 0},
	} {
		a, b := splitRunes(c.a), splitRunes(c.b)
		if got := EditSimilarity(a, b); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("EditSimilarity(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func splitRunes(s string) []string {
	var out []string
	for _, r := range s {
		out = append(out, string(r))
	}
	return out
}

func TestSynonymsHelpTypos(t *testing.T) {
	var pairs [][2]string
	for _, p := range [][2]string{
		{"花贝怎么还", "花呗怎么还款"}, {"花贝额度", "花呗额度"}, {"花贝逾期", "花呗逾期了"},
		{"我的花贝", "我的花呗"}, {"花贝分期", "花呗分期"},
	} {
		pairs = append(pairs, p)
	}
	syn := LearnSynonyms(pairs, SynonymOptions{MinCount: 3})
	found := false
	for _, s := range syn.Terms["贝"] {
		if s.Term == "呗" {
			found = true
		}
	}
	if !found {
		t.Fatalf("贝 -> 呗 not learned: %v", syn.Terms["贝"])
	}
	var buf bytes.Buffer
	if err := syn.Save(&buf); err != nil {
		t.Fatal(err)
	}
	syn2, err := LoadSynonyms(&buf)
	if err != nil || syn2.Len() != syn.Len() {
		t.Fatalf("round trip: %v, %d vs %d", err, syn2.Len(), syn.Len())
	}
	s := Index([]string{"借呗怎么还款", "花呗怎么开通"}).WithSynonyms(syn2)
	if hits := s.Search("花贝开通", 1); len(hits) == 0 || hits[0].Index != 1 {
		t.Errorf("typo query: %v", hits)
	}
}

func TestReranker(t *testing.T) {
	var pairs [][2]string
	for i := 0; i < 5; i++ {
		pairs = append(pairs, [2]string{"花呗怎么还钱", "花呗如何还款"}, [2]string{"借呗怎么还钱", "借呗如何还款"},
			[2]string{"花呗额度多少", "花呗额度是多少"}, [2]string{"借呗额度多少", "借呗额度是多少"})
	}
	rr := TrainReranker(pairs, Options{}, RerankOptions{Depth: 4})
	var buf bytes.Buffer
	if err := rr.Save(&buf); err != nil {
		t.Fatal(err)
	}
	rr2, err := LoadReranker(&buf)
	if err != nil {
		t.Fatal(err)
	}
	s := Index([]string{"借呗如何还款", "花呗如何还款"}).WithReranker(rr2)
	if hits := s.Search("花呗怎么还钱", 2); len(hits) == 0 || hits[0].Index != 1 {
		t.Errorf("reranked: %v", hits)
	}
}

func TestResponseScorer(t *testing.T) {
	rs := NewResponseScorer([]string{"亲 在的", "亲 发 顺丰 哦", "亲 可以 开 发票", "好的 亲"})
	scores := rs.Score([]string{"你好", "能 开 发票 吗"}, []string{"亲 发 顺丰 哦", "亲 可以 开 发票"})
	if scores[1] <= scores[0] {
		t.Errorf("scores %v", scores)
	}
}
