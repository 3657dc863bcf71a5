package inbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"kefu"
	"kefu/app"
	"kefu/app/apptest"
	"kefu/auth"
	"kefu/inbox"
	"kefu/store"
	"kefu/store/storetest"
	"kefu/webhook"
)

type fixture struct {
	app     *app.App
	clock   *kefu.FixedClock
	sys     context.Context
	inboxID string
	teamID  string
	contact string
}

func setup(t *testing.T, db *store.DB) *fixture {
	clock := &kefu.FixedClock{T: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	a := apptest.Open(t, db, clock)
	a.Auth.Argon2 = auth.Argon2Params{Memory: 8 * 1024, Time: 1, Threads: 1}
	f := &fixture{app: a, clock: clock, sys: app.System(context.Background(), "test")}
	team := kefu.Team{ID: kefu.NewID(), Name: "售后", CreatedAt: clock.Now()}
	if err := db.InsertTeam(f.sys, team); err != nil {
		t.Fatal(err)
	}
	ib, err := a.Webchat.CreateInbox(f.sys, kefu.Inbox{Name: "官网", TeamID: team.ID, ReopenHours: 24})
	if err != nil {
		t.Fatal(err)
	}
	c, err := a.Contacts.Create(f.sys, kefu.Contact{Name: "张三", Phone: "13800138001"})
	if err != nil {
		t.Fatal(err)
	}
	f.inboxID, f.teamID, f.contact = ib.ID, team.ID, c.ID
	return f
}

// agent creates a user with a role, optionally in the fixture's team, and
// returns a context acting as them.
func (f *fixture) agent(t *testing.T, role string, inTeam bool) context.Context {
	u, err := f.app.Auth.CreateUser(f.sys, auth.NewUser{Email: kefu.NewID()[24:] + "@example.com", Name: "客服" + role, Role: role, Password: "long enough password"})
	if err != nil {
		t.Fatal(err)
	}
	if inTeam {
		if err := f.app.DB.InsertTeam(f.sys, kefu.Team{ID: kefu.NewID(), Name: "组" + u.ID[28:], MemberIDs: []string{u.ID}, CreatedAt: f.clock.Now()}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.DB.SQL().Exec(f.app.DB.Dialect().Rebind(`INSERT INTO team_members (team_id, user_id) VALUES (?, ?)`), f.teamID, u.ID); err != nil {
			t.Fatal(err)
		}
	}
	role2, _ := f.app.DB.Role(f.sys, role)
	return kefu.NewContext(context.Background(), &kefu.Actor{UserID: u.ID, Name: u.Name, Role: role, Permissions: role2.Permissions})
}

func (f *fixture) ingest(t *testing.T, clientID, text string) (kefu.Message, kefu.Conversation) {
	m, c, err := f.app.Inbox.Ingest(f.sys, inbox.IncomingMessage{InboxID: f.inboxID, ContactID: f.contact, ClientID: clientID, Text: text})
	if err != nil {
		t.Fatal(err)
	}
	return m, c
}

func TestIngestIsIdempotentAndNumbered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		m1, c := f.ingest(t, "a", "我的快递到哪了")
		again, _ := f.ingest(t, "a", "我的快递到哪了")
		if again.ID != m1.ID || again.Seq != 1 {
			t.Fatalf("a retried message was stored again: %+v vs %+v", again, m1)
		}
		// Concurrent messages get distinct, gap-free numbers.
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, _, err := f.app.Inbox.Ingest(f.sys, inbox.IncomingMessage{InboxID: f.inboxID, ContactID: f.contact,
					ClientID: fmt.Sprint("c", i), Text: fmt.Sprint("第", i, "条")})
				errs <- err
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		msgs, err := f.app.Inbox.CustomerMessages(f.sys, c.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 21 {
			t.Fatalf("%d messages, want 21", len(msgs))
		}
		for i, m := range msgs {
			if m.Seq != int64(i+1) {
				t.Fatalf("message %d has seq %d", i, m.Seq)
			}
		}
		conv, _ := f.app.DB.Conversation(f.sys, c.ID)
		if conv.LastSeq != 21 || conv.WaitingSince == nil || conv.Status != kefu.StatusOpen || conv.TeamID != f.teamID {
			t.Fatalf("conversation: %+v", conv)
		}
	})
}

