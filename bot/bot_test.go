package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kefu"
	"kefu/app"
	"kefu/app/apptest"
	"kefu/inbox"
	"kefu/orders"
	"kefu/store"
	"kefu/store/storetest"
)

type fixture struct {
	a       *app.App
	sys     context.Context
	inboxID string
}

func setup(t *testing.T, db *store.DB) *fixture {
	a := apptest.Open(t, db, &kefu.FixedClock{T: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)})
	a.Inbox.OnCustomerMessage = nil // the tests call the bot themselves, in order
	a.LoadBotModels()
	// These tests are about answers from the knowledge base; the order
	// action has its own tests (package orders).
	a.Bot.UnregisterAction(orders.TrackActionName)
	sys := app.System(context.Background(), "test")
	for _, f := range []kefu.FAQ{
		{Locale: "zh-CN", Question: "我的快递到哪了", Alternatives: []string{"物流不动了", "快递什么时候到"}, Answer: "亲，您可在「我的订单」查看物流，客服电话 {{shop.phone}}。"},
		{Locale: "zh-CN", Question: "怎么开发票", Alternatives: []string{"我要开发票"}, Answer: "订单完成后在「我的订单」申请发票。"},
		{Locale: "en", Question: "Where is my parcel?", Alternatives: []string{"where is my order"}, Answer: "See My Orders for tracking."},
	} {
		if _, err := a.KB.CreateFAQ(sys, f); err != nil {
			t.Fatal(err)
		}
	}
	ib, err := a.Webchat.CreateInbox(sys, kefu.Inbox{Name: "官网", BotEnabled: true})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{a: a, sys: sys, inboxID: ib.ID}
}

// say sends a customer message and lets the bot answer it.
func (f *fixture) say(t *testing.T, contactID, text string) kefu.Conversation {
	t.Helper()
	m, c, err := f.a.Inbox.Ingest(f.sys, inbox.IncomingMessage{InboxID: f.inboxID, ContactID: contactID, ClientID: kefu.NewID(), Text: text})
	if err != nil {
		t.Fatal(err)
	}
	f.a.Bot.Handle(f.sys, c, m)
	c, _ = f.a.DB.Conversation(f.sys, c.ID)
	return c
}

func (f *fixture) contact(t *testing.T) string {
	c, err := f.a.Contacts.Create(f.sys, kefu.Contact{Name: "客户" + kefu.NewID()[30:]})
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func (f *fixture) messages(t *testing.T, convID string) []kefu.Message {
	msgs, err := f.a.DB.Messages(f.sys, convID, 0, 100, true)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func TestBotAnswersAndHandsOff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)

		// A confident answer from the knowledge base, with shop details filled in.
		c := f.say(t, f.contact(t), "物流一直不动了")
		msgs := f.messages(t, c.ID)
		last := msgs[len(msgs)-1]
		if !c.Bot || last.SenderType != kefu.SenderBot || !strings.Contains(last.Text, "我的订单") || !strings.Contains(last.Text, "400-000-0000") ||
			!strings.Contains(last.Text, "有帮助吗") {
			t.Fatalf("answer: bot=%v %+v", c.Bot, last)
		}
		if c.WaitingSince != nil {
			t.Fatal("a conversation with the bot counts as waiting for a human")
		}
		turns, _ := db.RecentBotTurns(f.sys, c.ID, 5)
		if len(turns) != 1 || turns[0].Outcome != "answered" || turns[0].ReplyID != last.ID {
			t.Fatalf("turns: %+v", turns)
		}

		// Asking for a person hands over, with a note the agent reads first.
		c = f.say(t, c.ContactID, "转人工")
		if c.Bot || c.Status != kefu.StatusOpen || c.WaitingSince == nil {
			t.Fatalf("after 转人工: %+v", c)
		}
		msgs = f.messages(t, c.ID)
		note := msgs[len(msgs)-1]
		if !note.Private || !strings.Contains(note.Text, "客户要求人工") || !strings.Contains(note.Text, "物流一直不动了") {
			t.Fatalf("handoff note: %+v", note)
		}
		if sys := msgs[len(msgs)-2]; sys.SenderType != kefu.SenderSystem {
			t.Fatalf("customer notice: %+v", sys)
		}
		events, _ := db.Events(f.sys, c.ID)
		if e := handoff(events); e.Type != kefu.EventHandoff || e.Data["reason"] != "asked_for_human" || e.Data["intent"] != "logistics" {
			t.Fatalf("handoff event: %+v", e)
		}
		// After the handoff the bot stays quiet.
		before := len(f.messages(t, c.ID))
		f.say(t, c.ContactID, "我的快递到哪了")
		if got := len(f.messages(t, c.ID)); got != before+1 {
			t.Fatalf("the bot answered after the handoff: %d messages, want %d", got, before+1)
		}
	})
}

