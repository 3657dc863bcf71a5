package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"kefu"
	"kefu/text"
)

// ---- inboxes and visitors ----

type inboxSettings struct {
	BotEnabled     bool     `json:"bot_enabled"`
	BotThreshold   float64  `json:"bot_threshold"`
	Greeting       string   `json:"greeting"`
	OfflineMessage string   `json:"offline_message"`
	PrechatEnabled bool     `json:"prechat_enabled"`
	PrechatFields  []string `json:"prechat_fields"`
	ReopenHours    int      `json:"reopen_window_hours"`
	Survey         string   `json:"survey"`
	SurveyExpiry   int      `json:"survey_expiry_hours"`
}

// InboxRow is an inbox as stored; the identity secret is vault ciphertext.
type InboxRow struct {
	kefu.Inbox
	SecretEnc []byte
}

// SaveInbox inserts or replaces an inbox.
func (q *Queries) SaveInbox(ctx context.Context, in InboxRow, now time.Time) error {
	settings, _ := json.Marshal(inboxSettings{in.BotEnabled, in.BotThreshold, in.Greeting, in.OfflineMessage, in.PrechatEnabled,
		in.PrechatFields, in.ReopenHours, in.Survey, in.SurveyExpiryHours})
	_, err := q.exec(ctx, `INSERT INTO inboxes (id, name, channel, website_token, identity_secret, team_id, settings, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, team_id = excluded.team_id, settings = excluded.settings,
			identity_secret = excluded.identity_secret, updated_at = excluded.updated_at`,
		in.ID, in.Name, in.Channel, in.WebsiteToken, in.SecretEnc, nullString(in.TeamID), string(settings), millis(in.CreatedAt), millis(now))
	return err
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

const inboxColumns = `id, name, channel, website_token, identity_secret, COALESCE(team_id, ''), settings, created_at`

func scanInbox(s interface{ Scan(...any) error }) (InboxRow, error) {
	var in InboxRow
	var settings string
	var created int64
	if err := s.Scan(&in.ID, &in.Name, &in.Channel, &in.WebsiteToken, &in.SecretEnc, &in.TeamID, &settings, &created); err != nil {
		return in, mapError(err)
	}
	var st inboxSettings
	_ = json.Unmarshal([]byte(settings), &st)
	in.BotEnabled, in.BotThreshold, in.Greeting, in.OfflineMessage, in.PrechatEnabled, in.PrechatFields, in.ReopenHours =
		st.BotEnabled, st.BotThreshold, st.Greeting, st.OfflineMessage, st.PrechatEnabled, st.PrechatFields, st.ReopenHours
	in.Survey, in.SurveyExpiryHours = st.Survey, st.SurveyExpiry
	if in.PrechatFields == nil {
		in.PrechatFields = []string{}
	}
	in.CreatedAt = fromMillis(created)
	return in, nil
}

// Inbox returns an inbox by id, or ENOTFOUND.
func (q *Queries) Inbox(ctx context.Context, id string) (InboxRow, error) {
	return scanInbox(q.queryRow(ctx, `SELECT `+inboxColumns+` FROM inboxes WHERE id = ?`, id))
}

// InboxByToken returns an inbox by its public website token, or ENOTFOUND.
func (q *Queries) InboxByToken(ctx context.Context, token string) (InboxRow, error) {
	return scanInbox(q.queryRow(ctx, `SELECT `+inboxColumns+` FROM inboxes WHERE website_token = ?`, token))
}

// Inboxes lists inboxes by name.
func (q *Queries) Inboxes(ctx context.Context) ([]InboxRow, error) {
	rows, err := q.query(ctx, `SELECT `+inboxColumns+` FROM inboxes ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []InboxRow
	for rows.Next() {
		in, err := scanInbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// Visitor is a browser known to a web chat inbox.
type Visitor struct {
	ID        string
	InboxID   string
	ContactID string
}

// InsertVisitor stores a visitor with the hash of its token.
func (q *Queries) InsertVisitor(ctx context.Context, v Visitor, tokenHash []byte, now time.Time) error {
	_, err := q.exec(ctx, `INSERT INTO visitors (id, inbox_id, token_hash, contact_id, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)`,
		v.ID, v.InboxID, tokenHash, nullString(v.ContactID), millis(now), millis(now))
	return err
}

// VisitorByToken returns a visitor by token hash, or ENOTFOUND.
func (q *Queries) VisitorByToken(ctx context.Context, tokenHash []byte) (Visitor, error) {
	var v Visitor
	err := q.queryRow(ctx, `SELECT id, inbox_id, COALESCE(contact_id, '') FROM visitors WHERE token_hash = ?`, tokenHash).Scan(&v.ID, &v.InboxID, &v.ContactID)
	return v, mapError(err)
}

// SetVisitorContact points a visitor at a contact (its first message, or identify).
func (q *Queries) SetVisitorContact(ctx context.Context, visitorID, contactID string, now time.Time) error {
	_, err := q.exec(ctx, `UPDATE visitors SET contact_id = ?, last_seen_at = ? WHERE id = ?`, contactID, millis(now), visitorID)
	return err
}

// ClaimVisitorContact gives a visitor without a contact the contact id, and
// returns the visitor's contact: the given one, or the one another request
// set first.
func (q *Queries) ClaimVisitorContact(ctx context.Context, visitorID, contactID string, now time.Time) (string, error) {
	if _, err := q.exec(ctx, `UPDATE visitors SET contact_id = ?, last_seen_at = ? WHERE id = ? AND contact_id IS NULL`,
		contactID, millis(now), visitorID); err != nil {
		return "", err
	}
	var id string
	err := q.queryRow(ctx, `SELECT contact_id FROM visitors WHERE id = ?`, visitorID).Scan(&id)
	return id, mapError(err)
}

// ContactByShopUserID returns the id of the contact with a shop user id, or ENOTFOUND.
func (q *Queries) ContactByShopUserID(ctx context.Context, shopUserID string) (string, error) {
	var id string
	err := q.queryRow(ctx, `SELECT id FROM contacts WHERE shop_user_id = ? ORDER BY id LIMIT 1`, shopUserID).Scan(&id)
	return id, mapError(err)
}

// ---- conversations ----

const conversationColumns = `c.id, c.inbox_id, i.name, c.contact_id, c.channel, c.status, c.priority,
	COALESCE(c.assignee_id, ''), COALESCE(u.name, ''), COALESCE(c.team_id, ''), COALESCE(t.name, ''),
	c.subject, c.labels, c.snoozed_until, c.created_at, c.first_reply_at, c.resolved_at, c.last_message_at,
	c.waiting_since, c.last_seq, c.customer_read_seq, c.agent_read_seq, COALESCE(c.previous_id, ''), c.updated_at, c.bot,
	c.intent, c.intent_source, c.intent_corrected_at, c.language, c.queued_at, c.sla_policy_id, c.first_response_due,
	c.next_response_due, c.resolution_due, c.sla_fired, c.sla_used_ms, c.sla_running_since, c.sla_policy_pinned,
	c.complaint_category, c.complaint_severity`

const conversationFrom = ` FROM conversations c JOIN inboxes i ON i.id = c.inbox_id
	LEFT JOIN users u ON u.id = c.assignee_id LEFT JOIN teams t ON t.id = c.team_id`

func scanConversation(s interface{ Scan(...any) error }) (kefu.Conversation, error) {
	var c kefu.Conversation
	var labels string
	var snoozed, firstReply, resolved, waiting, corrected, queued, firstDue, nextDue, resolutionDue, running sql.NullInt64
	var fired string
	var used int64
	var pinned int
	var created, lastMsg, updated int64
	var bot int
	err := s.Scan(&c.ID, &c.InboxID, &c.InboxName, &c.ContactID, &c.Channel, &c.Status, &c.Priority,
		&c.AssigneeID, &c.AssigneeName, &c.TeamID, &c.TeamName, &c.Subject, &labels, &snoozed, &created, &firstReply,
		&resolved, &lastMsg, &waiting, &c.LastSeq, &c.CustomerReadSeq, &c.AgentReadSeq, &c.PreviousID, &updated, &bot,
		&c.Intent, &c.IntentSource, &corrected, &c.Language, &queued, &c.SLAPolicyID, &firstDue, &nextDue, &resolutionDue,
		&fired, &used, &running, &pinned, &c.ComplaintCategory, &c.ComplaintSeverity)
	if err != nil {
		return c, mapError(err)
	}
	c.Bot = bot == 1
	c.IntentCorrectedAt = fromNullMillis(corrected)
	c.QueuedAt, c.FirstResponseDue, c.NextResponseDue, c.ResolutionDue, c.SLARunningSince =
		fromNullMillis(queued), fromNullMillis(firstDue), fromNullMillis(nextDue), fromNullMillis(resolutionDue), fromNullMillis(running)
	c.SLAUsed = time.Duration(used) * time.Millisecond
	c.SLAFired, c.SLAPolicyPinned = splitList(fired), pinned == 1
	_ = json.Unmarshal([]byte(labels), &c.Labels)
	if c.Labels == nil {
		c.Labels = []string{}
	}
	c.SnoozedUntil, c.FirstReplyAt, c.ResolvedAt, c.WaitingSince =
		fromNullMillis(snoozed), fromNullMillis(firstReply), fromNullMillis(resolved), fromNullMillis(waiting)
	c.CreatedAt, c.LastMessageAt, c.UpdatedAt = fromMillis(created), fromMillis(lastMsg), fromMillis(updated)
	return c, nil
}

// InsertConversation stores a new conversation.
func (q *Queries) InsertConversation(ctx context.Context, c kefu.Conversation) error {
	labels, _ := json.Marshal(nonNilSlice(c.Labels))
	_, err := q.exec(ctx, `INSERT INTO conversations (id, inbox_id, contact_id, channel, status, priority, assignee_id, team_id,
		subject, labels, created_at, last_message_at, previous_id, updated_at, bot, intent, intent_source, language)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.InboxID, c.ContactID, c.Channel, c.Status, c.Priority, nullString(c.AssigneeID), nullString(c.TeamID),
		c.Subject, string(labels), millis(c.CreatedAt), millis(c.LastMessageAt), nullString(c.PreviousID), millis(c.UpdatedAt), boolInt(c.Bot),
		c.Intent, c.IntentSource, c.Language)
	return err
}

// UpdateConversation writes a conversation's changeable fields — not its
// message counters and waiting time, which only AppendMessage (and
// SetWaitingSince at a handoff) move, nor its queue and SLA clock, which
// only SetQueued and SetSLA move: a message, routing and the SLA timers
// change them beside an agent's edit, and none may undo another with a
// stale copy.
func (q *Queries) UpdateConversation(ctx context.Context, c kefu.Conversation) error {
	labels, _ := json.Marshal(nonNilSlice(c.Labels))
	_, err := q.exec(ctx, `UPDATE conversations SET status = ?, priority = ?, assignee_id = ?, team_id = ?, subject = ?,
		labels = ?, snoozed_until = ?, resolved_at = ?, updated_at = ?, bot = ?,
		intent = ?, intent_source = ?, intent_corrected_at = ?, language = ?, complaint_category = ?, complaint_severity = ? WHERE id = ?`,
		c.Status, c.Priority, nullString(c.AssigneeID), nullString(c.TeamID), c.Subject, string(labels),
		nullMillis(c.SnoozedUntil), nullMillis(c.ResolvedAt), millis(c.UpdatedAt), boolInt(c.Bot),
		c.Intent, c.IntentSource, nullMillis(c.IntentCorrectedAt), c.Language, c.ComplaintCategory, c.ComplaintSeverity, c.ID)
	return err
}

// Conversation returns a conversation by id, or ENOTFOUND.
func (q *Queries) Conversation(ctx context.Context, id string) (kefu.Conversation, error) {
	return scanConversation(q.queryRow(ctx, `SELECT `+conversationColumns+conversationFrom+` WHERE c.id = ?`, id))
}

// LatestConversation returns the newest conversation of a contact in an inbox, or ENOTFOUND.
func (q *Queries) LatestConversation(ctx context.Context, inboxID, contactID string) (kefu.Conversation, error) {
	return scanConversation(q.queryRow(ctx, `SELECT `+conversationColumns+conversationFrom+`
		WHERE c.inbox_id = ? AND c.contact_id = ? ORDER BY c.created_at DESC, c.id DESC LIMIT 1`, inboxID, contactID))
}

// Visibility limits a list to what a reader may see. All sees everything;
// otherwise conversations assigned to UserID (Own) or of the user's teams (Team).
type Visibility struct {
	All    bool
	Own    bool
	Team   bool
	UserID string
}

func (v Visibility) clause() (string, []any) {
	if v.All {
		return "1 = 1", nil
	}
	var parts []string
	var args []any
	if v.Own {
		parts = append(parts, "c.assignee_id = ?")
		args = append(args, v.UserID)
	}
	if v.Team {
		parts = append(parts, "c.team_id IN (SELECT team_id FROM team_members WHERE user_id = ?)")
		args = append(args, v.UserID)
	}
	if len(parts) == 0 {
		return "1 = 0", nil
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

// Conversations lists conversations for a reader, the longest-waiting first,
// then the most recently active. The cursor is an offset.
func (q *Queries) Conversations(ctx context.Context, vis Visibility, f kefu.ConversationFilter) ([]kefu.Conversation, error) {
	where, args := vis.clause()
	add := func(cond string, v ...any) { where += " AND " + cond; args = append(args, v...) }
	switch f.View {
	case "mine":
		add("c.assignee_id = ?", vis.UserID)
	case "unassigned":
		add("c.assignee_id IS NULL")
	case "team":
		add("c.team_id IN (SELECT team_id FROM team_members WHERE user_id = ?)", vis.UserID)
	}
	if f.Status != "" {
		add("c.status = ?", f.Status)
	}
	if f.Channel != "" {
		add("c.channel = ?", f.Channel)
	}
	if f.ContactID != "" {
		add("c.contact_id = ?", f.ContactID)
	}
	if f.Label != "" {
		label, _ := json.Marshal(f.Label)
		add("c.labels LIKE ?", "%"+string(label)+"%")
	}
	offset, _ := strconv.Atoi(f.Cursor)
	args = append(args, f.Limit, offset)
	return q.conversations(ctx, `SELECT `+conversationColumns+conversationFrom+` WHERE `+where+`
		ORDER BY c.waiting_since ASC NULLS LAST, c.last_message_at DESC, c.id LIMIT ? OFFSET ?`, args...)
}

// CountConversations counts open conversations per view for a reader.
func (q *Queries) CountConversations(ctx context.Context, vis Visibility) (map[string]int, error) {
	where, args := vis.clause()
	args = append([]any{vis.UserID, vis.UserID}, args...)
	var mine, unassigned, team, all int
	err := q.queryRow(ctx, `SELECT
			COALESCE(SUM(CASE WHEN c.assignee_id = ? THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN c.assignee_id IS NULL THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN c.team_id IN (SELECT team_id FROM team_members WHERE user_id = ?) THEN 1 ELSE 0 END), 0),
			COUNT(*)
		FROM conversations c WHERE c.status = 'open' AND `+where, args...).Scan(&mine, &unassigned, &team, &all)
	return map[string]int{"mine": mine, "unassigned": unassigned, "team": team, "all": all}, mapError(err)
}

// UserTeamIDs lists the teams a user belongs to.
func (q *Queries) UserTeamIDs(ctx context.Context, userID string) ([]string, error) {
	return q.strings(ctx, `SELECT team_id FROM team_members WHERE user_id = ? ORDER BY team_id`, userID)
}

// strings runs a query of one text column and returns its values.
func (q *Queries) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ---- messages ----

// AppendMessage gives m the conversation's next sequence number, stores it
// and moves the conversation's counters, in the caller's transaction.
// Updating the conversation row first serialises writers to one conversation
// on both databases, so numbers never repeat or skip.
func (q *Queries) AppendMessage(ctx context.Context, m *kefu.Message) error {
	at := millis(m.CreatedAt)
	var waitingCase string
	switch {
	case m.Private || m.SenderType == kefu.SenderSystem || m.SenderType == kefu.SenderBot:
		waitingCase = "waiting_since" // notes, system lines and the bot do not answer for a human
	case m.SenderType == kefu.SenderCustomer:
		// While the bot handles a conversation no human is owed an answer.
		waitingCase = "CASE WHEN bot = 1 THEN waiting_since ELSE COALESCE(waiting_since, ?) END"
	default:
		waitingCase = "NULL" // an answer ends the wait
	}
	args := []any{at}
	if m.SenderType == kefu.SenderCustomer && !m.Private {
		args = append(args, at)
	}
	firstReply := "first_reply_at"
	if m.SenderType == kefu.SenderAgent && !m.Private {
		firstReply = "COALESCE(first_reply_at, ?)"
		args = append(args, at)
	}
	args = append(args, at, m.ConversationID)
	err := q.queryRow(ctx, `UPDATE conversations SET last_seq = last_seq + 1, last_message_at = ?,
		waiting_since = `+waitingCase+`, first_reply_at = `+firstReply+`, updated_at = ?
		WHERE id = ? RETURNING last_seq`, args...).Scan(&m.Seq)
	if err != nil {
		return mapError(err)
	}
	atts, _ := json.Marshal(m.Attachments)
	_, err = q.exec(ctx, `INSERT INTO messages (id, conversation_id, seq, sender_type, sender_id, sender_name, private, client_id,
		body, attachments, status, search, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.ConversationID, m.Seq, m.SenderType, m.SenderID, m.SenderName, boolInt(m.Private), m.ClientID, m.Text,
		string(atts), m.Status, text.SearchText(m.Text), at)
	return err
}

const messageColumns = `id, conversation_id, seq, sender_type, sender_id, sender_name, private, client_id, body, attachments, status, created_at`

func scanMessage(s interface{ Scan(...any) error }) (kefu.Message, error) {
	var m kefu.Message
	var private int
	var atts string
	var created int64
	err := s.Scan(&m.ID, &m.ConversationID, &m.Seq, &m.SenderType, &m.SenderID, &m.SenderName, &private, &m.ClientID,
		&m.Text, &atts, &m.Status, &created)
	if err != nil {
		return m, mapError(err)
	}
	m.Private, m.CreatedAt = private == 1, fromMillis(created)
	_ = json.Unmarshal([]byte(atts), &m.Attachments)
	if m.Attachments == nil {
		m.Attachments = []kefu.Attachment{}
	}
	return m, nil
}

func scanMessages(rows *sql.Rows) ([]kefu.Message, error) {
	defer rows.Close()
	var out []kefu.Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MessageByClientID returns the message a sender already stored under a
// client id, or ENOTFOUND.
func (q *Queries) MessageByClientID(ctx context.Context, conversationID, senderType, clientID string) (kefu.Message, error) {
	// The term client_id <> '' lets the planners use the partial index
	// messages_client; without it they scan the conversation's messages.
	return scanMessage(q.queryRow(ctx, `SELECT `+messageColumns+` FROM messages
		WHERE conversation_id = ? AND sender_type = ? AND client_id = ? AND client_id <> ''`, conversationID, senderType, clientID))
}

// Messages returns up to limit messages with seq > after, in order.
// Private notes are left out unless withPrivate.
func (q *Queries) Messages(ctx context.Context, conversationID string, after int64, limit int, withPrivate bool) ([]kefu.Message, error) {
	cond := ""
	if !withPrivate {
		cond = " AND private = 0"
	}
	rows, err := q.query(ctx, `SELECT `+messageColumns+` FROM messages WHERE conversation_id = ? AND seq > ?`+cond+`
		ORDER BY seq LIMIT ?`, conversationID, after, limit)
	if err != nil {
		return nil, err
	}
	return scanMessages(rows)
}

// LastMessages returns the newest message of each conversation, by conversation id.
func (q *Queries) LastMessages(ctx context.Context, ids []string) (map[string]kefu.Message, error) {
	out := map[string]kefu.Message{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := q.query(ctx, `SELECT `+messageColumns+` FROM messages m WHERE m.conversation_id IN (?`+
		strings.Repeat(", ?", len(ids)-1)+`) AND m.seq = (SELECT last_seq FROM conversations WHERE id = m.conversation_id)`, args...)
	if err != nil {
		return nil, err
	}
	msgs, err := scanMessages(rows)
	for _, m := range msgs {
		out[m.ConversationID] = m
	}
	return out, err
}

// Unread counts, per conversation, the customer messages a user has not read.
func (q *Queries) Unread(ctx context.Context, userID string, ids []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{userID}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := q.query(ctx, `SELECT m.conversation_id, COUNT(*) FROM messages m
		LEFT JOIN conversation_reads r ON r.conversation_id = m.conversation_id AND r.user_id = ?
		WHERE m.conversation_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) AND m.sender_type = 'customer'
			AND m.seq > COALESCE(r.seq, 0) GROUP BY m.conversation_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// MarkRead records that a user has read a conversation up to seq, and moves
// the conversation's agent read mark (the customer's read receipt).
func (q *Queries) MarkRead(ctx context.Context, conversationID, userID string, seq int64) error {
	if _, err := q.exec(ctx, `INSERT INTO conversation_reads (conversation_id, user_id, seq) VALUES (?, ?, ?)
		ON CONFLICT (conversation_id, user_id) DO UPDATE SET seq = CASE WHEN excluded.seq > conversation_reads.seq
			THEN excluded.seq ELSE conversation_reads.seq END`, conversationID, userID, seq); err != nil {
		return err
	}
	_, err := q.exec(ctx, `UPDATE conversations SET agent_read_seq = ? WHERE id = ? AND agent_read_seq < ? AND last_seq >= ?`,
		seq, conversationID, seq, seq)
	return err
}

// MarkCustomerRead moves the customer's read mark.
func (q *Queries) MarkCustomerRead(ctx context.Context, conversationID string, seq int64) error {
	_, err := q.exec(ctx, `UPDATE conversations SET customer_read_seq = ? WHERE id = ? AND customer_read_seq < ? AND last_seq >= ?`,
		seq, conversationID, seq, seq)
	return err
}

// ---- events ----

// InsertEvent stores a timeline event.
func (q *Queries) InsertEvent(ctx context.Context, e kefu.Event) error {
	data, _ := json.Marshal(e.Data)
	_, err := q.exec(ctx, `INSERT INTO conversation_events (id, conversation_id, type, actor_type, actor_id, actor_name, data, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, e.ConversationID, e.Type, e.ActorType, e.ActorID, e.ActorName, string(data), millis(e.CreatedAt))
	return err
}

// Events returns a conversation's timeline in order.
func (q *Queries) Events(ctx context.Context, conversationID string) ([]kefu.Event, error) {
	rows, err := q.query(ctx, `SELECT id, conversation_id, type, actor_type, actor_id, actor_name, data, created_at
		FROM conversation_events WHERE conversation_id = ? ORDER BY created_at, id`, conversationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []kefu.Event
	for rows.Next() {
		var e kefu.Event
		var data string
		var created int64
		if err := rows.Scan(&e.ID, &e.ConversationID, &e.Type, &e.ActorType, &e.ActorID, &e.ActorName, &data, &created); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(data), &e.Data)
		e.CreatedAt = fromMillis(created)
		out = append(out, e)
	}
	return out, rows.Err()
}

// DueSnoozed returns the ids of snoozed conversations whose time has come.
func (q *Queries) DueSnoozed(ctx context.Context, now time.Time) ([]string, error) {
	return q.strings(ctx, `SELECT id FROM conversations WHERE status = 'snoozed' AND snoozed_until <= ?`, millis(now))
}

// MoveConversations gives a contact's conversations in an inbox to another
// contact (an anonymous visitor who signed in).
func (q *Queries) MoveConversations(ctx context.Context, inboxID, fromContact, toContact string) error {
	_, err := q.exec(ctx, `UPDATE conversations SET contact_id = ? WHERE inbox_id = ? AND contact_id = ?`, toContact, inboxID, fromContact)
	return err
}

// isLoneCJK reports whether a term is a single CJK character, which the
// index holds only as the first half of a bigram ("卡" in "京东E卡余额" is
// indexed as "卡余"): such terms match as prefixes. Terms hold only letters
// and digits (package text), so they are safe in both query syntaxes.
func isLoneCJK(t string) bool {
	r := []rune(t)
	return len(r) == 1 && r[0] > 0x2E80
}

// SearchHit is a message found by full-text search.
type SearchHit struct {
	kefu.Message
	ContactID string
}

// SearchMessages finds the newest messages containing every term, among the
// conversations the reader may see. (On SQLite "newest" is by rowid, the
// order of insertion, which FTS5 walks backwards without sorting.) Terms are the search terms of the query
// (see package text); on SQLite FTS5 matches them, on PostgreSQL a GIN index.
func (q *Queries) SearchMessages(ctx context.Context, vis Visibility, terms []string, limit int) ([]SearchHit, error) {
	if len(terms) == 0 {
		return nil, nil
	}
	where, args := vis.clause()
	var query string
	if q.dialect == Postgres {
		query = `SELECT m.` + strings.ReplaceAll(messageColumns, ", ", ", m.") + `, c.contact_id FROM messages m
			JOIN conversations c ON c.id = m.conversation_id
			WHERE to_tsvector('simple', m.search) @@ to_tsquery('simple', ?) AND ` + where + `
			ORDER BY m.created_at DESC LIMIT ?`
		parts := make([]string, len(terms))
		for i, t := range terms {
			parts[i] = t
			if isLoneCJK(t) {
				parts[i] += ":*"
			}
		}
		args = append([]any{strings.Join(parts, " & ")}, args...)
	} else {
		quoted := make([]string, len(terms))
		for i, t := range terms {
			quoted[i] = `"` + t + `"`
			if isLoneCJK(t) {
				quoted[i] += "*"
			}
		}
		query = `SELECT m.` + strings.ReplaceAll(messageColumns, ", ", ", m.") + `, c.contact_id FROM messages_fts f
			JOIN messages m ON m.rowid = f.rowid JOIN conversations c ON c.id = m.conversation_id
			WHERE messages_fts MATCH ? AND ` + where + ` ORDER BY f.rowid DESC LIMIT ?`
		args = append([]any{strings.Join(quoted, " ")}, args...)
	}
	args = append(args, limit)
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SearchHit
	for rows.Next() {
		var h SearchHit
		var private int
		var atts string
		var created int64
		if err := rows.Scan(&h.ID, &h.ConversationID, &h.Seq, &h.SenderType, &h.SenderID, &h.SenderName, &private, &h.ClientID,
			&h.Text, &atts, &h.Status, &created, &h.ContactID); err != nil {
			return nil, err
		}
		h.Private, h.CreatedAt = private == 1, fromMillis(created)
		out = append(out, h)
	}
	return out, rows.Err()
}

// Message returns one message, or ENOTFOUND.
func (q *Queries) Message(ctx context.Context, id string) (kefu.Message, error) {
	return scanMessage(q.queryRow(ctx, `SELECT `+messageColumns+` FROM messages WHERE id = ?`, id))
}

// splitList reads a comma-separated column; empty is an empty list.
func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// LastCustomerMessage returns a conversation's latest customer message, or ENOTFOUND.
func (q *Queries) LastCustomerMessage(ctx context.Context, conversationID string) (kefu.Message, error) {
	return scanMessage(q.queryRow(ctx, `SELECT `+messageColumns+` FROM messages WHERE conversation_id = ? AND sender_type = 'customer'
		ORDER BY seq DESC LIMIT 1`, conversationID))
}

// LatestConversationOf returns a contact's most recent conversation in any
// inbox, or ENOTFOUND.
func (q *Queries) LatestConversationOf(ctx context.Context, contactID string) (kefu.Conversation, error) {
	return scanConversation(q.queryRow(ctx, `SELECT `+conversationColumns+conversationFrom+` WHERE c.contact_id = ?
		ORDER BY c.last_message_at DESC, c.id DESC LIMIT 1`, contactID))
}

// conversations runs a query selecting conversationColumns and scans the rows.
func (q *Queries) conversations(ctx context.Context, query string, args ...any) ([]kefu.Conversation, error) {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []kefu.Conversation
	for rows.Next() {
		c, err := scanConversation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SetWaitingSince starts a conversation's wait for a human (the bot handed
// it over).
func (q *Queries) SetWaitingSince(ctx context.Context, id string, at time.Time) error {
	_, err := q.exec(ctx, `UPDATE conversations SET waiting_since = ? WHERE id = ?`, millis(at), id)
	return err
}

// SetIntent records the classifier's intent unless an agent set one.
// It reports whether it changed anything.
func (q *Queries) SetIntent(ctx context.Context, id, intent string) (bool, error) {
	res, err := q.exec(ctx, `UPDATE conversations SET intent = ?, intent_source = 'bot'
		WHERE id = ? AND intent_source <> 'agent' AND (intent <> ? OR intent_source <> 'bot')`, intent, id, intent)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// LeaveBot takes a conversation from the bot (an agent answered it).
func (q *Queries) LeaveBot(ctx context.Context, id string) error {
	_, err := q.exec(ctx, `UPDATE conversations SET bot = 0 WHERE id = ?`, id)
	return err
}