func TestReplyNoteAssignTransferAndWebhooks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		var mu sync.Mutex
		var got []map[string]any
		hookServer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			defer mu.Unlock()
			var ev map[string]any
			json.Unmarshal(body, &ev)
			ev["_sig"] = r.Header.Get(webhook.SignatureHeader)
			ev["_body"] = string(body)
			got = append(got, ev)
		}))
		defer hookServer.Close()
		hook, err := f.app.Hooks.Create(f.sys, kefu.Webhook{URL: hookServer.URL, Events: kefu.WebhookEvents})
		if err != nil {
			t.Fatal(err)
		}

		_, c := f.ingest(t, "a", "发票怎么开？")
		agent := f.agent(t, kefu.RoleAgent, true)
		outsider := f.agent(t, kefu.RoleAgent, false)
		if _, err := f.app.Inbox.Get(outsider, c.ID); kefu.ErrorCode(err) != kefu.ENOTFOUND {
			t.Fatalf("an agent of another team sees the conversation: %v", err)
		}
		if _, err := f.app.Inbox.Assign(agent, c.ID, kefu.ActorFrom(agent).UserID); err != nil {
			t.Fatalf("take an unassigned conversation: %v", err)
		}
		f.clock.Advance(90 * time.Second)
		m, err := f.app.Inbox.Reply(agent, c.ID, "r1", "{{contact.name}}您好，我是{{agent.name}}", nil)
		if err != nil {
			t.Fatal(err)
		}
		if m.Text != "张三您好，我是客服agent" || m.Seq != 2 {
			t.Fatalf("reply: %+v", m)
		}
		if again, _ := f.app.Inbox.Reply(agent, c.ID, "r1", "x", nil); again.ID != m.ID {
			t.Fatal("a retried reply was stored twice")
		}
		conv, _ := f.app.Inbox.Get(agent, c.ID)
		if conv.FirstReplyAt == nil || !conv.FirstReplyAt.Equal(f.clock.Now().Truncate(time.Millisecond)) || conv.WaitingSince != nil {
			t.Fatalf("after the first reply: %+v", conv)
		}
		// Notes are private and mention colleagues.
		sup := f.agent(t, kefu.RoleSupervisor, false)
		note, err := f.app.Inbox.Note(agent, c.ID, "@主管 这位客户要专票", []string{kefu.ActorFrom(sup).UserID})
		if err != nil || !note.Private {
			t.Fatalf("note: %+v %v", note, err)
		}
		if visible, _ := f.app.Inbox.CustomerMessages(f.sys, c.ID, 0); len(visible) != 2 {
			t.Fatalf("the customer sees %d messages, want 2 (no note)", len(visible))
		}
		notices, _ := f.app.DB.UserNotices(f.sys, kefu.ActorFrom(sup).UserID, 10)
		if len(notices) != 1 || notices[0].Kind != "mention" {
			t.Fatalf("mention notices: %+v", notices)
		}
		// Transfers need a note, which the timeline keeps.
		if _, err := f.app.Inbox.Transfer(agent, c.ID, kefu.ActorFrom(sup).UserID, "", " "); kefu.ErrorField(err) != "note" {
			t.Fatalf("transfer without a note: %v", err)
		}
		if _, err := f.app.Inbox.Transfer(agent, c.ID, kefu.ActorFrom(sup).UserID, "", "客户要开增值税专票，已核实订单"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.Inbox.Get(agent, c.ID); err != nil {
			t.Fatalf("after transfer the team still sees it: %v", err)
		}
		if _, err := f.app.Inbox.Assign(agent, c.ID, kefu.ActorFrom(agent).UserID); kefu.ErrorCode(err) != kefu.EFORBIDDEN {
			t.Fatalf("an agent takes a colleague's conversation back: %v", err)
		}
		if _, err := f.app.Inbox.SetStatus(sup, c.ID, kefu.StatusResolved, nil); err != nil {
			t.Fatal(err)
		}
		events, _ := f.app.Inbox.Events(sup, c.ID)
		var types []string
		for _, e := range events {
			types = append(types, e.Type)
		}
		// Nobody was online, so routing queued it until the supervisor assigned it.
		want := []string{"created", "queued", "assigned", "note_added", "transferred", "status_changed"}
		if fmt.Sprint(types) != fmt.Sprint(want) {
			t.Fatalf("timeline %v, want %v", types, want)
		}
		if events[4].Data["note"] != "客户要开增值税专票，已核实订单" {
			t.Fatalf("transfer event: %+v", events[3])
		}

		// The webhook deliveries were queued with the changes; deliver them.
		if err := f.app.Hooks.DeliverDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		counts := map[string]int{}
		for _, ev := range got {
			counts[ev["event"].(string)]++
			if ev["_sig"] != webhook.Sign([]byte(hook.Secret), []byte(ev["_body"].(string))) {
				t.Fatalf("bad signature on %v", ev["event"])
			}
		}
		if counts["conversation.created"] != 1 || counts["message.created"] != 2 || counts["conversation.resolved"] != 1 || counts["conversation.updated"] != 2 {
			t.Fatalf("webhook events: %v", counts)
		}
		log, _ := f.app.Hooks.Deliveries(f.sys, hook.ID)
		for _, d := range log {
			if d.Status != "delivered" || d.Attempts != 1 {
				t.Fatalf("delivery %+v", d)
			}
		}
	})
}