func TestBotHandsOffAngryLowConfidenceAndUnhelpful(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		sup, err := f.a.Auth.CreateUser(f.sys, authUser("lead@example.com", kefu.RoleSupervisor))
		if err != nil {
			t.Fatal(err)
		}
		c := f.say(t, f.contact(t), "你们服务太差了！！！快递一周还没到")
		if c.Bot || c.Priority != "urgent" {
			t.Fatalf("angry: %+v", c)
		}
		notices, _ := db.UserNotices(f.sys, sup.ID, 10)
		if len(notices) != 1 || notices[0].Kind != "angry_customer" {
			t.Fatalf("supervisor notices: %+v", notices)
		}

		c = f.say(t, f.contact(t), "你们店在哪个城市")
		if c.Bot {
			t.Fatal("a question without a confident answer stayed with the bot")
		}
		events, _ := db.Events(f.sys, c.ID)
		if handoff(events).Data["reason"] != "low_confidence" {
			t.Fatalf("reason: %+v", handoff(events))
		}
		gaps, err := f.a.Bot.Unanswered(kefu.NewContext(f.sys, &kefu.Actor{UserID: "e", Permissions: []kefu.Permission{kefu.PermKBManage}}), 7)
		if err != nil || len(gaps) != 1 || gaps[0].Question != "你们店在哪个城市" || gaps[0].Count != 1 {
			t.Fatalf("unanswered: %+v %v", gaps, err)
		}

		// Two answers marked unhelpful in a row: a human takes over.
		who := f.contact(t)
		c = f.say(t, who, "我要开发票")
		if !c.Bot {
			t.Fatal("the first question went to a human")
		}
		answers := func() []kefu.Message {
			var out []kefu.Message
			for _, m := range f.messages(t, c.ID) {
				if m.SenderType == kefu.SenderBot && !m.Private {
					out = append(out, m)
				}
			}
			return out
		}
		if err := f.a.Inbox.BotFeedback(f.sys, c.ID, answers()[0].ID, false); err != nil {
			t.Fatal(err)
		}
		c = f.say(t, who, "怎么开发票啊")
		if err := f.a.Inbox.BotFeedback(f.sys, c.ID, answers()[1].ID, false); err != nil {
			t.Fatal(err)
		}
		c = f.say(t, who, "发票到底怎么开")
		if c.Bot {
			t.Fatal("two unhelpful answers in a row did not reach a human")
		}
		events, _ = db.Events(f.sys, c.ID)
		if handoff(events).Data["reason"] != "not_helpful" {
			t.Fatalf("reason: %+v", handoff(events))
		}
		if err := f.a.Inbox.BotFeedback(f.sys, c.ID, "no-such-answer", true); kefu.ErrorCode(err) != kefu.ENOTFOUND {
			t.Fatalf("feedback on an unknown answer: %v", err)
		}
	})
}

func TestEnglishQuestionGetsEnglishAnswer(t *testing.T) {
	f := setup(t, storetest.Open(t, store.SQLite))
	c := f.say(t, f.contact(t), "where is my order?")
	msgs := f.messages(t, c.ID)
	if last := msgs[len(msgs)-1]; last.SenderType != kefu.SenderBot || !strings.Contains(last.Text, "See My Orders") || !strings.Contains(last.Text, "Did this answer help?") {
		t.Fatalf("english answer: %+v", last)
	}
}

func TestAgentAssistSuggestsAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		if _, err := f.a.Canned.Create(f.sys, kefu.CannedReply{Shortcut: "快递", Title: "物流查询", Content: "亲，已为您催促快递。", Scope: "shared"}); err != nil {
			t.Fatal(err)
		}
		_, c, err := f.a.Inbox.Ingest(f.sys, inbox.IncomingMessage{InboxID: f.inboxID, ContactID: f.contact(t), ClientID: "1", Text: "我的快递怎么还没到"})
		if err != nil {
			t.Fatal(err)
		}
		sup, _ := f.a.Auth.CreateUser(f.sys, authUser("s@example.com", kefu.RoleSupervisor))
		role, _ := db.Role(f.sys, kefu.RoleSupervisor)
		ctx := kefu.NewContext(context.Background(), &kefu.Actor{UserID: sup.ID, Name: sup.Name, Permissions: role.Permissions})
		got, err := f.a.Inbox.Suggest(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) < 2 || got[0].Source != "faq" || !strings.Contains(got[0].Text, "我的订单") {
			t.Fatalf("suggestions: %+v", got)
		}
		foundCanned := false
		for _, s := range got {
			foundCanned = foundCanned || (s.Source == "canned" && s.Title == "物流查询")
		}
		if !foundCanned || len(got) > 3 {
			t.Fatalf("suggestions: %+v", got)
		}
		auditor := kefu.NewContext(context.Background(), &kefu.Actor{UserID: "x", Permissions: []kefu.Permission{kefu.PermConversationsViewAll}})
		if _, err := f.a.Inbox.Suggest(auditor, c.ID); kefu.ErrorCode(err) != kefu.EFORBIDDEN {
			t.Fatalf("without reply permission: %v", err)
		}
	})
}

func TestAngerOnAnAgentsConversationMakesItUrgent(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	f := setup(t, db)
	on := false
	inboxes, _ := f.a.Webchat.Inboxes(f.sys)
	if _, err := f.a.Webchat.UpdateInbox(f.sys, inboxes[0].ID, webchatPatch(&on)); err != nil {
		t.Fatal(err)
	}
	sup, _ := f.a.Auth.CreateUser(f.sys, authUser("lead@example.com", kefu.RoleSupervisor))
	who := f.contact(t)
	c := f.say(t, who, "发票开好了吗")
	if c.Bot || c.Priority != "normal" {
		t.Fatalf("without the bot: %+v", c)
	}
	c = f.say(t, who, "等了三天了，你们太差了！！！")
	if c.Priority != "urgent" {
		t.Fatalf("an angry message left priority %s", c.Priority)
	}
	c = f.say(t, who, "我要投诉到12315")
	notices, _ := db.UserNotices(f.sys, sup.ID, 10)
	if len(notices) != 1 {
		t.Fatalf("supervisors told %d times, want once", len(notices))
	}
}
