package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"kefu"
	"kefu/store"
	"kefu/store/storetest"
)

func TestStoreOnBothBackends(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		// Migrations are idempotent.
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.PutRole(ctx, kefu.Role{Name: "agent", Permissions: []kefu.Permission{kefu.PermContactsView}}, now); err != nil {
			t.Fatal(err)
		}
		u := kefu.User{ID: kefu.NewID(), Email: "Li.Na@Example.com", Name: "李娜", Role: "agent", PasswordHash: "x", CreatedAt: now}
		if err := db.InsertUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		// A duplicate email is a conflict, the same on both databases.
		u2 := u
		u2.ID = kefu.NewID()
		if err := db.InsertUser(ctx, u2); kefu.ErrorCode(err) != kefu.ECONFLICT {
			t.Fatalf("duplicate email: %v", err)
		}
		got, err := db.UserByEmail(ctx, " li.na@example.com")
		if err != nil || got.ID != u.ID || got.Name != "李娜" || !got.CreatedAt.Equal(now) {
			t.Fatalf("by email: %+v %v", got, err)
		}
		if _, err := db.User(ctx, "missing"); kefu.ErrorCode(err) != kefu.ENOTFOUND {
			t.Fatalf("missing user: %v", err)
		}
		// A foreign key to a missing role is refused.
		bad := kefu.User{ID: kefu.NewID(), Email: "x@example.com", Name: "x", Role: "nope", PasswordHash: "x", CreatedAt: now}
		if err := db.InsertUser(ctx, bad); err == nil {
			t.Fatal("user with an unknown role stored")
		}
		// The TOTP step only moves forward, so a code cannot be used twice.
		if ok, err := db.AdvanceTOTPStep(ctx, u.ID, 100); !ok || err != nil {
			t.Fatalf("first step: %v %v", ok, err)
		}
		if ok, _ := db.AdvanceTOTPStep(ctx, u.ID, 100); ok {
			t.Fatal("the same step accepted twice")
		}
		// Transactions roll back on error.
		err = db.InTx(ctx, func(q *store.Queries) error {
			if err := q.PutSetting(ctx, "k", `"v"`, now); err != nil {
				return err
			}
			return kefu.Errorf(kefu.EINVALID, "stop")
		})
		if kefu.ErrorCode(err) != kefu.EINVALID {
			t.Fatal(err)
		}
		if s, _ := db.Settings(ctx); s["k"] != "" {
			t.Fatal("a rolled-back write is visible")
		}
	})
}

func TestBatchCommitsEachItemOnItsOwn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now()
		var wg sync.WaitGroup
		errs := make([]error, 40)
		for i := range errs {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				errs[i] = db.Batch(ctx, func(q *store.Queries) error {
					if err := q.PutSetting(ctx, fmt.Sprint("k", i), `"v"`, now); err != nil {
						return err
					}
					if i%5 == 0 {
						return kefu.Errorf(kefu.EINVALID, "item %d fails", i) // its write must not commit
					}
					return nil
				})
			}(i)
		}
		wg.Wait()
		settings, err := db.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i, err := range errs {
			_, stored := settings[fmt.Sprint("k", i)]
			if i%5 == 0 && (kefu.ErrorCode(err) != kefu.EINVALID || stored) {
				t.Fatalf("failing item %d: err %v, stored %v", i, err, stored)
			}
			if i%5 != 0 && (err != nil || !stored) {
				t.Fatalf("item %d: err %v, stored %v", i, err, stored)
			}
		}
	})
}
