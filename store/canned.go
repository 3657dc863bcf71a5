package store

import (
	"context"

	"kefu"
)

const cannedColumns = `id, shortcut, title, content, scope, COALESCE(team_id, ''), COALESCE(owner_id, ''), created_at, updated_at`

// SaveCannedReply inserts or replaces a canned reply.
func (q *Queries) SaveCannedReply(ctx context.Context, c kefu.CannedReply) error {
	_, err := q.exec(ctx, `INSERT INTO canned_replies (id, shortcut, title, content, scope, team_id, owner_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET shortcut = excluded.shortcut, title = excluded.title, content = excluded.content,
			scope = excluded.scope, team_id = excluded.team_id, owner_id = excluded.owner_id, updated_at = excluded.updated_at`,
		c.ID, c.Shortcut, c.Title, c.Content, c.Scope, nullString(c.TeamID), nullString(c.OwnerID), millis(c.CreatedAt), millis(c.UpdatedAt))
	return err
}

// DeleteCannedReply removes a canned reply.
func (q *Queries) DeleteCannedReply(ctx context.Context, id string) error {
	_, err := q.exec(ctx, `DELETE FROM canned_replies WHERE id = ?`, id)
	return err
}

func scanCanned(s interface{ Scan(...any) error }) (kefu.CannedReply, error) {
	var c kefu.CannedReply
	var created, updated int64
	err := s.Scan(&c.ID, &c.Shortcut, &c.Title, &c.Content, &c.Scope, &c.TeamID, &c.OwnerID, &created, &updated)
	c.CreatedAt, c.UpdatedAt = fromMillis(created), fromMillis(updated)
	return c, mapError(err)
}

// CannedReply returns one canned reply, or ENOTFOUND.
func (q *Queries) CannedReply(ctx context.Context, id string) (kefu.CannedReply, error) {
	return scanCanned(q.queryRow(ctx, `SELECT `+cannedColumns+` FROM canned_replies WHERE id = ?`, id))
}

// CannedReplies lists the canned replies a user may use: shared ones, their
// teams' and their own, by shortcut.
func (q *Queries) CannedReplies(ctx context.Context, userID string) ([]kefu.CannedReply, error) {
	rows, err := q.query(ctx, `SELECT `+cannedColumns+` FROM canned_replies
		WHERE scope = 'shared' OR (scope = 'personal' AND owner_id = ?)
			OR (scope = 'team' AND team_id IN (SELECT team_id FROM team_members WHERE user_id = ?))
		ORDER BY shortcut, id`, userID, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []kefu.CannedReply
	for rows.Next() {
		c, err := scanCanned(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
