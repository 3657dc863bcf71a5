package backup_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"kefu"
	"kefu/app"
	"kefu/backup"
	"kefu/config"
	"kefu/demo"
	"kefu/store"
)

func TestBackupRestoreComparesEveryTable(t *testing.T) {
	ctx := context.Background()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	a, err := app.Open(ctx, cfg, kefu.SystemClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := demo.Seed(ctx, a); err != nil {
		t.Fatal(err)
	}

	// Keep writing while the backup runs: it must still be one consistent snapshot.
	stop := make(chan struct{})
	done := make(chan error)
	go func() {
		sys := app.System(ctx, "test writer")
		for i := 0; ; i++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			if _, err := a.Contacts.Create(sys, kefu.Contact{Name: fmt.Sprintf("客户%d", i), Phone: fmt.Sprintf("1380000%04d", i)}); err != nil {
				done <- err
				return
			}
		}
	}()
	out := filepath.Join(t.TempDir(), "kefu-backup.db")
	err = backup.Create(ctx, a.DB, out)
	close(stop)
	if werr := <-done; werr != nil {
		t.Fatal(werr)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := backup.Create(ctx, a.DB, out); kefu.ErrorCode(err) != kefu.EINVALID {
		t.Fatalf("backing up over an existing file: %v", err)
	}

	// Snapshot the source as of now, minus what was written after the backup:
	// compare the backup against itself restored, and its audit chain must verify.
	restored := t.TempDir()
	if err := backup.Restore(ctx, out, restored, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := backup.Restore(ctx, out, restored, false, time.Now()); kefu.ErrorCode(err) != kefu.ECONFLICT {
		t.Fatalf("restore over an existing database without --force: %v", err)
	}
	src, err := sql.Open("sqlite", "file:"+out+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := store.OpenSQLiteFile(ctx, filepath.Join(restored, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	tables := tableNames(t, src)
	if len(tables) < 10 {
		t.Fatalf("only %d tables in the backup: %v", len(tables), tables)
	}
	for _, table := range tables {
		want, got := dump(t, src, table), dump(t, dst.SQL(), table)
		if !reflect.DeepEqual(want, got) {
			t.Errorf("table %s differs after restore: %d rows vs %d", table, len(want), len(got))
		}
	}
	if n := len(dump(t, src, "contacts")); n < 12 {
		t.Fatalf("backup holds %d contacts, want at least the 12 demo ones", n)
	}

	// The restored copy opens as a working kefu with the same master key.
	cfg2 := cfg
	cfg2.DataDir = restored
	cfg2.MasterKeyFile = cfg.KeyFile()
	b, err := app.Open(ctx, cfg2, kefu.SystemClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	sys := app.System(ctx, "test")
	page, err := b.Contacts.List(sys, kefu.ContactFilter{Phone: "13800138001"})
	if err != nil || len(page.Items) != 1 || page.Items[0].Name != "张*" {
		t.Fatalf("lookup in restored copy: %+v %v", page, err)
	}
	res, err := b.Audit.Verify(sys)
	if err != nil || !res.OK {
		t.Fatalf("audit chain of restored copy: %+v %v", res, err)
	}
}

func tableNames(t *testing.T, db *sql.DB) []string {
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		out = append(out, n)
	}
	return out
}

func dump(t *testing.T, db *sql.DB, table string) [][]any {
	rows, err := db.Query(`SELECT * FROM ` + table + ` ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, vals)
	}
	return out
}

func TestDailyBackupSchedule(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	s := kefu.DefaultSettings()
	s.BackupTime, s.BackupKeep = "03:00", 2
	day := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC) }
	steps := []struct {
		at    time.Time
		taken bool
	}{
		{day(20, 2, 59), false}, // before the slot
		{day(20, 3, 0), true},
		{day(20, 3, 1), false}, // already done today
		{day(20, 23, 0), false},
		{day(21, 3, 30), true},
		{day(22, 4, 0), true}, // the server was down at 03:00: catch up
	}
	for _, st := range steps {
		out, err := backup.Daily(ctx, db, dir, s, st.at)
		if err != nil {
			t.Fatal(err)
		}
		if (out != "") != st.taken {
			t.Fatalf("at %s: took %q, want taken=%v", st.at, out, st.taken)
		}
	}
	files, _ := backup.List(dir)
	if len(files) != 2 || filepath.Base(files[0]) != backup.FileName(day(21, 3, 30)) {
		t.Fatalf("kept %v, want the newest 2", files)
	}
}
