// Package survey asks customers how they were served: when a conversation
// is resolved, a CSAT (1–5, with a comment) and/or NPS (0–10) survey — as the
// inbox says — goes to the customer as a card in the widget and a link in
// the conversation. One answer per conversation, until it expires. A low
// score (CSAT ≤ 2 or NPS ≤ 6) becomes a follow-up task for the team's
// supervisor, due in 48 hours (seed 003), whose outcome is recorded on it.
package survey

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"kefu"
	"kefu/inbox"
	"kefu/realtime"
	"kefu/store"
	"kefu/tasks"
)

// DefaultExpiry is how long a survey can be answered when the inbox does not say.
const DefaultExpiry = 72 * time.Hour

// FollowUpWithin is when a low score's follow-up is due.
const FollowUpWithin = 48 * time.Hour

// Actor names kefu in the timeline.
const Actor = "满意度调查"

// Service sends and records surveys.
type Service struct {
	DB    *store.DB
	Inbox *inbox.Service
	Tasks *tasks.Service
	Bus   *realtime.Bus
	Clock kefu.Clock
	Log   *slog.Logger
}

// ConversationChanged is the inbox observer: a conversation resolved for
// the first time gets its survey.
func (s *Service) ConversationChanged(ctx context.Context, ch inbox.Change) bool {
	if ch.Before == nil || ch.Before.Status == kefu.StatusResolved || ch.After.Status != kefu.StatusResolved {
		return false
	}
	if err := s.send(kefu.NewContext(ctx, kefu.SystemActor(Actor)), ch.After); err != nil {
		s.Log.Error("survey not sent", "conversation", ch.After.ID, "err", err)
	}
	return false
}

func hash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// send creates the survey of a resolved conversation, unless its inbox asks
// none or it has one already, and asks the customer.
func (s *Service) send(ctx context.Context, c kefu.Conversation) error {
	ib, err := s.DB.Inbox(ctx, c.InboxID)
	if err != nil || ib.Survey == "" {
		return err
	}
	if _, err := s.DB.SurveyOf(ctx, c.ID); err == nil {
		return nil // one survey per conversation, even when it is resolved again
	} else if kefu.ErrorCode(err) != kefu.ENOTFOUND {
		return err
	}
	raw := make([]byte, 18)
	_, _ = rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	expiry := time.Duration(ib.SurveyExpiryHours) * time.Hour
	if expiry == 0 {
		expiry = DefaultExpiry
	}
	now := s.Clock.Now().Truncate(time.Millisecond)
	v := store.Survey{ID: kefu.NewID(), ConversationID: c.ID, InboxID: c.InboxID, ContactID: c.ContactID, TeamID: c.TeamID,
		AssigneeID: c.AssigneeID, Kind: ib.Survey, TokenHash: hash(token), SentAt: now, ExpiresAt: now.Add(expiry)}
	err = s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.InsertSurvey(ctx, v); err != nil {
			return err
		}
		return q.InsertEvent(ctx, kefu.Event{ID: kefu.NewID(), ConversationID: c.ID, Type: kefu.EventSurveySent, ActorType: kefu.SenderSystem,
			ActorName: Actor, Data: map[string]any{"survey_id": v.ID, "kind": v.Kind}, CreatedAt: now})
	})
	if kefu.ErrorCode(err) == kefu.ECONFLICT {
		return nil // another node sent it
	} else if err != nil {
		return err
	}
	text := "本次服务已结束，请为我们的服务评分：/survey/" + token
	if c.Language == "en" {
		text = "We're done here — please rate our service: /survey/" + token
	}
	if _, err := s.Inbox.SystemMessage(ctx, c.ID, text); err != nil {
		return err
	}
	s.Bus.Publish(realtime.Event{Type: realtime.TypeSurvey, ConversationID: c.ID,
		Survey: &realtime.SurveyAsk{Token: token, Kind: v.Kind, ExpiresAt: v.ExpiresAt.Format(time.RFC3339)}})
	return nil
}

// Find returns the survey of a link's token. Only the token's hash is
// stored: the customer gets the token in the survey message and card.
func (s *Service) Find(ctx context.Context, token string) (store.Survey, error) {
	v, err := s.DB.SurveyByToken(ctx, hash(token))
	if kefu.ErrorCode(err) == kefu.ENOTFOUND {
		return v, kefu.Errorf(kefu.ENOTFOUND, "This survey link is not valid.")
	}
	return v, err
}

