// Package storetest opens real, migrated, throw-away databases for tests:
// a SQLite file in a temporary directory and a fresh PostgreSQL database.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"

	"kefu/store"
)

// Backends are the database kinds every store-backed test runs on.
var Backends = []store.Dialect{store.SQLite, store.Postgres}

// Each runs fn once per backend as a subtest, each with a fresh database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, b := range Backends {
		t.Run(string(b), func(t *testing.T) {
			fn(t, Open(t, b))
		})
	}
}

// Open returns a migrated database of the given kind, removed after the test.
//
// PostgreSQL comes from KEFU_TEST_POSTGRES_URL. Without it the test is skipped
// with the reason, except in CI (CI=true), where a missing PostgreSQL fails.
func Open(t testing.TB, d store.Dialect) *store.DB {
	t.Helper()
	ctx := context.Background()
	var db *store.DB
	var err error
	switch d {
	case store.SQLite:
		db, err = store.Open(ctx, "", t.TempDir())
	case store.Postgres:
		db, err = store.Open(ctx, PostgresURL(t), "")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// PostgresURL creates an empty PostgreSQL database for the test and returns
// its URL; the database is dropped when the test ends.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("KEFU_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("KEFU_TEST_POSTGRES_URL is not set; in CI the PostgreSQL half of the store tests must run")
		}
		t.Skip("skipping PostgreSQL: set KEFU_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run it")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	name := "kefu_test_" + hex.EncodeToString(suffix)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database (KEFU_TEST_POSTGRES_URL=%s): %v", base, err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		if _, err := a.Exec(fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name)); err != nil {
			t.Logf("drop %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
