package bot_test

import (
	"context"
	"strings"
	"testing"

	"kefu"
	"kefu/bot"
	"kefu/inbox"
	"kefu/store"
	"kefu/store/storetest"
)

// orderStatus is a test action of the kind the after-sales part plugs in:
// it asks for an order number, then answers from "order data".
func orderStatus(ctx context.Context, req bot.ActionRequest) (bot.ActionResult, error) {
	switch {
	case req.AskedLast("order_status") && strings.Contains(req.Message.Text, "1001"):
		return bot.ActionResult{Reply: "订单 1001 已于今天上午签收。"}, nil
	case req.AskedLast("order_status"):
		return bot.ActionResult{HandOff: "order_status"}, nil
	default:
		return bot.ActionResult{Reply: "请告诉我您的订单号。"}, nil
	}
}

func TestActionsAnswerTheirIntent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.a.Bot.RegisterAction("logistics", "order_status", bot.ActionFunc(orderStatus))
		unused := 0
		f.a.Bot.RegisterAction("invoice", "never_answers", bot.ActionFunc(func(context.Context, bot.ActionRequest) (bot.ActionResult, error) {
			unused++
			return bot.ActionResult{}, nil
		}))

		who := f.contact(t)
		c := f.say(t, who, "我的快递到哪了")
		msgs := f.messages(t, c.ID)
		if last := msgs[len(msgs)-1]; last.SenderType != kefu.SenderBot || !strings.HasPrefix(last.Text, "请告诉我您的订单号") {
			t.Fatalf("action reply: %+v", last)
		}
		// The order number has no intent of its own; the action that asked gets it.
		c = f.say(t, who, "1001")
		msgs = f.messages(t, c.ID)
		if last := msgs[len(msgs)-1]; !strings.HasPrefix(last.Text, "订单 1001 已于今天上午签收") {
			t.Fatalf("follow-up: %+v", last)
		}
		turns, _ := db.RecentBotTurns(f.sys, c.ID, 5)
		if len(turns) != 2 || turns[0].Outcome != "action" || turns[0].Reason != "order_status" || turns[0].ReplyID != msgs[len(msgs)-1].ID {
			t.Fatalf("turns: %+v", turns)
		}

		// An action with nothing to say leaves the knowledge base to answer.
		c2 := f.say(t, f.contact(t), "我要开发票")
		if msgs := f.messages(t, c2.ID); !strings.Contains(msgs[len(msgs)-1].Text, "申请发票") || unused != 1 {
			t.Fatalf("kb answer after an empty action (%d calls): %+v", unused, msgs[len(msgs)-1])
		}

		// An action may hand over; its name is the reason.
		c3 := f.say(t, f.contact(t), "快递到哪了")
		c3 = f.say(t, c3.ContactID, "不记得了")
		events, _ := db.Events(f.sys, c3.ID)
		if c3.Bot || handoff(events).Data["reason"] != "order_status" {
			t.Fatalf("action handoff: bot=%v %+v", c3.Bot, handoff(events))
		}
	})
}

