package store

import (
	"context"
	"database/sql"
	"strings"
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

// IntentExample is a conversation an agent labelled with its intent: what
// the customer first wrote, for training the shop's own classifier.
type IntentExample struct {
	ConversationID string
	Intent         string
	Text           string
}

// IntentCorrections returns the conversations whose intent an agent set,
// each with the customer's first messages (up to three, before any reply
// changes the subject), oldest correction first.
func (q *Queries) IntentCorrections(ctx context.Context) ([]IntentExample, error) {
	rows, err := q.query(ctx, `SELECT c.id, c.intent, m.body FROM conversations c
		JOIN messages m ON m.conversation_id = c.id AND m.sender_type = 'customer' AND m.private = 0
		WHERE c.intent_source = 'agent' AND c.intent <> ''
		ORDER BY c.intent_corrected_at, c.id, m.seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []IntentExample
	lines := 0
	for rows.Next() {
		var id, intent, body string
		if err := rows.Scan(&id, &intent, &body); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ConversationID != id {
			out, lines = append(out, IntentExample{ConversationID: id, Intent: intent}), 0
		}
		if lines < 3 && body != "" {
			last := &out[len(out)-1]
			last.Text = strings.TrimSpace(last.Text + " " + body)
			lines++
		}
	}
	return out, rows.Err()
}

// LastIntentCorrection returns when an agent last corrected an intent, or
// the zero time.
func (q *Queries) LastIntentCorrection(ctx context.Context) (time.Time, error) {
	var last sql.NullInt64
	err := q.queryRow(ctx, `SELECT MAX(intent_corrected_at) FROM conversations WHERE intent_source = 'agent'`).Scan(&last)
	if err != nil || !last.Valid {
		return time.Time{}, err
	}
	return fromMillis(last.Int64), nil
}

// BotTurnCount is how many turns share a quarter hour, outcome, reason,
// intent and feedback: the raw material of the bot report.
type BotTurnCount struct {
	Quarter int64 // the turns' time in quarter hours since the Unix epoch
	Outcome string
	Reason  string
	Intent  string
	Helpful *bool
	Count   int
}

// BotTurnCounts counts the bot's turns in [from, to). Quarter hours let the
// caller count days in any time zone exactly.
func (q *Queries) BotTurnCounts(ctx context.Context, from, to time.Time) ([]BotTurnCount, error) {
	rows, err := q.query(ctx, `SELECT created_at / 900000, outcome, reason, intent, helpful, COUNT(*) FROM bot_turns
		WHERE created_at >= ? AND created_at < ? GROUP BY created_at / 900000, outcome, reason, intent, helpful`,
		millis(from), millis(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []BotTurnCount
	for rows.Next() {
		var c BotTurnCount
		var helpful sql.NullInt64
		if err := rows.Scan(&c.Quarter, &c.Outcome, &c.Reason, &c.Intent, &helpful, &c.Count); err != nil {
			return nil, err
		}
		if helpful.Valid {
			h := helpful.Int64 == 1
			c.Helpful = &h
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// BotConversationCounts returns how many conversations the bot took a turn
// in during [from, to), and how many of those it never handed to a human.
func (q *Queries) BotConversationCounts(ctx context.Context, from, to time.Time) (total, contained int, err error) {
	err = q.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM bot_turns h
		WHERE h.conversation_id = t.conversation_id AND h.outcome = 'handoff') THEN 1 ELSE 0 END), 0)
		FROM (SELECT DISTINCT conversation_id FROM bot_turns WHERE created_at >= ? AND created_at < ?) t`,
		millis(from), millis(to)).Scan(&total, &contained)
	return total, contained, err
}
