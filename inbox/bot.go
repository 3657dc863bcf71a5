package inbox

import (
	"context"
	"time"

	"kefu"
	"kefu/realtime"
	"kefu/store"
)

// The bot works through these methods: it answers as sender "bot", and hands
// the conversation to the human queue with what it learned, so the customer
// is never asked again.

// BotName is how the bot signs its messages.
const BotName = "智能助手"

// BotReply posts the bot's answer to the customer.
func (s *Service) BotReply(ctx context.Context, conversationID, text string) (kefu.Message, error) {
	return s.postAs(ctx, conversationID, kefu.SenderBot, BotName, text)
}

// SystemMessage posts a line from kefu itself to the customer (a return's
// progress, say): it reaches them on their channel and stays in the history.
func (s *Service) SystemMessage(ctx context.Context, conversationID, text string) (kefu.Message, error) {
	return s.postAs(ctx, conversationID, kefu.SenderSystem, "", text)
}

func (s *Service) postAs(ctx context.Context, conversationID, senderType, senderName, text string) (kefu.Message, error) {
	msg := kefu.Message{ID: kefu.NewID(), ConversationID: conversationID, SenderType: senderType, SenderName: senderName,
		Text: text, Attachments: []kefu.Attachment{}, Status: "sent", CreatedAt: s.Clock.Now().Truncate(time.Millisecond)}
	err := s.DB.Batch(ctx, func(q *store.Queries) error {
		if err := q.AppendMessage(ctx, &msg); err != nil {
			return err
		}
		return s.Hooks.Enqueue(ctx, q, kefu.HookMessageCreated, msg)
	})
	if err != nil {
		return msg, err
	}
	s.publishMessage(msg)
	_, _ = s.publishConversation(ctx, conversationID, nil)
	return msg, nil
}

// SetDetectedIntent records the classifier's intent for a conversation. An
// agent's correction always wins, so it is never overwritten.
func (s *Service) SetDetectedIntent(ctx context.Context, conversationID, intent string) error {
	// One targeted update: this runs beside the agent's work on the
	// conversation and must not write back a stale copy of it.
	changed, err := s.DB.SetIntent(ctx, conversationID, intent)
	if err == nil && changed {
		_, _ = s.publishConversation(ctx, conversationID, nil)
	}
	return err
}

// Handoff is what the bot tells the agents when it gives a conversation up.
type Handoff struct {
	Reason     string  // asked_for_human, angry, complaint, low_confidence, not_helpful, offline
	Intent     string  // the detected intent, if any
	Angry      bool    // anger was detected
	Confidence float64 // of the last answer considered
	Notice     string  // what the customer is told
	Summary    string  // a note for the agent: the request and what the bot already said
}

// HandOff gives a bot conversation to the human queue: the customer is told,
// the agents get a note with the bot's findings, the timeline records why,
// and an angry customer's conversation becomes urgent. A conversation the
// bot no longer handles is left alone.
func (s *Service) HandOff(ctx context.Context, conversationID string, h Handoff) error {
	now := s.Clock.Now().Truncate(time.Millisecond)
	var msgs []kefu.Message
	var before kefu.Conversation
	handed := false
	err := s.DB.Batch(ctx, func(q *store.Queries) error {
		c, err := q.Conversation(ctx, conversationID)
		if err != nil || !c.Bot {
			return err
		}
		handed, before = true, c
		c.Bot, c.Status, c.UpdatedAt = false, kefu.StatusOpen, now
		c.WaitingSince = &now // from now on a human is owed an answer
		if err := q.SetWaitingSince(ctx, c.ID, now); err != nil {
			return err
		}
		if h.Angry || h.Reason == "complaint" {
			c.Priority = "urgent"
		}
		if err := q.UpdateConversation(ctx, c); err != nil {
			return err
		}
		if h.Notice != "" {
			m := kefu.Message{ID: kefu.NewID(), ConversationID: c.ID, SenderType: kefu.SenderSystem, Text: h.Notice,
				Attachments: []kefu.Attachment{}, Status: "sent", CreatedAt: now}
			if err := q.AppendMessage(ctx, &m); err != nil {
				return err
			}
			msgs = append(msgs, m)
		}
		if h.Summary != "" {
			m := kefu.Message{ID: kefu.NewID(), ConversationID: c.ID, SenderType: kefu.SenderBot, SenderName: BotName, Private: true,
				Text: h.Summary, Attachments: []kefu.Attachment{}, Status: "sent", CreatedAt: now}
			if err := q.AppendMessage(ctx, &m); err != nil {
				return err
			}
			msgs = append(msgs, m)
		}
		if err := q.InsertEvent(ctx, kefu.Event{ID: kefu.NewID(), ConversationID: c.ID, Type: kefu.EventHandoff, ActorType: kefu.SenderBot,
			ActorName: BotName, Data: map[string]any{"reason": h.Reason, "intent": h.Intent, "angry": h.Angry, "confidence": h.Confidence},
			CreatedAt: now}); err != nil {
			return err
		}
		return s.Hooks.Enqueue(ctx, q, kefu.HookConversationUpdated, c)
	})
	if err != nil || !handed {
		return err
	}
	for _, m := range msgs {
		s.publishMessage(m)
	}
	if h.Angry {
		s.notifySupervisors(ctx, conversationID, h)
	}
	_, _ = s.publishConversation(ctx, conversationID, &before)
	return nil
}

