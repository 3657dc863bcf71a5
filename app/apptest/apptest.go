// Package apptest builds a kefu App on a test database: the services
// wired as in production, a throw-away data directory, a silent log.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"kefu"
	"kefu/app"
	"kefu/config"
	"kefu/store"
)

// Open returns an App on db with the given clock.
func Open(t testing.TB, db *store.DB, clock kefu.Clock) *app.App {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	a, err := app.OpenDB(context.Background(), cfg, clock, slog.New(slog.NewTextHandler(io.Discard, nil)), db)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
