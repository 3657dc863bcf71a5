package audit_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"kefu"
	"kefu/audit"
	"kefu/store"
	"kefu/store/storetest"
)

func newLog(t *testing.T, db *store.DB) (*audit.Log, *kefu.FixedClock, context.Context) {
	clock := &kefu.FixedClock{T: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)}
	ctx := kefu.NewContext(context.Background(), &kefu.Actor{UserID: "u1", Name: "审计员", IP: "10.0.0.1",
		Permissions: []kefu.Permission{kefu.PermAuditRead}})
	return &audit.Log{DB: db, Clock: clock}, clock, ctx
}

func appendN(t *testing.T, l *audit.Log, ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		if err := l.Append(ctx, kefu.AuditEntry{Action: kefu.AuditPIIReveal, TargetType: "contact", TargetID: "c1",
			Detail: map[string]any{"field": "phone", "i": i}}); err != nil {
			t.Fatal(err)
		}
	}
}

func verify(t *testing.T, l *audit.Log, ctx context.Context) audit.VerifyResult {
	t.Helper()
	res, err := l.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestChainDetectsTampering(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		l, _, ctx := newLog(t, db)
		appendN(t, l, ctx, 5)
		if res := verify(t, l, ctx); !res.OK || res.Checked != 5 {
			t.Fatalf("fresh chain: %+v", res)
		}

		// Altering a row breaks the chain at that row.
		if _, err := db.SQL().Exec(`UPDATE audit_log SET actor_name = 'mallory' WHERE seq = 3`); err != nil {
			t.Fatal(err)
		}
		if res := verify(t, l, ctx); res.OK || res.BrokenSeq != 3 {
			t.Fatalf("after altering seq 3: %+v", res)
		}
		// Restoring the field restores the chain (the hash covers contents only).
		if _, err := db.SQL().Exec(`UPDATE audit_log SET actor_name = '审计员' WHERE seq = 3`); err != nil {
			t.Fatal(err)
		}
		if res := verify(t, l, ctx); !res.OK {
			t.Fatalf("after restoring: %+v", res)
		}

		// Removing a row in the middle is found at the gap.
		if _, err := db.SQL().Exec(`DELETE FROM audit_log WHERE seq = 2`); err != nil {
			t.Fatal(err)
		}
		if res := verify(t, l, ctx); res.OK || res.BrokenSeq != 2 {
			t.Fatalf("after deleting seq 2: %+v", res)
		}
	})
}

func TestChainDetectsRemovedNewest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		l, _, ctx := newLog(t, db)
		appendN(t, l, ctx, 3)
		if _, err := db.SQL().Exec(`DELETE FROM audit_log WHERE seq = 3`); err != nil {
			t.Fatal(err)
		}
		if res := verify(t, l, ctx); res.OK || res.BrokenSeq != 3 {
			t.Fatalf("after deleting the newest: %+v", res)
		}
	})
}

func TestConcurrentAppendsKeepOneChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		l, _, ctx := newLog(t, db)
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 10; i++ {
					errs <- l.Append(ctx, kefu.AuditEntry{Action: kefu.AuditLogin})
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if res := verify(t, l, ctx); !res.OK || res.Checked != 40 {
			t.Fatalf("%+v", res)
		}
	})
}

func TestPruneKeepsChainVerifiable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		l, clock, ctx := newLog(t, db)
		appendN(t, l, ctx, 3)
		clock.Advance(200 * 24 * time.Hour)
		appendN(t, l, ctx, 2)
		// A retention below the legal floor is raised to it: nothing younger than 183 days goes.
		n, err := l.Prune(ctx, 30)
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Fatalf("pruned %d, want the 3 entries older than 183 days", n)
		}
		if res := verify(t, l, ctx); !res.OK || res.Checked != 2 {
			t.Fatalf("%+v", res)
		}
	})
}

func TestReadingNeedsPermission(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	l, _, _ := newLog(t, db)
	agent := kefu.NewContext(context.Background(), &kefu.Actor{UserID: "a", Permissions: []kefu.Permission{kefu.PermContactsView}})
	if _, err := l.List(agent, kefu.AuditFilter{}); kefu.ErrorCode(err) != kefu.EFORBIDDEN {
		t.Fatalf("List: %v", err)
	}
	if _, err := l.Verify(agent); kefu.ErrorCode(err) != kefu.EFORBIDDEN {
		t.Fatalf("Verify: %v", err)
	}
}
