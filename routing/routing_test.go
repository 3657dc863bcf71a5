package routing_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"kefu"
	"kefu/app"
	"kefu/app/apptest"
	"kefu/auth"
	"kefu/inbox"
	"kefu/routing"
	"kefu/store"
	"kefu/store/storetest"
)

type fixture struct {
	a     *app.App
	sys   context.Context
	clock *kefu.FixedClock
	team  kefu.Team
	inbox kefu.Inbox
	users map[string]string // name → id
}

func setup(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	clock := &kefu.FixedClock{T: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	a := apptest.Open(t, db, clock)
	a.Inbox.OnCustomerMessage = nil
	f := &fixture{a: a, sys: app.System(context.Background(), "test"), clock: clock, users: map[string]string{}}
	var members []string
	for _, name := range []string{"阿明", "小白"} {
		u, err := a.Auth.CreateUser(f.sys, auth.NewUser{Email: name + "@example.com", Name: name, Role: kefu.RoleAgent, Password: "long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		f.users[name] = u.ID
		members = append(members, u.ID)
	}
	name := "售前"
	var err error
	if f.team, err = a.Routing.CreateTeam(f.sys, routing.TeamPatch{Name: &name, MemberIDs: &members}); err != nil {
		t.Fatal(err)
	}
	if f.inbox, err = a.Webchat.CreateInbox(f.sys, kefu.Inbox{Name: "官网", TeamID: f.team.ID}); err != nil {
		t.Fatal(err)
	}
	return f
}

// customer writes a first message as a new contact and returns the conversation.
func (f *fixture) customer(t *testing.T, text string) kefu.Conversation {
	t.Helper()
	who, err := f.a.Contacts.Create(f.sys, kefu.Contact{Name: "客户" + kefu.NewID()[30:]})
	if err != nil {
		t.Fatal(err)
	}
	_, c, err := f.a.Inbox.Ingest(f.sys, inbox.IncomingMessage{InboxID: f.inbox.ID, ContactID: who.ID, ClientID: "1", Text: text})
	if err != nil {
		t.Fatal(err)
	}
	c, _ = f.a.DB.Conversation(f.sys, c.ID)
	return c
}

func (f *fixture) get(t *testing.T, id string) kefu.Conversation {
	c, err := f.a.DB.Conversation(f.sys, id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) online(t *testing.T, name string, chats int) {
	t.Helper()
	if _, err := f.a.Routing.UpdateAgent(f.sys, f.users[name], routing.AgentPatch{Capacity: map[string]int{kefu.KindChat: chats}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.Routing.SetPresence(f.sys, f.users[name], kefu.PresenceOnline); err != nil {
		t.Fatal(err)
	}
}

func TestQueueOrderCapacityAndFreedCapacity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		// Without SLA targets the queue is ordered by priority, then wait.
		policies, _ := db.SLAPolicies(f.sys)
		for _, p := range policies {
			if err := db.DeleteSLAPolicy(f.sys, p.ID); err != nil {
				t.Fatal(err)
			}
		}
		// Nobody is online: conversations wait in the queue.
		c1 := f.customer(t, "这款有货吗")
		f.clock.Advance(time.Minute)
		c2 := f.customer(t, "尺码怎么选")
		f.clock.Advance(time.Minute)
		c3 := f.customer(t, "你们这是欺骗消费者")
		urgent := "urgent"
		if _, err := f.a.Inbox.Update(f.sys, c3.ID, inbox.Patch{Priority: &urgent}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []kefu.Conversation{c1, c2, c3} {
			if c = f.get(t, c.ID); c.QueuedAt == nil || c.AssigneeID != "" {
				t.Fatalf("not queued: %+v", c)
			}
		}
		// 阿明 comes online with room for two: the urgent one, then the longest waiting.
		f.online(t, "阿明", 2)
		if f.get(t, c3.ID).AssigneeID != f.users["阿明"] || f.get(t, c1.ID).AssigneeID != f.users["阿明"] {
			t.Fatal("the urgent and the oldest conversations did not go first")
		}
		if c := f.get(t, c2.ID); c.AssigneeID != "" || c.QueuedAt == nil {
			t.Fatalf("an agent got more than their capacity: %+v", c)
		}
		// Resolving one frees a place, and the queue fills it at once.
		agent := kefu.NewContext(f.sys, &kefu.Actor{UserID: f.users["阿明"], Name: "阿明", Permissions: []kefu.Permission{kefu.PermConversationsViewOwn, kefu.PermConversationsReply}})
		if _, err := f.a.Inbox.SetStatus(agent, c1.ID, kefu.StatusResolved, nil); err != nil {
			t.Fatal(err)
		}
		if c := f.get(t, c2.ID); c.AssigneeID != f.users["阿明"] || c.QueuedAt != nil {
			t.Fatalf("freed capacity was not filled: %+v", c)
		}
		// With 阿明 full, the next goes to 小白 as soon as they are online.
		c4 := f.customer(t, "发货了吗")
		if f.get(t, c4.ID).AssigneeID != "" {
			t.Fatal("assigned to a full agent")
		}
		f.online(t, "小白", 3)
		if f.get(t, c4.ID).AssigneeID != f.users["小白"] {
			t.Fatal("the second agent did not get the waiting conversation")
		}
		// A new conversation goes to the least loaded: 小白 has 1 of 3, 阿明 2 of 2.
		if c5 := f.customer(t, "可以开发票吗"); c5.AssigneeID != f.users["小白"] {
			t.Fatalf("least loaded: %+v", c5)
		}
		events, _ := db.Events(f.sys, c4.ID)
		if e := events[len(events)-1]; e.Type != kefu.EventAssigned || e.ActorName != routing.AutoAssigner || e.Data["waited_ms"] == nil {
			t.Fatalf("assignment event: %+v", e)
		}
	})
}

func TestPauseAndOverflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		if err := f.a.Routing.Start(f.sys); err != nil {
			t.Fatal(err)
		}
		defer f.a.Routing.Stop()
		off := false
		supervisor := kefu.NewContext(f.sys, &kefu.Actor{UserID: "s", Permissions: []kefu.Permission{kefu.PermConversationsAssign}})
		if _, err := f.a.Routing.UpdateTeam(supervisor, f.team.ID, routing.TeamPatch{AutoAssign: &off}); err != nil {
			t.Fatalf("a supervisor pauses auto-assignment: %v", err)
		}
		rename := "改名"
		if _, err := f.a.Routing.UpdateTeam(supervisor, f.team.ID, routing.TeamPatch{Name: &rename}); kefu.ErrorCode(err) != kefu.EFORBIDDEN {
			t.Fatalf("a supervisor renamed a team: %v", err)
		}
		f.online(t, "阿明", 5)
		c := f.customer(t, "在吗")
		if f.get(t, c.ID).AssigneeID != "" {
			t.Fatal("assigned while paused")
		}
		on := true
		if _, err := f.a.Routing.UpdateTeam(supervisor, f.team.ID, routing.TeamPatch{AutoAssign: &on}); err != nil {
			t.Fatal(err)
		}
		if f.get(t, c.ID).AssigneeID != f.users["阿明"] {
			t.Fatal("resuming did not assign the waiting conversation")
		}

		// Overflow: nobody online in 售前 for 5 minutes moves the conversation to 售后.
		vipName := "售后"
		members := []string{f.users["小白"]}
		other, err := f.a.Routing.CreateTeam(f.sys, routing.TeamPatch{Name: &vipName, MemberIDs: &members})
		if err != nil {
			t.Fatal(err)
		}
		five, onlyAMing := 5, []string{f.users["阿明"]}
		if _, err := f.a.Routing.UpdateTeam(f.sys, f.team.ID, routing.TeamPatch{OverflowTeamID: &other.ID, OverflowMinutes: &five, MemberIDs: &onlyAMing}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.Routing.SetPresence(f.sys, f.users["阿明"], kefu.PresenceAway); err != nil {
			t.Fatal(err)
		}
		f.online(t, "小白", 5)
		waiting := f.customer(t, "有人吗")
		f.clock.Advance(4 * time.Minute)
		if f.a.Routing.RunDue() != 0 || f.get(t, waiting.ID).TeamID != f.team.ID {
			t.Fatal("overflowed early")
		}
		f.clock.Advance(time.Minute)
		if n := f.a.Routing.RunDue(); n != 1 {
			t.Fatalf("%d overflows fired", n)
		}
		if c := f.get(t, waiting.ID); c.TeamID != other.ID || c.AssigneeID != f.users["小白"] {
			t.Fatalf("after overflow: team %s assignee %s", c.TeamID, c.AssigneeID)
		}
		if _, err := f.a.Routing.UpdateTeam(f.sys, f.team.ID, routing.TeamPatch{OverflowTeamID: &f.team.ID}); kefu.ErrorField(err) != "overflow_team_id" {
			t.Fatalf("overflow into itself: %v", err)
		}
	})
}

// Two assigners racing on the same rows (as two kefu processes on one
// PostgreSQL would) never assign a conversation twice nor overfill an agent.
func TestRacingAssignersNeverDoubleAssign(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		var queued []kefu.Conversation
		for i := range 20 {
			queued = append(queued, f.customer(t, fmt.Sprintf("问题 %d", i)))
		}
		if _, err := f.a.Routing.UpdateAgent(f.sys, f.users["阿明"], routing.AgentPatch{Capacity: map[string]int{kefu.KindChat: 7}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.Routing.UpdateAgent(f.sys, f.users["小白"], routing.AgentPatch{Capacity: map[string]int{kefu.KindChat: 6}}); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"阿明", "小白"} {
			if err := db.SetPresence(f.sys, f.users[name], kefu.PresenceOnline, f.clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		second := &routing.Service{DB: db, Inbox: f.a.Inbox, Hooks: f.a.Hooks, Bus: f.a.Bus, Clock: f.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for _, r := range []*routing.Service{f.a.Routing, second, f.a.Routing, second} {
			for _, name := range []string{"阿明", "小白"} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs <- r.AgentFree(f.sys, f.users[name])
				}()
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		load := map[string]int{}
		for _, c := range queued {
			c = f.get(t, c.ID)
			load[c.AssigneeID]++
			events, _ := db.Events(f.sys, c.ID)
			assigned := 0
			for _, e := range events {
				if e.Type == kefu.EventAssigned {
					assigned++
				}
			}
			if (c.AssigneeID == "") != (assigned == 0) || assigned > 1 {
				t.Fatalf("conversation %s: assignee %q after %d assignments", c.ID, c.AssigneeID, assigned)
			}
		}
		if load[f.users["阿明"]] != 7 || load[f.users["小白"]] != 6 || load[""] != 7 {
			t.Fatalf("loads: %v", load)
		}
	})
}
