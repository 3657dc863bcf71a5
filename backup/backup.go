// Package backup takes consistent online backups of the SQLite database,
// restores them, and runs the daily backup with rotation. PostgreSQL is backed
// up with its own tools (pg_dump); see PostgresAdvice.
package backup

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"kefu"
	"kefu/store"
)

// PostgresAdvice is printed instead of a backup when kefu runs on PostgreSQL.
const PostgresAdvice = `kefu is using PostgreSQL; back it up with PostgreSQL's own tools, which take a
consistent snapshot while kefu keeps serving:

  pg_dump --format=custom --file=kefu.dump "$KEFU_DATABASE_URL"

and restore into an empty database with:

  pg_restore --clean --if-exists --no-owner --dbname="$KEFU_DATABASE_URL" kefu.dump

Keep the master key (KEFU_MASTER_KEY or the master.key file) with the dump:
without it the customer data in the dump cannot be decrypted.`

// ErrPostgres is returned by Create and Restore on PostgreSQL.
var ErrPostgres = fmt.Errorf("backups of PostgreSQL are made with pg_dump")

// Create writes a consistent copy of the live SQLite database to out with
// VACUUM INTO, which reads one snapshot while writers go on. out must not exist.
func Create(ctx context.Context, db *store.DB, out string) error {
	if db.Dialect() != store.SQLite {
		return ErrPostgres
	}
	if _, err := os.Stat(out); err == nil {
		return kefu.Invalid("out", "%s already exists; choose a new file name.", out)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
		return err
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if _, err := db.SQL().ExecContext(ctx, `VACUUM INTO ?`, abs); err != nil {
		return fmt.Errorf("back up to %s: %w", out, err)
	}
	return os.Chmod(abs, 0o600)
}

// Check opens a backup file read-only and verifies it is an intact kefu database.
func Check(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return fmt.Errorf("%s is not a SQLite database: %w", path, err)
	}
	if result != "ok" {
		return fmt.Errorf("%s is damaged: %s", path, result)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_head`).Scan(&n); err != nil {
		return fmt.Errorf("%s is not a kefu backup: %w", path, err)
	}
	return nil
}

// Restore checks the backup and copies it into dataDir as the database. It
// refuses to overwrite an existing database unless force is set, and then
// keeps the old one beside it as kefu.db.before-restore-<time>. Stop the
// server before restoring.
func Restore(ctx context.Context, in, dataDir string, force bool, now time.Time) error {
	if err := Check(ctx, in); err != nil {
		return err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return err
	}
	dst := filepath.Join(dataDir, store.SQLiteFile)
	if _, err := os.Stat(dst); err == nil {
		if !force {
			return kefu.Errorf(kefu.ECONFLICT, "%s already exists. Stop kefu and run again with --force to replace it (the old file is kept beside it).", dst)
		}
		keep := fmt.Sprintf("%s.before-restore-%s", dst, now.Format("20060102-150405"))
		if err := os.Rename(dst, keep); err != nil {
			return err
		}
		for _, suffix := range []string{"-wal", "-shm"} {
			_ = os.Rename(dst+suffix, keep+suffix)
		}
	}
	tmp := dst + ".restoring"
	if err := copyFile(in, tmp); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// prefix and layout name the daily backups, so they sort by time.
const (
	prefix = "kefu-"
	layout = "20060102-150405"
)

// FileName is the name of a backup taken at t.
func FileName(t time.Time) string { return prefix + t.Format(layout) + ".db" }

// List returns the backups in dir, oldest first.
func List(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) && strings.HasSuffix(e.Name(), ".db") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	slices.Sort(out)
	return out, nil
}

// Due reports whether the daily backup should run at now: the day's backup
// time has passed and no backup was taken since it.
func Due(dir string, s kefu.Settings, now time.Time) (bool, error) {
	if !s.BackupEnabled {
		return false, nil
	}
	at, err := time.ParseInLocation("15:04", s.BackupTime, now.Location())
	if err != nil {
		return false, err
	}
	slot := time.Date(now.Year(), now.Month(), now.Day(), at.Hour(), at.Minute(), 0, 0, now.Location())
	if now.Before(slot) {
		return false, nil
	}
	files, err := List(dir)
	if err != nil || len(files) == 0 {
		return err == nil, err
	}
	last, err := time.ParseInLocation(layout, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(files[len(files)-1]), prefix), ".db"), now.Location())
	if err != nil {
		return true, nil
	}
	return last.Before(slot), nil
}

// Daily takes the daily backup when due and deletes all but the newest
// s.BackupKeep. Returns the new file, or "" when none was due.
func Daily(ctx context.Context, db *store.DB, dir string, s kefu.Settings, now time.Time) (string, error) {
	if db.Dialect() != store.SQLite {
		return "", nil
	}
	due, err := Due(dir, s, now)
	if err != nil || !due {
		return "", err
	}
	out := filepath.Join(dir, FileName(now))
	if err := Create(ctx, db, out); err != nil {
		return "", err
	}
	files, err := List(dir)
	if err != nil {
		return out, err
	}
	for len(files) > s.BackupKeep {
		if err := os.Remove(files[0]); err != nil {
			return out, err
		}
		files = files[1:]
	}
	return out, nil
}
