package faq

import (
	"fmt"
	"math/rand"
	"runtime"
	"sort"
	"testing"
	"time"
)

// syntheticFAQ makes n distinct FAQ-like questions from customer-service
// vocabulary, so the benchmark needs no data files.
func syntheticFAQ(n int, seed int64) []string {
	subjects := []string{"花呗", "借呗", "订单", "快递", "发票", "优惠券", "退款", "白条", "会员", "账号", "空调", "手机", "冰箱", "洗衣机", "电视", "余额", "积分", "价保", "售后", "地址"}
	verbs := []string{"怎么", "如何", "为什么不能", "能不能", "什么时候", "在哪里", "可不可以", "为啥"}
	actions := []string{"还款", "开通", "取消", "修改", "申请", "查询", "退回", "提现", "使用", "关闭", "绑定", "安装", "维修", "分期", "延期", "补开", "到账", "提升额度", "更换", "投诉"}
	tails := []string{"", "呢", "啊", "？", "了", "吗", "，急", "，谢谢", "，在线等"}
	rng := rand.New(rand.NewSource(seed))
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		q := subjects[rng.Intn(len(subjects))] + verbs[rng.Intn(len(verbs))] + actions[rng.Intn(len(actions))]
		if rng.Intn(2) == 0 {
			q = subjects[rng.Intn(len(subjects))] + "的" + q
		}
		q += tails[rng.Intn(len(tails))]
		if rng.Intn(3) == 0 {
			q += fmt.Sprintf("%d", rng.Intn(1000))
		}
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	return out
}

func BenchmarkSearch(b *testing.B) {
	s := Index(syntheticFAQ(10000, 1))
	queries := syntheticFAQ(1000, 2)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Search(queries[i%len(queries)], 5)
	}
}

func BenchmarkIndex10k(b *testing.B) {
	entries := syntheticFAQ(10000, 1)
	for i := 0; i < b.N; i++ {
		Index(entries)
	}
}

// TestSearchLatency checks the answer-latency goal: p99 under 5 ms for one
// query against 10,000 entries. It also reports the index's memory.
func TestSearchLatency(t *testing.T) {
	if testing.Short() {
		t.Skip("latency measurement skipped in -short mode")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := Index(syntheticFAQ(10000, 1))
	runtime.GC()
	runtime.ReadMemStats(&after)
	queries := syntheticFAQ(2000, 2)
	lat := make([]time.Duration, len(queries))
	for i, q := range queries {
		start := time.Now()
		s.Search(q, 5)
		lat[i] = time.Since(start)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
	t.Logf("10,000 entries: index heap ≈ %d KiB; search p50 %v, p99 %v", (int64(after.HeapAlloc)-int64(before.HeapAlloc))/1024, p50, p99)
	if p99 > 5*time.Millisecond {
		t.Errorf("p99 %v > 5ms", p99)
	}
	runtime.KeepAlive(s)
}
