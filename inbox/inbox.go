// Package inbox runs the life of a conversation: customer messages coming in
// from any channel, agent replies and private notes, assignment and
// transfers, snooze, resolve and reopen. Every change is committed with its
// timeline event and webhook deliveries in one transaction, then published
// live to the agents' and customer's sockets.
package inbox

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"kefu"
	"kefu/contact"
	"kefu/realtime"
	"kefu/store"
	"kefu/upload"
	"kefu/webhook"
)

// Service runs conversations.
type Service struct {
	DB       *store.DB
	Bus      *realtime.Bus
	Hooks    *webhook.Service
	Uploads  *upload.Service
	Contacts *contact.Service
	Clock    kefu.Clock

	// OnCustomerMessage, when set, is called after a customer message is
	// committed and published, in its own goroutine: the bot reads the
	// customer's mood there, and answers when it handles the conversation.
	OnCustomerMessage func(ctx context.Context, c kefu.Conversation, m kefu.Message)

	// Suggestions, when set, proposes replies for agent assist.
	Suggestions SuggestFunc

	// Observers hear of every committed change to a conversation, with its
	// state before (zero for a new conversation, nil when the change cannot
	// matter to them: a bot answer, an intent) and after. Routing and the SLA
	// clock work from here, in the caller's goroutine, so a conversation is
	// queued and its timers set before the request returns.
	Observers []Observer
}

// An Observer reacts to a conversation's changes. It returns true when it
// changed the conversation again and published that through Changed: the
// observers after it have then seen the newer state, and are skipped for
// this one.
type Observer interface {
	ConversationChanged(ctx context.Context, ch Change) (republished bool)
}

// Change is one committed change of a conversation.
type Change struct {
	Before *kefu.Conversation // zero for a new conversation; nil when the change cannot matter (a bot answer, an intent)
	After  kefu.Conversation
	// Message is the customer message that caused the change, if one did.
	Message *kefu.Message
}

// MaxTextLength bounds one message.
const MaxTextLength = 5000

// DefaultReopenHours is how long after resolving a customer message reopens
// the conversation when the inbox does not say.
const DefaultReopenHours = 72

// visibility returns what the actor may see.
func (s *Service) visibility(a *kefu.Actor) store.Visibility {
	return store.Visibility{All: a.Can(kefu.PermConversationsViewAll), Own: a.Can(kefu.PermConversationsViewOwn),
		Team: a.Can(kefu.PermConversationsViewTeam), UserID: a.UserID}
}

// canSee reports whether the actor may see the conversation.
func (s *Service) canSee(ctx context.Context, a *kefu.Actor, c kefu.Conversation) (bool, error) {
	switch {
	case a.Can(kefu.PermConversationsViewAll):
		return true, nil
	case a.Can(kefu.PermConversationsViewOwn) && c.AssigneeID == a.UserID && c.AssigneeID != "":
		return true, nil
	case a.Can(kefu.PermConversationsViewTeam) && c.TeamID != "":
		teams, err := s.DB.UserTeamIDs(ctx, a.UserID)
		return slices.Contains(teams, c.TeamID), err
	}
	return false, nil
}

// load returns a conversation the actor may see. A conversation the actor may
// not see is reported as not found, so ids cannot be probed.
func (s *Service) load(ctx context.Context, id string) (*kefu.Actor, kefu.Conversation, error) {
	a, err := requireViewer(ctx)
	if err != nil {
		return nil, kefu.Conversation{}, err
	}
	c, err := s.DB.Conversation(ctx, id)
	if err != nil {
		return nil, c, err
	}
	ok, err := s.canSee(ctx, a, c)
	if err != nil {
		return nil, c, err
	}
	if !ok {
		return nil, c, kefu.Errorf(kefu.ENOTFOUND, "Conversation not found.")
	}
	return a, c, nil
}

// CanSee reports whether the actor may see the conversation (for live events).
func (s *Service) CanSee(ctx context.Context, a *kefu.Actor, c kefu.Conversation) bool {
	ok, err := s.canSee(ctx, a, c)
	return err == nil && ok
}

// event makes a timeline event for the context's actor.
func (s *Service) event(ctx context.Context, convID, typ string, data map[string]any) kefu.Event {
	e := kefu.Event{ID: kefu.NewID(), ConversationID: convID, Type: typ, Data: data, CreatedAt: s.Clock.Now()}
	if a := kefu.ActorFrom(ctx); a != nil && !a.System {
		e.ActorType, e.ActorID, e.ActorName = kefu.SenderAgent, a.UserID, a.Name
	} else if a != nil {
		e.ActorType, e.ActorName = kefu.SenderSystem, a.Name
	}
	if e.Data == nil {
		e.Data = map[string]any{}
	}
	return e
}

