package store

import (
	"context"
	"database/sql"
	"time"
)

// Survey is a satisfaction survey as stored.
type Survey struct {
	ID             string     `json:"id"`
	ConversationID string     `json:"conversation_id"`
	InboxID        string     `json:"inbox_id"`
	ContactID      string     `json:"contact_id"`
	TeamID         string     `json:"team_id"`
	AssigneeID     string     `json:"assignee_id"`
	Kind           string     `json:"kind"`
	TokenHash      []byte     `json:"-"`
	SentAt         time.Time  `json:"sent_at"`
	ExpiresAt      time.Time  `json:"expires_at"`
	AnsweredAt     *time.Time `json:"answered_at,omitempty"`
	CSAT           *int       `json:"csat,omitempty"`
	NPS            *int       `json:"nps,omitempty"`
	Comment        string     `json:"comment"`
	FollowUpTaskID string     `json:"follow_up_task_id,omitempty"`
}

const surveyColumns = `id, conversation_id, inbox_id, contact_id, team_id, assignee_id, kind, token_hash, sent_at, expires_at,
	answered_at, csat, nps, comment, follow_up_task_id`

func scanSurvey(s interface{ Scan(...any) error }) (Survey, error) {
	var v Survey
	var sent, expires int64
	var answered, csat, nps sql.NullInt64
	err := s.Scan(&v.ID, &v.ConversationID, &v.InboxID, &v.ContactID, &v.TeamID, &v.AssigneeID, &v.Kind, &v.TokenHash, &sent, &expires,
		&answered, &csat, &nps, &v.Comment, &v.FollowUpTaskID)
	if err != nil {
		return v, mapError(err)
	}
	v.SentAt, v.ExpiresAt, v.AnsweredAt = fromMillis(sent), fromMillis(expires), fromNullMillis(answered)
	if csat.Valid {
		n := int(csat.Int64)
		v.CSAT = &n
	}
	if nps.Valid {
		n := int(nps.Int64)
		v.NPS = &n
	}
	return v, nil
}

// InsertSurvey stores a new survey; a conversation has at most one, so a
// second is a conflict.
func (q *Queries) InsertSurvey(ctx context.Context, v Survey) error {
	_, err := q.exec(ctx, `INSERT INTO surveys (id, conversation_id, inbox_id, contact_id, team_id, assignee_id, kind, token_hash, sent_at,
		expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, v.ID, v.ConversationID, v.InboxID, v.ContactID, v.TeamID, v.AssigneeID, v.Kind,
		v.TokenHash, millis(v.SentAt), millis(v.ExpiresAt))
	return mapError(err)
}

// SurveyByToken returns the survey of a link's token hash, or ENOTFOUND.
func (q *Queries) SurveyByToken(ctx context.Context, hash []byte) (Survey, error) {
	return scanSurvey(q.queryRow(ctx, `SELECT `+surveyColumns+` FROM surveys WHERE token_hash = ?`, hash))
}

// SurveyOf returns a conversation's survey, or ENOTFOUND.
func (q *Queries) SurveyOf(ctx context.Context, conversationID string) (Survey, error) {
	return scanSurvey(q.queryRow(ctx, `SELECT `+surveyColumns+` FROM surveys WHERE conversation_id = ?`, conversationID))
}

// AnswerSurvey records the answer once: it reports false when the survey
// was answered already.
func (q *Queries) AnswerSurvey(ctx context.Context, id string, at time.Time, csat, nps *int, comment string) (bool, error) {
	res, err := q.exec(ctx, `UPDATE surveys SET answered_at = ?, csat = ?, nps = ?, comment = ? WHERE id = ? AND answered_at IS NULL`,
		millis(at), optIntAny(csat), optIntAny(nps), comment, id)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// SetSurveyFollowUp links the follow-up task of a low score.
func (q *Queries) SetSurveyFollowUp(ctx context.Context, id, taskID string) error {
	_, err := q.exec(ctx, `UPDATE surveys SET follow_up_task_id = ? WHERE id = ?`, taskID, id)
	return err
}

// SurveyAnswers returns the surveys answered in [from, to), newest first.
func (q *Queries) SurveyAnswers(ctx context.Context, from, to time.Time, limit int) ([]Survey, error) {
	rows, err := q.query(ctx, `SELECT `+surveyColumns+` FROM surveys WHERE answered_at >= ? AND answered_at < ?
		ORDER BY answered_at DESC LIMIT ?`, millis(from), millis(to), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Survey
	for rows.Next() {
		v, err := scanSurvey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
