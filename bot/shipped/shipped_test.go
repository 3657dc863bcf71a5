package shipped

import (
	"bytes"
	"runtime"
	"testing"
	"time"

	"kefu/bot/intent"
	"kefu/bot/sentiment"
)

func TestEnoughExamplesPerIntent(t *testing.T) {
	ex, err := IntentExamples()
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	seen := map[string]bool{}
	for _, e := range ex {
		count[e.Intent]++
		if seen[e.Text] {
			t.Errorf("duplicate example %q", e.Text)
		}
		seen[e.Text] = true
	}
	for _, l := range intent.Labels {
		if count[l] < 40 {
			t.Errorf("intent %s has %d examples, want ≥ 40", l, count[l])
		}
	}
	if len(count) != len(intent.Labels) {
		t.Errorf("examples use %d intents, taxonomy has %d", len(count), len(intent.Labels))
	}
	sx, err := SentimentExamples()
	if err != nil || len(sx) < 50 {
		t.Errorf("sentiment examples: %d, %v", len(sx), err)
	}
}

func TestModelsBuild(t *testing.T) {
	if _, err := IntentModel(); err != nil {
		t.Fatal(err)
	}
	if _, err := SentimentModel(); err != nil {
		t.Fatal(err)
	}
	d, err := AngerDetector()
	if err != nil {
		t.Fatal(err)
	}
	if angry, _ := d.Angry([]string{"你们这服务太差了，我要投诉到12315！！！"}); !angry {
		t.Error("shipped anger detector missed an obvious case")
	}
}

// TestModelFootprint reports how long the saved models take to load and
// how much memory the loaded models hold (runtime.MemStats before and
// after, with garbage collected).
func TestModelFootprint(t *testing.T) {
	im, _ := IntentModel()
	sm, _ := SentimentModel()
	var ib, sb bytes.Buffer
	if err := im.Save(&ib); err != nil {
		t.Fatal(err)
	}
	if err := sm.Save(&sb); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	im2, err := intent.Load(bytes.NewReader(ib.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	sm2, err := sentiment.Load(bytes.NewReader(sb.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	load := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("saved sizes: intent %d bytes, sentiment %d bytes; load both %v; heap held by loaded models ≈ %d KiB",
		ib.Len(), sb.Len(), load, heap/1024)
	if load > 200*time.Millisecond {
		t.Errorf("loading took %v, want < 200ms", load)
	}
	runtime.KeepAlive(im2)
	runtime.KeepAlive(sm2)
}

func BenchmarkPredictIntent(b *testing.B) {
	m, err := IntentModel()
	if err != nil {
		b.Fatal(err)
	}
	texts := []string{"我的快递到哪了，三天了还没到", "发票抬头写错了能重开吗", "买了就降价，能价保吗",
		"订单号 7720034411 帮我改一下地址，还没发货", "I want to return this item, it doesn't fit"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Predict(texts[i%len(texts)])
	}
}

func BenchmarkAngry(b *testing.B) {
	d, _ := AngerDetector()
	msgs := []string{"你好", "我的快递怎么还没到", "都等了三天了，快点啊", "你们这服务太差了!!!"}
	for i := 0; i < b.N; i++ {
		d.Angry(msgs)
	}
}

func BenchmarkPredictSentiment(b *testing.B) {
	m, _ := SentimentModel()
	for i := 0; i < b.N; i++ {
		m.Predict("东西不错，就是物流有点慢，包装也一般")
	}
}

func BenchmarkLoadIntentModel(b *testing.B) {
	m, _ := IntentModel()
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := intent.Load(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildShippedIntentModel(b *testing.B) {
	ex, _ := IntentExamples()
	for i := 0; i < b.N; i++ {
		intent.Train(ex, IntentOptions())
	}
}