// publishConversation sends the conversation's new state to agents, tells
// the observers, and returns it.
func (s *Service) publishConversation(ctx context.Context, id string, before *kefu.Conversation) (kefu.Conversation, error) {
	return s.publishChange(ctx, id, before, nil)
}

func (s *Service) publishChange(ctx context.Context, id string, before *kefu.Conversation, m *kefu.Message) (kefu.Conversation, error) {
	c, err := s.DB.Conversation(ctx, id)
	if err != nil {
		return c, err
	}
	s.Bus.Publish(realtime.Event{Type: realtime.TypeConversation, ConversationID: id, Conversation: &c})
	for _, o := range s.Observers {
		if o.ConversationChanged(ctx, Change{Before: before, After: c, Message: m}) {
			return s.DB.Conversation(ctx, id)
		}
	}
	return c, nil
}

// Changed publishes a conversation that another part of kefu changed
// (routing, SLA timers) and tells the observers.
func (s *Service) Changed(ctx context.Context, id string, before kefu.Conversation) (kefu.Conversation, error) {
	return s.publishConversation(ctx, id, &before)
}

// PublishMessage sends a message another part of kefu committed (a rule's
// note) to the agents and, unless private, the customer.
func (s *Service) PublishMessage(m kefu.Message) { s.publishMessage(m) }

func (s *Service) publishMessage(m kefu.Message) {
	s.Bus.Publish(realtime.Event{Type: realtime.TypeMessage, ConversationID: m.ConversationID, Message: &m})
}

func checkText(text string, attachments int) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" && attachments == 0 {
		return "", kefu.Invalid("text", "Write a message or attach a file.")
	}
	if utf8.RuneCountInString(text) > MaxTextLength {
		return "", kefu.Invalid("text", "A message has at most %d characters.", MaxTextLength)
	}
	return text, nil
}

// ---- customers ----

// IncomingMessage is a customer message arriving from a channel.
type IncomingMessage struct {
	InboxID     string
	ContactID   string
	ClientID    string // the channel's id for the message; a repeat is stored once
	Text        string
	Attachments []string // upload ids
}

// Ingest stores a customer message. It continues the contact's conversation
// in the inbox, reopens a resolved one within the inbox's reopen window, or
// starts a new one (linked to the old). A message whose ClientID was already
// stored is returned as it was, so a retry after a lost acknowledgement
// changes nothing. The message is committed before Ingest returns.
func (s *Service) Ingest(ctx context.Context, in IncomingMessage) (kefu.Message, kefu.Conversation, error) {
	text, err := checkText(in.Text, len(in.Attachments))
	if err != nil {
		return kefu.Message{}, kefu.Conversation{}, err
	}
	if len(in.ClientID) > 64 {
		return kefu.Message{}, kefu.Conversation{}, kefu.Invalid("client_id", "A client id has at most 64 characters.")
	}
	atts, err := s.Uploads.Resolve(ctx, in.Attachments)
	if err != nil {
		return kefu.Message{}, kefu.Conversation{}, err
	}
	inbox, err := s.DB.Inbox(ctx, in.InboxID)
	if err != nil {
		return kefu.Message{}, kefu.Conversation{}, err
	}
	var msg kefu.Message
	var conv, before kefu.Conversation
	var created, duplicate bool
	err = s.DB.Batch(ctx, func(q *store.Queries) error {
		conv, before, created, err = s.currentConversation(ctx, q, inbox, in.ContactID, text)
		if err != nil {
			return err
		}
		if in.ClientID != "" {
			if prev, err := q.MessageByClientID(ctx, conv.ID, kefu.SenderCustomer, in.ClientID); err == nil {
				msg, duplicate = prev, true
				return nil
			} else if kefu.ErrorCode(err) != kefu.ENOTFOUND {
				return err
			}
		}
		msg = kefu.Message{ID: kefu.NewID(), ConversationID: conv.ID, SenderType: kefu.SenderCustomer, ClientID: in.ClientID,
			Text: text, Attachments: atts, Status: "sent", CreatedAt: s.Clock.Now().Truncate(time.Millisecond)}
		if err := q.AppendMessage(ctx, &msg); err != nil {
			return err
		}
		if created {
			if err := s.Hooks.Enqueue(ctx, q, kefu.HookConversationCreated, conv); err != nil {
				return err
			}
		}
		return s.Hooks.Enqueue(ctx, q, kefu.HookMessageCreated, msg)
	})
	if err != nil {
		return kefu.Message{}, kefu.Conversation{}, err
	}
	if duplicate {
		conv, err = s.DB.Conversation(ctx, conv.ID)
		return msg, conv, err
	}
	s.publishMessage(msg)
	conv, err = s.publishChange(ctx, conv.ID, &before, &msg)
	if err == nil && s.OnCustomerMessage != nil {
		go s.OnCustomerMessage(context.WithoutCancel(ctx), conv, msg)
	}
	return msg, conv, err
}

