package store

import (
	"context"
	"time"
)

// Imported reports whether a source's conversation was imported already.
func (q *Queries) Imported(ctx context.Context, source, externalID string) (bool, error) {
	var n int
	err := q.queryRow(ctx, `SELECT COUNT(*) FROM imports WHERE source = ? AND external_id = ?`, source, externalID).Scan(&n)
	return n > 0, err
}

// RecordImport remembers an imported conversation.
func (q *Queries) RecordImport(ctx context.Context, source, externalID, conversationID string, at time.Time) error {
	_, err := q.exec(ctx, `INSERT INTO imports (source, external_id, conversation_id, imported_at) VALUES (?, ?, ?, ?)`,
		source, externalID, conversationID, millis(at))
	return mapError(err)
}