// Answer records a customer's answer to the survey of a link: once, before
// it expires, with the scores its kind asks for.
func (s *Service) Answer(ctx context.Context, token string, csat, nps *int, comment string) (store.Survey, error) {
	ctx = kefu.NewContext(ctx, kefu.SystemActor(Actor))
	v, err := s.Find(ctx, token)
	if err != nil {
		return v, err
	}
	now := s.Clock.Now().Truncate(time.Millisecond)
	switch {
	case v.AnsweredAt != nil:
		return v, kefu.Errorf(kefu.ECONFLICT, "This survey was answered already. Thank you!")
	case !now.Before(v.ExpiresAt):
		return v, kefu.Errorf(kefu.ECONFLICT, "This survey has expired.")
	case (v.Kind == "csat" || v.Kind == "both") && (csat == nil || *csat < 1 || *csat > 5):
		return v, kefu.Invalid("csat", "Rate from 1 to 5.")
	case (v.Kind == "nps" || v.Kind == "both") && (nps == nil || *nps < 0 || *nps > 10):
		return v, kefu.Invalid("nps", "Choose from 0 to 10.")
	case utf8.RuneCountInString(comment) > 1000:
		return v, kefu.Invalid("comment", "Use at most 1000 characters.")
	}
	if v.Kind == "nps" {
		csat = nil
	}
	if v.Kind == "csat" {
		nps = nil
	}
	comment = strings.TrimSpace(comment)
	low := (csat != nil && *csat <= 2) || (nps != nil && *nps <= 6)
	data := map[string]any{"survey_id": v.ID, "comment": comment, "low": low}
	if csat != nil {
		data["csat"] = *csat
	}
	if nps != nil {
		data["nps"] = *nps
	}
	answered := false
	err = s.DB.InTx(ctx, func(q *store.Queries) error {
		var err error
		if answered, err = q.AnswerSurvey(ctx, v.ID, now, csat, nps, comment); err != nil || !answered {
			return err
		}
		return q.InsertEvent(ctx, kefu.Event{ID: kefu.NewID(), ConversationID: v.ConversationID, Type: kefu.EventSurveyAnswered,
			ActorType: kefu.SenderCustomer, ActorID: v.ContactID, Data: data, CreatedAt: now})
	})
	if err != nil {
		return v, err
	}
	if !answered {
		return v, kefu.Errorf(kefu.ECONFLICT, "This survey was answered already. Thank you!")
	}
	if low {
		if err := s.followUp(ctx, v, csat, nps, comment); err != nil {
			s.Log.Error("no follow-up task for a low score", "survey", v.ID, "err", err)
		}
	}
	return s.Find(ctx, token)
}

// followUp gives a low score to the team's supervisor: a member of the
// conversation's team who may assign, else anyone who sees all
// conversations.
func (s *Service) followUp(ctx context.Context, v store.Survey, csat, nps *int, comment string) error {
	owner, err := s.supervisor(ctx, v.TeamID)
	if err != nil {
		return err
	}
	title := "低分回访"
	if csat != nil {
		title += "：满意度 " + strconv.Itoa(*csat) + " 分"
	} else if nps != nil {
		title += "：NPS " + strconv.Itoa(*nps)
	}
	due := s.Clock.Now().Add(FollowUpWithin)
	dept := "service"
	t, err := s.Tasks.Create(ctx, v.ConversationID, tasks.Input{Department: &dept, Title: &title, Note: &comment, OwnerID: &owner, DueAt: &due})
	if err != nil {
		return err
	}
	return s.DB.SetSurveyFollowUp(ctx, v.ID, t.ID)
}

func (s *Service) supervisor(ctx context.Context, teamID string) (string, error) {
	users, err := s.DB.UsersWithPermission(ctx, kefu.PermConversationsAssign)
	if err != nil {
		return "", err
	}
	if teamID != "" {
		if t, err := s.DB.Team(ctx, teamID); err == nil {
			for _, u := range users {
				if slices.Contains(t.MemberIDs, u.ID) {
					return u.ID, nil
				}
			}
		}
	}
	all, err := s.DB.UsersWithPermission(ctx, kefu.PermConversationsViewAll)
	if err != nil || len(all) == 0 {
		return "", err
	}
	return all[0].ID, nil
}
