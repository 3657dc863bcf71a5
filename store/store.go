// Package store keeps kefu's data in SQLite (embedded, the default) or
// PostgreSQL (for several nodes), through one implementation: portable SQL
// written with ? placeholders and rebound for PostgreSQL.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"kefu"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Dialect names the database kind.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// SQLiteFile is the database file's name inside the data directory.
const SQLiteFile = "kefu.db"

// DB is an open database. Its embedded Queries run outside a transaction.
type DB struct {
	*Queries
	sql     *sql.DB
	dialect Dialect
	path    string // SQLite file path; empty for PostgreSQL

	// SQLite allows one writer at a time. Taking turns here, in Go, instead
	// of in SQLite's busy handler (which sleeps and retries) keeps write
	// latency flat under load.
	writeMu *sync.Mutex
	stmts   *stmtCache
	batch   *batcher
}

// IsPostgres reports whether url names a PostgreSQL database.
func IsPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// Open opens the database: PostgreSQL when url is a postgres:// URL,
// else SQLite in dataDir/kefu.db (created if missing). It does not migrate.
func Open(ctx context.Context, url, dataDir string) (*DB, error) {
	if IsPostgres(url) {
		return openPostgres(ctx, url)
	} else if url != "" {
		return nil, fmt.Errorf("KEFU_DATABASE_URL must start with postgres:// (or be empty for the embedded SQLite database), got %q", redact(url))
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dataDir, err)
	}
	return OpenSQLiteFile(ctx, filepath.Join(dataDir, SQLiteFile))
}

// OpenSQLiteFile opens (or creates) a SQLite database at path, in WAL mode.
//
// Writes take the lock at BEGIN (immediate) so that two writers wait on
// busy_timeout instead of failing on lock upgrade; synchronous=FULL because
// an acknowledged customer message must survive a power cut, not only a crash.
func OpenSQLiteFile(ctx context.Context, path string) (*DB, error) {
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_txlock=immediate"
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("open SQLite database %s: %w", path, err)
	}
	// Keep connections open: each has its own prepared statements, and with
	// WAL readers run beside the one writer.
	sdb.SetMaxOpenConns(8)
	sdb.SetMaxIdleConns(8)
	// Restrict the files to the owner: they hold encrypted PII and password hashes.
	_ = os.Chmod(path, 0o600)
	return newDB(sdb, SQLite, path), nil
}

func openPostgres(ctx context.Context, url string) (*DB, error) {
	sdb, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	sdb.SetMaxOpenConns(20)
	sdb.SetMaxIdleConns(20)
	sdb.SetConnMaxIdleTime(5 * time.Minute)
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("connect to PostgreSQL %s: %w", redact(url), err)
	}
	return newDB(sdb, Postgres, ""), nil
}

func newDB(sdb *sql.DB, d Dialect, path string) *DB {
	db := &DB{sql: sdb, dialect: d, path: path}
	if d == SQLite {
		db.writeMu = &sync.Mutex{}
	}
	db.stmts = &stmtCache{db: sdb, m: map[string]*sql.Stmt{}}
	db.batch = &batcher{db: db}
	db.Queries = &Queries{q: sdb, dialect: d, writeMu: db.writeMu, stmts: db.stmts}
	return db
}

// redact hides a password in a database URL for messages.
func redact(url string) string {
	if i := strings.Index(url, "://"); i >= 0 {
		if at := strings.LastIndex(url, "@"); at > i {
			if colon := strings.Index(url[i+3:at], ":"); colon >= 0 {
				return url[:i+3+colon] + ":***" + url[at:]
			}
		}
	}
	return url
}

// Dialect returns the database kind.
func (db *DB) Dialect() Dialect { return db.dialect }

// Path returns the SQLite file path, or "" for PostgreSQL.
func (db *DB) Path() string { return db.path }

// SQL returns the underlying handle, for tests and maintenance.
func (db *DB) SQL() *sql.DB { return db.sql }

// Close closes the database.
func (db *DB) Close() error {
	db.stmts.mu.Lock()
	for _, st := range db.stmts.m {
		st.Close()
	}
	db.stmts.m = map[string]*sql.Stmt{}
	db.stmts.mu.Unlock()
	return db.sql.Close()
}

