package eval

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"kefu/bot/faq"
	"kefu/bot/intent"
)

// dataDir is shared/data beside the repository: the test runs in
// /work/main/bot/eval, so it is three levels up.
func dataDir(t *testing.T) string {
	dir := filepath.Join("..", "..", "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("evaluation data not found at %s (it lives in shared/data beside the repository): %v", dir, err)
	}
	return dir
}

// TestShippedQualityFloor guards the shipped models against regressions
// on the JDDC dev sessions; it takes about a second.
func TestShippedQualityFloor(t *testing.T) {
	path := filepath.Join(dataDir(t), "jddc", "intent_dev.jsonl")
	rep, err := Intent(path, Shipped, "")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Accuracy < 0.72 {
		t.Errorf("shipped intent accuracy %.3f < 0.72", rep.Accuracy)
	}
	if rep.Angry == nil || rep.Angry.Recall < 0.8 || rep.Angry.Precision < 0.5 {
		t.Errorf("anger %+v, want recall ≥ 0.8 at precision ≥ 0.5", rep.Angry)
	}
}

// TestReportQuality measures every figure in docs/bot-quality.md. It takes
// several minutes, so it runs only with KEFU_BOT_REPORT=1:
//
//	KEFU_BOT_REPORT=1 go test ./bot/eval -run TestReportQuality -v -timeout 60m
func TestReportQuality(t *testing.T) {
	if os.Getenv("KEFU_BOT_REPORT") == "" {
		t.Skip("set KEFU_BOT_REPORT=1 to run the full quality report (several minutes)")
	}
	dir := dataDir(t)
	show := func(name string, v any, start time.Time) {
		b, _ := json.Marshal(v)
		t.Logf("%s (%.1fs): %s", name, time.Since(start).Seconds(), b)
	}
	jddc := filepath.Join(dir, "jddc", "intent_dev.jsonl")
	for _, m := range []Mode{Shipped, CV5} {
		start := time.Now()
		rep, err := Intent(jddc, m, "")
		if err != nil {
			t.Fatal(err)
		}
		show("jddc intent "+string(m), rep, start)
	}
	{
		// In-domain data alone, without kefu's own examples, for reference.
		start := time.Now()
		items, err := ReadIntentFile(jddc)
		if err != nil {
			t.Fatal(err)
		}
		rep := CrossValidateIntent(items, 5, intent.DefaultOptions(), nil, nil)
		rep.Mode = "cv5 dev-only"
		show("jddc intent cv5 without kefu examples", rep, start)
	}
	{
		start := time.Now()
		rep, err := Intent(filepath.Join(dir, "bitext", "bitext_customer_support_dev.csv"), CV5, "")
		if err != nil {
			t.Fatal(err)
		}
		rep.PerClass = nil // 27 classes: too long for the log; macro_f1 sums them up
		show("bitext intent cv5", rep, start)
	}
	for _, name := range []string{"online_shopping_10_cats_dev.csv.gz", "waimai_10k.csv"} {
		for _, m := range []Mode{Shipped, CV5} {
			start := time.Now()
			rep, err := Sentiment(filepath.Join(dir, "sentiment", name), m, "")
			if err != nil {
				t.Fatal(err)
			}
			show("sentiment "+name+" "+string(m), rep, start)
		}
	}
	atec := filepath.Join(dir, "atec", "atec_dev.tsv")
	pairs, err := ReadPairs(atec)
	if err != nil {
		t.Fatal(err)
	}
	{
		start := time.Now()
		show("atec shipped, whole file as index", ScoreFAQ("shipped", pairs, faq.Options{}, nil, nil), start)
		start = time.Now()
		rep := CrossValidateFAQ(pairs, 5, faq.Options{UnigramWeight: 1e-9}, false, faq.SynonymOptions{}, false)
		rep.Mode += " bigram-only baseline"
		show("atec cv5 bigram-only BM25", rep, start)
		start = time.Now()
		show("atec cv5 BM25 (unigram+bigram)", CrossValidateFAQ(pairs, 5, faq.Options{}, false, faq.SynonymOptions{}, false), start)
		start = time.Now()
		show("atec cv5 +synonyms", CrossValidateFAQ(pairs, 5, faq.Options{}, true, faq.SynonymOptions{}, false), start)
		start = time.Now()
		rep, err = FAQ(atec, CV5, "")
		if err != nil {
			t.Fatal(err)
		}
		show("atec cv5 +synonyms+reranker", rep, start)
	}
	{
		start := time.Now()
		rep, err := Selection(filepath.Join(dir, "ecd", "ecd_dev.tsv"), Shipped)
		if err != nil {
			t.Fatal(err)
		}
		show("ecd selection", rep, start)
	}
}
