package inbox

import (
	"context"
	"strings"

	"kefu"
)

// Suggestion is a reply an agent may insert with one click.
type Suggestion struct {
	Source string  `json:"source"` // faq or canned
	ID     string  `json:"id"`
	Title  string  `json:"title"` // the FAQ question or the canned reply's title
	Text   string  `json:"text"`  // ready to send ({{contact.name}} and the like are filled when sent)
	Score  float64 `json:"score"` // 0–1
}

// SuggestFunc finds answers for a customer's message; the knowledge base
// provides it (kb.Service.Suggest) so that inbox does not depend on it.
type SuggestFunc func(ctx context.Context, locale, text string, k int) ([]Suggestion, error)

// Suggest returns up to three replies for the customer's latest message:
// knowledge-base answers first, then canned replies whose words it shares.
// Requires conversations.reply and sight of the conversation.
func (s *Service) Suggest(ctx context.Context, id string) ([]Suggestion, error) {
	a, c, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.Can(kefu.PermConversationsReply) {
		return nil, kefu.Errorf(kefu.EFORBIDDEN, "You need the %q permission for this.", kefu.PermConversationsReply)
	}
	msgs, err := s.DB.Messages(ctx, c.ID, 0, 1000, false)
	if err != nil {
		return nil, err
	}
	last := ""
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].SenderType == kefu.SenderCustomer && strings.TrimSpace(msgs[i].Text) != "" {
			last = msgs[i].Text
			break
		}
	}
	out := []Suggestion{}
	if last == "" || s.Suggestions == nil {
		return out, nil
	}
	locale := "en"
	if strings.IndexFunc(last, func(r rune) bool { return r > 0x2E80 }) >= 0 {
		locale = "zh-CN"
	}
	return s.Suggestions(ctx, locale, last, 3)
}
