package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"
)

// FactsRow is a conversation's stored KPI facts; Data is kpi.Facts as JSON,
// Numbers the same facts as columns a report sums in the database.
type FactsRow struct {
	ConversationID string
	ContactID      string
	CreatedAt      time.Time
	Channel        string
	TeamID         string
	AssigneeID     string
	Intent         string
	ContactTier    string
	// ComplaintCategory is the conversation's, for the dashboards.
	ComplaintCategory string
	Data              string
	SourceUpdatedAt   time.Time
	ComputedAt        time.Time // when read back
	Numbers           FactNumbers
}

// FactNumbers are a conversation's facts as numbers; see the
// conversation_facts table. Durations that feed medians are whole seconds.
type FactNumbers struct {
	FRTOwed, FRT30s, FRT3m      bool
	FRTSeconds, HandoffSeconds  *int64
	ReopenOwed                  int
	Resolved                    bool
	ResolutionSeconds           *int64
	HandleMS                    int64
	FCR, RepeatContact          *bool
	Transferred, Escalated      bool
	SLATargets, SLAMet          int
	CSAT, NPS                   *int
	BotStarted, BotContained    bool
	Turns, UnansweredTurns      int
	ResponseSumMS               int64
	ResponseN                   int
	CappedSumMS                 int64
	CappedN, Turns30s, Turns3m  int
	CustomerMessages, Covered3m int
}

func optBoolInt(b *bool) any {
	if b == nil {
		return nil
	}
	return boolInt(*b)
}

func optInt64(n *int64) any {
	if n == nil {
		return nil
	}
	return *n
}

func optIntAny(n *int) any {
	if n == nil {
		return nil
	}
	return *n
}

// StaleFacts returns up to limit conversations changed at or after since
// whose facts are missing or older than the conversation, and those whose
// facts were marked stale, oldest change first, with the latest change
// seen: the caller's next since.
func (q *Queries) StaleFacts(ctx context.Context, since time.Time, limit int) ([]string, time.Time, error) {
	rows, err := q.query(ctx, `SELECT c.id, c.updated_at FROM conversations c LEFT JOIN conversation_facts f ON f.conversation_id = c.id
		WHERE c.updated_at >= ? AND (f.conversation_id IS NULL OR f.source_updated_at < c.updated_at)
		UNION SELECT f.conversation_id, 0 FROM conversation_facts f WHERE f.source_updated_at = 0
		ORDER BY 2 LIMIT ?`, millis(since), limit)
	if err != nil {
		return nil, since, err
	}
	defer rows.Close()
	var out []string
	latest := since
	for rows.Next() {
		var id string
		var at int64
		if err := rows.Scan(&id, &at); err != nil {
			return nil, since, err
		}
		out = append(out, id)
		if t := fromMillis(at); t.After(latest) {
			latest = t
		}
	}
	return out, latest, rows.Err()
}

// factNumberColumns are the numeric columns, in FactNumbers' order.
const factNumberColumns = `frt_owed, frt_s, frt_30s, frt_3m, handoff_s, reopen_owed, resolved, resolution_s, handle_ms, fcr, repeat_contact,
	transferred, escalated, sla_targets, sla_met, csat, nps, bot_started, bot_contained, turns, unanswered_turns, response_sum_ms,
	response_n, capped_sum_ms, capped_n, turns_30s, turns_3m, customer_messages, covered_3m`

