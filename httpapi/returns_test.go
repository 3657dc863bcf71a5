package httpapi_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"kefu"
	"kefu/channel/webchat"
	"kefu/inbox"
	"kefu/store"
	"kefu/store/storetest"
)

// TestReturnFlow runs a no-reason return from request to close through the
// API: the customer applies in the widget, an agent and a supervisor move
// it, the customer enters the tracking number, and every step is told to
// the customer in their conversation.
func TestReturnFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sys := e.system()
		ib, err := e.app.Webchat.CreateInbox(sys, kefu.Inbox{Name: "官网"})
		if err != nil {
			t.Fatal(err)
		}
		buyer, err := e.app.Contacts.Create(sys, kefu.Contact{Name: "王芳", Phone: "13700137003", ShopUserID: "u10003"})
		if err != nil {
			t.Fatal(err)
		}
		// Signed for on Friday 2026-11-20 in Shanghai; the clock is Monday 2026-11-23 17:00 there: day 3 of 7.
		signed := time.Date(2026, 11, 20, 14, 0, 0, 0, time.UTC)
		o, err := e.app.Orders.Upsert(sys, kefu.Order{ShopOrderID: "20261118001", ContactID: buyer.ID, Status: "delivered", PaymentMethod: "alipay",
			Total: 29900, Discount: 2000, PlacedAt: signed.AddDate(0, 0, -3),
			Items:     []kefu.OrderItem{{SKU: "MUG", Name: "马克杯", Quantity: 1, Price: 10000}, {SKU: "TEA", Name: "新茶", Quantity: 1, Price: 19900, Perishable: true}},
			Shipments: []kefu.Shipment{{Carrier: "顺丰", TrackingNo: "SF1", Status: "delivered", SignedAt: &signed}}})
		if err != nil {
			t.Fatal(err)
		}

		// The customer, signed in to the shop, opens the widget and writes.
		w := e.client("")
		vt := str(w.do("POST", "/widget/v1/session", map[string]any{"website_token": ib.WebsiteToken}).body, "visitor_token")
		if r := w.do("GET", "/widget/v1/orders?visitor_token="+vt, nil); r.status != 403 {
			t.Fatalf("orders before identify: %d %s", r.status, r.raw)
		}
		w.do("POST", "/widget/v1/identify", map[string]any{"visitor_token": vt, "user_id": "u10003", "signature": webchat.Signature(ib.IdentitySecret, "u10003")})
		_, conv, err := e.app.Inbox.Ingest(sys, inbox.IncomingMessage{InboxID: ib.ID, ContactID: buyer.ID, ClientID: "1", Text: "杯子不想要了，能退吗"})
		if err != nil {
			t.Fatal(err)
		}
		if r := w.do("GET", "/widget/v1/orders?visitor_token="+vt, nil); r.status != 200 || !strings.Contains(string(r.raw), "20261118001") {
			t.Fatalf("widget orders: %d %s", r.status, r.raw)
		}
		// The tea is perishable: refused with the article.
		r := w.do("POST", "/widget/v1/returns", map[string]any{"visitor_token": vt, "order_id": o.ID, "kind": "return_refund", "reason": "no_reason",
			"lines": []map[string]any{{"sku": "TEA", "quantity": 1}}})
		if r.status != 400 || r.errorField() != "lines" || !strings.Contains(string(r.raw), "Art. 6") {
			t.Fatalf("perishable: %d %s", r.status, r.raw)
		}
		r = w.do("POST", "/widget/v1/returns", map[string]any{"visitor_token": vt, "order_id": o.ID, "kind": "return_refund", "reason": "no_reason",
			"lines": []map[string]any{{"sku": "MUG", "quantity": 1}}})
		if r.status != 201 || str(r.body, "state") != "requested" || str(r.body, "conversation_id") != conv.ID {
			t.Fatalf("apply: %d %s", r.status, r.raw)
		}
		id := str(r.body, "id")
		// The mug is 100 of the 299 items: its share of the 20 yuan coupon is 6.68 yuan, deducted.
		if b, _ := r.body["breakdown"].(map[string]any); b["items"] != float64(10000) || b["coupon_share"] != float64(668) || b["refund"] != float64(9332) {
			t.Fatalf("breakdown: %v", r.body["breakdown"])
		}

		agentEmail, agentPw := e.user(kefu.RoleAgent)
		agent := e.client("192.0.2.20")
		agent.login(agentEmail, agentPw)
		if r := agent.do("POST", "/api/v1/returns/"+id+"/actions", map[string]any{"action": "approve"}); r.status != 403 {
			t.Fatalf("an agent approved: %d %s", r.status, r.raw)
		}
		supEmail, supPw := e.user(kefu.RoleSupervisor)
		sup := e.client("192.0.2.21")
		sup.login(supEmail, supPw)
		step := func(c *client, body map[string]any, want string) {
			t.Helper()
			e.clock.Advance(time.Hour)
			if r := c.do("POST", "/api/v1/returns/"+id+"/actions", body); r.status != 200 || str(r.body, "state") != want {
				t.Fatalf("%v: %d %s", body, r.status, r.raw)
			}
		}
		if r := sup.do("POST", "/api/v1/returns/"+id+"/actions", map[string]any{"action": "refund"}); r.status != 409 || !strings.Contains(string(r.raw), "allowed: approve") {
			t.Fatalf("refund before approval: %d %s", r.status, r.raw)
		}
		step(sup, map[string]any{"action": "approve"}, "approved")
		step(sup, map[string]any{"action": "send_address", "return_address": "上海市浦东新区仓库路1号 退货组 400-000-0000"}, "awaiting_shipment")
		if r := w.do("POST", "/widget/v1/returns/"+id+"/actions", map[string]any{"visitor_token": vt, "action": "ship_back", "carrier": "中通"}); r.status != 400 || r.errorField() != "tracking_no" {
			t.Fatalf("ship back without tracking: %d %s", r.status, r.raw)
		}
		e.clock.Advance(time.Hour)
		if r := w.do("POST", "/widget/v1/returns/"+id+"/actions", map[string]any{"visitor_token": vt, "action": "ship_back", "carrier": "中通", "tracking_no": "ZT778899"}); r.status != 200 || str(r.body, "state") != "in_transit" {
			t.Fatalf("ship back: %d %s", r.status, r.raw)
		}
		step(sup, map[string]any{"action": "receive"}, "received")
		r = sup.do("GET", "/api/v1/returns/"+id, nil)
		// Received at 2026-11-23 13:00 UTC: the refund is due 7 days later.
		if due := str(r.body, "return", "deadlines", "refund_due"); !strings.HasPrefix(due, "2026-11-30T13:00:00") {
			t.Fatalf("refund due: %s", r.raw)
		}
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
		photo, err := e.app.Uploads.Save(sys, bytes.NewReader(png), "开箱.png", "agent", "inspector")
		if err != nil {
			t.Fatal(err)
		}
		if r := sup.do("POST", "/api/v1/returns/"+id+"/actions", map[string]any{"action": "inspect", "inspection_passed": true,
			"inspection_photos": []string{"no-such-upload"}}); r.status != 400 || r.errorField() != "inspection_photos" {
			t.Fatalf("unknown photo: %d %s", r.status, r.raw)
		}
		step(sup, map[string]any{"action": "inspect", "inspection_passed": true, "inspection_notes": "包装完好", "inspection_photos": []string{photo.ID}}, "inspected")
		if r := sup.do("GET", "/api/v1/returns/"+id, nil); !strings.Contains(string(r.raw), `"name":"开箱.png"`) || !strings.Contains(string(r.raw), "/files/") {
			t.Fatalf("inspection photo: %s", r.raw)
		}
		step(sup, map[string]any{"action": "refund"}, "refunded")
		step(sup, map[string]any{"action": "close"}, "closed")

		r = sup.do("GET", "/api/v1/returns/"+id, nil)
		events, _ := r.body["events"].([]any)
		if len(events) != 8 {
			t.Fatalf("timeline: %d events %s", len(events), r.raw)
		}
		// The customer heard of each step in their conversation.
		msgs, _ := db.Messages(sys, conv.ID, 0, 100, true)
		var told []string
		for _, m := range msgs {
			if m.SenderType == kefu.SenderSystem {
				told = append(told, m.Text)
			}
		}
		joined := strings.Join(told, "\n")
		for _, want := range []string{"售后申请已提交", "已通过审核", "上海市浦东新区仓库路1号", "中通 ZT778899", "已收到您寄回的商品", "检验通过", "已为您退款 ¥93.32"} {
			if !strings.Contains(joined, want) {
				t.Fatalf("the customer was not told %q:\n%s", want, joined)
			}
		}
		if r := w.do("GET", "/widget/v1/returns?visitor_token="+vt, nil); !strings.Contains(string(r.raw), `"state":"closed"`) {
			t.Fatalf("widget returns: %s", r.raw)
		}
		// The same mug cannot be returned twice.
		r = sup.do("POST", "/api/v1/returns", map[string]any{"order_id": o.ID, "conversation_id": conv.ID, "kind": "return_refund", "reason": "quality",
			"lines": []map[string]any{{"sku": "MUG", "quantity": 1}}})
		if r.status != 400 || r.errorField() != "lines" {
			t.Fatalf("second return of the mug: %d %s", r.status, r.raw)
		}
	})
}
