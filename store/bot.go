package store

import (
	"context"
	"database/sql"
	"time"
)

// BotTurn is one of the bot's turns: a customer question and what the bot did.
type BotTurn struct {
	ID             string
	ConversationID string
	MessageID      string // the customer's message
	ReplyID        string // the bot's answer, if any
	Outcome        string // answered or handoff
	Reason         string // why it handed off
	Question       string
	Intent         string
	Angry          bool
	Confidence     float64
	FAQID          string
	Helpful        *bool
	CreatedAt      time.Time
}

// InsertBotTurn records a turn.
func (q *Queries) InsertBotTurn(ctx context.Context, t BotTurn) error {
	_, err := q.exec(ctx, `INSERT INTO bot_turns (id, conversation_id, message_id, reply_id, outcome, reason, question, intent,
		angry, confidence, faq_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.ConversationID, t.MessageID, t.ReplyID, t.Outcome, t.Reason, t.Question, t.Intent, boolInt(t.Angry),
		t.Confidence, t.FAQID, millis(t.CreatedAt))
	return err
}

// SetBotFeedback records whether the answer with reply id helped. Returns
// ENOTFOUND when the conversation has no such answer.
func (q *Queries) SetBotFeedback(ctx context.Context, conversationID, replyID string, helpful bool) error {
	res, err := q.exec(ctx, `UPDATE bot_turns SET helpful = ? WHERE conversation_id = ? AND reply_id = ? AND reply_id <> ''`,
		boolInt(helpful), conversationID, replyID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("Bot answer")
	}
	return nil
}

// RecentBotTurns returns a conversation's last n turns, newest first.
func (q *Queries) RecentBotTurns(ctx context.Context, conversationID string, n int) ([]BotTurn, error) {
	rows, err := q.query(ctx, `SELECT id, conversation_id, message_id, reply_id, outcome, reason, question, intent, angry,
		confidence, faq_id, helpful, created_at FROM bot_turns WHERE conversation_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
		conversationID, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []BotTurn
	for rows.Next() {
		var t BotTurn
		var angry int
		var helpful sql.NullInt64
		var created int64
		if err := rows.Scan(&t.ID, &t.ConversationID, &t.MessageID, &t.ReplyID, &t.Outcome, &t.Reason, &t.Question, &t.Intent,
			&angry, &t.Confidence, &t.FAQID, &helpful, &created); err != nil {
			return nil, err
		}
		t.Angry, t.CreatedAt = angry == 1, fromMillis(created)
		if helpful.Valid {
			h := helpful.Int64 == 1
			t.Helpful = &h
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// UnansweredQuestion is a question the bot could not answer, with how often it came.
type UnansweredQuestion struct {
	Question string    `json:"question"`
	Count    int       `json:"count"`
	Intent   string    `json:"intent"`
	LastAt   time.Time `json:"last_at"`
}

// UnansweredQuestions lists the questions the bot handed off for lack of an
// answer since a time, the most frequent first: the gaps of the knowledge base.
func (q *Queries) UnansweredQuestions(ctx context.Context, since time.Time, limit int) ([]UnansweredQuestion, error) {
	rows, err := q.query(ctx, `SELECT question, COUNT(*), MAX(intent), MAX(created_at) FROM bot_turns
		WHERE outcome = 'handoff' AND reason = 'low_confidence' AND created_at >= ?
		GROUP BY question ORDER BY COUNT(*) DESC, MAX(created_at) DESC LIMIT ?`, millis(since), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []UnansweredQuestion
	for rows.Next() {
		var u UnansweredQuestion
		var last int64
		if err := rows.Scan(&u.Question, &u.Count, &u.Intent, &last); err != nil {
			return nil, err
		}
		u.LastAt = fromMillis(last)
		out = append(out, u)
	}
	return out, rows.Err()
}