// currentConversation finds the conversation a new customer message belongs
// to, creating or reopening one as needed. It also returns the conversation
// as it was (zero for a new one) for the observers, and sets a new
// conversation's language from its first message.
func (s *Service) currentConversation(ctx context.Context, q *store.Queries, inbox store.InboxRow, contactID, text string) (c, before kefu.Conversation, created bool, err error) {
	now := s.Clock.Now().Truncate(time.Millisecond)
	c, err = q.LatestConversation(ctx, inbox.ID, contactID)
	if err != nil && kefu.ErrorCode(err) != kefu.ENOTFOUND {
		return c, before, false, err
	}
	if err == nil {
		before = c
		switch c.Status {
		case kefu.StatusOpen:
			return c, before, false, nil
		case kefu.StatusPending, kefu.StatusSnoozed:
			from := c.Status
			c.Status, c.SnoozedUntil, c.UpdatedAt = kefu.StatusOpen, nil, now
			if err := q.UpdateConversation(ctx, c); err != nil {
				return c, before, false, err
			}
			return c, before, false, q.InsertEvent(ctx, kefu.Event{ID: kefu.NewID(), ConversationID: c.ID, Type: kefu.EventStatusChanged,
				ActorType: kefu.SenderCustomer, ActorID: contactID, Data: map[string]any{"from": from, "to": kefu.StatusOpen}, CreatedAt: now})
		case kefu.StatusResolved:
			window := time.Duration(inbox.ReopenHours) * time.Hour
			if inbox.ReopenHours <= 0 {
				window = DefaultReopenHours * time.Hour
			}
			if c.ResolvedAt != nil && now.Sub(*c.ResolvedAt) <= window {
				c.Status, c.ResolvedAt, c.UpdatedAt = kefu.StatusOpen, nil, now
				if err := q.UpdateConversation(ctx, c); err != nil {
					return c, before, false, err
				}
				return c, before, false, q.InsertEvent(ctx, kefu.Event{ID: kefu.NewID(), ConversationID: c.ID, Type: kefu.EventReopened,
					ActorType: kefu.SenderCustomer, ActorID: contactID, Data: map[string]any{"from": kefu.StatusResolved}, CreatedAt: now})
			}
		}
	}
	prev := ""
	if err == nil {
		prev = c.ID
	}
	before = kefu.Conversation{}
	c = kefu.Conversation{ID: kefu.NewID(), InboxID: inbox.ID, ContactID: contactID, Channel: inbox.Channel,
		Status: kefu.StatusOpen, Priority: "normal", TeamID: inbox.TeamID, Labels: []string{}, CreatedAt: now,
		LastMessageAt: now, PreviousID: prev, UpdatedAt: now, Bot: inbox.BotEnabled, Language: kefu.DetectLanguage(text)}
	if err := q.InsertConversation(ctx, c); err != nil {
		return c, before, false, err
	}
	err = q.InsertEvent(ctx, kefu.Event{ID: kefu.NewID(), ConversationID: c.ID, Type: kefu.EventCreated, ActorType: kefu.SenderCustomer,
		ActorID: contactID, Data: map[string]any{"channel": inbox.Channel, "team_id": inbox.TeamID, "previous_id": prev}, CreatedAt: now})
	return c, before, true, err
}

// CustomerMessages returns the messages a customer may see (no notes) after seq.
func (s *Service) CustomerMessages(ctx context.Context, conversationID string, after int64) ([]kefu.Message, error) {
	msgs, err := s.DB.Messages(ctx, conversationID, after, 1000, false)
	for i := range msgs {
		s.Uploads.Sign(msgs[i].Attachments)
	}
	return msgs, err
}

// CustomerRead records the customer's read receipt and tells the agents.
func (s *Service) CustomerRead(ctx context.Context, conversationID string, seq int64) error {
	if err := s.DB.MarkCustomerRead(ctx, conversationID, seq); err != nil {
		return err
	}
	s.Bus.Publish(realtime.Event{Type: realtime.TypeRead, ConversationID: conversationID, Who: kefu.SenderCustomer, Seq: seq})
	return nil
}

// ---- agents ----

