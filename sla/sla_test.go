package sla_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"kefu"
	"kefu/app"
	"kefu/app/apptest"
	"kefu/auth"
	"kefu/calendar"
	"kefu/inbox"
	"kefu/store"
	"kefu/store/storetest"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

type fixture struct {
	a     *app.App
	sys   context.Context
	agent context.Context
	clock *kefu.FixedClock
	inbox kefu.Inbox
	db    *store.DB
}

// setup makes a workspace whose hours are Monday to Friday 09:00–18:00 in
// Shanghai, with 2026-12-03 a holiday and Saturday 2026-12-05 a make-up
// working day, and one policy: first response 60, next response 30,
// resolution 480 minutes, warning at 80 %.
func setup(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	clock := &kefu.FixedClock{T: at("2026-11-27 17:30")}
	a := apptest.Open(t, db, clock)
	a.Inbox.OnCustomerMessage = nil
	f := &fixture{a: a, sys: app.System(context.Background(), "test"), clock: clock, db: db}
	policies, _ := db.SLAPolicies(f.sys)
	for _, p := range policies {
		if err := a.SLA.DeletePolicy(f.sys, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.SLA.PutPolicy(f.sys, kefu.SLAPolicy{Name: "测试", FirstResponseMinutes: 60, NextResponseMinutes: 30,
		ResolutionMinutes: 480, WarnPercent: 80}); err != nil {
		t.Fatal(err)
	}
	week := []calendar.Shift{{Start: "09:00", End: "18:00"}}
	def := calendar.Calendar{TimeZone: "Asia/Shanghai", Weekly: map[string][]calendar.Shift{"monday": week, "tuesday": week,
		"wednesday": week, "thursday": week, "friday": week},
		Holidays: []calendar.Day{{Date: "2026-12-03", Name: "测试假日"}}, Workdays: []calendar.Day{{Date: "2026-12-05", Name: "调休"}}}
	if _, err := a.SLA.PutCalendar(f.sys, "", "工作日", true, def); err != nil {
		t.Fatal(err)
	}
	var err error
	if f.inbox, err = a.Webchat.CreateInbox(f.sys, kefu.Inbox{Name: "官网"}); err != nil {
		t.Fatal(err)
	}
	u, err := a.Auth.CreateUser(f.sys, auth.NewUser{Email: "a@example.com", Name: "小李", Role: kefu.RoleAgent, Password: "long enough password"})
	if err != nil {
		t.Fatal(err)
	}
	f.agent = kefu.NewContext(context.Background(), &kefu.Actor{UserID: u.ID, Name: "小李", Permissions: []kefu.Permission{
		kefu.PermConversationsViewAll, kefu.PermConversationsReply, kefu.PermConversationsAssign}})
	return f
}

func (f *fixture) write(t *testing.T, contactID, text string) kefu.Conversation {
	t.Helper()
	_, c, err := f.a.Inbox.Ingest(f.sys, inbox.IncomingMessage{InboxID: f.inbox.ID, ContactID: contactID, ClientID: kefu.NewID(), Text: text})
	if err != nil {
		t.Fatal(err)
	}
	return f.get(t, c.ID)
}

func (f *fixture) get(t *testing.T, id string) kefu.Conversation {
	t.Helper()
	c, err := f.db.Conversation(f.sys, id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) events(t *testing.T, id string, typ string) []kefu.Event {
	t.Helper()
	all, err := f.db.Events(f.sys, id)
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(all, func(e kefu.Event) bool { return e.Type != typ })
}

func wantTime(t *testing.T, what string, got *time.Time, want string) {
	t.Helper()
	if want == "" {
		if got != nil {
			t.Fatalf("%s: %v, want none", what, got.In(shanghai))
		}
		return
	}
	if got == nil || !got.Equal(at(want)) {
		t.Fatalf("%s: %v, want %s", what, got, want)
	}
}

func TestClockRunsInBusinessTimePausesAndResumes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		who, _ := f.a.Contacts.Create(f.sys, kefu.Contact{Name: "王女士"})

		// Friday 17:30: 30 minutes left today, the other 30 on Monday (overnight and weekend).
		c := f.write(t, who.ID, "我的订单还没发货")
		wantTime(t, "first response due", c.FirstResponseDue, "2026-11-30 09:30")
		// Resolution: 480 business minutes = 30 on Friday, 450 from Monday 09:00 → Monday 16:30.
		wantTime(t, "resolution due", c.ResolutionDue, "2026-11-30 16:30")

		// Monday 09:10 the agent asks the customer something and sets pending: the clock pauses with 40 minutes used.
		f.clock.T = at("2026-11-30 09:10")
		if _, err := f.a.Inbox.SetStatus(f.agent, c.ID, kefu.StatusPending, nil); err != nil {
			t.Fatal(err)
		}
		c = f.get(t, c.ID)
		wantTime(t, "first response due while pending", c.FirstResponseDue, "")
		if c.SLAUsed != 40*time.Minute {
			t.Fatalf("used %v, want 40m", c.SLAUsed)
		}
		// Monday 11:00 the customer answers: the conversation opens and the clock goes on from 40 minutes.
		f.clock.T = at("2026-11-30 11:00")
		c = f.write(t, who.ID, "订单号是 12345")
		wantTime(t, "first response due after the pause", c.FirstResponseDue, "2026-11-30 11:20")

		// The reply comes at 11:25, late: a breach is recorded even though no timer fired.
		f.clock.T = at("2026-11-30 11:25")
		if _, err := f.a.Inbox.Reply(f.agent, c.ID, "r1", "已为您查询", nil); err != nil {
			t.Fatal(err)
		}
		c = f.get(t, c.ID)
		wantTime(t, "first response due after the reply", c.FirstResponseDue, "")
		if breaches := f.events(t, c.ID, kefu.EventSLABreach); len(breaches) != 1 || breaches[0].Data["target"] != kefu.TargetFirstResponse {
			t.Fatalf("late reply: breaches %+v", breaches)
		}
		if !slices.Contains(c.SLAFired, "first_response.breach") || c.Priority != "high" {
			t.Fatalf("after the breach: fired %v priority %s", c.SLAFired, c.Priority)
		}

		// A customer message after the reply starts the next-response clock.
		f.clock.T = at("2026-11-30 17:50")
		c = f.write(t, who.ID, "那什么时候能发？")
		// 30 business minutes from Monday 17:50: 10 today, 20 on Tuesday.
		wantTime(t, "next response due", c.NextResponseDue, "2026-12-01 09:20")
		f.clock.T = at("2026-12-01 09:05")
		if _, err := f.a.Inbox.Reply(f.agent, c.ID, "r2", "明天发出", nil); err != nil {
			t.Fatal(err)
		}
		wantTime(t, "next response due after the answer", f.get(t, c.ID).NextResponseDue, "")

		// Resolved on Tuesday 10:00: the clock stops. Reopened on Wednesday 2026-12-02 17:00, it goes on.
		f.clock.T = at("2026-12-01 10:00")
		if _, err := f.a.Inbox.SetStatus(f.agent, c.ID, kefu.StatusResolved, nil); err != nil {
			t.Fatal(err)
		}
		c = f.get(t, c.ID)
		wantTime(t, "resolution due when resolved", c.ResolutionDue, "")
		// Used: Fri 30 + Mon 09:00–09:10 10 + Mon 11:00–18:00 420 + Tue 09:00–10:00 60 = 520 > 480.
		if c.SLAUsed != 520*time.Minute {
			t.Fatalf("used at resolve: %v", c.SLAUsed)
		}
		f.clock.T = at("2026-12-02 17:00")
		c = f.write(t, who.ID, "还是没收到")
		if c.Status != kefu.StatusOpen {
			t.Fatalf("not reopened: %s", c.Status)
		}
		// The target was already spent: due at the moment it reopened.
		wantTime(t, "resolution due after reopening", c.ResolutionDue, "2026-12-02 17:00")
	})
}