func TestWebhookRetriesWithBackoff(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	f := setup(t, db)
	fail := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail {
			w.WriteHeader(503)
		}
	}))
	defer srv.Close()
	hook, _ := f.app.Hooks.Create(f.sys, kefu.Webhook{URL: srv.URL, Events: []string{kefu.HookMessageCreated}})
	f.ingest(t, "a", "hi")
	f.app.Hooks.DeliverDue(context.Background())
	d, _ := f.app.Hooks.Deliveries(f.sys, hook.ID)
	if d[0].Status != "pending" || d[0].Attempts != 1 || d[0].LastStatusCode != 503 || !d[0].NextAttemptAt.Equal(f.clock.Now().Add(webhook.Backoff(1)).Truncate(time.Millisecond)) {
		t.Fatalf("after a failure: %+v", d[0])
	}
	f.app.Hooks.DeliverDue(context.Background()) // not due yet
	if d, _ := f.app.Hooks.Deliveries(f.sys, hook.ID); d[0].Attempts != 1 {
		t.Fatal("retried before the backoff")
	}
	fail = false
	f.clock.Advance(webhook.Backoff(1))
	f.app.Hooks.DeliverDue(context.Background())
	if d, _ := f.app.Hooks.Deliveries(f.sys, hook.ID); d[0].Status != "delivered" || d[0].Attempts != 2 {
		t.Fatalf("after the retry: %+v", d[0])
	}
}

func TestReopenWithinWindowElseNewConversation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		_, c := f.ingest(t, "1", "在吗")
		if _, err := f.app.Inbox.SetStatus(f.sys, c.ID, kefu.StatusResolved, nil); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(23 * time.Hour)
		_, c2 := f.ingest(t, "2", "还有个问题")
		if c2.ID != c.ID || c2.Status != kefu.StatusOpen {
			t.Fatalf("within the window: %+v", c2)
		}
		f.app.Inbox.SetStatus(f.sys, c.ID, kefu.StatusResolved, nil)
		f.clock.Advance(25 * time.Hour)
		_, c3 := f.ingest(t, "3", "又来了")
		if c3.ID == c.ID || c3.PreviousID != c.ID {
			t.Fatalf("after the window: %+v", c3)
		}
		// Snoozed conversations wake up.
		until := f.clock.Now().Add(time.Hour)
		if _, err := f.app.Inbox.SetStatus(f.sys, c3.ID, kefu.StatusSnoozed, &until); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(61 * time.Minute)
		if err := f.app.Inbox.WakeSnoozed(f.sys); err != nil {
			t.Fatal(err)
		}
		if c, _ := f.app.DB.Conversation(f.sys, c3.ID); c.Status != kefu.StatusOpen {
			t.Fatalf("after the snooze: %s", c.Status)
		}
	})
}

func TestSearchChineseAndEnglish(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.ingest(t, "1", "我的快递到哪了？订单 12345")
		f.ingest(t, "2", "Where is my ORDER? I need an invoice")
		f.ingest(t, "3", "发票怎么开")
		f.ingest(t, "4", "京东E卡余额怎么查")
		sup := f.agent(t, kefu.RoleSupervisor, false)
		for q, want := range map[string]int{"快递": 1, "到哪": 1, "invoice": 1, "order": 1, "发票": 1, "退款": 0, "12345": 1, "京东e卡": 1} {
			res, err := f.app.Inbox.Search(sup, q, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Messages) != want {
				t.Errorf("search %q: %d hits, want %d", q, len(res.Messages), want)
			}
		}
		res, _ := f.app.Inbox.Search(sup, "13800138001", 10)
		if len(res.Contacts) != 1 {
			t.Errorf("phone search found %d contacts", len(res.Contacts))
		}
		if res, _ := f.app.Inbox.Search(sup, "张 三", 10); len(res.Contacts) != 1 || res.Contacts[0].Name != "张*" {
			t.Errorf("name search: %+v", res.Contacts)
		}
		if res, _ := f.app.Inbox.Search(sup, "张", 10); len(res.Contacts) != 0 {
			t.Errorf("a part of a name found contacts: %+v", res.Contacts)
		}
		outsider := f.agent(t, kefu.RoleAgent, false)
		if res, _ := f.app.Inbox.Search(outsider, "快递", 10); len(res.Messages) != 0 {
			t.Error("search shows another team's messages")
		}
	})
}