// Migrate applies the embedded migrations that have not run yet.
func (db *DB) Migrate(ctx context.Context) error {
	// Migrations are portable SQL, except where a file name ends in
	// _sqlite.sql or _postgres.sql (full-text search): each database skips
	// the other's.
	dialect, other := goose.DialectSQLite3, "_postgres.sql"
	if db.dialect == Postgres {
		dialect, other = goose.DialectPostgres, "_sqlite.sql"
	}
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	var skip []string
	names, _ := fs.Glob(sub, "*"+other)
	skip = append(skip, names...)
	p, err := goose.NewProvider(dialect, db.sql, sub, goose.WithExcludeNames(skip))
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate database: %w", err)
	}
	return nil
}

// InTx runs fn in a transaction, committing if it returns nil.
func (db *DB) InTx(ctx context.Context, fn func(q *Queries) error) error {
	if db.writeMu != nil {
		db.writeMu.Lock()
		defer db.writeMu.Unlock()
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(&Queries{q: tx, tx: tx, dialect: db.dialect, stmts: db.stmts}); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Queries runs kefu's queries, in or out of a transaction.
type Queries struct {
	q       querier
	tx      *sql.Tx // set inside a transaction
	dialect Dialect
	writeMu *sync.Mutex // set outside transactions on SQLite; see DB.writeMu
	stmts   *stmtCache
}

// stmtCache keeps prepared statements by query text. Parsing SQL took a third
// of kefu's CPU under load before statements were reused (docs/benchmarks.md).
type stmtCache struct {
	db *sql.DB
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

// maxCachedStatements bounds the cache; kefu's queries are a fixed set plus
// a few filter combinations, so the bound is never reached in practice.
const maxCachedStatements = 1000

func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.RLock()
	st, ok := c.m[query]
	c.mu.RUnlock()
	if ok {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.m[query]; ok {
		st.Close()
		return prev, nil
	}
	if len(c.m) < maxCachedStatements {
		c.m[query] = st
	}
	return st, nil
}

// stmt returns the prepared statement for a query, bound to the transaction
// when there is one.
func (q *Queries) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := q.stmts.get(ctx, q.rebind(query))
	if err != nil {
		return nil, err
	}
	if q.tx != nil {
		return q.tx.StmtContext(ctx, st), nil
	}
	return st, nil
}

func (q *Queries) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if q.writeMu != nil {
		q.writeMu.Lock()
		defer q.writeMu.Unlock()
	}
	st, err := q.stmt(ctx, query)
	if err != nil {
		return nil, mapError(err)
	}
	res, err := st.ExecContext(ctx, args...)
	return res, mapError(err)
}

func (q *Queries) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := q.stmt(ctx, query)
	if err != nil {
		return nil, mapError(err)
	}
	rows, err := st.QueryContext(ctx, args...)
	return rows, mapError(err)
}

// row is a *sql.Row, or the error of preparing its statement.
type row struct {
	r   *sql.Row
	err error
}

func (r row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	return r.r.Scan(dest...)
}

func (q *Queries) queryRow(ctx context.Context, query string, args ...any) row {
	st, err := q.stmt(ctx, query)
	if err != nil {
		return row{err: err}
	}
	return row{r: st.QueryRowContext(ctx, args...)}
}

// rebind turns ? placeholders into $1, $2 … for PostgreSQL. kefu's queries
// never put a ? inside a string literal, so a plain scan is enough.
func (q *Queries) rebind(query string) string {
	if q.dialect != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mapError turns driver errors that users can act on into kefu errors.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return kefu.Errorf(kefu.ENOTFOUND, "Not found.")
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return kefu.Errorf(kefu.ECONFLICT, "Already exists.")
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) && (sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
		return kefu.Errorf(kefu.ECONFLICT, "Already exists.")
	}
	return err
}

// millis stores a time as Unix milliseconds.
func millis(t time.Time) int64 { return t.UnixMilli() }

// nullMillis stores an optional time.
func nullMillis(t *time.Time) sql.NullInt64 {
	if t == nil || t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

// fromMillis reads a stored time.
func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// fromNullMillis reads an optional stored time.
func fromNullMillis(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := fromMillis(n.Int64)
	return &t
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Rebind turns ? placeholders into the dialect's (for tests and maintenance SQL).
func (d Dialect) Rebind(query string) string {
	return (&Queries{dialect: d}).rebind(query)
}

func notFound(what string) error { return kefu.Errorf(kefu.ENOTFOUND, "%s not found.", what) }
