package routing

import (
	"cmp"
	"slices"
	"time"

	"kefu"
)

// Decide returns, best first, the agents who may take conversation c now:
// members of its team (of any team when it has none) who are online with
// room for one more conversation of its kind. The agent who served the
// customer last (sticky) comes first; then agents who speak the customer's
// language when it is not Chinese; then the team's strategy orders the rest.
// It is pure, so the same inputs always give the same order.
func Decide(c kefu.Conversation, team *kefu.Team, agents []kefu.Agent, sticky string) []string {
	kind := kefu.ChannelKind(c.Channel)
	var members map[string]bool
	if team != nil {
		members = make(map[string]bool, len(team.MemberIDs))
		for _, id := range team.MemberIDs {
			members[id] = true
		}
	}
	skill := ""
	if c.Language != "" && c.Language != "zh-CN" {
		skill = langSkill(c.Language)
	}
	// One flat candidate per eligible agent, with its sort keys computed once.
	type candidate struct {
		id           string
		sticky       bool
		speaks       bool
		load, cap    int
		lastAssigned *time.Time
	}
	cands := make([]candidate, 0, len(agents))
	for i := range agents {
		a := &agents[i]
		if !a.Free(kind) {
			continue
		}
		if team != nil && !members[a.UserID] {
			continue
		}
		if team == nil && len(a.TeamIDs) == 0 {
			continue // agents outside every team (admins, auditors) get nothing unasked
		}
		cands = append(cands, candidate{id: a.UserID, sticky: a.UserID == sticky, speaks: skill != "" && slices.Contains(a.Skills, skill),
			load: a.Load[kind], cap: a.Capacity[kind], lastAssigned: a.LastAssignedAt})
	}
	roundRobin, last := team != nil && team.Strategy == kefu.StrategyRoundRobin, ""
	if team != nil {
		last = team.LastAssigned
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		if c := compareBool(a.sticky, b.sticky); c != 0 {
			return c
		}
		if c := compareBool(a.speaks, b.speaks); c != 0 {
			return c
		}
		if roundRobin {
			// In id order, starting after the agent who got the last one.
			if after := compareBool(a.id > last, b.id > last); after != 0 {
				return after
			}
			return cmp.Compare(a.id, b.id)
		}
		// Lower share of capacity used first; a tie goes to whoever waited longest.
		if la, lb := a.load*b.cap, b.load*a.cap; la != lb {
			return la - lb
		}
		if c := compareTimes(a.lastAssigned, b.lastAssigned); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	out := make([]string, len(cands))
	for i, c := range cands {
		out[i] = c.id
	}
	return out
}

// compareBool orders true first.
func compareBool(a, b bool) int { return boolRank(b) - boolRank(a) }

// langSkill is the skill an agent needs for a customer language: "en" for en.
func langSkill(lang string) string {
	if i := len(lang); i > 2 {
		return lang[:2]
	}
	return lang
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// compareTimes orders nil (never) first, then earlier times.
func compareTimes(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return a.Compare(*b)
}