func TestIntentIsDetectedAndAgentsCorrectIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		c := f.say(t, f.contact(t), "物流一直不动了")
		if c.Intent != "logistics" || c.IntentSource != "bot" {
			t.Fatalf("detected intent: %q %q", c.Intent, c.IntentSource)
		}
		// Conversations agents answer are sorted too.
		f.a.Inbox.OnCustomerMessage = nil
		m, human, err := f.a.Inbox.Ingest(f.sys, inbox.IncomingMessage{InboxID: f.inboxID, ContactID: f.contact(t), ClientID: "x", Text: "转人工"})
		if err != nil {
			t.Fatal(err)
		}
		f.a.Bot.Handle(f.sys, human, m)
		m, human, _ = f.a.Inbox.Ingest(f.sys, inbox.IncomingMessage{InboxID: f.inboxID, ContactID: human.ContactID, ClientID: "y", Text: "发票抬头开错了能重开吗"})
		f.a.Bot.Handle(f.sys, human, m)
		if human, _ = db.Conversation(f.sys, human.ID); human.Bot || human.Intent != "invoice" {
			t.Fatalf("intent of a human conversation: bot=%v %q", human.Bot, human.Intent)
		}

		agent := kefu.NewContext(f.sys, &kefu.Actor{UserID: "a1", Name: "小王", Permissions: []kefu.Permission{kefu.PermConversationsViewAll, kefu.PermConversationsReply}})
		bad := "shipping"
		if _, err := f.a.Inbox.Update(agent, c.ID, inbox.Patch{Intent: &bad}); kefu.ErrorField(err) != "intent" {
			t.Fatalf("unknown intent: %v", err)
		}
		viewer := kefu.NewContext(f.sys, &kefu.Actor{UserID: "a2", Permissions: []kefu.Permission{kefu.PermConversationsViewAll}})
		fix := "quality"
		if _, err := f.a.Inbox.Update(viewer, c.ID, inbox.Patch{Intent: &fix}); kefu.ErrorCode(err) != kefu.EFORBIDDEN {
			t.Fatalf("correction without conversations.reply: %v", err)
		}
		c, err = f.a.Inbox.Update(agent, c.ID, inbox.Patch{Intent: &fix})
		if err != nil || c.Intent != "quality" || c.IntentSource != "agent" {
			t.Fatalf("correction: %+v %v", c, err)
		}
		events, _ := db.Events(f.sys, c.ID)
		if e := events[len(events)-1]; e.Type != kefu.EventIntentChanged || e.Data["from"] != "logistics" || e.Data["to"] != "quality" {
			t.Fatalf("event: %+v", e)
		}
		// The bot never overwrites a correction.
		c = f.say(t, c.ContactID, "我要开发票")
		if c.Intent != "quality" || c.IntentSource != "agent" {
			t.Fatalf("after another message: %q %q", c.Intent, c.IntentSource)
		}
		examples, err := db.IntentCorrections(f.sys)
		if err != nil || len(examples) != 1 || examples[0].Intent != "quality" || examples[0].Text != "物流一直不动了 我要开发票" {
			t.Fatalf("training examples: %+v %v", examples, err)
		}
	})
}

func TestBotReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		c := f.say(t, f.contact(t), "物流一直不动了")
		answer := f.messages(t, c.ID)
		if err := f.a.Inbox.BotFeedback(f.sys, c.ID, answer[len(answer)-1].ID, true); err != nil {
			t.Fatal(err)
		}
		f.say(t, f.contact(t), "我要开发票")
		f.say(t, f.contact(t), "转人工")

		reader := kefu.NewContext(f.sys, &kefu.Actor{UserID: "s", Permissions: []kefu.Permission{kefu.PermReportsView}})
		if _, err := f.a.Bot.Report(kefu.NewContext(f.sys, &kefu.Actor{UserID: "a", Permissions: []kefu.Permission{kefu.PermKBManage}}), 7); kefu.ErrorCode(err) != kefu.EFORBIDDEN {
			t.Fatalf("report without reports.view: %v", err)
		}
		if _, err := f.a.Bot.Report(reader, 0); kefu.ErrorField(err) != "days" {
			t.Fatalf("0 days: %v", err)
		}
		r, err := f.a.Bot.Report(reader, 7)
		if err != nil {
			t.Fatal(err)
		}
		if r.Turns != 3 || r.Answered != 2 || r.HandedOff != 1 || r.Helpful != 1 || r.NoFeedback != 1 ||
			r.Reasons["asked_for_human"] != 1 || r.Conversations != 3 || r.ResolvedByBot != 2 {
			t.Fatalf("report: %+v", r)
		}
		// The fixed clock is 2026-11-23 10:00 UTC: 18:00 in Shanghai, so the turns count on the 23rd.
		if len(r.Daily) != 7 || r.Daily[6].Date != "2026-11-23" || r.Daily[6].Answered != 2 || r.Daily[6].HandedOff != 1 || r.Daily[0].Date != "2026-11-17" {
			t.Fatalf("daily: %+v", r.Daily)
		}
	})
}
