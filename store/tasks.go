package store

import (
	"context"
	"database/sql"

	"kefu"
)

const taskColumns = `t.id, t.conversation_id, t.department, t.title, t.note, COALESCE(t.owner_id, ''), COALESCE(u.name, ''), t.status,
	t.due_at, t.created_by, t.created_at, t.updated_at, t.done_at`

func scanTask(s interface{ Scan(...any) error }) (kefu.Task, error) {
	var t kefu.Task
	var due, done sql.NullInt64
	var created, updated int64
	err := s.Scan(&t.ID, &t.ConversationID, &t.Department, &t.Title, &t.Note, &t.OwnerID, &t.OwnerName, &t.Status, &due, &t.CreatedBy,
		&created, &updated, &done)
	if err != nil {
		return t, mapError(err)
	}
	t.DueAt, t.DoneAt, t.CreatedAt, t.UpdatedAt = fromNullMillis(due), fromNullMillis(done), fromMillis(created), fromMillis(updated)
	return t, nil
}

// PutTask inserts or replaces a task.
func (q *Queries) PutTask(ctx context.Context, t kefu.Task) error {
	_, err := q.exec(ctx, `INSERT INTO tasks (id, conversation_id, department, title, note, owner_id, status, due_at, created_by, created_at,
		updated_at, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET department = excluded.department, title = excluded.title, note = excluded.note,
		owner_id = excluded.owner_id, status = excluded.status, due_at = excluded.due_at, updated_at = excluded.updated_at,
		done_at = excluded.done_at`, t.ID, t.ConversationID, t.Department, t.Title, t.Note, nullString(t.OwnerID), t.Status,
		nullMillis(t.DueAt), t.CreatedBy, millis(t.CreatedAt), millis(t.UpdatedAt), nullMillis(t.DoneAt))
	return mapError(err)
}

// Task returns a task, or ENOTFOUND.
func (q *Queries) Task(ctx context.Context, id string) (kefu.Task, error) {
	return scanTask(q.queryRow(ctx, `SELECT `+taskColumns+` FROM tasks t LEFT JOIN users u ON u.id = t.owner_id WHERE t.id = ?`, id))
}

// Tasks lists the tasks of a conversation, or an owner's open ones when
// conversationID is "", due first.
func (q *Queries) Tasks(ctx context.Context, conversationID, ownerID string) ([]kefu.Task, error) {
	where, arg := `t.conversation_id = ?`, conversationID
	if conversationID == "" {
		where, arg = `t.owner_id = ? AND t.status IN ('open', 'in_progress')`, ownerID
	}
	rows, err := q.query(ctx, `SELECT `+taskColumns+` FROM tasks t LEFT JOIN users u ON u.id = t.owner_id WHERE `+where+`
		ORDER BY CASE WHEN t.due_at IS NULL THEN 1 ELSE 0 END, t.due_at, t.created_at`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []kefu.Task{}
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
