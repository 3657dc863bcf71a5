package importer

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"kefu"
)

// Zendesk's API serves a ticket (the Tickets API, the incremental ticket
// export) apart from its comments (the Ticket Comments API), so kefu reads a
// file that bundles them, as common export tools write it: one ticket per
// line, or one JSON array of tickets, each with its comments:
//
//	{"id": 35436, "created_at": "2024-03-01T09:00:00Z", "updated_at": "2024-03-01T10:00:00Z",
//	 "status": "solved", "requester_id": 501, "via": {"channel": "web"}, "tags": ["invoice"],
//	 "requester": {"id": 501, "name": "王芳", "email": "wf@example.com", "phone": "+8613800000000"},
//	 "comments": [{"id": 1, "author_id": 501, "body": "…", "plain_body": "…", "public": true,
//	               "created_at": "2024-03-01T09:00:00Z", "attachments": [{"file_name": "a.png"}]}]}
//
// A line may also be the two API responses merged as they come:
// {"ticket": {…}, "comments": [{…}]}.
//
//   - id is the source id: importing the file again skips the ticket. A
//     ticket that comes again in the file (the incremental export repeats
//     tickets that changed) replaces its earlier line.
//   - requester_id is the customer (the contact's external id); the optional
//     requester object (a Zendesk user: id, name, email, phone) names them.
//   - Comments by the requester are the customer's; comments by anyone else
//     (agents, and also CCs or followers, whom a comment does not tell
//     apart) are the agent's. public: false is a private note. plain_body
//     is the text, else body; a comment with only attachments reads
//     "[附件] file names"; an empty one is left out.
//   - status solved or closed resolves the conversation at updated_at (at
//     the last comment if that is later, or updated_at is missing). A
//     closed ticket was last updated when Zendesk closed it, often days
//     after it was solved, so its resolution time reads long.
//     new, open, pending and hold stay open.
//   - via.channel is kept as the conversation's source channel; the inbox
//     decides kefu's channel. tags are not imported: they are not kefu's
//     intents.
//
// A ticket without comments is skipped ("no messages").
type zendeskTicket struct {
	ID          sourceID   `json:"id"`
	CreatedAt   sourceTime `json:"created_at"`
	UpdatedAt   sourceTime `json:"updated_at"`
	Status      string     `json:"status"`
	RequesterID sourceID   `json:"requester_id"`
	Via         struct {
		Channel sourceID `json:"channel"` // "web", "email", "chat" …
	} `json:"via"`
	Requester *zendeskUser     `json:"requester"`
	Comments  []zendeskComment `json:"comments"`
}

type zendeskUser struct {
	ID    sourceID `json:"id"`
	Name  string   `json:"name"`
	Email string   `json:"email"`
	Phone string   `json:"phone"`
}

type zendeskComment struct {
	ID          sourceID   `json:"id"`
	AuthorID    sourceID   `json:"author_id"`
	Body        string     `json:"body"`
	PlainBody   string     `json:"plain_body"`
	Public      *bool      `json:"public"` // missing: public
	CreatedAt   sourceTime `json:"created_at"`
	Attachments []struct {
		FileName string `json:"file_name"`
	} `json:"attachments"`
}

// zendeskLine is a ticket with its comments, or the two API responses
// merged.
type zendeskLine struct {
	zendeskTicket
	Ticket  *zendeskTicket  `json:"ticket"`
	Tickets json.RawMessage `json:"tickets"` // an API page, not a ticket
}

// readZendesk reads Zendesk tickets with their comments.
func readZendesk(r io.Reader) ([]Conversation, error) {
	return readConversations(r, "Zendesk ticket", func(line int, raw []byte) (Conversation, error) {
		var l zendeskLine
		if err := json.Unmarshal(raw, &l); err != nil {
			return Conversation{}, kefu.Invalid("file", "Line %d: not a Zendesk ticket: %s", line, jsonProblem(err))
		}
		if l.Tickets != nil && l.ID == "" && l.Ticket == nil {
			return Conversation{}, kefu.Invalid("file", `Line %d: an API page {"tickets": […]}, not a ticket: write one ticket per line, each with its "comments".`, line)
		}
		t := l.zendeskTicket
		if l.Ticket != nil {
			t = *l.Ticket
			if len(t.Comments) == 0 {
				t.Comments = l.Comments
			}
			if t.Requester == nil {
				t.Requester = l.Requester
			}
		}
		c, err := t.conversation()
		if err != nil {
			return c, kefu.Invalid("file", "Line %d: ticket %s: %v", line, t.ID, err)
		}
		return c, nil
	})
}

func (t zendeskTicket) conversation() (Conversation, error) {
	requester := t.RequesterID
	if requester == "" && t.Requester != nil {
		requester = t.Requester.ID
	}
	c := Conversation{ID: string(t.ID), Channel: string(t.Via.Channel), Contact: Contact{ExternalID: string(requester)},
		CreatedAt: t.CreatedAt.Time}
	if u := t.Requester; u != nil {
		c.Contact.Name, c.Contact.Email, c.Contact.Phone = strings.TrimSpace(u.Name), strings.TrimSpace(u.Email), strings.TrimSpace(u.Phone)
	}
	var last time.Time
	for i, cm := range t.Comments {
		if cm.CreatedAt.IsZero() {
			return c, fmt.Errorf("comment %s has no created_at", orNumber(cm.ID, i))
		}
		if cm.CreatedAt.After(last) {
			last = cm.CreatedAt.Time
		}
		text := strings.TrimSpace(cm.PlainBody)
		if text == "" {
			text = strings.TrimSpace(cm.Body)
		}
		if text == "" {
			var names []string
			for _, a := range cm.Attachments {
				names = append(names, a.FileName)
			}
			text = attachmentText(len(cm.Attachments), names)
		}
		if text == "" {
			continue
		}
		m := Message{At: cm.CreatedAt.Time, From: "agent", Text: text, Private: cm.Public != nil && !*cm.Public}
		if requester != "" && cm.AuthorID == requester {
			m.From, m.Name = "customer", c.Contact.Name
		}
		c.Messages = append(c.Messages, m)
	}
	slices.SortStableFunc(c.Messages, func(a, b Message) int { return a.At.Compare(b.At) })
	switch strings.ToLower(t.Status) {
	case "solved", "closed":
		at := t.UpdatedAt.Time
		if at.Before(last) {
			at = last
		}
		if !at.IsZero() {
			c.ResolvedAt = &at
		}
	}
	return c, nil
}

// orNumber names an item by its id, else by its place (from 0).
func orNumber(id sourceID, i int) string {
	if id != "" {
		return string(id)
	}
	return fmt.Sprintf("#%d", i+1)
}
