package routing

import (
	"context"
	"slices"
	"strings"
	"time"

	"kefu"
	"kefu/store"
)

// SetPresence sets an agent's status. Agents set their own; changing
// someone else's needs conversations.assign. Going online offers the agent
// the waiting conversations at once.
func (s *Service) SetPresence(ctx context.Context, userID, status string) (kefu.Agent, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return kefu.Agent{}, err
	}
	if userID == "" {
		userID = a.UserID
	}
	if userID != a.UserID && !a.Can(kefu.PermConversationsAssign) {
		return kefu.Agent{}, kefu.Errorf(kefu.EFORBIDDEN, "You need the %q permission for this.", kefu.PermConversationsAssign)
	}
	if !slices.Contains(kefu.Presences, status) {
		return kefu.Agent{}, kefu.Invalid("status", "Use one of %s.", strings.Join(kefu.Presences, ", "))
	}
	if err := s.DB.SetPresence(ctx, userID, status, s.Clock.Now()); err != nil {
		return kefu.Agent{}, err
	}
	s.mu.Lock()
	if s.touched == nil {
		s.touched = map[string]time.Time{}
	}
	s.touched[userID] = s.Clock.Now()
	s.mu.Unlock()
	if status == kefu.PresenceOnline {
		if err := s.AgentFree(kefu.NewContext(ctx, kefu.SystemActor(AutoAssigner)), userID); err != nil {
			return kefu.Agent{}, err
		}
	}
	return s.agent(ctx, userID)
}

// Touch records that an online agent is active (the console reports input),
// at most once a minute per agent, so that AwayIdle leaves them online.
func (s *Service) Touch(ctx context.Context, userID string) error {
	now := s.Clock.Now()
	s.mu.Lock()
	if s.touched == nil {
		s.touched = map[string]time.Time{}
	}
	last, ok := s.touched[userID]
	if ok && now.Sub(last) < time.Minute {
		s.mu.Unlock()
		return nil
	}
	s.touched[userID] = now
	s.mu.Unlock()
	return s.DB.TouchOnline(ctx, userID, now)
}

// DefaultAwayAfter is how long an online agent may be idle before kefu sets
// them away.
const DefaultAwayAfter = 15 * time.Minute

// AwayIdle sets online agents who showed no activity for a while to away,
// so conversations stop going to someone who left their desk.
func (s *Service) AwayIdle(ctx context.Context, after time.Duration) error {
	stale, err := s.DB.StaleOnline(ctx, s.Clock.Now().Add(-after))
	if err != nil {
		return err
	}
	for _, id := range stale {
		if err := s.DB.SetPresence(ctx, id, kefu.PresenceAway, s.Clock.Now()); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) agent(ctx context.Context, userID string) (kefu.Agent, error) {
	agents, err := s.DB.Agents(ctx)
	if err != nil {
		return kefu.Agent{}, err
	}
	i := slices.IndexFunc(agents, func(a kefu.Agent) bool { return a.UserID == userID })
	if i < 0 {
		return kefu.Agent{}, kefu.Errorf(kefu.ENOTFOUND, "User not found.")
	}
	return agents[i], nil
}

// Agents lists agents with presence, capacity, skills and load. Anyone who
// sees conversations may read it: the console shows who is free.
func (s *Service) Agents(ctx context.Context) ([]kefu.Agent, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Can(kefu.PermConversationsViewOwn) && !a.Can(kefu.PermConversationsViewTeam) && !a.Can(kefu.PermConversationsViewAll) {
		return nil, kefu.Errorf(kefu.EFORBIDDEN, "You need a conversations.view permission for this.")
	}
	return s.DB.Agents(ctx)
}

// AgentPatch changes an agent's capacity or skills; nil fields stay.
type AgentPatch struct {
	Capacity map[string]int `json:"capacity"`
	Skills   *[]string      `json:"skills"`
}

// UpdateAgent sets an agent's capacity and skills. Requires
// conversations.assign (supervisors) or users.manage. A raised capacity is
// offered to the queue at once.
func (s *Service) UpdateAgent(ctx context.Context, userID string, p AgentPatch) (kefu.Agent, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return kefu.Agent{}, err
	}
	if !a.Can(kefu.PermConversationsAssign) && !a.Can(kefu.PermUsersManage) {
		return kefu.Agent{}, kefu.Errorf(kefu.EFORBIDDEN, "You need the %q permission for this.", kefu.PermConversationsAssign)
	}
	cur, err := s.agent(ctx, userID)
	if err != nil {
		return cur, err
	}
	capacity, skills := cur.Capacity, cur.Skills
	if p.Capacity != nil {
		capacity = map[string]int{}
		for kind, n := range p.Capacity {
			if !slices.Contains(kefu.ChannelKinds, kind) {
				return cur, kefu.Invalid("capacity", "Capacity is per channel kind: %s.", strings.Join(kefu.ChannelKinds, ", "))
			}
			if n < 0 || n > 200 {
				return cur, kefu.Invalid("capacity."+kind, "Allow between 0 and 200 open conversations.")
			}
			capacity[kind] = n
		}
	}
	if p.Skills != nil {
		skills = nil
		for _, sk := range *p.Skills {
			sk = strings.ToLower(strings.TrimSpace(sk))
			if sk == "" {
				continue
			}
			if len([]rune(sk)) > 40 {
				return cur, kefu.Invalid("skills", "A skill has at most 40 characters.")
			}
			skills = append(skills, sk)
		}
		skills = slices.Compact(slices.Sorted(slices.Values(skills)))
	}
	if err := s.DB.SetAgentRouting(ctx, userID, capacity, skills); err != nil {
		return cur, err
	}
	if err := s.AgentFree(kefu.NewContext(ctx, kefu.SystemActor(AutoAssigner)), userID); err != nil {
		return cur, err
	}
	return s.agent(ctx, userID)
}

