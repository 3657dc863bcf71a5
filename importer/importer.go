// Package importer loads historical conversations — from kefu's own JSON
// lines, the JDDC corpus of real JD.com chats, or Zendesk and Chatwoot
// exports — so that reports and the diagnosis can measure a shop's service
// before kefu ran it. Imported conversations are new rows in an inbox of
// their own, remembered by their source id: importing again adds nothing
// twice, and live data is never touched. They bypass routing, SLA, rules
// and the bot: history is not answered again.
//
// Zendesk and Chatwoot serve a conversation and its messages from two API
// endpoints, so their files bundle them, one object per line (or all in one
// JSON array):
//
//   - zendesk: a ticket (id, created_at, updated_at, status, requester_id,
//     via.channel, an optional requester {id, name, email, phone}) with its
//     "comments" [{id, author_id, plain_body or body, public, created_at}],
//     or {"ticket": {…}, "comments": […]}. See zendeskTicket.
//   - chatwoot: a conversation (id, status, created_at, meta.sender {id,
//     name, email, phone_number}) with all its "messages" [{id, content,
//     message_type, private, created_at, sender {type, name}}]. See
//     chatwootConversation.
package importer

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"kefu"
	"kefu/app"
	"kefu/store"
)

// Formats are the files kefu imports.
var Formats = []string{"kefu", "jddc", "zendesk", "chatwoot"}

// Message is one message of an imported conversation.
type Message struct {
	At      time.Time `json:"at"`
	From    string    `json:"from"` // customer, agent, bot
	Name    string    `json:"name,omitempty"`
	Text    string    `json:"text"`
	Private bool      `json:"private,omitempty"`
}

// Conversation is one conversation of kefu's import format (one JSON object
// per line).
type Conversation struct {
	ID         string     `json:"id"` // the source's id
	Channel    string     `json:"channel"`
	Contact    Contact    `json:"contact"`
	CreatedAt  time.Time  `json:"created_at"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	Intent     string     `json:"intent,omitempty"`
	Messages   []Message  `json:"messages"`
}

// Contact is who wrote.
type Contact struct {
	ExternalID string `json:"external_id"` // the customer's id in the source
	Name       string `json:"name,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Email      string `json:"email,omitempty"`
}

// Result says what an import did and why it skipped what it skipped.
type Result struct {
	Imported int            `json:"imported"`
	Messages int            `json:"messages"`
	Skipped  map[string]int `json:"skipped"` // reason → count
}

// Import reads a file of a format and stores its conversations in the
// inbox named inboxName (created if missing). progress is called after
// each conversation with how many are done of how many the file has.
func Import(ctx context.Context, a *app.App, format string, r io.Reader, inboxName string, progress func(done, total int)) (Result, error) {
	res := Result{Skipped: map[string]int{}}
	var convs []Conversation
	var err error
	switch format {
	case "kefu":
		convs, err = readKefu(r)
	case "jddc":
		convs, err = readJDDC(r)
	case "zendesk":
		convs, err = readZendesk(r)
	case "chatwoot":
		convs, err = readChatwoot(r)
	default:
		return res, kefu.Invalid("format", "Use one of %s.", strings.Join(Formats, ", "))
	}
	if err != nil {
		return res, err
	}
	ctx = app.System(ctx, "kefu import")
	ib, err := inbox(ctx, a, inboxName)
	if err != nil {
		return res, err
	}
	for i, c := range convs {
		reason, err := store1(ctx, a, format, ib, c)
		if err != nil {
			return res, fmt.Errorf("conversation %s: %w", c.ID, err)
		}
		if reason != "" {
			res.Skipped[reason]++
		} else {
			res.Imported++
			res.Messages += len(c.Messages)
		}
		if progress != nil {
			progress(i+1, len(convs))
		}
	}
	return res, nil
}

// inbox finds or makes the inbox imported conversations go to.
func inbox(ctx context.Context, a *app.App, name string) (kefu.Inbox, error) {
	list, err := a.Webchat.Inboxes(ctx)
	if err != nil {
		return kefu.Inbox{}, err
	}
	for _, ib := range list {
		if ib.Name == name {
			return ib, nil
		}
	}
	return a.Webchat.CreateInbox(ctx, kefu.Inbox{Name: name})
}

