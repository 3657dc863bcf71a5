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

// Teams lists teams by name with their members and routing.
func (q *Queries) Teams(ctx context.Context) ([]kefu.Team, error) {
	return q.teams(ctx, "")
}
