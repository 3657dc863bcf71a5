package routing_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"kefu"
	"kefu/routing"
)

func agent(id string, load, capacity int, skills ...string) kefu.Agent {
	return kefu.Agent{UserID: id, Status: kefu.PresenceOnline, Capacity: map[string]int{kefu.KindChat: capacity},
		Load: map[string]int{kefu.KindChat: load}, Skills: skills, TeamIDs: []string{"t"}}
}

func TestDecide(t *testing.T) {
	team := &kefu.Team{ID: "t", MemberIDs: []string{"a", "b", "c", "d"}, TeamRouting: kefu.TeamRouting{Strategy: kefu.StrategyLeastLoaded}}
	chat := kefu.Conversation{Channel: kefu.ChannelWebchat, Language: "zh-CN"}
	away := agent("d", 0, 5)
	away.Status = kefu.PresenceAway
	earlier := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	b := agent("b", 1, 4)
	b.LastAssignedAt = &earlier
	later := earlier.Add(time.Hour)
	c := agent("c", 2, 8, "en")
	c.LastAssignedAt = &later
	outsider := agent("x", 0, 5)
	agents := []kefu.Agent{agent("a", 3, 3), b, c, away, outsider}

	cases := []struct {
		name   string
		conv   kefu.Conversation
		team   *kefu.Team
		sticky string
		want   []string
	}{
		// a is full, d away, x not in the team; b and c both at 1/4 of capacity: b waited longer.
		{"least loaded", chat, team, "", []string{"b", "c"}},
		{"sticky first", chat, team, "c", []string{"c", "b"}},
		{"sticky but full", chat, team, "a", []string{"b", "c"}},
		{"english speakers first", kefu.Conversation{Channel: kefu.ChannelWebchat, Language: "en"}, team, "", []string{"c", "b"}},
		{"no team: any team member", chat, nil, "", []string{"x", "b", "c"}},
		{"round robin after b", chat, &kefu.Team{ID: "t", MemberIDs: team.MemberIDs,
			TeamRouting: kefu.TeamRouting{Strategy: kefu.StrategyRoundRobin, LastAssigned: "b"}}, "", []string{"c", "b"}},
		{"round robin wraps", chat, &kefu.Team{ID: "t", MemberIDs: team.MemberIDs,
			TeamRouting: kefu.TeamRouting{Strategy: kefu.StrategyRoundRobin, LastAssigned: "c"}}, "", []string{"b", "c"}},
		{"email capacity is separate", kefu.Conversation{Channel: "email"}, team, "", []string{}},
	}
	for _, tc := range cases {
		if got := routing.Decide(tc.conv, tc.team, agents, tc.sticky); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// BenchmarkDecide measures one assignment decision among 1,000 agents.
func BenchmarkDecide(b *testing.B) {
	team := &kefu.Team{ID: "t", TeamRouting: kefu.TeamRouting{Strategy: kefu.StrategyLeastLoaded}}
	var agents []kefu.Agent
	for i := range 1000 {
		id := fmt.Sprintf("agent-%04d", i)
		agents = append(agents, agent(id, i%5, 5, "en"))
		team.MemberIDs = append(team.MemberIDs, id)
	}
	c := kefu.Conversation{Channel: kefu.ChannelWebchat, Language: "en"}
	b.ReportAllocs()
	for b.Loop() {
		routing.Decide(c, team, agents, "agent-0500")
	}
}
