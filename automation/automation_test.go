package automation_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"kefu"
	"kefu/app"
	"kefu/app/apptest"
	"kefu/auth"
	"kefu/inbox"
	"kefu/routing"
	"kefu/rules"
	"kefu/store"
	"kefu/store/storetest"
)

func TestShippedRulesRouteComplaintsAndVIPs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := apptest.Open(t, db, &kefu.FixedClock{T: time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)})
		a.Inbox.OnCustomerMessage = nil
		sys := app.System(context.Background(), "test")
		agent, err := a.Auth.CreateUser(sys, auth.NewUser{Email: "a@example.com", Name: "小周", Role: kefu.RoleAgent, Password: "long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		team := func(name string, members ...string) kefu.Team {
			t.Helper()
			tm, err := a.Routing.CreateTeam(sys, routing.TeamPatch{Name: &name, MemberIDs: &members})
			if err != nil {
				t.Fatal(err)
			}
			return tm
		}
		presale, complaints, vip := team("售前", agent.ID), team("投诉"), team("VIP")
		if err := a.Automation.EnsureDefaults(sys, complaints.ID, vip.ID); err != nil {
			t.Fatal(err)
		}
		ib, err := a.Webchat.CreateInbox(sys, kefu.Inbox{Name: "官网", TeamID: presale.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Routing.SetPresence(sys, agent.ID, kefu.PresenceOnline); err != nil {
			t.Fatal(err)
		}
		write := func(contactID, text string) kefu.Conversation {
			t.Helper()
			_, c, err := a.Inbox.Ingest(sys, inbox.IncomingMessage{InboxID: ib.ID, ContactID: contactID, ClientID: kefu.NewID(), Text: text})
			if err != nil {
				t.Fatal(err)
			}
			c, _ = db.Conversation(sys, c.ID)
			return c
		}
		plain, _ := a.Contacts.Create(sys, kefu.Contact{Name: "普通客户"})
		if c := write(plain.ID, "这个有货吗"); c.TeamID != presale.ID || c.AssigneeID != agent.ID {
			t.Fatalf("an ordinary question: team %s assignee %s", c.TeamID, c.AssigneeID)
		}

		// A complaint goes to the complaints team as urgent before routing sees it:
		// the pre-sale agent never gets it.
		angry, _ := a.Contacts.Create(sys, kefu.Contact{Name: "投诉客户"})
		c := write(angry.ID, "我要去12315投诉你们")
		if c.TeamID != complaints.ID || c.Priority != "urgent" || !slices.Contains(c.Labels, "投诉") || c.AssigneeID != "" || c.QueuedAt == nil {
			t.Fatalf("complaint: team %s priority %s labels %v assignee %q queued %v", c.TeamID, c.Priority, c.Labels, c.AssigneeID, c.QueuedAt)
		}
		// An agent moves it on; the next message does not pull it back: a rule acts once.
		if _, err := a.Inbox.Transfer(sys, c.ID, agent.ID, presale.ID, "已核实，转售前跟进"); err != nil {
			t.Fatal(err)
		}
		if c = write(angry.ID, "投诉的事怎么样了"); c.TeamID != presale.ID {
			t.Fatalf("the complaint rule fired twice: team %s", c.TeamID)
		}
		fired := 0
		events, _ := db.Events(sys, c.ID)
		for _, e := range events {
			if e.Type == kefu.EventRuleFired {
				fired++
			}
		}
		if fired != 1 {
			t.Fatalf("%d rule_fired events", fired)
		}

		// A gold member goes to the VIP team with high priority.
		gold, _ := a.Contacts.Create(sys, kefu.Contact{Name: "金卡会员", Attributes: map[string]string{"vip_tier": "gold"}})
		if c := write(gold.ID, "你好"); c.TeamID != vip.ID || c.Priority != "high" {
			t.Fatalf("VIP: team %s priority %s", c.TeamID, c.Priority)
		}

		// Only settings.manage may change rules; a bad rule names its field.
		agentCtx := kefu.NewContext(sys, &kefu.Actor{UserID: agent.ID, Permissions: []kefu.Permission{kefu.PermConversationsReply}})
		note := rules.Rule{Name: "夜间提醒", Enabled: true, Events: []string{rules.EventConversationCreated},
			Conditions: []rules.Condition{{Field: "text", Op: "contains_any", Value: []string{"发票"}}},
			Actions:    []rules.Action{{Type: "add_note", Value: "发票问题：请核对抬头"}}}
		if _, err := a.Automation.PutRule(agentCtx, note); kefu.ErrorCode(err) != kefu.EFORBIDDEN {
			t.Fatalf("an agent changed rules: %v", err)
		}
		bad := note
		bad.Conditions = []rules.Condition{{Field: "text", Op: "gt", Value: 3}}
		if _, err := a.Automation.PutRule(sys, bad); kefu.ErrorField(err) != "conditions[0].op" {
			t.Fatalf("bad rule: %v", err)
		}
		if _, err := a.Automation.PutRule(sys, note); err != nil {
			t.Fatal(err)
		}
		who, _ := a.Contacts.Create(sys, kefu.Contact{Name: "要发票"})
		c = write(who.ID, "怎么开发票")
		msgs, _ := db.Messages(sys, c.ID, 0, 10, true)
		if last := msgs[len(msgs)-1]; !last.Private || last.Text != "发票问题：请核对抬头" {
			t.Fatalf("rule note: %+v", last)
		}
		// order.value reads the customer's latest order.
		big := rules.Rule{Name: "大额订单", Enabled: true, Events: []string{rules.EventConversationCreated},
			Conditions: []rules.Condition{{Field: "order.value", Op: "gte", Value: 1000}},
			Actions:    []rules.Action{{Type: "add_labels", Values: []string{"大额"}}}}
		if _, err := a.Automation.PutRule(sys, big); err != nil {
			t.Fatal(err)
		}
		rich, _ := a.Contacts.Create(sys, kefu.Contact{Name: "大客户"})
		if _, err := a.Orders.Upsert(sys, kefu.Order{ShopOrderID: "BIG1", ContactID: rich.ID, Status: "paid", PaymentMethod: "alipay",
			Total: 128800, PlacedAt: time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC), Items: []kefu.OrderItem{{SKU: "TV", Quantity: 1, Price: 128800}}}); err != nil {
			t.Fatal(err)
		}
		if c := write(rich.ID, "电视什么时候到"); !slices.Contains(c.Labels, "大额") {
			t.Fatalf("order value rule: %v", c.Labels)
		}
		ok, why, err := a.Automation.Preview(sys, note, "", "我要开发票", nil)
		if err != nil || !ok || len(why) != 1 || !why[0].Held {
			t.Fatalf("preview: %v %+v %v", ok, why, err)
		}
	})
}