// Reply sends an agent's message to the customer. Variables {{contact.name}},
// {{agent.name}} and {{conversation.id}} are filled in. Requires
// conversations.reply and sight of the conversation. A repeated ClientID
// returns the message already stored.
func (s *Service) Reply(ctx context.Context, id, clientID, text string, attachments []string) (kefu.Message, error) {
	return s.post(ctx, id, clientID, text, attachments, false, nil)
}

// Note adds a private note, visible to agents only, and notifies the
// mentioned users. Requires conversations.reply.
func (s *Service) Note(ctx context.Context, id, text string, mentions []string) (kefu.Message, error) {
	return s.post(ctx, id, "", text, nil, true, mentions)
}

func (s *Service) post(ctx context.Context, id, clientID, text string, uploadIDs []string, private bool, mentions []string) (kefu.Message, error) {
	a, c, err := s.load(ctx, id)
	if err != nil {
		return kefu.Message{}, err
	}
	if !a.Can(kefu.PermConversationsReply) {
		return kefu.Message{}, kefu.Errorf(kefu.EFORBIDDEN, "You need the %q permission for this.", kefu.PermConversationsReply)
	}
	text, err = checkText(text, len(uploadIDs))
	if err != nil {
		return kefu.Message{}, err
	}
	atts, err := s.Uploads.Resolve(ctx, uploadIDs)
	if err != nil {
		return kefu.Message{}, err
	}
	if !private {
		text, err = s.render(ctx, text, a, c)
		if err != nil {
			return kefu.Message{}, err
		}
	}
	var msg kefu.Message
	duplicate, before := false, c
	err = s.DB.Batch(ctx, func(q *store.Queries) error {
		if clientID != "" {
			if prev, err := q.MessageByClientID(ctx, c.ID, kefu.SenderAgent, clientID); err == nil {
				msg, duplicate = prev, true
				return nil
			}
		}
		if !private {
			if err := s.takeOver(ctx, q, &c); err != nil {
				return err
			}
		}
		msg = kefu.Message{ID: kefu.NewID(), ConversationID: c.ID, SenderType: kefu.SenderAgent, SenderID: a.UserID,
			SenderName: a.Name, Private: private, ClientID: clientID, Text: text, Attachments: atts, Status: "sent",
			CreatedAt: s.Clock.Now().Truncate(time.Millisecond)}
		if err := q.AppendMessage(ctx, &msg); err != nil {
			return err
		}
		if private {
			e := s.event(ctx, c.ID, kefu.EventNoteAdded, map[string]any{"seq": msg.Seq, "mentions": mentions})
			if err := q.InsertEvent(ctx, e); err != nil {
				return err
			}
			return s.notifyMentions(ctx, q, a, c, msg, mentions)
		}
		if err := q.MarkRead(ctx, c.ID, a.UserID, msg.Seq); err != nil {
			return err
		}
		return s.Hooks.Enqueue(ctx, q, kefu.HookMessageCreated, msg)
	})
	if err != nil {
		return kefu.Message{}, err
	}
	s.Uploads.Sign(msg.Attachments)
	if !duplicate {
		s.publishMessage(msg)
		_, _ = s.publishConversation(ctx, c.ID, &before)
	}
	return msg, nil
}

// render fills a reply's variables.
func (s *Service) render(ctx context.Context, text string, a *kefu.Actor, c kefu.Conversation) (string, error) {
	if !strings.Contains(text, "{{") {
		return text, nil
	}
	name := ""
	if strings.Contains(text, "{{contact.name}}") {
		// The name goes to the customer, who knows it; it is read for the
		// reply only and never shown to the agent unmasked.
		var err error
		if name, err = s.Contacts.Name(ctx, c.ContactID); err != nil {
			return "", err
		}
	}
	return strings.NewReplacer("{{contact.name}}", name, "{{agent.name}}", a.Name, "{{conversation.id}}", c.ID).Replace(text), nil
}

