package sla_test

import (
	"context"
	"runtime"
	"syscall"
	"testing"
	"time"

	"kefu"
	"kefu/app/apptest"
	"kefu/store"
	"kefu/store/storetest"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkHold100kSLAClocks loads 100,000 open conversations with running
// SLA clocks into SQLite, starts the SLA timers and idles for 5 seconds. It
// reports the start-up time, the heap, and the CPU used while idle: there
// is no polling, so the last should be near zero. Run it alone:
//
//	go test ./sla/ -run '^$' -bench Hold100k -benchtime 1x
func BenchmarkHold100kSLAClocks(b *testing.B) {
	db := storetest.Open(b, store.SQLite)
	ctx := context.Background()
	now := time.Now().Truncate(time.Millisecond)
	a := apptest.Open(b, db, kefu.SystemClock{})
	if _, err := db.SQL().Exec(`INSERT INTO inboxes (id, name, channel, website_token, identity_secret, created_at, updated_at)
		VALUES ('inbox', '官网', 'webchat', 'token', 'secret', 0, 0)`); err != nil {
		b.Fatal(err)
	}
	if _, err := db.SQL().Exec(`INSERT INTO contacts (id, key_id, created_at, updated_at) VALUES ('contact', 1, 0, 0)`); err != nil {
		b.Fatal(err)
	}
	// The 24-hour policy: every warning and breach is hours away, so the
	// timers wait; none fire during the measurement.
	policies, _ := db.SLAPolicies(ctx)
	policy := policies[len(policies)-1]
	err := db.InTx(ctx, func(q *store.Queries) error {
		for i := range 100000 {
			at := now.Add(-time.Duration(i%600) * time.Second)
			due := at.Add(time.Duration(policy.FirstResponseMinutes) * time.Minute)
			c := kefu.Conversation{ID: kefu.NewID(), InboxID: "inbox", ContactID: "contact", Channel: kefu.ChannelWebchat, Status: kefu.StatusOpen,
				Priority: "normal", Labels: []string{}, CreatedAt: at, LastMessageAt: at, UpdatedAt: at}
			if err := q.InsertConversation(ctx, c); err != nil {
				return err
			}
			resolution := at.Add(time.Duration(policy.ResolutionMinutes) * time.Minute)
			c.SLAPolicyID, c.SLARunningSince, c.FirstResponseDue, c.ResolutionDue = policy.ID, &at, &due, &resolution
			c.SLAFired = []string{}
			if _, err := q.SetSLA(ctx, c, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		if err := a.SLA.Start(ctx); err != nil {
			b.Fatal(err)
		}
		loaded := time.Since(start)
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		before := cpuTime()
		time.Sleep(5 * time.Second)
		idle := cpuTime() - before
		a.SLA.Stop()
		b.ReportMetric(float64(a.SLA.Timers()), "timers")
		b.ReportMetric(loaded.Seconds(), "start_s")
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap_MiB")
		b.ReportMetric(float64(idle.Microseconds())/1000, "idle_cpu_ms/5s")
	}
}
