// Package synth generates synthetic conversation history — conversations
// with their KPI facts, no messages — to measure reports at the scale of a
// large shop (a million conversations a year). Two INSERT … SELECT
// statements write it, so a million rows take seconds.
package synth

import (
	"context"
	"strconv"
	"time"

	"kefu"
	"kefu/store"
)

// Spread is how the generated conversations vary, so that filters and
// groups select realistic shares.
const (
	Channels = 4  // webchat 60 %, wechat 20 %, email 10 %, api 10 %
	Teams    = 4  // team-1 … team-4
	Agents   = 40 // agent-1 … agent-40
	Intents  = 12 // intent-1 … intent-12
	Contacts = 5  // conversations per contact, on average
)

// InboxID is the inbox the generated conversations belong to.
const InboxID = "synthetic"

// Generate writes n resolved conversations and their facts, created every
// spacing from start, into an empty database. It refuses a database that
// has conversations: synthetic history never mixes with real data.
func Generate(ctx context.Context, db *store.DB, n int, start time.Time, spacing time.Duration) error {
	if n <= 0 {
		return kefu.Invalid("conversations", "Generate at least one conversation.")
	}
	if spacing < time.Millisecond {
		return kefu.Invalid("spacing", "Space the conversations at least a millisecond apart.")
	}
	var existing int
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT id FROM conversations LIMIT 1) c`).Scan(&existing); err != nil {
		return err
	}
	if existing > 0 {
		return kefu.Invalid("database", "The database has conversations; generate into an empty one (a new --data directory or database).")
	}
	// Plain numbers in the SQL: these statements bypass kefu's placeholder
	// rewriting, and the two dialects differ only in the series and padding.
	last := strconv.Itoa(n - 1)
	series := `WITH RECURSIVE g(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM g WHERE x < ` + last + `) SELECT x FROM g`
	id := `'00000000-0000-7000-8000-' || substr('000000000000' || x, -12, 12)`
	if db.Dialect() == store.Postgres {
		series = `SELECT x FROM generate_series(0::bigint, ` + last + `::bigint) AS x`
		id = `'00000000-0000-7000-8000-' || lpad(x::text, 12, '0')`
	}
	at := strconv.FormatInt(start.UnixMilli(), 10) + ` + x * ` + strconv.FormatInt(spacing.Milliseconds(), 10)
	channel := `CASE WHEN x % 10 < 6 THEN 'webchat' WHEN x % 10 < 8 THEN 'wechat' WHEN x % 10 = 8 THEN 'email' ELSE 'api' END`
	for _, stmt := range []string{
		`INSERT INTO inboxes (id, name, channel, website_token, identity_secret, created_at, updated_at)
				VALUES ('` + InboxID + `', '合成数据', 'webchat', 'synthetic', 'synthetic', 0, 0)`,
		`INSERT INTO contacts (id, key_id, created_at, updated_at) VALUES ('synthetic', 1, 0, 0)`,
		`INSERT INTO conversations (id, inbox_id, contact_id, channel, status, priority, subject, labels, created_at, last_message_at,
				updated_at) SELECT ` + id + `, '` + InboxID + `', 'synthetic', ` + channel + `, 'resolved', 'normal', '', '[]', ` + at + `,
				` + at + `, ` + at + ` FROM (` + series + `) s`,
		// Facts vary with x: first responses 0–899 s, a fifth
		// unanswered, a third transferred, scores on a cycle. The facts
		// JSON holds the id only: reports read the numbers.
		`INSERT INTO conversation_facts (conversation_id, contact_id, created_at, channel, team_id, assignee_id, intent, contact_tier,
				complaint_category, data, source_updated_at, computed_at, frt_owed, frt_s, frt_30s, frt_3m, resolved, resolution_s, handle_ms,
				fcr, repeat_contact, transferred, escalated, sla_targets, sla_met, csat, nps, turns, response_sum_ms, response_n,
				capped_sum_ms, capped_n, turns_30s, turns_3m, customer_messages, covered_3m)
				SELECT ` + id + `, 'contact-' || ((x * 7) % ` + strconv.Itoa(max(1, n/Contacts)) + `), ` + at + `, ` + channel + `,
				'team-' || (1 + x % ` + strconv.Itoa(Teams) + `), 'agent-' || (1 + (x * 13) % ` + strconv.Itoa(Agents) + `),
				'intent-' || (1 + (x * 17) % ` + strconv.Itoa(Intents) + `), CASE WHEN x % 20 = 0 THEN 'vip' ELSE '' END,
				CASE WHEN x % 50 = 0 THEN 'complaint-' || (1 + x % 4) ELSE '' END, '{"conversation_id":"' || ` + id + ` || '"}',
				` + at + `, ` + at + `,
				1, CASE WHEN x % 5 = 0 THEN NULL ELSE (x * 7919) % 900 END, CASE WHEN x % 5 <> 0 AND (x * 7919) % 900 <= 30 THEN 1 ELSE 0 END,
				CASE WHEN x % 5 <> 0 AND (x * 7919) % 900 <= 180 THEN 1 ELSE 0 END, 1, (x * 104729) % 172800, (x * 31) % 3600000,
				CASE WHEN x % 3 = 0 THEN 0 ELSE 1 END, CASE WHEN x % 7 = 0 THEN 1 ELSE 0 END, CASE WHEN x % 3 = 0 THEN 1 ELSE 0 END,
				CASE WHEN x % 40 = 0 THEN 1 ELSE 0 END, 2, 1 + x % 2, CASE WHEN x % 4 = 0 THEN 1 + x % 5 ELSE NULL END,
				CASE WHEN x % 6 = 0 THEN x % 11 ELSE NULL END, 3, (x % 900) * 3000, 3, (x % 600) * 3000, 3, x % 2, 1 + x % 3, 4, 3
				FROM (` + series + `) s`,
		// Fresh statistics, as autovacuum would gather on PostgreSQL: without
		// them its planner scans a million rows to find what changed.
		`ANALYZE`,
	} {
		if _, err := db.SQL().ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}