// notifyMentions gives each mentioned user who may see the conversation a notice.
func (s *Service) notifyMentions(ctx context.Context, q *store.Queries, a *kefu.Actor, c kefu.Conversation, m kefu.Message, mentions []string) error {
	for _, uid := range slices.Compact(slices.Sorted(slices.Values(mentions))) {
		u, err := q.User(ctx, uid)
		if kefu.ErrorCode(err) == kefu.ENOTFOUND {
			return kefu.Invalid("mentions", "There is no user %q.", uid)
		} else if err != nil {
			return err
		}
		n := kefu.Notice{ID: kefu.NewID(), UserID: u.ID, Kind: "mention", CreatedAt: m.CreatedAt,
			Data: map[string]any{"conversation_id": c.ID, "seq": m.Seq, "by": a.Name, "text": truncate(m.Text, 200)}}
		if err := q.InsertNotice(ctx, n); err != nil {
			return err
		}
		s.Bus.Publish(realtime.Event{Type: realtime.TypeNotice, UserIDs: []string{u.ID}, Notice: &n})
	}
	return nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// Assign gives the conversation to an agent, or unassigns it (assigneeID "").
// An agent may take an unassigned conversation (or drop their own) with
// conversations.reply; anything else needs conversations.assign.
func (s *Service) Assign(ctx context.Context, id, assigneeID string) (kefu.Conversation, error) {
	a, c, err := s.load(ctx, id)
	if err != nil {
		return c, err
	}
	self := (assigneeID == a.UserID && c.AssigneeID == "") || (assigneeID == "" && c.AssigneeID == a.UserID)
	if !a.Can(kefu.PermConversationsAssign) && !(self && a.Can(kefu.PermConversationsReply)) {
		return c, kefu.Errorf(kefu.EFORBIDDEN, "You need the %q permission for this.", kefu.PermConversationsAssign)
	}
	if assigneeID != "" {
		if err := s.checkAgent(ctx, assigneeID, "assignee_id"); err != nil {
			return c, err
		}
	}
	if assigneeID == c.AssigneeID {
		return c, nil
	}
	typ, data := kefu.EventAssigned, map[string]any{"from": c.AssigneeID, "to": assigneeID}
	if assigneeID == "" {
		typ = kefu.EventUnassigned
	}
	c.AssigneeID = assigneeID
	return s.save(ctx, c, s.event(ctx, c.ID, typ, data))
}

func (s *Service) checkAgent(ctx context.Context, userID, field string) error {
	u, err := s.DB.User(ctx, userID)
	if kefu.ErrorCode(err) == kefu.ENOTFOUND || (err == nil && u.Disabled) {
		return kefu.Invalid(field, "There is no active user %q.", userID)
	}
	return err
}

// Transfer hands the conversation to another agent and/or team with a note
// the receiver reads first. The current assignee may transfer with
// conversations.reply; others need conversations.assign.
func (s *Service) Transfer(ctx context.Context, id, assigneeID, teamID, note string) (kefu.Conversation, error) {
	a, c, err := s.load(ctx, id)
	if err != nil {
		return c, err
	}
	if !a.Can(kefu.PermConversationsAssign) && !(c.AssigneeID == a.UserID && a.Can(kefu.PermConversationsReply)) {
		return c, kefu.Errorf(kefu.EFORBIDDEN, "You need the %q permission for this.", kefu.PermConversationsAssign)
	}
	note = strings.TrimSpace(note)
	if note == "" {
		return c, kefu.Invalid("note", "Say why you transfer and what the receiver should know, so the customer need not repeat it.")
	}
	if assigneeID == "" && teamID == "" {
		return c, kefu.Invalid("assignee_id", "Choose an agent or a team to transfer to.")
	}
	if assigneeID != "" {
		if err := s.checkAgent(ctx, assigneeID, "assignee_id"); err != nil {
			return c, err
		}
	}
	if teamID != "" {
		teams, err := s.DB.Teams(ctx)
		if err != nil {
			return c, err
		}
		if !slices.ContainsFunc(teams, func(t kefu.Team) bool { return t.ID == teamID }) {
			return c, kefu.Invalid("team_id", "There is no team %q.", teamID)
		}
	}
	data := map[string]any{"from_assignee": c.AssigneeID, "to_assignee": assigneeID, "from_team": c.TeamID, "to_team": teamID, "note": note}
	c.AssigneeID = assigneeID
	if teamID != "" {
		c.TeamID = teamID
	}
	return s.save(ctx, c, s.event(ctx, c.ID, kefu.EventTransferred, data))
}

// SetStatus opens, pends, snoozes (until a time) or resolves a conversation.
// Requires conversations.reply.
func (s *Service) SetStatus(ctx context.Context, id, status string, snoozedUntil *time.Time) (kefu.Conversation, error) {
	a, c, err := s.load(ctx, id)
	if err != nil {
		return c, err
	}
	if !a.Can(kefu.PermConversationsReply) {
		return c, kefu.Errorf(kefu.EFORBIDDEN, "You need the %q permission for this.", kefu.PermConversationsReply)
	}
	now := s.Clock.Now().Truncate(time.Millisecond)
	switch status {
	case kefu.StatusOpen, kefu.StatusPending:
		c.SnoozedUntil, c.ResolvedAt = nil, nil
	case kefu.StatusSnoozed:
		if snoozedUntil == nil || !snoozedUntil.After(now) {
			return c, kefu.Invalid("snoozed_until", "Snooze until a time in the future.")
		}
		c.SnoozedUntil, c.ResolvedAt = snoozedUntil, nil
	case kefu.StatusResolved:
		c.SnoozedUntil, c.ResolvedAt = nil, &now
	default:
		return c, kefu.Invalid("status", "Use open, pending, snoozed or resolved.")
	}
	if status == c.Status && status != kefu.StatusSnoozed {
		return c, nil
	}
	typ := kefu.EventStatusChanged
	if c.Status == kefu.StatusResolved && status == kefu.StatusOpen {
		typ = kefu.EventReopened
	}
	data := map[string]any{"from": c.Status, "to": status}
	if snoozedUntil != nil {
		data["until"] = snoozedUntil
	}
	c.Status = status
	return s.save(ctx, c, s.event(ctx, c.ID, typ, data))
}

// Patch changes a conversation's priority, labels or subject; nil fields stay.
type Patch struct {
	Priority *string   `json:"priority"`
	Labels   *[]string `json:"labels"`
	Subject  *string   `json:"subject"`
	// Intent is an agent's label for the request type. Setting it, even to
	// the bot's guess, makes the conversation a training example.
	Intent *string `json:"intent"`
	// A complaint's category and severity ("" clears them).
	ComplaintCategory *string `json:"complaint_category"`
	ComplaintSeverity *string `json:"complaint_severity"`
}

// Update applies a patch. Requires conversations.reply.
func (s *Service) Update(ctx context.Context, id string, p Patch) (kefu.Conversation, error) {
	a, c, err := s.load(ctx, id)
	if err != nil {
		return c, err
	}
	if !a.Can(kefu.PermConversationsReply) {
		return c, kefu.Errorf(kefu.EFORBIDDEN, "You need the %q permission for this.", kefu.PermConversationsReply)
	}
	var events []kefu.Event
	if p.Priority != nil && *p.Priority != c.Priority {
		if !slices.Contains(kefu.Priorities, *p.Priority) {
			return c, kefu.Invalid("priority", "Use one of %s.", strings.Join(kefu.Priorities, ", "))
		}
		events = append(events, s.event(ctx, c.ID, kefu.EventPriorityChanged, map[string]any{"from": c.Priority, "to": *p.Priority}))
		c.Priority = *p.Priority
	}
	if p.Labels != nil {
		var labels []string
		for _, l := range *p.Labels {
			l = strings.TrimSpace(l)
			if l == "" {
				continue
			}
			if utf8.RuneCountInString(l) > 40 {
				return c, kefu.Invalid("labels", "A label has at most 40 characters.")
			}
			labels = append(labels, l)
		}
		labels = slices.Compact(slices.Sorted(slices.Values(labels)))
		if labels == nil {
			labels = []string{}
		}
		if !slices.Equal(labels, c.Labels) {
			events = append(events, s.event(ctx, c.ID, kefu.EventLabelsChanged, map[string]any{"from": c.Labels, "to": labels}))
			c.Labels = labels
		}
	}
	if p.Subject != nil {
		if utf8.RuneCountInString(*p.Subject) > 200 {
			return c, kefu.Invalid("subject", "A subject has at most 200 characters.")
		}
		c.Subject = strings.TrimSpace(*p.Subject)
	}
	if p.Intent != nil {
		if !slices.Contains(kefu.Intents, *p.Intent) {
			return c, kefu.Invalid("intent", "Use one of %s.", strings.Join(kefu.Intents, ", "))
		}
		if *p.Intent != c.Intent {
			events = append(events, s.event(ctx, c.ID, kefu.EventIntentChanged, map[string]any{"from": c.Intent, "to": *p.Intent}))
		}
		now := s.Clock.Now().Truncate(time.Millisecond)
		c.Intent, c.IntentSource, c.IntentCorrectedAt = *p.Intent, "agent", &now
	}
	if p.ComplaintCategory != nil || p.ComplaintSeverity != nil {
		category, severity := c.ComplaintCategory, c.ComplaintSeverity
		kefu.Set(&category, p.ComplaintCategory)
		kefu.Set(&severity, p.ComplaintSeverity)
		if category != "" && !slices.Contains(kefu.ComplaintCategories, category) {
			return c, kefu.Invalid("complaint_category", "Use one of %s.", strings.Join(kefu.ComplaintCategories, ", "))
		}
		if severity != "" && !slices.Contains(kefu.ComplaintSeverities, severity) {
			return c, kefu.Invalid("complaint_severity", "Use one of %s.", strings.Join(kefu.ComplaintSeverities, ", "))
		}
		if category != c.ComplaintCategory || severity != c.ComplaintSeverity {
			events = append(events, s.event(ctx, c.ID, kefu.EventComplaint, map[string]any{"category": category, "severity": severity}))
			c.ComplaintCategory, c.ComplaintSeverity = category, severity
		}
	}
	return s.save(ctx, c, events...)
}

// save writes the conversation with its events and webhooks, then publishes it.
func (s *Service) save(ctx context.Context, c kefu.Conversation, events ...kefu.Event) (kefu.Conversation, error) {
	c.UpdatedAt = s.Clock.Now().Truncate(time.Millisecond)
	var before kefu.Conversation
	err := s.DB.InTx(ctx, func(q *store.Queries) error {
		var err error
		if before, err = q.Conversation(ctx, c.ID); err != nil {
			return err
		}
		if err := q.UpdateConversation(ctx, c); err != nil {
			return err
		}
		for _, e := range events {
			if err := q.InsertEvent(ctx, e); err != nil {
				return err
			}
		}
		hook := kefu.HookConversationUpdated
		if c.Status == kefu.StatusResolved && slices.ContainsFunc(events, func(e kefu.Event) bool { return e.Data["to"] == kefu.StatusResolved }) {
			hook = kefu.HookConversationResolve
		}
		return s.Hooks.Enqueue(ctx, q, hook, c)
	})
	if err != nil {
		return c, err
	}
	_, _ = s.publishConversation(ctx, c.ID, &before)
	return s.get(ctx, c.ID)
}

// WakeSnoozed reopens snoozed conversations whose time has come.
func (s *Service) WakeSnoozed(ctx context.Context) error {
	ids, err := s.DB.DueSnoozed(ctx, s.Clock.Now())
	if err != nil {
		return err
	}
	for _, id := range ids {
		c, err := s.DB.Conversation(ctx, id)
		if err != nil {
			return err
		}
		c.Status, c.SnoozedUntil = kefu.StatusOpen, nil
		if _, err := s.save(ctx, c, s.event(ctx, id, kefu.EventStatusChanged, map[string]any{"from": kefu.StatusSnoozed, "to": kefu.StatusOpen, "reason": "snooze_ended"})); err != nil {
			return err
		}
	}
	return nil
}

// ---- reading ----

// get returns a conversation with its masked contact.
func (s *Service) get(ctx context.Context, id string) (kefu.Conversation, error) {
	c, err := s.DB.Conversation(ctx, id)
	if err != nil {
		return c, err
	}
	list := []kefu.Conversation{c}
	if err := s.decorate(ctx, list); err != nil {
		return c, err
	}
	return list[0], nil
}

// Get returns a conversation the actor may see.
func (s *Service) Get(ctx context.Context, id string) (kefu.Conversation, error) {
	if _, _, err := s.load(ctx, id); err != nil {
		return kefu.Conversation{}, err
	}
	return s.get(ctx, id)
}

// decorate adds the masked contact, last message and the reader's unread count.
// Decorate fills in the masked contact, last message and unread count of
// conversations another part of kefu listed (the queue page). The caller
// checks the reader's permission.
func (s *Service) Decorate(ctx context.Context, list []kefu.Conversation) error {
	return s.decorate(ctx, list)
}

func (s *Service) decorate(ctx context.Context, list []kefu.Conversation) error {
	ids := make([]string, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	last, err := s.DB.LastMessages(ctx, ids)
	if err != nil {
		return err
	}
	unread := map[string]int64{}
	if a := kefu.ActorFrom(ctx); a != nil && a.UserID != "" {
		if unread, err = s.DB.Unread(ctx, a.UserID, ids); err != nil {
			return err
		}
	}
	contacts := map[string]*kefu.Contact{}
	for i := range list {
		c := &list[i]
		if m, ok := last[c.ID]; ok {
			c.LastMessage = &m
		}
		c.Unread = unread[c.ID]
		ct, ok := contacts[c.ContactID]
		if !ok {
			masked, err := s.Contacts.Masked(ctx, c.ContactID)
			if err != nil {
				return fmt.Errorf("contact of conversation %s: %w", c.ID, err)
			}
			ct = &masked
			contacts[c.ContactID] = ct
		}
		c.Contact = ct
	}
	return nil
}

// ListResult is a page of conversations and the open counts per view.
type ListResult struct {
	Items      []kefu.Conversation `json:"items"`
	NextCursor string              `json:"next_cursor,omitempty"`
	Counts     map[string]int      `json:"counts"`
}

// List returns the conversations the actor may see, filtered.
func (s *Service) List(ctx context.Context, f kefu.ConversationFilter) (ListResult, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return ListResult{}, err
	}
	vis := s.visibility(a)
	if !vis.All && !vis.Own && !vis.Team {
		return ListResult{}, kefu.Errorf(kefu.EFORBIDDEN, "You need a conversations.view permission for this.")
	}
	switch f.View {
	case "", "all", "mine", "unassigned", "team":
	default:
		return ListResult{}, kefu.Invalid("view", "Use mine, unassigned, team or all.")
	}
	if f.Status != "" && !slices.Contains([]string{kefu.StatusOpen, kefu.StatusPending, kefu.StatusSnoozed, kefu.StatusResolved}, f.Status) {
		return ListResult{}, kefu.Invalid("status", "Use open, pending, snoozed or resolved.")
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	items, err := s.DB.Conversations(ctx, vis, f)
	if err != nil {
		return ListResult{}, err
	}
	if err := s.decorate(ctx, items); err != nil {
		return ListResult{}, err
	}
	res := ListResult{Items: items}
	if res.Items == nil {
		res.Items = []kefu.Conversation{}
	}
	if len(items) == f.Limit {
		offset := 0
		fmt.Sscan(f.Cursor, &offset)
		res.NextCursor = fmt.Sprint(offset + f.Limit)
	}
	res.Counts, err = s.DB.CountConversations(ctx, vis)
	return res, err
}

// Messages returns a conversation's messages after seq, notes included.
func (s *Service) Messages(ctx context.Context, id string, after int64, limit int) ([]kefu.Message, error) {
	if _, _, err := s.load(ctx, id); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	msgs, err := s.DB.Messages(ctx, id, after, limit, true)
	for i := range msgs {
		s.Uploads.Sign(msgs[i].Attachments)
	}
	return msgs, err
}

// Events returns a conversation's timeline.
func (s *Service) Events(ctx context.Context, id string) ([]kefu.Event, error) {
	if _, _, err := s.load(ctx, id); err != nil {
		return nil, err
	}
	return s.DB.Events(ctx, id)
}

// MarkRead records that the actor has read the conversation up to seq, and
// tells the customer (read receipt).
func (s *Service) MarkRead(ctx context.Context, id string, seq int64) error {
	a, c, err := s.load(ctx, id)
	if err != nil {
		return err
	}
	if seq < 0 || seq > c.LastSeq {
		return kefu.Invalid("seq", "seq must be between 0 and %d.", c.LastSeq)
	}
	if err := s.DB.MarkRead(ctx, id, a.UserID, seq); err != nil {
		return err
	}
	s.Bus.Publish(realtime.Event{Type: realtime.TypeRead, ConversationID: id, Who: a.UserID, Seq: seq})
	return nil
}

// ContactConversations lists a contact's conversations the actor may see, on every channel.
func (s *Service) ContactConversations(ctx context.Context, contactID string) ([]kefu.Conversation, error) {
	res, err := s.List(ctx, kefu.ConversationFilter{View: "all", ContactID: contactID, Limit: 200})
	return res.Items, err
}

// Agent is a user conversations can be given to, as the console lists them.
type Agent struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Role    string   `json:"role"`
	TeamIDs []string `json:"team_ids"`
	Online  bool     `json:"online"`
}

// requireViewer checks that the actor may see some conversations.
func requireViewer(ctx context.Context) (*kefu.Actor, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Can(kefu.PermConversationsViewOwn) && !a.Can(kefu.PermConversationsViewTeam) && !a.Can(kefu.PermConversationsViewAll) {
		return nil, kefu.Errorf(kefu.EFORBIDDEN, "You need a conversations.view permission for this.")
	}
	return a, nil
}

// Agents lists the enabled users with their teams and whether they are online.
func (s *Service) Agents(ctx context.Context) ([]Agent, error) {
	if _, err := requireViewer(ctx); err != nil {
		return nil, err
	}
	users, err := s.DB.Users(ctx)
	if err != nil {
		return nil, err
	}
	teams, err := s.DB.Teams(ctx)
	if err != nil {
		return nil, err
	}
	online := s.Bus.OnlineAgents()
	out := []Agent{}
	for _, u := range users {
		if u.Disabled {
			continue
		}
		ag := Agent{ID: u.ID, Name: u.Name, Role: u.Role, TeamIDs: []string{}, Online: online[u.ID]}
		for _, t := range teams {
			if slices.Contains(t.MemberIDs, u.ID) {
				ag.TeamIDs = append(ag.TeamIDs, t.ID)
			}
		}
		out = append(out, ag)
	}
	return out, nil
}

// Teams lists the teams.
func (s *Service) Teams(ctx context.Context) ([]kefu.Team, error) {
	if _, err := requireViewer(ctx); err != nil {
		return nil, err
	}
	return s.DB.Teams(ctx)
}
