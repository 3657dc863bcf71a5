package sentiment_test

import (
	"bytes"
	"strings"
	"testing"

	"kefu/bot/sentiment"
	"kefu/bot/shipped"
)

const lexiconText = `# test lexicon
+ 好吃
+ 满意
- 慢
! 不
^ 但是
`

func TestLexiconNegationAndContrast(t *testing.T) {
	lx, err := sentiment.ParseLexicon(strings.NewReader(lexiconText))
	if err != nil {
		t.Fatal(err)
	}
	if pos, neg := lx.Score("很好吃"); pos != 1 || neg != 0 {
		t.Errorf("好吃: %v %v", pos, neg)
	}
	if pos, neg := lx.Score("不好吃"); pos != 0 || neg != 1 {
		t.Errorf("不好吃: %v %v", pos, neg)
	}
	// After 但是 the verdict counts more than before it.
	if pos, neg := lx.Score("好吃，但是送餐太慢"); neg <= pos {
		t.Errorf("contrast: pos %v neg %v", pos, neg)
	}
	if _, err := sentiment.ParseLexicon(strings.NewReader("x")); err == nil {
		t.Error("bad line accepted")
	}
}

func TestShippedModel(t *testing.T) {
	m, err := shipped.SentimentModel()
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]bool{
		"质量很好，物流也快，非常满意":    true,
		"东西不错，下次还来":         true,
		"太差了，用了两天就坏了，不推荐":   false,
		"送餐慢，饭都凉了":          false,
		"一点都不好吃":            false,
		"包装破损，很失望":          false,
		"客服态度很好，耐心解答，给五星好评": true,
	} {
		if got, p := m.Predict(text); got != want {
			t.Errorf("Predict(%q) = %v (%.2f), want %v", text, got, p, want)
		}
	}
}

func TestTrainSaveLoad(t *testing.T) {
	lx, _ := sentiment.ParseLexicon(strings.NewReader(lexiconText))
	ex := []sentiment.Example{
		{Text: "很好吃，很满意", Positive: true},
		{Text: "好吃", Positive: true},
		{Text: "太慢了", Positive: false},
		{Text: "不好吃", Positive: false},
	}
	m := sentiment.Train(ex, lx, sentiment.Options{})
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := sentiment.Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"好吃", "不好吃", "慢", "还行"} {
		a, p := m.Predict(text)
		b, q := m2.Predict(text)
		if a != b || p != q {
			t.Errorf("%q: %v %.4f vs loaded %v %.4f", text, a, p, b, q)
		}
	}
}
