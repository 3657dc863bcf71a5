package classify

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func docs() []Doc {
	var d []Doc
	for _, s := range []string{"a b c", "a b", "a c", "a"} {
		d = append(d, Doc{Features: strings.Fields(s), Label: "A"})
	}
	for _, s := range []string{"x y z", "x y", "y z", "z"} {
		d = append(d, Doc{Features: strings.Fields(s), Label: "X"})
	}
	return d
}

func TestTrainPredict(t *testing.T) {
	m := Train(docs(), Options{Epochs: 20})
	if l, p := m.Predict([]string{"a", "b"}); l != "A" || p < 0.6 {
		t.Errorf("Predict(a b) = %s %.2f, want A", l, p)
	}
	if l, _ := m.Predict([]string{"z"}); l != "X" {
		t.Errorf("Predict(z) = %s, want X", l)
	}
	var sum float64
	for _, p := range m.Probabilities([]string{"unknown"}) {
		sum += p
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("probabilities sum to %v", sum)
	}
}

func TestSaveLoad(t *testing.T) {
	m := Train(docs(), Options{Epochs: 20, IDF: true})
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range [][]string{{"a"}, {"x", "y"}, {"b", "z"}} {
		p1, p2 := m.Probabilities(f), m2.Probabilities(f)
		for i := range p1 {
			if math.Abs(p1[i]-p2[i]) > 1e-12 {
				t.Fatalf("loaded model differs on %v: %v vs %v", f, p1, p2)
			}
		}
	}
	if _, err := Load(strings.NewReader("not a model")); err == nil {
		t.Error("Load accepted garbage")
	}
}

func TestPrune(t *testing.T) {
	m := Train(docs(), Options{Epochs: 20})
	before := len(m.Vocab)
	m.Prune(1e9)
	if len(m.Vocab) != 0 || before == 0 {
		t.Errorf("Prune(huge) left %d of %d features", len(m.Vocab), before)
	}
	if l, _ := m.Predict([]string{"a"}); l == "" {
		t.Error("pruned model predicts nothing")
	}
}
