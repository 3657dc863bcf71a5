package store

import (
	"context"
	"strings"
	"time"
)

// FactsRow is a conversation's stored KPI facts; Data is kpi.Facts as JSON.
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
}

// StaleFacts returns up to limit conversations whose facts are missing or
// older than the conversation, oldest change first.
func (q *Queries) StaleFacts(ctx context.Context, limit int) ([]string, error) {
	rows, err := q.query(ctx, `SELECT c.id FROM conversations c LEFT JOIN conversation_facts f ON f.conversation_id = c.id
		WHERE f.conversation_id IS NULL OR f.source_updated_at < c.updated_at ORDER BY c.updated_at LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// PutFacts stores a conversation's facts.
func (q *Queries) PutFacts(ctx context.Context, f FactsRow, now time.Time) error {
	_, err := q.exec(ctx, `INSERT INTO conversation_facts (conversation_id, contact_id, created_at, channel, team_id, assignee_id, intent,
		contact_tier, data, source_updated_at, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (conversation_id) DO UPDATE SET contact_id = excluded.contact_id, channel = excluded.channel, team_id = excluded.team_id,
		assignee_id = excluded.assignee_id, intent = excluded.intent, contact_tier = excluded.contact_tier, data = excluded.data,
		source_updated_at = excluded.source_updated_at, computed_at = excluded.computed_at`,
		f.ConversationID, f.ContactID, millis(f.CreatedAt), f.Channel, f.TeamID, f.AssigneeID, f.Intent, f.ContactTier, f.Data,
		millis(f.SourceUpdatedAt), millis(now))
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

// Facts returns the stored facts of the conversations a filter selects.
func (q *Queries) Facts(ctx context.Context, f FactsFilter) ([]string, error) {
	where := []string{`created_at >= ?`, `created_at < ?`}
	args := []any{millis(f.From), millis(f.To)}
	for _, c := range []struct{ col, v string }{{"channel", f.Channel}, {"team_id", f.TeamID}, {"assignee_id", f.AssigneeID},
		{"intent", f.Intent}, {"contact_tier", f.ContactTier}} {
		if c.v != "" {
			where = append(where, c.col+` = ?`)
			args = append(args, c.v)
		}
	}
	rows, err := q.query(ctx, `SELECT data FROM conversation_facts WHERE `+strings.Join(where, ` AND `)+` ORDER BY created_at, conversation_id`, args...)
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