// TeamPatch changes a team; nil fields stay.
type TeamPatch struct {
	Name            *string   `json:"name"`
	Description     *string   `json:"description"`
	MemberIDs       *[]string `json:"member_ids"`
	Strategy        *string   `json:"strategy"`
	AutoAssign      *bool     `json:"auto_assign"`
	OverflowTeamID  *string   `json:"overflow_team_id"`
	OverflowMinutes *int      `json:"overflow_minutes"`
	CalendarID      *string   `json:"calendar_id"`
}

// CreateTeam makes a team. Requires users.manage.
func (s *Service) CreateTeam(ctx context.Context, p TeamPatch) (kefu.Team, error) {
	if _, err := kefu.Require(ctx, kefu.PermUsersManage); err != nil {
		return kefu.Team{}, err
	}
	t := kefu.Team{ID: kefu.NewID(), MemberIDs: []string{}, CreatedAt: s.Clock.Now(),
		TeamRouting: kefu.TeamRouting{Strategy: kefu.StrategyLeastLoaded, AutoAssign: true}}
	if p.Name == nil || strings.TrimSpace(*p.Name) == "" {
		return t, kefu.Invalid("name", "Name the team.")
	}
	if err := s.DB.InsertTeam(ctx, kefu.Team{ID: t.ID, Name: strings.TrimSpace(*p.Name), CreatedAt: t.CreatedAt}); err != nil {
		return t, err
	}
	return s.UpdateTeam(ctx, t.ID, p)
}

// UpdateTeam changes a team. Members, name and routing need users.manage;
// pausing or resuming auto-assignment alone is a supervisor's right
// (conversations.assign). Resuming offers the queue to the team at once.
func (s *Service) UpdateTeam(ctx context.Context, id string, p TeamPatch) (kefu.Team, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return kefu.Team{}, err
	}
	onlyPause := p.Name == nil && p.Description == nil && p.MemberIDs == nil && p.Strategy == nil && p.OverflowTeamID == nil &&
		p.OverflowMinutes == nil && p.CalendarID == nil
	if !a.Can(kefu.PermUsersManage) && !(onlyPause && a.Can(kefu.PermConversationsAssign)) {
		return kefu.Team{}, kefu.Errorf(kefu.EFORBIDDEN, "You need the %q permission for this.", kefu.PermUsersManage)
	}
	t, err := s.DB.Team(ctx, id)
	if err != nil {
		return t, err
	}
	resumed := p.AutoAssign != nil && *p.AutoAssign && !t.AutoAssign
	kefu.Set(&t.AutoAssign, p.AutoAssign)
	if p.Name != nil {
		if t.Name = strings.TrimSpace(*p.Name); t.Name == "" || len([]rune(t.Name)) > 60 {
			return t, kefu.Invalid("name", "A team name has 1 to 60 characters.")
		}
	}
	kefu.Set(&t.Description, p.Description)
	if p.Strategy != nil {
		if *p.Strategy != kefu.StrategyLeastLoaded && *p.Strategy != kefu.StrategyRoundRobin {
			return t, kefu.Invalid("strategy", "Use least_loaded or round_robin.")
		}
		t.Strategy = *p.Strategy
	}
	if p.OverflowMinutes != nil {
		if *p.OverflowMinutes < 0 || *p.OverflowMinutes > 24*60 {
			return t, kefu.Invalid("overflow_minutes", "Overflow after between 0 (never) and 1440 minutes.")
		}
		t.OverflowMinutes = *p.OverflowMinutes
	}
	if p.OverflowTeamID != nil {
		if *p.OverflowTeamID == t.ID {
			return t, kefu.Invalid("overflow_team_id", "A team cannot overflow into itself.")
		}
		if *p.OverflowTeamID != "" {
			if _, err := s.DB.Team(ctx, *p.OverflowTeamID); kefu.ErrorCode(err) == kefu.ENOTFOUND {
				return t, kefu.Invalid("overflow_team_id", "There is no team %q.", *p.OverflowTeamID)
			} else if err != nil {
				return t, err
			}
		}
		t.OverflowTeamID = *p.OverflowTeamID
	}
	if p.CalendarID != nil {
		if *p.CalendarID != "" {
			if _, err := s.DB.Calendar(ctx, *p.CalendarID); kefu.ErrorCode(err) == kefu.ENOTFOUND {
				return t, kefu.Invalid("calendar_id", "There is no calendar %q.", *p.CalendarID)
			} else if err != nil {
				return t, err
			}
		}
		t.CalendarID = *p.CalendarID
	}
	if p.MemberIDs != nil {
		members := slices.Compact(slices.Sorted(slices.Values(*p.MemberIDs)))
		for _, m := range members {
			if u, err := s.DB.User(ctx, m); kefu.ErrorCode(err) == kefu.ENOTFOUND || (err == nil && u.Disabled) {
				return t, kefu.Invalid("member_ids", "There is no active user %q.", m)
			} else if err != nil {
				return t, err
			}
		}
		t.MemberIDs = nonNil(members)
	}
	if err := s.DB.InTx(ctx, func(q *store.Queries) error { return q.UpdateTeam(ctx, t) }); err != nil {
		return t, err
	}
	if resumed || p.MemberIDs != nil {
		if err := s.offerQueue(kefu.NewContext(ctx, kefu.SystemActor(AutoAssigner)), t); err != nil {
			return t, err
		}
	}
	return s.DB.Team(ctx, id)
}