func TestTimersWarnBreachAndSkipHolidays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		if err := f.a.SLA.Start(f.sys); err != nil {
			t.Fatal(err)
		}
		defer f.a.SLA.Stop()
		who, _ := f.a.Contacts.Create(f.sys, kefu.Contact{Name: "赵先生"})
		sup, err := f.a.Auth.CreateUser(f.sys, auth.NewUser{Email: "lead@example.com", Name: "主管", Role: kefu.RoleSupervisor, Password: "long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		// Wednesday 2026-12-02 17:40: 20 minutes today; Thursday is a holiday; Friday 09:40 is due.
		f.clock.T = at("2026-12-02 17:40")
		c := f.write(t, who.ID, "发票开错了")
		wantTime(t, "due over the holiday", c.FirstResponseDue, "2026-12-04 09:40")
		if f.a.SLA.Timers() != 1 {
			t.Fatalf("%d timers", f.a.SLA.Timers())
		}

		// The warning comes at 80 %: 48 business minutes, Friday 09:28.
		f.clock.T = at("2026-12-04 09:27")
		if n := f.a.SLA.RunDue(); n != 0 {
			t.Fatalf("%d marks fired early", n)
		}
		f.clock.T = at("2026-12-04 09:28")
		f.a.SLA.RunDue()
		if w := f.events(t, c.ID, kefu.EventSLAWarning); len(w) != 1 || w[0].Data["target"] != kefu.TargetFirstResponse {
			t.Fatalf("warning: %+v", w)
		}
		notices, _ := db.UserNotices(f.sys, sup.ID, 10)
		if len(notices) != 1 || notices[0].Kind != "sla_warning" {
			t.Fatalf("supervisor notices: %+v", notices)
		}
		// The breach at 09:40 raises the priority and is recorded once.
		f.clock.T = at("2026-12-04 09:41")
		f.a.SLA.RunDue()
		f.a.SLA.RunDue()
		if b := f.events(t, c.ID, kefu.EventSLABreach); len(b) != 1 {
			t.Fatalf("breaches: %+v", b)
		}
		if c = f.get(t, c.ID); c.Priority != "high" || !slices.Contains(c.SLAFired, "first_response.breach") {
			t.Fatalf("after the breach: %+v", c)
		}

		// Saturday 2026-12-05 is a make-up working day: a message at 17:30 is due Saturday 18:00 + 30 on Monday.
		other, _ := f.a.Contacts.Create(f.sys, kefu.Contact{Name: "钱先生"})
		f.clock.T = at("2026-12-05 17:30")
		wantTime(t, "due over the make-up day", f.write(t, other.ID, "在吗").FirstResponseDue, "2026-12-07 09:30")
	})
}
