// Package routing puts each conversation that needs a person with an agent
// the moment it needs one — new, handed off by the bot, reopened, moved to a
// team — and gives an agent the next waiting conversation the moment they
// come online or finish one. Nothing polls: inbox changes and presence
// changes drive it, and the database arbitrates (store.Claim), so several
// kefu processes on one PostgreSQL never assign a conversation twice.
package routing

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"kefu"
	"kefu/deadline"
	"kefu/inbox"
	"kefu/realtime"
	"kefu/store"
	"kefu/webhook"
)

// DefaultStickyDays is how long a returning customer goes back to the agent
// who served them last.
const DefaultStickyDays = 7

// AutoAssigner is how assignment events name kefu as their actor.
const AutoAssigner = "自动分配"

// Service assigns conversations.
type Service struct {
	DB         *store.DB
	Inbox      *inbox.Service
	Hooks      *webhook.Service
	Bus        *realtime.Bus
	Clock      kefu.Clock
	Log        *slog.Logger
	StickyDays int

	timers *deadline.Scheduler // overflow: one deadline per queued conversation of a team with overflow

	mu      sync.Mutex
	waits   map[string]time.Duration // per team, a moving average of queue waits, for the widget's estimate
	touched map[string]time.Time     // agents' last recorded activity, to write at most once a minute
}

// Start loads the overflow deadlines of conversations already queued and
// starts the timer. Call once, before serving.
func (s *Service) Start(ctx context.Context) error {
	s.timers = deadline.New(s.Clock.Now, func(key string, _ time.Time) {
		if err := s.overflow(context.WithoutCancel(ctx), key); err != nil {
			s.Log.Error("overflow failed", "conversation", key, "err", err)
		}
	})
	queue, err := s.DB.Queue(ctx, nil, 100000)
	if err != nil {
		return err
	}
	for _, c := range queue {
		if err := s.armOverflow(ctx, c); err != nil {
			return err
		}
	}
	s.timers.Start()
	return nil
}

// Stop stops the overflow timer.
func (s *Service) Stop() {
	if s.timers != nil {
		s.timers.Stop()
	}
}

// needsAgent reports whether a conversation waits for a person to be assigned.
func needsAgent(c kefu.Conversation) bool {
	return c.Status == kefu.StatusOpen && c.AssigneeID == "" && !c.Bot
}

// ConversationChanged is the inbox observer: it queues conversations that
// need an agent, takes the rest out of the queue, and offers freed capacity
// to the queue.
func (s *Service) ConversationChanged(ctx context.Context, ch inbox.Change) bool {
	ctx = kefu.NewContext(ctx, kefu.SystemActor(AutoAssigner))
	if err := s.changed(ctx, ch.Before, ch.After); err != nil {
		s.Log.Error("routing failed", "conversation", ch.After.ID, "err", err)
	}
	return false // routing is the last observer: what it changes it publishes itself
}

func (s *Service) changed(ctx context.Context, before *kefu.Conversation, after kefu.Conversation) error {
	needs := needsAgent(after)
	switch {
	case needs && after.QueuedAt == nil:
		if err := s.enqueue(ctx, after); err != nil {
			return err
		}
	case needs && before != nil && before.TeamID != after.TeamID:
		if err := s.armOverflow(ctx, after); err != nil {
			return err
		}
		if err := s.assign(ctx, after); err != nil {
			return err
		}
	case !needs && after.QueuedAt != nil:
		if err := s.DB.SetQueued(ctx, after.ID, nil); err != nil {
			return err
		}
		s.cancelOverflow(after.ID)
		s.publishLeft(after.ID)
		s.publishQueue(ctx, after.TeamID)
	}
	if before != nil && before.AssigneeID != "" &&
		(before.AssigneeID != after.AssigneeID || (before.Status == kefu.StatusOpen && after.Status != kefu.StatusOpen)) {
		return s.AgentFree(ctx, before.AssigneeID)
	}
	return nil
}

// enqueue puts a conversation in its team's queue and tries to assign it.
func (s *Service) enqueue(ctx context.Context, c kefu.Conversation) error {
	now := s.Clock.Now().Truncate(time.Millisecond)
	err := s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.SetQueued(ctx, c.ID, &now); err != nil {
			return err
		}
		return q.InsertEvent(ctx, kefu.Event{ID: kefu.NewID(), ConversationID: c.ID, Type: kefu.EventQueued, ActorType: kefu.SenderSystem,
			ActorName: AutoAssigner, Data: map[string]any{"team_id": c.TeamID}, CreatedAt: now})
	})
	if err != nil {
		return err
	}
	c.QueuedAt = &now
	if err := s.armOverflow(ctx, c); err != nil {
		return err
	}
	if err := s.assign(ctx, c); err != nil {
		return err
	}
	s.publishQueue(ctx, c.TeamID)
	return nil
}

