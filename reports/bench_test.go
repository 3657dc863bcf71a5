package reports_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"kefu"
	"kefu/app/apptest"
	"kefu/reports"
	"kefu/store"
	"kefu/store/storetest"
)

// generate fills a database with n resolved conversations and their facts
// in two INSERT … SELECT statements, 30 seconds apart from start: the
// generator the report benchmark needs (a million rows in seconds).
func generate(b *testing.B, db *store.DB, n int, start time.Time) {
	b.Helper()
	// Plain numbers in the SQL: these statements bypass kefu's placeholder rewriting.
	last := strconv.Itoa(n - 1)
	series := `WITH RECURSIVE g(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM g WHERE x < ` + last + `) SELECT x FROM g`
	id := `'g' || substr('0000000' || x, -8, 8)`
	if db.Dialect() == store.Postgres {
		series = `SELECT x FROM generate_series(0::bigint, ` + last + `::bigint) AS x`
		id = `'g' || lpad(x::text, 8, '0')`
	}
	t0 := strconv.FormatInt(start.UnixMilli(), 10)
	for _, stmt := range []string{
		`INSERT INTO inboxes (id, name, channel, website_token, identity_secret, created_at, updated_at)
			VALUES ('inbox', '官网', 'webchat', 'token', 'secret', 0, 0)`,
		`INSERT INTO contacts (id, key_id, created_at, updated_at) VALUES ('contact', 1, 0, 0)`,
	} {
		if _, err := db.SQL().Exec(stmt); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := db.SQL().Exec(`INSERT INTO conversations (id, inbox_id, contact_id, channel, status, priority, subject, labels, created_at,
		last_message_at, updated_at) SELECT ` + id + `, 'inbox', 'contact', 'webchat', 'resolved', 'normal', '', '[]', ` + t0 + ` + x * 30000,
		` + t0 + ` + x * 30000, ` + t0 + ` + x * 30000 FROM (` + series + `) s`); err != nil {
		b.Fatal(err)
	}
	// Facts vary with x: first responses 0–899 s, a fifth unanswered, a
	// third transferred, scores on a cycle. The facts JSON is left short:
	// the summary reads the columns.
	if _, err := db.SQL().Exec(`INSERT INTO conversation_facts (conversation_id, contact_id, created_at, channel, team_id, assignee_id,
		intent, contact_tier, data, source_updated_at, computed_at, frt_owed, frt_s, frt_30s, frt_3m, resolved, resolution_s, handle_ms,
		fcr, repeat_contact, transferred, escalated, sla_targets, sla_met, csat, nps, turns, response_sum_ms, response_n, capped_sum_ms,
		capped_n, turns_30s, turns_3m, customer_messages, covered_3m)
		SELECT ` + id + `, 'c' || (x % 50000), ` + t0 + ` + x * 30000, 'webchat', '', 'agent-' || (x % 1000), 'logistics', '', '{}', ` + t0 + ` + x * 30000, 0,
		1, CASE WHEN x % 5 = 0 THEN NULL ELSE (x * 7919) % 900 END, CASE WHEN x % 5 <> 0 AND (x * 7919) % 900 <= 30 THEN 1 ELSE 0 END,
		CASE WHEN x % 5 <> 0 AND (x * 7919) % 900 <= 180 THEN 1 ELSE 0 END, 1, (x * 104729) % 172800, (x * 31) % 3600000,
		CASE WHEN x % 3 = 0 THEN 0 ELSE 1 END, CASE WHEN x % 7 = 0 THEN 1 ELSE 0 END, CASE WHEN x % 3 = 0 THEN 1 ELSE 0 END,
		CASE WHEN x % 40 = 0 THEN 1 ELSE 0 END, 2, 1 + x % 2, CASE WHEN x % 4 = 0 THEN 1 + x % 5 ELSE NULL END,
		CASE WHEN x % 6 = 0 THEN x % 11 ELSE NULL END, 3, (x % 900) * 3000, 3, (x % 600) * 3000, 3, x % 2, 1 + x % 3, 4, 3
		FROM (` + series + `) s`); err != nil {
		b.Fatal(err)
	}
}

func benchmarkKPI(b *testing.B, db *store.DB) {
	const n = 1_000_000
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	end := start.Add(n * 30 * time.Second)
	a := apptest.Open(b, db, &kefu.FixedClock{T: end})
	began := time.Now()
	generate(b, db, n, start)
	b.Logf("generated %d conversations with facts in %s", n, time.Since(began).Round(time.Millisecond))
	reader := kefu.NewContext(context.Background(), &kefu.Actor{UserID: "r", Permissions: []kefu.Permission{kefu.PermReportsView}})
	// The first report refreshes nothing: every fact is current. Warm the
	// refresh watermark as a running server's job would.
	if _, err := a.Reports.Refresh(context.Background(), 1000); err != nil {
		b.Fatal(err)
	}
	for _, period := range []struct {
		name     string
		from, to time.Time
	}{{"all", start, end}, {"30d", end.Add(-30 * 24 * time.Hour), end}} {
		b.Run(period.name, func(b *testing.B) {
			for b.Loop() {
				s, err := a.Reports.KPI(reader, reports.Filter{From: period.from, To: period.to})
				if err != nil {
					b.Fatal(err)
				}
				if s.Conversations == 0 {
					b.Fatal("no conversations")
				}
			}
		})
	}
}

// BenchmarkKPI1MSQLite and BenchmarkKPI1MPostgres measure the KPI summary
// over a million conversations. Run alone:
//
//	go test ./reports/ -run '^$' -bench KPI1M -benchtime 5x
func BenchmarkKPI1MSQLite(b *testing.B) { benchmarkKPI(b, storetest.Open(b, store.SQLite)) }

func BenchmarkKPI1MPostgres(b *testing.B) {
	if os.Getenv("KEFU_TEST_POSTGRES_URL") == "" {
		b.Skip("set KEFU_TEST_POSTGRES_URL")
	}
	benchmarkKPI(b, storetest.Open(b, store.Postgres))
}
