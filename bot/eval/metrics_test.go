package eval

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// A hand-made confusion: gold a×4 (3 right, 1 as b), gold b×2 (1 right,
// 1 as a), gold c×1 predicted as b.
func TestConfusion(t *testing.T) {
	c := NewConfusion()
	for _, p := range [][2]string{{"a", "a"}, {"a", "a"}, {"a", "a"}, {"a", "b"}, {"b", "b"}, {"b", "a"}, {"c", "b"}} {
		c.Add(p[0], p[1])
	}
	if c.N() != 7 || !near(c.Accuracy(), 4.0/7) {
		t.Errorf("n=%d accuracy=%v", c.N(), c.Accuracy())
	}
	per := c.PerClass()
	// a: predicted 4 times, 3 right → P 3/4; R 3/4.
	if s := per["a"]; !near(s.Precision, 0.75) || !near(s.Recall, 0.75) || !near(s.F1, 0.75) || s.Support != 4 {
		t.Errorf("a: %+v", s)
	}
	// b: predicted 3 times, 1 right → P 1/3; R 1/2; F1 0.4.
	if s := per["b"]; !near(s.Precision, 1.0/3) || !near(s.Recall, 0.5) || !near(s.F1, 0.4) {
		t.Errorf("b: %+v", s)
	}
	if s := per["c"]; s.F1 != 0 || s.Support != 1 {
		t.Errorf("c: %+v", s)
	}
	if !near(c.MacroF1(), (0.75+0.4+0)/3) {
		t.Errorf("macro F1 = %v", c.MacroF1())
	}
}

func TestBinaryAndRanks(t *testing.T) {
	b := Binary([]bool{true, true, false, false}, []bool{true, false, true, false})
	if !near(b.Precision, 0.5) || !near(b.Recall, 0.5) || !near(b.F1, 0.5) {
		t.Errorf("%+v", b)
	}
	r := Ranks{1, 2, 0, 5}
	if !near(r.RecallAt(1), 0.25) || !near(r.RecallAt(5), 0.75) || !near(r.MRR(), (1+0.5+0.2)/4) {
		t.Errorf("R@1 %v R@5 %v MRR %v", r.RecallAt(1), r.RecallAt(5), r.MRR())
	}
}

func TestFoldsStratified(t *testing.T) {
	labels := []string{"a", "a", "a", "a", "a", "b", "b", "b", "b", "b"}
	fold := Folds(labels, 5, 1)
	count := map[[2]int]int{}
	for i, f := range fold {
		count[[2]int{f, int(labels[i][0])}]++
	}
	for f := 0; f < 5; f++ {
		if count[[2]int{f, 'a'}] != 1 || count[[2]int{f, 'b'}] != 1 {
			t.Fatalf("fold %d unbalanced: %v", f, fold)
		}
	}
}

func TestReaders(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	items, err := ReadIntentFile(write("a.jsonl", `{"request":"发票","intent":"invoice","angry":1,"customer_messages":["你好","发票"]}
{"text":"到哪了","intent":"logistics"}
`))
	if err != nil || len(items) != 2 || !items[0].Angry || !items[0].HasAngry || items[1].HasAngry || items[1].Text != "到哪了" {
		t.Errorf("jsonl: %v %+v", err, items)
	}
	items, err = ReadIntentFile(write("b.csv", "flags,instruction,intent\nB,\"cancel, please\",cancel_order\n"))
	if err != nil || len(items) != 1 || items[0].Text != "cancel, please" || items[0].Intent != "cancel_order" {
		t.Errorf("csv: %v %+v", err, items)
	}
	sents, err := ReadSentimentFile(write("s.csv", "cat,label,review\n书,1,好书\n书,0,差\n书,x,skip\n"))
	if err != nil || len(sents) != 2 || !sents[0].Positive || sents[1].Positive {
		t.Errorf("sentiment: %v %+v", err, sents)
	}
	pairs, err := ReadPairs(write("p.tsv", "1\t花呗\t花贝\t1\n2\t借呗\t花呗\t0\n"))
	if err != nil || len(pairs) != 2 || !pairs[0].Same || pairs[1].Same {
		t.Errorf("pairs: %v %+v", err, pairs)
	}
	groups, err := ReadSelection(write("e.tsv", "1\tc1\tc2\tright\n0\tc1\tc2\twrong\n"), 2)
	if err != nil || len(groups) != 1 || len(groups[0].Context) != 2 || !groups[0].Correct[0] {
		t.Errorf("selection: %v %+v", err, groups)
	}
}