// team returns a conversation's team, or nil when it has none.
func (s *Service) team(ctx context.Context, id string) (*kefu.Team, error) {
	if id == "" {
		return nil, nil
	}
	t, err := s.DB.Team(ctx, id)
	if kefu.ErrorCode(err) == kefu.ENOTFOUND {
		return nil, nil
	}
	return &t, err
}

// assign gives a queued conversation to the best agent who can take it, if
// any; it stays queued otherwise.
func (s *Service) assign(ctx context.Context, c kefu.Conversation) error {
	team, err := s.team(ctx, c.TeamID)
	if err != nil || (team != nil && !team.AutoAssign) {
		return err
	}
	agents, err := s.DB.Agents(ctx)
	if err != nil {
		return err
	}
	days := s.StickyDays
	if days == 0 {
		days = DefaultStickyDays
	}
	sticky, err := s.DB.LastAgentOf(ctx, c.ContactID, c.ID, s.Clock.Now().AddDate(0, 0, -days))
	if err != nil {
		return err
	}
	for _, id := range Decide(c, team, agents, sticky) {
		i := slices.IndexFunc(agents, func(a kefu.Agent) bool { return a.UserID == id })
		won, err := s.claim(ctx, c, team, agents[i])
		if err != nil || won {
			return err
		}
	}
	return nil
}

// AgentFree offers an agent who came online or finished a conversation the
// waiting conversations of their teams, in queue order, until they are full.
func (s *Service) AgentFree(ctx context.Context, userID string) error {
	agents, err := s.DB.Agents(ctx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(agents, func(a kefu.Agent) bool { return a.UserID == userID })
	if i < 0 || agents[i].Status != kefu.PresenceOnline || len(agents[i].TeamIDs) == 0 {
		return nil
	}
	agent := agents[i]
	queue, err := s.DB.Queue(ctx, append([]string{""}, agent.TeamIDs...), 200)
	if err != nil {
		return err
	}
	paused := map[string]bool{}
	teams := map[string]*kefu.Team{}
	for _, c := range queue {
		kind := kefu.ChannelKind(c.Channel)
		if !agent.Free(kind) {
			continue
		}
		team, ok := teams[c.TeamID]
		if !ok {
			if team, err = s.team(ctx, c.TeamID); err != nil {
				return err
			}
			teams[c.TeamID] = team
			paused[c.TeamID] = team != nil && !team.AutoAssign
		}
		if paused[c.TeamID] {
			continue
		}
		won, err := s.claim(ctx, c, team, agent)
		if err != nil {
			return err
		}
		if won {
			agent.Load[kind]++
		}
	}
	return nil
}

// claim assigns c to the agent if the database agrees (see store.Claim),
// records it, and publishes the change.
func (s *Service) claim(ctx context.Context, c kefu.Conversation, team *kefu.Team, agent kefu.Agent) (bool, error) {
	kind := kefu.ChannelKind(c.Channel)
	var channels []string
	for _, ch := range []string{kefu.ChannelWebchat, "wechat", "app", "email", "phone"} {
		if kefu.ChannelKind(ch) == kind {
			channels = append(channels, ch)
		}
	}
	if !slices.Contains(channels, c.Channel) {
		channels = append(channels, c.Channel)
	}
	now := s.Clock.Now().Truncate(time.Millisecond)
	won := false
	err := s.DB.InTx(ctx, func(q *store.Queries) error {
		var err error
		if won, err = q.Claim(ctx, c.ID, agent.UserID, channels, agent.Capacity[kind], now); err != nil || !won {
			return err
		}
		data := map[string]any{"from": "", "to": agent.UserID, "reason": "auto"}
		if c.QueuedAt != nil {
			data["waited_ms"] = now.Sub(*c.QueuedAt).Milliseconds()
		}
		if err := q.InsertEvent(ctx, kefu.Event{ID: kefu.NewID(), ConversationID: c.ID, Type: kefu.EventAssigned,
			ActorType: kefu.SenderSystem, ActorName: AutoAssigner, Data: data, CreatedAt: now}); err != nil {
			return err
		}
		if team != nil && team.Strategy == kefu.StrategyRoundRobin {
			if err := q.SetRoundRobin(ctx, team.ID, agent.UserID); err != nil {
				return err
			}
		}
		after := c
		after.AssigneeID, after.QueuedAt = agent.UserID, nil
		return s.Hooks.Enqueue(ctx, q, kefu.HookConversationUpdated, after)
	})
	if err != nil || !won {
		return false, err
	}
	s.cancelOverflow(c.ID)
	s.publishLeft(c.ID)
	if c.QueuedAt != nil {
		s.recordWait(c.TeamID, now.Sub(*c.QueuedAt))
	}
	if _, err := s.Inbox.Changed(ctx, c.ID, c); err != nil {
		return true, err
	}
	s.publishQueue(ctx, c.TeamID)
	return true, nil
}

// ---- overflow ----

func (s *Service) armOverflow(ctx context.Context, c kefu.Conversation) error {
	if s.timers == nil || c.QueuedAt == nil {
		return nil
	}
	team, err := s.team(ctx, c.TeamID)
	if err != nil {
		return err
	}
	if team == nil || team.OverflowTeamID == "" || team.OverflowMinutes <= 0 {
		s.timers.Cancel(c.ID)
		return nil
	}
	s.timers.Set(c.ID, s.Clock.Now().Add(time.Duration(team.OverflowMinutes)*time.Minute))
	return nil
}

func (s *Service) cancelOverflow(id string) {
	if s.timers != nil {
		s.timers.Cancel(id)
	}
}

// overflow moves a conversation nobody in its team could take in time to
// the team's overflow team.
func (s *Service) overflow(ctx context.Context, id string) error {
	ctx = kefu.NewContext(ctx, kefu.SystemActor(AutoAssigner))
	c, err := s.DB.Conversation(ctx, id)
	if err != nil || !needsAgent(c) || c.QueuedAt == nil {
		return err
	}
	team, err := s.team(ctx, c.TeamID)
	if err != nil || team == nil || team.OverflowTeamID == "" {
		return err
	}
	before := c
	now := s.Clock.Now().Truncate(time.Millisecond)
	c.TeamID, c.UpdatedAt = team.OverflowTeamID, now
	err = s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.UpdateConversation(ctx, c); err != nil {
			return err
		}
		return q.InsertEvent(ctx, kefu.Event{ID: kefu.NewID(), ConversationID: c.ID, Type: kefu.EventOverflowed, ActorType: kefu.SenderSystem,
			ActorName: AutoAssigner, Data: map[string]any{"from": before.TeamID, "to": c.TeamID, "minutes": team.OverflowMinutes}, CreatedAt: now})
	})
	if err != nil {
		return err
	}
	s.publishQueue(ctx, before.TeamID)
	_, err = s.Inbox.Changed(ctx, c.ID, before)
	return err
}