// offerQueue offers a team's waiting conversations to each of its members.
func (s *Service) offerQueue(ctx context.Context, t kefu.Team) error {
	for _, m := range t.MemberIDs {
		if err := s.AgentFree(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// TeamQueue is a team's live queue, for the supervisor's page.
type TeamQueue struct {
	TeamID        string              `json:"team_id"` // "" for conversations without a team
	TeamName      string              `json:"team_name"`
	AutoAssign    bool                `json:"auto_assign"`
	Waiting       int                 `json:"waiting"`
	LongestWaitMS int64               `json:"longest_wait_ms"`
	AgentsOnline  int                 `json:"agents_online"`
	CapacityFree  int                 `json:"capacity_free"` // chat places free among online members
	Conversations []kefu.Conversation `json:"conversations"` // the first 50, in queue order
}

// Overview returns every team's queue. Requires conversations.assign or
// conversations.view.all.
func (s *Service) Overview(ctx context.Context) ([]TeamQueue, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Can(kefu.PermConversationsAssign) && !a.Can(kefu.PermConversationsViewAll) {
		return nil, kefu.Errorf(kefu.EFORBIDDEN, "You need the %q permission for this.", kefu.PermConversationsAssign)
	}
	teams, err := s.DB.Teams(ctx)
	if err != nil {
		return nil, err
	}
	agents, err := s.DB.Agents(ctx)
	if err != nil {
		return nil, err
	}
	queue, err := s.DB.Queue(ctx, nil, 100000)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	out := []TeamQueue{{TeamID: "", AutoAssign: true, Conversations: []kefu.Conversation{}}}
	index := map[string]int{"": 0}
	for _, t := range teams {
		q := TeamQueue{TeamID: t.ID, TeamName: t.Name, AutoAssign: t.AutoAssign, Conversations: []kefu.Conversation{}}
		for _, ag := range agents {
			if ag.Status == kefu.PresenceOnline && slices.Contains(ag.TeamIDs, t.ID) {
				q.AgentsOnline++
				q.CapacityFree += max(0, ag.Capacity[kefu.KindChat]-ag.Load[kefu.KindChat])
			}
		}
		index[t.ID] = len(out)
		out = append(out, q)
	}
	for _, c := range queue {
		i, ok := index[c.TeamID]
		if !ok {
			i = 0
		}
		q := &out[i]
		q.Waiting++
		if wait := now.Sub(*c.QueuedAt).Milliseconds(); wait > q.LongestWaitMS {
			q.LongestWaitMS = wait
		}
		if len(q.Conversations) < 50 {
			q.Conversations = append(q.Conversations, c)
		}
	}
	for i := range out {
		if err := s.Inbox.Decorate(ctx, out[i].Conversations); err != nil {
			return nil, err
		}
	}
	return out, nil
}