// notifySupervisors tells everyone who sees all conversations about an angry customer.
func (s *Service) notifySupervisors(ctx context.Context, conversationID string, h Handoff) {
	s.NotifySupervisors(ctx, "angry_customer", map[string]any{"conversation_id": conversationID, "intent": h.Intent, "reason": h.Reason})
}

// NotifySupervisors sends a notice to everyone who sees all conversations.
func (s *Service) NotifySupervisors(ctx context.Context, kind string, data map[string]any) {
	users, err := s.DB.UsersWithPermission(ctx, kefu.PermConversationsViewAll)
	if err != nil {
		return
	}
	for _, u := range users {
		n := kefu.Notice{ID: kefu.NewID(), UserID: u.ID, Kind: kind, CreatedAt: s.Clock.Now(), Data: data}
		if s.DB.InsertNotice(ctx, n) == nil {
			s.Bus.Publish(realtime.Event{Type: realtime.TypeNotice, UserIDs: []string{u.ID}, Notice: &n})
		}
	}
}

// BotFeedback records the customer's "did this help?" answer to a bot reply.
func (s *Service) BotFeedback(ctx context.Context, conversationID, replyID string, helpful bool) error {
	return s.DB.SetBotFeedback(ctx, conversationID, replyID, helpful)
}

// TakeOver lets an agent answer a conversation the bot still handles: it
// leaves the bot. Replies by agents do this on their own.
func (s *Service) takeOver(ctx context.Context, q *store.Queries, c *kefu.Conversation) error {
	if !c.Bot {
		return nil
	}
	c.Bot = false
	return q.LeaveBot(ctx, c.ID)
}

// MarkAngry makes the conversation of an angry customer urgent and tells the
// supervisors, once: a conversation already urgent is left alone.
func (s *Service) MarkAngry(ctx context.Context, conversationID string) error {
	c, err := s.DB.Conversation(ctx, conversationID)
	if err != nil || c.Priority == "urgent" {
		return err
	}
	before, now := c, s.Clock.Now().Truncate(time.Millisecond)
	// Targeted writes, not the whole row: this runs beside the agent's work.
	err = s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.SetPriority(ctx, c.ID, "urgent"); err != nil {
			return err
		}
		return q.InsertEvent(ctx, kefu.Event{ID: kefu.NewID(), ConversationID: c.ID, Type: kefu.EventPriorityChanged, ActorType: kefu.SenderBot,
			ActorName: BotName, Data: map[string]any{"from": c.Priority, "to": "urgent", "reason": "angry"}, CreatedAt: now})
	})
	if err != nil {
		return err
	}
	_, _ = s.publishConversation(ctx, c.ID, &before)
	s.notifySupervisors(ctx, c.ID, Handoff{Reason: "angry", Angry: true})
	return nil
}
