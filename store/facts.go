package store

import (
	"context"
	"database/sql"
	"strings"
	"time"
)

// FactsRow is a conversation's stored KPI facts; Data is kpi.Facts as JSON,
// Numbers the same facts as columns a report sums in the database.
type FactsRow struct {
	ConversationID  string
	ContactID       string
	CreatedAt       time.Time
	Channel         string
	TeamID          string
	AssigneeID      string
	Intent          string
	ContactTier     string
	Data            string
	SourceUpdatedAt time.Time
	Numbers         FactNumbers
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
		contact_tier, data, source_updated_at, computed_at, `+factNumberColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, `+placeholders(len(cols))+`)
		ON CONFLICT (conversation_id) DO UPDATE SET contact_id = excluded.contact_id, channel = excluded.channel, team_id = excluded.team_id,
		assignee_id = excluded.assignee_id, intent = excluded.intent, contact_tier = excluded.contact_tier, data = excluded.data,
		source_updated_at = excluded.source_updated_at, computed_at = excluded.computed_at, `+strings.Join(set, ", "),
		f.ConversationID, f.ContactID, millis(f.CreatedAt), f.Channel, f.TeamID, f.AssigneeID, f.Intent, f.ContactTier, f.Data,
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

// Facts returns the stored facts of the conversations a filter selects.
func (q *Queries) Facts(ctx context.Context, f FactsFilter) ([]string, error) {
	where, args := f.where()
	rows, err := q.query(ctx, `SELECT data FROM conversation_facts WHERE `+where+` ORDER BY created_at, conversation_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
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

// ComplaintCounts counts the conversations created in [from, to) per
// complaint category (those with one).
func (q *Queries) ComplaintCounts(ctx context.Context, from, to time.Time) (map[string]int, error) {
	rows, err := q.query(ctx, `SELECT complaint_category, COUNT(*) FROM conversations WHERE created_at >= ? AND created_at < ?
		AND complaint_category <> '' GROUP BY complaint_category`, millis(from), millis(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// FactsTotals are the sums and counts of the facts a filter selects, and the
// frequencies of the durations whose medians are reported.
type FactsTotals struct {
	Conversations, FRTOwed, FRT30s, FRT3m, ReopenOwed, Resolved, Handled    int64
	HandleMS, FCR, ContactsResolved, RepeatContacts, Transferred, Escalated int64
	SLATargets, SLAMet, CSATAnswers, CSATTop, CSATSum, NPSAnswers           int64
	Promoters, Detractors, BotStarted, BotContained, Turns, Unanswered      int64
	ResponseSumMS, ResponseN, CappedSumMS, CappedN, Turns30s, Turns3m       int64
	CustomerMessages, Covered3m                                             int64
	// Whole seconds → how many: first responses, first responses after a
	// handoff, resolutions (of resolved conversations).
	FRT, Handoff, Resolution map[int64]int64
}

// SummarizeFacts adds up the facts a filter selects in the database: one
// scan for the sums and one grouped scan per median.
func (q *Queries) SummarizeFacts(ctx context.Context, f FactsFilter) (FactsTotals, error) {
	where, args := f.where()
	var t FactsTotals
	contact := `COALESCE(NULLIF(contact_id, ''), 'conversation:' || conversation_id)`
	err := q.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(frt_owed), 0), COALESCE(SUM(frt_30s), 0), COALESCE(SUM(frt_3m), 0),
		COALESCE(SUM(reopen_owed), 0), COALESCE(SUM(resolved), 0),
		COALESCE(SUM(CASE WHEN resolved = 1 AND handle_ms > 0 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN resolved = 1 AND handle_ms > 0 THEN handle_ms ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN resolved = 1 AND fcr = 1 THEN 1 ELSE 0 END), 0),
		COUNT(DISTINCT CASE WHEN resolved = 1 THEN `+contact+` END),
		COUNT(DISTINCT CASE WHEN resolved = 1 AND repeat_contact = 1 THEN `+contact+` END),
		COALESCE(SUM(transferred), 0), COALESCE(SUM(escalated), 0), COALESCE(SUM(sla_targets), 0), COALESCE(SUM(sla_met), 0),
		COALESCE(SUM(CASE WHEN csat BETWEEN 1 AND 5 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN csat BETWEEN 4 AND 5 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN csat BETWEEN 1 AND 5 THEN csat ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN nps BETWEEN 0 AND 10 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN nps BETWEEN 9 AND 10 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN nps BETWEEN 0 AND 6 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(bot_started), 0), COALESCE(SUM(CASE WHEN bot_started = 1 THEN bot_contained ELSE 0 END), 0),
		COALESCE(SUM(turns), 0), COALESCE(SUM(unanswered_turns), 0), COALESCE(SUM(response_sum_ms), 0), COALESCE(SUM(response_n), 0),
		COALESCE(SUM(capped_sum_ms), 0), COALESCE(SUM(capped_n), 0), COALESCE(SUM(turns_30s), 0), COALESCE(SUM(turns_3m), 0),
		COALESCE(SUM(customer_messages), 0), COALESCE(SUM(covered_3m), 0)
		FROM conversation_facts WHERE `+where, args...).Scan(&t.Conversations, &t.FRTOwed, &t.FRT30s, &t.FRT3m, &t.ReopenOwed,
		&t.Resolved, &t.Handled, &t.HandleMS, &t.FCR, &t.ContactsResolved, &t.RepeatContacts, &t.Transferred, &t.Escalated,
		&t.SLATargets, &t.SLAMet, &t.CSATAnswers, &t.CSATTop, &t.CSATSum, &t.NPSAnswers, &t.Promoters, &t.Detractors,
		&t.BotStarted, &t.BotContained, &t.Turns, &t.Unanswered, &t.ResponseSumMS, &t.ResponseN, &t.CappedSumMS, &t.CappedN,
		&t.Turns30s, &t.Turns3m, &t.CustomerMessages, &t.Covered3m)
	if err != nil {
		return t, err
	}
	for _, m := range []struct {
		col, cond string
		dst       *map[int64]int64
	}{{"frt_s", "frt_owed = 1", &t.FRT}, {"handoff_s", "1 = 1", &t.Handoff}, {"resolution_s", "resolved = 1", &t.Resolution}} {
		rows, err := q.query(ctx, `SELECT `+m.col+`, COUNT(*) FROM conversation_facts WHERE `+where+` AND `+m.cond+` AND `+m.col+
			` IS NOT NULL GROUP BY `+m.col, args...)
		if err != nil {
			return t, err
		}
		*m.dst = map[int64]int64{}
		for rows.Next() {
			var v, n int64
			if err := rows.Scan(&v, &n); err != nil {
				rows.Close()
				return t, err
			}
			(*m.dst)[v] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return t, err
		}
	}
	return t, nil
}

// ReopenedFacts returns the facts (JSON) of the selected conversations with
// a reopen owed a human reply: few, so their medians are read from them.
func (q *Queries) ReopenedFacts(ctx context.Context, f FactsFilter) ([]string, error) {
	where, args := f.where()
	rows, err := q.query(ctx, `SELECT data FROM conversation_facts WHERE `+where+` AND reopen_owed > 0`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// LastConversationChange returns the latest updated_at of any conversation.
func (q *Queries) LastConversationChange(ctx context.Context) (time.Time, error) {
	var last sql.NullInt64
	err := q.queryRow(ctx, `SELECT MAX(updated_at) FROM conversations`).Scan(&last)
	return fromMillis(last.Int64), err
}
