package deadline_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"
	"time"

	"kefu/deadline"
)

// benchKeys is the number of keys held in the benchmarks: the SLA timers of
// 100,000 open conversations.
const benchKeys = 100_000

var idleFor = flag.Duration("idle", 3*time.Second, "how long BenchmarkIdle100k idles")

// makeKeys returns n distinct keys shaped like the real ones: a prefix and a
// conversation's UUID, 40 bytes.
func makeKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("sla/%08x-0000-4000-8000-%012x", i, i)
	}
	return keys
}

// randomDeadlines returns n deadlines spread over the 48 hours after base,
// to the millisecond.
func randomDeadlines(rng *rand.Rand, base time.Time, n int) []time.Time {
	ats := make([]time.Time, n)
	for i := range ats {
		ats[i] = base.Add(time.Duration(rng.Int64N(int64(48*time.Hour/time.Millisecond))) * time.Millisecond)
	}
	return ats
}

// full returns a stopped scheduler holding a random deadline for every key.
func full(rng *rand.Rand, keys []string) *deadline.Scheduler {
	s := deadline.New(time.Now, func(string, time.Time) {})
	for i, at := range randomDeadlines(rng, time.Now(), len(keys)) {
		s.Set(keys[i], at)
	}
	return s
}

// BenchmarkSet moves a random key of 100,000 to a random deadline in the next
// 48 hours: a map lookup and a heap fix.
func BenchmarkSet(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	keys := makeKeys(benchKeys)
	s := full(rng, keys)
	const m = 1 << 16
	ats := randomDeadlines(rng, time.Now(), m)
	which := make([]int, m)
	for i := range which {
		which[i] = rng.IntN(len(keys))
	}
	for i := 0; b.Loop(); i++ {
		s.Set(keys[which[i%m]], ats[i%m])
	}
}

// BenchmarkSetNew adds keys to a scheduler holding 100,000: a map insert, an
// allocation and a heap push. Keys are cancelled again, outside the timing,
// so the scheduler stays at that size.
func BenchmarkSetNew(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 2))
	keys := makeKeys(benchKeys + 10_000)
	s := full(rng, keys[:benchKeys])
	extra := keys[benchKeys:]
	ats := randomDeadlines(rng, time.Now(), len(extra))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; {
		for j := 0; j < len(extra) && i < b.N; j, i = j+1, i+1 {
			s.Set(extra[j], ats[j])
		}
		b.StopTimer()
		for _, k := range extra {
			s.Cancel(k)
		}
		b.StartTimer()
	}
}

// BenchmarkCancel cancels random keys of a scheduler holding 100,000, in
// batches of 10,000 that are set again outside the timing, so each Cancel
// sees 90,000 to 100,000 keys.
func BenchmarkCancel(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 3))
	keys := makeKeys(benchKeys)
	s := full(rng, keys)
	ats := randomDeadlines(rng, time.Now(), len(keys))
	const batch = 10_000
	b.ResetTimer()
	for i := 0; i < b.N; {
		b.StopTimer()
		chosen := make([]int, 0, batch)
		for _, k := range rng.Perm(len(keys))[:batch] {
			chosen = append(chosen, k)
			s.Set(keys[k], ats[k])
		}
		b.StartTimer()
		for j := 0; j < batch && i < b.N; j, i = j+1, i+1 {
			s.Cancel(keys[chosen[j]])
		}
	}
}

// BenchmarkRunDue fires keys through RunDue while 90,000 others wait: the
// heap pop and the bookkeeping per fired key, with a fire that does nothing.
func BenchmarkRunDue(b *testing.B) {
	rng := rand.New(rand.NewPCG(4, 4))
	keys := makeKeys(benchKeys)
	const batch = 10_000
	s := full(rng, keys[batch:])
	due := keys[:batch]
	b.ResetTimer()
	for i := 0; i < b.N; {
		b.StopTimer()
		n := min(batch, b.N-i)
		past := time.Now().Add(-time.Hour)
		for j := range n {
			s.Set(due[j], past.Add(time.Duration(rng.IntN(3600))*time.Second))
		}
		b.StartTimer()
		i += s.RunDue()
	}
}

// BenchmarkIdle100k measures what 100,000 pending deadlines cost while
// nothing is due: the heap they hold and the process CPU time (user + system,
// from getrusage) over -idle of idling with the scheduler running. Each
// iteration idles for -idle, so run it as
//
//	go test ./deadline/ -run '^$' -bench Idle100k -benchtime 1x
//
// Reported per iteration: cpu-ms (expected near zero), heap-MB and B/key
// (heap in use after GC, the key strings excluded: callers usually share
// them with their own records), keys-MB (the 40-byte key strings and the
// slice holding them, for comparison) and
// wake-ups of the goroutine (0 for idling under a minute, then one a
// minute).
func BenchmarkIdle100k(b *testing.B) {
	var before, after runtime.MemStats
	keys := makeKeys(benchKeys)
	runtime.GC()
	runtime.ReadMemStats(&before)

	rng := rand.New(rand.NewPCG(5, 5))
	s := deadline.New(time.Now, func(string, time.Time) { b.Error("a deadline an hour away fired") })
	base := time.Now().Add(time.Hour)
	for _, k := range keys {
		s.Set(k, base.Add(time.Duration(rng.IntN(60_000))*time.Millisecond))
	}
	s.Start()
	defer s.Stop()
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := float64(after.HeapInuse) - float64(before.HeapInuse)

	// The key strings on their own, for comparison.
	runtime.KeepAlive(keys)
	var k0, k1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&k0)
	copies := makeKeys(benchKeys)
	runtime.GC()
	runtime.ReadMemStats(&k1)
	keyHeap := float64(k1.HeapInuse) - float64(k0.HeapInuse)
	runtime.KeepAlive(copies)
	copies = nil
	runtime.GC()

	wakes := s.Wakes()
	var cpu time.Duration
	b.ResetTimer()
	for range b.N {
		start := cpuTime(b)
		time.Sleep(*idleFor)
		cpu += cpuTime(b) - start
	}
	b.StopTimer()

	if s.Len() != benchKeys {
		b.Fatalf("Len() = %d, want %d", s.Len(), benchKeys)
	}
	b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms")
	b.ReportMetric(float64(s.Wakes()-wakes)/float64(b.N), "wakeups")
	b.ReportMetric(heap/1e6, "heap-MB")
	b.ReportMetric(heap/benchKeys, "B/key")
	b.ReportMetric(keyHeap/1e6, "keys-MB")
	b.Logf("idled %v per iteration; HeapAlloc after GC %.1f MB, Sys %.1f MB",
		*idleFor, float64(after.HeapAlloc)/1e6, float64(after.Sys)/1e6)
}

// cpuTime returns the user plus system CPU time the process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