// PutFacts stores a conversation's facts.
func (q *Queries) PutFacts(ctx context.Context, f FactsRow, now time.Time) error {
	n := f.Numbers
	cols := strings.Split(factNumberColumns, ",")
	set := make([]string, len(cols))
	for i, c := range cols {
		c = strings.TrimSpace(c)
		set[i] = c + ` = excluded.` + c
	}
	_, err := q.exec(ctx, `INSERT INTO conversation_facts (conversation_id, contact_id, created_at, channel, team_id, assignee_id, intent,
		contact_tier, complaint_category, data, source_updated_at, computed_at, `+factNumberColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, `+placeholders(len(cols))+`)
		ON CONFLICT (conversation_id) DO UPDATE SET contact_id = excluded.contact_id, channel = excluded.channel, team_id = excluded.team_id,
		assignee_id = excluded.assignee_id, intent = excluded.intent, contact_tier = excluded.contact_tier,
		complaint_category = excluded.complaint_category, data = excluded.data,
		source_updated_at = excluded.source_updated_at, computed_at = excluded.computed_at, `+strings.Join(set, ", "),
		f.ConversationID, f.ContactID, millis(f.CreatedAt), f.Channel, f.TeamID, f.AssigneeID, f.Intent, f.ContactTier, f.ComplaintCategory, f.Data,
		millis(f.SourceUpdatedAt), millis(now),
		boolInt(n.FRTOwed), optInt64(n.FRTSeconds), boolInt(n.FRT30s), boolInt(n.FRT3m), optInt64(n.HandoffSeconds), n.ReopenOwed,
		boolInt(n.Resolved), optInt64(n.ResolutionSeconds), n.HandleMS, optBoolInt(n.FCR), optBoolInt(n.RepeatContact),
		boolInt(n.Transferred), boolInt(n.Escalated), n.SLATargets, n.SLAMet, optIntAny(n.CSAT), optIntAny(n.NPS), boolInt(n.BotStarted),
		boolInt(n.BotContained), n.Turns, n.UnansweredTurns, n.ResponseSumMS, n.ResponseN, n.CappedSumMS, n.CappedN, n.Turns30s,
		n.Turns3m, n.CustomerMessages, n.Covered3m)
	return err
}

// MarkFactsStale makes the facts of a contact's conversations created in a
// window be recomputed: a later conversation changes their FCR and repeat
// contact.
func (q *Queries) MarkFactsStale(ctx context.Context, contactID string, from, to time.Time) error {
	_, err := q.exec(ctx, `UPDATE conversation_facts SET source_updated_at = 0 WHERE contact_id = ? AND created_at >= ? AND created_at < ?`,
		contactID, millis(from), millis(to))
	return err
}

// FactsFilter narrows a report.
type FactsFilter struct {
	From, To                                         time.Time // created in [From, To)
	Channel, TeamID, AssigneeID, Intent, ContactTier string
}

// where is a filter's WHERE clause and arguments.
func (f FactsFilter) where() (string, []any) {
	where := []string{`created_at >= ?`, `created_at < ?`}
	args := []any{millis(f.From), millis(f.To)}
	for _, c := range []struct{ col, v string }{{"channel", f.Channel}, {"team_id", f.TeamID}, {"assignee_id", f.AssigneeID},
		{"intent", f.Intent}, {"contact_tier", f.ContactTier}} {
		if c.v != "" {
			where = append(where, c.col+` = ?`)
			args = append(args, c.v)
		}
	}
	return strings.Join(where, ` AND `), args
}

// EachFactsData calls fn with the stored facts (JSON) of the conversations
// a filter selects, oldest first, as the database reads them. fn must not
// use the database.
func (q *Queries) EachFactsData(ctx context.Context, f FactsFilter, fn func(data string) error) error {
	where, args := f.where()
	rows, err := q.query(ctx, `SELECT data FROM conversation_facts WHERE `+where+` ORDER BY created_at, conversation_id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return err
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ConversationRef is a conversation's id, creation time and intent.
type ConversationRef struct {
	ID        string
	CreatedAt time.Time
	Intent    string
}

// LaterConversations returns a contact's conversations created after a
// time, for FCR and repeat contacts.
func (q *Queries) LaterConversations(ctx context.Context, contactID string, after time.Time) ([]ConversationRef, error) {
	rows, err := q.query(ctx, `SELECT id, created_at, intent FROM conversations WHERE contact_id = ? AND created_at > ? ORDER BY created_at`,
		contactID, millis(after))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ConversationRef
	for rows.Next() {
		var r ConversationRef
		var at int64
		if err := rows.Scan(&r.ID, &at, &r.Intent); err != nil {
			return nil, err
		}
		r.CreatedAt = fromMillis(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// EachFacts calls fn with every stored facts row computed at or after
// since, in no particular order. Data is read only for the rows with a
// reopen owed a human reply (few): the rest carry their facts as Numbers.
// fn must not use the database.
func (q *Queries) EachFacts(ctx context.Context, since time.Time, fn func(FactsRow) error) error {
	rows, err := q.query(ctx, `SELECT conversation_id, contact_id, created_at, channel, team_id, assignee_id, intent, contact_tier,
		complaint_category, CASE WHEN reopen_owed > 0 THEN data ELSE '' END, source_updated_at, computed_at, `+factNumberColumns+`
		FROM conversation_facts WHERE computed_at >= ?`, millis(since))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r FactsRow
		var created, source, computed int64
		var frt, handoff, resolution, fcr, repeat, csat, nps sql.NullInt64
		n := &r.Numbers
		if err := rows.Scan(&r.ConversationID, &r.ContactID, &created, &r.Channel, &r.TeamID, &r.AssigneeID, &r.Intent, &r.ContactTier,
			&r.ComplaintCategory, &r.Data, &source, &computed, &n.FRTOwed, &frt, &n.FRT30s, &n.FRT3m, &handoff, &n.ReopenOwed, &n.Resolved,
			&resolution, &n.HandleMS, &fcr, &repeat, &n.Transferred, &n.Escalated, &n.SLATargets, &n.SLAMet, &csat, &nps, &n.BotStarted,
			&n.BotContained, &n.Turns, &n.UnansweredTurns, &n.ResponseSumMS, &n.ResponseN, &n.CappedSumMS, &n.CappedN, &n.Turns30s,
			&n.Turns3m, &n.CustomerMessages, &n.Covered3m); err != nil {
			return err
		}
		r.CreatedAt, r.SourceUpdatedAt, r.ComputedAt = fromMillis(created), fromMillis(source), fromMillis(computed)
		n.FRTSeconds, n.HandoffSeconds, n.ResolutionSeconds = nullInt64(frt), nullInt64(handoff), nullInt64(resolution)
		n.FCR, n.RepeatContact, n.CSAT, n.NPS = nullBool(fcr), nullBool(repeat), nullInt(csat), nullInt(nps)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

func nullInt64(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

func nullBool(v sql.NullInt64) *bool {
	if !v.Valid {
		return nil
	}
	b := v.Int64 != 0
	return &b
}

func nullInt(v sql.NullInt64) *int {
	if !v.Valid {
		return nil
	}
	n := int(v.Int64)
	return &n
}

// FactsData returns the stored facts (JSON) of the given conversations by
// conversation id; those without facts are missing.
func (q *Queries) FactsData(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := q.query(ctx, `SELECT conversation_id, data FROM conversation_facts WHERE conversation_id IN (`+placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, d string
			if err := rows.Scan(&id, &d); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = d
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LastConversationChange returns the latest updated_at of any conversation.
func (q *Queries) LastConversationChange(ctx context.Context) (time.Time, error) {
	var last sql.NullInt64
	err := q.queryRow(ctx, `SELECT MAX(updated_at) FROM conversations`).Scan(&last)
	return fromMillis(last.Int64), err
}

// FactsSpan returns the creation times of the first and the last
// conversation with facts (zero times when there are none).
func (q *Queries) FactsSpan(ctx context.Context) (first, last time.Time, err error) {
	var lo, hi sql.NullInt64
	err = q.queryRow(ctx, `SELECT MIN(created_at), MAX(created_at) FROM conversation_facts`).Scan(&lo, &hi)
	return fromMillis(lo.Int64), fromMillis(hi.Int64), err
}