// ---- the customer's view of the queue ----

// recordWait folds a queue wait into the team's moving average.
func (s *Service) recordWait(team string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.waits == nil {
		s.waits = map[string]time.Duration{}
	}
	if prev, ok := s.waits[team]; ok {
		d = (prev*4 + d) / 5
	}
	s.waits[team] = d
}

// DefaultWait is the estimate per place in the queue before kefu has seen
// a conversation of the team assigned.
const DefaultWait = 2 * time.Minute

// estimate is the wait for a place: places × the team's recent average wait
// per conversation (DefaultWait until one was measured).
func (s *Service) estimate(team string, ahead int) time.Duration {
	s.mu.Lock()
	per, ok := s.waits[team]
	s.mu.Unlock()
	if !ok || per <= 0 {
		per = DefaultWait
	}
	return time.Duration(ahead+1) * per
}

// publishQueue tells every customer waiting in a team's queue their place.
func (s *Service) publishQueue(ctx context.Context, team string) {
	queue, err := s.DB.Queue(ctx, []string{team}, 1000)
	if err != nil {
		s.Log.Error("queue positions not sent", "team", team, "err", err)
		return
	}
	for i, c := range queue {
		s.Bus.Publish(realtime.Event{Type: realtime.TypeQueue, ConversationID: c.ID,
			Queue: &realtime.QueuePosition{Ahead: i, EstimatedWaitMS: s.estimate(team, i).Milliseconds()}})
	}
}

// publishLeft tells a customer that their conversation left the queue.
func (s *Service) publishLeft(id string) {
	s.Bus.Publish(realtime.Event{Type: realtime.TypeQueue, ConversationID: id})
}

// PositionOf returns a queued conversation's place, for a widget that (re)connects.
func (s *Service) PositionOf(ctx context.Context, c kefu.Conversation) (*realtime.QueuePosition, error) {
	if c.QueuedAt == nil {
		return nil, nil
	}
	ahead, _, err := s.DB.QueuePosition(ctx, c)
	if err != nil {
		return nil, err
	}
	return &realtime.QueuePosition{Ahead: ahead, EstimatedWaitMS: s.estimate(c.TeamID, ahead).Milliseconds()}, nil
}

// RunDue moves the conversations whose overflow time has come, now: for
// tests with a fixed clock. kefu serve's timer does it on its own.
func (s *Service) RunDue() int {
	if s.timers == nil {
		return 0
	}
	return s.timers.RunDue()
}
