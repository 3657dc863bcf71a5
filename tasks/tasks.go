// Package tasks is work other departments — warehouse, logistics, finance,
// quality — owe on a customer's conversation: who, what, by when, and
// whether it is done, visible on the conversation so the agent can close
// the loop with the customer.
package tasks

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"kefu"
	"kefu/inbox"
	"kefu/realtime"
	"kefu/store"
)

// Service keeps tasks.
type Service struct {
	DB    *store.DB
	Inbox *inbox.Service
	Bus   *realtime.Bus
	Clock kefu.Clock
}

// Input creates or changes a task; nil fields stay.
type Input struct {
	Department *string    `json:"department"`
	Title      *string    `json:"title"`
	Note       *string    `json:"note"`
	OwnerID    *string    `json:"owner_id"`
	Status     *string    `json:"status"`
	DueAt      *time.Time `json:"due_at"`
}

// List returns a conversation's tasks. The caller must see the conversation.
func (s *Service) List(ctx context.Context, conversationID string) ([]kefu.Task, error) {
	if _, err := s.Inbox.Get(ctx, conversationID); err != nil {
		return nil, err
	}
	return s.DB.Tasks(ctx, conversationID, "")
}

// Mine returns the caller's open tasks, due first.
func (s *Service) Mine(ctx context.Context) ([]kefu.Task, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	return s.DB.Tasks(ctx, "", a.UserID)
}

// Create opens a task on a conversation the caller can see and tells its
// owner. Requires conversations.reply.
func (s *Service) Create(ctx context.Context, conversationID string, in Input) (kefu.Task, error) {
	a, err := kefu.Require(ctx, kefu.PermConversationsReply)
	if err != nil {
		return kefu.Task{}, err
	}
	if _, err := s.Inbox.Get(ctx, conversationID); err != nil {
		return kefu.Task{}, err
	}
	now := s.Clock.Now().Truncate(time.Millisecond)
	t := kefu.Task{ID: kefu.NewID(), ConversationID: conversationID, Status: "open", CreatedBy: a.Name, CreatedAt: now, UpdatedAt: now}
	if err := s.apply(ctx, &t, in); err != nil {
		return t, err
	}
	return s.save(ctx, a, t, kefu.Event{Type: kefu.EventTaskCreated, Data: map[string]any{"task_id": t.ID, "department": t.Department,
		"title": t.Title, "owner_id": t.OwnerID, "due_at": t.DueAt}})
}

// Update changes a task: its owner may, and anyone who may reply in the
// conversation.
func (s *Service) Update(ctx context.Context, id string, in Input) (kefu.Task, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return kefu.Task{}, err
	}
	t, err := s.DB.Task(ctx, id)
	if err != nil {
		return t, err
	}
	if t.OwnerID != a.UserID {
		if !a.Can(kefu.PermConversationsReply) {
			return t, kefu.Errorf(kefu.EFORBIDDEN, "You need the %q permission for this.", kefu.PermConversationsReply)
		}
		if _, err := s.Inbox.Get(ctx, t.ConversationID); err != nil {
			return t, err
		}
	}
	from := t.Status
	if err := s.apply(ctx, &t, in); err != nil {
		return t, err
	}
	now := s.Clock.Now().Truncate(time.Millisecond)
	t.UpdatedAt = now
	if t.Status == "done" && from != "done" {
		t.DoneAt = &now
	}
	return s.save(ctx, a, t, kefu.Event{Type: kefu.EventTaskUpdated, Data: map[string]any{"task_id": t.ID, "title": t.Title, "from": from, "to": t.Status}})
}

// apply validates and sets the given fields.
func (s *Service) apply(ctx context.Context, t *kefu.Task, in Input) error {
	kefu.Set(&t.Department, in.Department)
	kefu.Set(&t.Note, in.Note)
	kefu.Set(&t.Status, in.Status)
	if in.Title != nil {
		t.Title = strings.TrimSpace(*in.Title)
	}
	if in.DueAt != nil {
		due := in.DueAt.Truncate(time.Millisecond)
		t.DueAt = &due
	}
	if in.OwnerID != nil {
		t.OwnerID = *in.OwnerID
		if t.OwnerID != "" {
			if u, err := s.DB.User(ctx, t.OwnerID); kefu.ErrorCode(err) == kefu.ENOTFOUND || (err == nil && u.Disabled) {
				return kefu.Invalid("owner_id", "There is no active user %q.", t.OwnerID)
			} else if err != nil {
				return err
			}
		}
	}
	switch {
	case !slices.Contains(kefu.Departments, t.Department):
		return kefu.Invalid("department", "Use one of %s.", strings.Join(kefu.Departments, ", "))
	case t.Title == "" || utf8.RuneCountInString(t.Title) > 200:
		return kefu.Invalid("title", "Say what is to be done, in at most 200 characters.")
	case utf8.RuneCountInString(t.Note) > 2000:
		return kefu.Invalid("note", "A note has at most 2000 characters.")
	case !slices.Contains(kefu.TaskStatuses, t.Status):
		return kefu.Invalid("status", "Use one of %s.", strings.Join(kefu.TaskStatuses, ", "))
	}
	return nil
}

// save writes the task with its event on the conversation's timeline and
// tells the owner.
func (s *Service) save(ctx context.Context, a *kefu.Actor, t kefu.Task, e kefu.Event) (kefu.Task, error) {
	e.ID, e.ConversationID, e.CreatedAt = kefu.NewID(), t.ConversationID, t.UpdatedAt
	e.ActorType, e.ActorID, e.ActorName = kefu.SenderAgent, a.UserID, a.Name
	var notice *kefu.Notice
	err := s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.PutTask(ctx, t); err != nil {
			return err
		}
		if err := q.InsertEvent(ctx, e); err != nil {
			return err
		}
		if t.OwnerID == "" || t.OwnerID == a.UserID {
			return nil
		}
		notice = &kefu.Notice{ID: kefu.NewID(), UserID: t.OwnerID, Kind: "task", CreatedAt: t.UpdatedAt,
			Data: map[string]any{"task_id": t.ID, "conversation_id": t.ConversationID, "title": t.Title, "status": t.Status, "by": a.Name}}
		return q.InsertNotice(ctx, *notice)
	})
	if err != nil {
		return t, err
	}
	if notice != nil {
		s.Bus.Publish(realtime.Event{Type: realtime.TypeNotice, UserIDs: []string{t.OwnerID}, Notice: notice})
	}
	return s.DB.Task(ctx, t.ID)
}
