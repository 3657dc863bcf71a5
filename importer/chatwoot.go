package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"kefu"
)

// Chatwoot's API serves a conversation (GET
// /api/v1/accounts/{account}/conversations/{id}, whose own "messages" holds
// only the last message) apart from its messages (GET
// …/conversations/{id}/messages: {"payload": [messages]}), so kefu reads a
// file that bundles them: one conversation per line, or one JSON array of
// conversations, each with all its messages:
//
//	{"id": 42, "status": "resolved", "created_at": 1709283600, "labels": ["invoice"],
//	 "meta": {"sender": {"id": 7, "name": "李雷", "email": "ll@example.com", "phone_number": "+8613900000000"},
//	          "channel": "Channel::WebWidget"},
//	 "messages": [{"id": 901, "content": "…", "message_type": 0, "private": false, "created_at": 1709283600,
//	               "sender": {"id": 7, "type": "contact", "name": "李雷"}}]}
//
// "messages" may also be the messages endpoint's response as it comes:
// {"payload": [messages]}.
//
//   - id is the source id (Chatwoot's display id, numbered per account):
//     importing the file again skips the conversation. A conversation that
//     comes again in the file replaces its earlier line.
//   - meta.sender is the customer (a Chatwoot contact: id, the contact's
//     external id; name, email, phone_number); without it, the sender of
//     the first message from a contact.
//   - message_type 0 (incoming) is the customer's; 1 (outgoing) the agent's,
//     or the bot's when sender.type is agent_bot (or sender_type AgentBot);
//     3 (template) the bot's; 2 (activity: assignments, status changes) is
//     left out. The names incoming, outgoing, activity and template, as
//     webhooks write them, are read too. private: true is a private note.
//     content is the text; a message with only attachments reads "[附件]";
//     an empty one is left out.
//   - Times are Unix seconds (RFC 3339 text is read too).
//   - status resolved resolves the conversation at its last message,
//     activity messages included (Chatwoot notes "Conversation was marked
//     resolved by …" as one): Chatwoot's payload has no resolution time.
//     open, pending and snoozed stay open.
//   - meta.channel is kept as the conversation's source channel; the inbox
//     decides kefu's channel. labels are not imported: they are not kefu's
//     intents.
//
// A conversation without messages is skipped ("no messages").
type chatwootConversation struct {
	ID        sourceID   `json:"id"`
	Status    string     `json:"status"`
	CreatedAt sourceTime `json:"created_at"`
	Meta      struct {
		Sender  *chatwootSender `json:"sender"`
		Channel string          `json:"channel"`
	} `json:"meta"`
	Messages chatwootMessages `json:"messages"`
	Payload  json.RawMessage  `json:"payload"` // an API response, not a conversation
	Data     json.RawMessage  `json:"data"`    // the conversation list's response
}

type chatwootSender struct {
	ID            sourceID `json:"id"`
	Type          string   `json:"type"` // contact, user, agent_bot
	Name          string   `json:"name"`
	AvailableName string   `json:"available_name"` // an agent's display name
	Email         string   `json:"email"`
	PhoneNumber   string   `json:"phone_number"`
}

type chatwootMessage struct {
	ID          sourceID          `json:"id"`
	Content     string            `json:"content"`
	MessageType *chatwootType     `json:"message_type"`
	Private     bool              `json:"private"`
	CreatedAt   sourceTime        `json:"created_at"`
	Sender      *chatwootSender   `json:"sender"`
	SenderType  string            `json:"sender_type"` // Contact, User, AgentBot
	Attachments []json.RawMessage `json:"attachments"`
}

// kind is the sender's type, lower case without underscores: contact,
// user or agentbot.
func (m chatwootMessage) kind() string {
	t := m.SenderType
	if m.Sender != nil && m.Sender.Type != "" {
		t = m.Sender.Type
	}
	return strings.ReplaceAll(strings.ToLower(t), "_", "")
}

// chatwootMessages is a list of messages, or the messages endpoint's
// response holding them.
type chatwootMessages []chatwootMessage

func (ms *chatwootMessages) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] == '{' {
		var resp struct {
			Payload []chatwootMessage `json:"payload"`
		}
		err := json.Unmarshal(b, &resp)
		*ms = resp.Payload
		return err
	}
	return json.Unmarshal(b, (*[]chatwootMessage)(ms))
}

