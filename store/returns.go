package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"kefu"
)

// ReturnRow is a stored return; Data is the returns package's Return as
// JSON, the other columns are what lists filter and sort on.
type ReturnRow struct {
	ID             string
	OrderID        string
	ContactID      string
	ConversationID string
	Kind           string
	Reason         string
	State          string
	Carrier        string
	NextDue        *time.Time
	Data           string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

const returnColumns = `id, order_id, COALESCE(contact_id, ''), COALESCE(conversation_id, ''), kind, reason, state, carrier, next_due,
	data, created_at, updated_at`

func scanReturn(s interface{ Scan(...any) error }) (ReturnRow, error) {
	var r ReturnRow
	var due sql.NullInt64
	var created, updated int64
	err := s.Scan(&r.ID, &r.OrderID, &r.ContactID, &r.ConversationID, &r.Kind, &r.Reason, &r.State, &r.Carrier, &due, &r.Data,
		&created, &updated)
	if err != nil {
		return r, mapError(err)
	}
	r.NextDue, r.CreatedAt, r.UpdatedAt = fromNullMillis(due), fromMillis(created), fromMillis(updated)
	return r, nil
}

// PutReturn inserts or replaces a return. With expectState it replaces only
// a return still in that state, so that two people moving one return at
// once cannot both succeed; it reports whether it wrote.
func (q *Queries) PutReturn(ctx context.Context, r ReturnRow, expectState string) (bool, error) {
	if expectState == "" {
		_, err := q.exec(ctx, `INSERT INTO returns (`+returnColumnsPlain+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, r.OrderID, nullString(r.ContactID), nullString(r.ConversationID),
			r.Kind, r.Reason, r.State, r.Carrier, nullMillis(r.NextDue), r.Data, millis(r.CreatedAt), millis(r.UpdatedAt))
		return err == nil, mapError(err)
	}
	res, err := q.exec(ctx, `UPDATE returns SET state = ?, carrier = ?, next_due = ?, data = ?, updated_at = ? WHERE id = ? AND state = ?`,
		r.State, r.Carrier, nullMillis(r.NextDue), r.Data, millis(r.UpdatedAt), r.ID, expectState)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

const returnColumnsPlain = `id, order_id, contact_id, conversation_id, kind, reason, state, carrier, next_due, data, created_at, updated_at`

// Return returns a return, or ENOTFOUND.
func (q *Queries) Return(ctx context.Context, id string) (ReturnRow, error) {
	return scanReturn(q.queryRow(ctx, `SELECT `+returnColumns+` FROM returns WHERE id = ?`, id))
}

// ReturnFilter narrows a list of returns.
type ReturnFilter struct {
	States         []string
	DueBefore      *time.Time
	Carrier        string
	Reason         string
	ContactID      string
	ConversationID string
	OrderID        string
	Limit          int
}

// Returns lists returns, what is due first, then the newest.
func (q *Queries) Returns(ctx context.Context, f ReturnFilter) ([]ReturnRow, error) {
	var where []string
	var args []any
	if len(f.States) > 0 {
		where = append(where, `state IN (`+placeholders(len(f.States))+`)`)
		for _, s := range f.States {
			args = append(args, s)
		}
	}
	for _, c := range []struct{ col, v string }{{"carrier", f.Carrier}, {"reason", f.Reason}, {"contact_id", f.ContactID},
		{"conversation_id", f.ConversationID}, {"order_id", f.OrderID}} {
		if c.v != "" {
			where = append(where, c.col+` = ?`)
			args = append(args, c.v)
		}
	}
	if f.DueBefore != nil {
		where = append(where, `next_due < ?`)
		args = append(args, millis(*f.DueBefore))
	}
	query := `SELECT ` + returnColumns + ` FROM returns`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 500
	}
	args = append(args, f.Limit)
	rows, err := q.query(ctx, query+` ORDER BY CASE WHEN next_due IS NULL THEN 1 ELSE 0 END, next_due, created_at DESC LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ReturnRow
	for rows.Next() {
		r, err := scanReturn(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// InsertReturnEvent records a step of a return.
func (q *Queries) InsertReturnEvent(ctx context.Context, e kefu.ReturnEvent) error {
	data, _ := json.Marshal(e.Data)
	_, err := q.exec(ctx, `INSERT INTO return_events (id, return_id, type, actor_type, actor_id, actor_name, data, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, e.ReturnID, e.Type, e.ActorType, e.ActorID, e.ActorName, string(data), millis(e.CreatedAt))
	return err
}

// ReturnEvents returns a return's timeline, oldest first.
func (q *Queries) ReturnEvents(ctx context.Context, returnID string) ([]kefu.ReturnEvent, error) {
	rows, err := q.query(ctx, `SELECT id, return_id, type, actor_type, actor_id, actor_name, data, created_at FROM return_events
		WHERE return_id = ? ORDER BY created_at, id`, returnID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []kefu.ReturnEvent{}
	for rows.Next() {
		var e kefu.ReturnEvent
		var data string
		var created int64
		if err := rows.Scan(&e.ID, &e.ReturnID, &e.Type, &e.ActorType, &e.ActorID, &e.ActorName, &data, &created); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(data), &e.Data)
		e.CreatedAt = fromMillis(created)
		out = append(out, e)
	}
	return out, rows.Err()
}