// store1 stores one conversation, or says why it was skipped.
func store1(ctx context.Context, a *app.App, source string, ib kefu.Inbox, c Conversation) (string, error) {
	switch {
	case c.ID == "":
		return "no id", nil
	case len(c.Messages) == 0:
		return "no messages", nil
	case c.Contact.ExternalID == "" && c.Contact.Phone == "" && c.Contact.Email == "":
		return "no customer", nil
	}
	done, err := a.DB.Imported(ctx, source, c.ID)
	if err != nil || done {
		if done {
			return "imported already", nil
		}
		return "", err
	}
	contactID, err := a.Contacts.Upsert(ctx, kefu.Contact{ShopUserID: source + ":" + c.Contact.ExternalID, Name: c.Contact.Name,
		Phone: c.Contact.Phone, Email: c.Contact.Email})
	if err != nil {
		return "", err
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = c.Messages[0].At
	}
	conv := kefu.Conversation{ID: kefu.NewID(), InboxID: ib.ID, ContactID: contactID, Channel: ib.Channel, Status: kefu.StatusOpen,
		Priority: "normal", Labels: []string{"导入:" + source}, CreatedAt: c.CreatedAt, LastMessageAt: c.CreatedAt, UpdatedAt: c.CreatedAt,
		Intent: c.Intent, Language: kefu.DetectLanguage(c.Messages[0].Text)}
	if c.Intent != "" {
		conv.IntentSource = "agent" // imported labels count as corrections: the shop's own data
	}
	now := time.Now()
	err = a.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.InsertConversation(ctx, conv); err != nil {
			return err
		}
		if err := q.InsertEvent(ctx, kefu.Event{ID: kefu.NewID(), ConversationID: conv.ID, Type: kefu.EventCreated, ActorType: kefu.SenderCustomer,
			ActorID: contactID, Data: map[string]any{"channel": conv.Channel, "imported_from": source, "external_id": c.ID}, CreatedAt: c.CreatedAt}); err != nil {
			return err
		}
		for _, m := range c.Messages {
			sender := map[string]string{"customer": kefu.SenderCustomer, "agent": kefu.SenderAgent, "bot": kefu.SenderBot}[m.From]
			if sender == "" {
				return kefu.Invalid("messages.from", "A message is from customer, agent or bot, not %q.", m.From)
			}
			msg := kefu.Message{ID: kefu.NewID(), ConversationID: conv.ID, SenderType: sender, SenderName: m.Name, Private: m.Private,
				Text: m.Text, Attachments: []kefu.Attachment{}, Status: "sent", CreatedAt: m.At}
			if err := q.AppendMessage(ctx, &msg); err != nil {
				return err
			}
		}
		if c.ResolvedAt != nil {
			conv.Status, conv.ResolvedAt, conv.UpdatedAt = kefu.StatusResolved, c.ResolvedAt, *c.ResolvedAt
			if err := q.UpdateConversation(ctx, conv); err != nil {
				return err
			}
			if err := q.InsertEvent(ctx, kefu.Event{ID: kefu.NewID(), ConversationID: conv.ID, Type: kefu.EventStatusChanged,
				ActorType: kefu.SenderSystem, ActorName: "kefu import", Data: map[string]any{"from": kefu.StatusOpen, "to": kefu.StatusResolved},
				CreatedAt: *c.ResolvedAt}); err != nil {
				return err
			}
		}
		return q.RecordImport(ctx, source, c.ID, conv.ID, now)
	})
	return "", err
}

// readKefu reads kefu's format: one Conversation as JSON per line (or all
// in one JSON array).
func readKefu(r io.Reader) ([]Conversation, error) {
	return readConversations(r, "kefu conversation", func(line int, raw []byte) (Conversation, error) {
		var c Conversation
		if err := json.Unmarshal(raw, &c); err != nil {
			return c, kefu.Invalid("file", "Line %d is not a conversation in kefu's JSON format: %s", line, jsonProblem(err))
		}
		return c, nil
	})
}

// JDDCStart is the day the JDDC sessions are placed on: the corpus has no
// times, so each session starts 7 minutes after the previous one and its
// messages follow 40 seconds apart (customer) or 60 seconds (agent). Reports
// on JDDC therefore measure the conversations' shape — turns, transfers,
// repeats — not real response times.
var JDDCStart = time.Date(2019, 6, 1, 1, 0, 0, 0, time.UTC)

// readJDDC reads the JDDC chat TSV: session_id, user_id, waiter_send (0
// customer, 1 agent), is_transfer, is_repeat, sku, content.
func readJDDC(r io.Reader) ([]Conversation, error) {
	cr := csv.NewReader(r)
	cr.Comma, cr.LazyQuotes, cr.FieldsPerRecord = '\t', true, -1
	var out []Conversation
	index := map[string]int{}
	line := 0
	for {
		rec, err := cr.Read()
		line++
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, kefu.Invalid("file", "Line %d: %v", line, err)
		}
		if len(rec) < 7 {
			return nil, kefu.Invalid("file", "Line %d has %d columns, not the 7 of JDDC's chat TSV.", line, len(rec))
		}
		session, user, from, text := rec[0], rec[1], "customer", strings.TrimSpace(rec[6])
		if rec[2] == "1" {
			from = "agent"
		}
		i, ok := index[session]
		if !ok {
			start := JDDCStart.Add(time.Duration(len(out)) * 7 * time.Minute)
			out = append(out, Conversation{ID: session, Channel: kefu.ChannelWebchat, Contact: Contact{ExternalID: user}, CreatedAt: start})
			i = len(out) - 1
			index[session] = i
		}
		c := &out[i]
		at := c.CreatedAt
		if n := len(c.Messages); n > 0 {
			gap := 40 * time.Second
			if from == "agent" {
				gap = 60 * time.Second
			}
			at = c.Messages[n-1].At.Add(gap)
		}
		c.Messages = append(c.Messages, Message{At: at, From: from, Text: text})
	}
	for i := range out {
		last := out[i].Messages[len(out[i].Messages)-1].At.Add(time.Minute)
		out[i].ResolvedAt = &last
	}
	return out, nil
}
