package store

import (
	"context"

	"kefu"
)

// InsertTeam stores a team and its members.
func (q *Queries) InsertTeam(ctx context.Context, t kefu.Team) error {
	if _, err := q.exec(ctx, `INSERT INTO teams (id, name, description, created_at) VALUES (?, ?, ?, ?)`,
		t.ID, t.Name, t.Description, millis(t.CreatedAt)); err != nil {
		return err
	}
	for _, u := range t.MemberIDs {
		if _, err := q.exec(ctx, `INSERT INTO team_members (team_id, user_id) VALUES (?, ?)`, t.ID, u); err != nil {
			return err
		}
	}
	return nil
}

// Teams lists teams by name with their members.
func (q *Queries) Teams(ctx context.Context) ([]kefu.Team, error) {
	rows, err := q.query(ctx, `SELECT t.id, t.name, t.description, t.created_at, COALESCE(m.user_id, '')
		FROM teams t LEFT JOIN team_members m ON m.team_id = t.id ORDER BY t.name, m.user_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []kefu.Team
	for rows.Next() {
		var t kefu.Team
		var created int64
		var member string
		if err := rows.Scan(&t.ID, &t.Name, &t.Description, &created, &member); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != t.ID {
			t.CreatedAt, t.MemberIDs = fromMillis(created), []string{}
			out = append(out, t)
		}
		if member != "" {
			last := &out[len(out)-1]
			last.MemberIDs = append(last.MemberIDs, member)
		}
	}
	return out, rows.Err()
}