// Chatwoot's message types.
type chatwootType int

const (
	chatwootIncoming chatwootType = iota
	chatwootOutgoing
	chatwootActivity
	chatwootTemplate
)

var chatwootTypes = []string{"incoming", "outgoing", "activity", "template"}

func (t *chatwootType) UnmarshalJSON(b []byte) error {
	var n int
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if n = slices.Index(chatwootTypes, strings.ToLower(strings.TrimSpace(s))); n < 0 {
			return fmt.Errorf("message_type %q is not one of %s", s, strings.Join(chatwootTypes, ", "))
		}
	} else if err := json.Unmarshal(b, &n); err != nil || n < 0 || n > 3 {
		return fmt.Errorf("message_type %.20s is not 0 (incoming), 1 (outgoing), 2 (activity) or 3 (template)", b)
	}
	*t = chatwootType(n)
	return nil
}

// readChatwoot reads Chatwoot conversations with their messages.
func readChatwoot(r io.Reader) ([]Conversation, error) {
	return readConversations(r, "Chatwoot conversation", func(line int, raw []byte) (Conversation, error) {
		var cv chatwootConversation
		if err := json.Unmarshal(raw, &cv); err != nil {
			return Conversation{}, kefu.Invalid("file", "Line %d: not a Chatwoot conversation: %s", line, jsonProblem(err))
		}
		if (cv.Payload != nil || cv.Data != nil) && cv.ID == "" {
			return Conversation{}, kefu.Invalid("file", `Line %d: an API response {"payload": […]}, not a conversation: write one conversation per line, each with all its "messages".`, line)
		}
		c, err := cv.conversation()
		if err != nil {
			return c, kefu.Invalid("file", "Line %d: conversation %s: %v", line, cv.ID, err)
		}
		return c, nil
	})
}

func (cv chatwootConversation) conversation() (Conversation, error) {
	c := Conversation{ID: string(cv.ID), Channel: cv.Meta.Channel, CreatedAt: cv.CreatedAt.Time}
	contact := cv.Meta.Sender
	if contact == nil {
		for _, m := range cv.Messages {
			if m.Sender != nil && m.kind() == "contact" {
				contact = m.Sender
				break
			}
		}
	}
	if contact != nil {
		c.Contact = Contact{ExternalID: string(contact.ID), Name: strings.TrimSpace(contact.Name),
			Email: strings.TrimSpace(contact.Email), Phone: strings.TrimSpace(contact.PhoneNumber)}
	}
	var last time.Time
	for i, m := range cv.Messages {
		switch {
		case m.MessageType == nil:
			return c, fmt.Errorf("message %s has no message_type", orNumber(m.ID, i))
		case m.CreatedAt.IsZero():
			return c, fmt.Errorf("message %s has no created_at", orNumber(m.ID, i))
		}
		if m.CreatedAt.After(last) {
			last = m.CreatedAt.Time
		}
		var from string
		switch *m.MessageType {
		case chatwootActivity:
			continue
		case chatwootIncoming:
			from = "customer"
		case chatwootOutgoing:
			from = "agent"
			if m.kind() == "agentbot" {
				from = "bot"
			}
		case chatwootTemplate:
			from = "bot"
		}
		text := strings.TrimSpace(m.Content)
		if text == "" {
			text = attachmentText(len(m.Attachments), nil)
		}
		if text == "" {
			continue
		}
		msg := Message{At: m.CreatedAt.Time, From: from, Text: text, Private: m.Private}
		if m.Sender != nil {
			msg.Name = strings.TrimSpace(m.Sender.AvailableName)
			if msg.Name == "" {
				msg.Name = strings.TrimSpace(m.Sender.Name)
			}
		}
		if from == "customer" && msg.Name == "" {
			msg.Name = c.Contact.Name
		}
		c.Messages = append(c.Messages, msg)
	}
	slices.SortStableFunc(c.Messages, func(a, b Message) int { return a.At.Compare(b.At) })
	if strings.ToLower(cv.Status) == "resolved" && !last.IsZero() {
		c.ResolvedAt = &last
	}
	return c, nil
}
