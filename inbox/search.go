package inbox

import (
	"context"
	"strings"
	"time"

	"kefu"
	"kefu/text"
)

// MessageHit is one message found by Search.
type MessageHit struct {
	ConversationID string    `json:"conversation_id"`
	MessageID      string    `json:"message_id"`
	Seq            int64     `json:"seq"`
	SenderType     string    `json:"sender_type"`
	Private        bool      `json:"private"`
	Text           string    `json:"text"`
	CreatedAt      time.Time `json:"created_at"`
	ContactName    string    `json:"contact_name"` // masked
}

// SearchResult holds message and contact hits. Contacts match on their
// whole name, phone or email (the blind index), never on parts.
type SearchResult struct {
	Messages []MessageHit   `json:"messages"`
	Contacts []kefu.Contact `json:"contacts"`
}

// Search finds messages (in Chinese or English, every word or character
// pair of the query) in the conversations the actor may see, and contacts
// whose phone or email is exactly the query.
func (s *Service) Search(ctx context.Context, query string, limit int) (SearchResult, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return SearchResult{}, err
	}
	vis := s.visibility(a)
	if !vis.All && !vis.Own && !vis.Team {
		return SearchResult{}, kefu.Errorf(kefu.EFORBIDDEN, "You need a conversations.view permission for this.")
	}
	query = strings.TrimSpace(query)
	if query == "" {
		return SearchResult{}, kefu.Invalid("q", "Enter something to search for.")
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	res := SearchResult{Messages: []MessageHit{}, Contacts: []kefu.Contact{}}
	hits, err := s.DB.SearchMessages(ctx, vis, text.Terms(query), limit)
	if err != nil {
		return res, err
	}
	names := map[string]string{}
	for _, h := range hits {
		name, ok := names[h.ContactID]
		if !ok {
			c, err := s.Contacts.Masked(ctx, h.ContactID)
			if err != nil {
				return res, err
			}
			name, names[h.ContactID] = c.Name, c.Name
		}
		res.Messages = append(res.Messages, MessageHit{ConversationID: h.ConversationID, MessageID: h.ID, Seq: h.Seq,
			SenderType: h.SenderType, Private: h.Private, Text: h.Text, CreatedAt: h.CreatedAt, ContactName: name})
	}
	if a.Can(kefu.PermContactsView) {
		f := kefu.ContactFilter{Limit: 10}
		switch {
		case strings.Contains(query, "@"):
			f.Email = query
		case strings.Trim(query, "+0123456789- ") == "":
			f.Phone = query
		default:
			f.Name = query
		}
		{
			page, err := s.Contacts.List(ctx, f)
			if err != nil && kefu.ErrorCode(err) != kefu.EINVALID {
				return res, err
			}
			res.Contacts = append(res.Contacts, page.Items...)
		}
	}
	return res, nil
}
