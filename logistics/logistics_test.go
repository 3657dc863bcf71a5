package logistics_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"kefu"
	"kefu/app"
	"kefu/app/apptest"
	"kefu/auth"
	"kefu/httpapi"
	"kefu/inbox"
	"kefu/logistics"
	"kefu/store"
	"kefu/store/storetest"
)

func TestWebhookUpdatesExceptionsAndProactiveNotice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock := &kefu.FixedClock{T: time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)}
		a := apptest.Open(t, db, clock)
		a.Inbox.OnCustomerMessage = nil
		sys := app.System(context.Background(), "test")
		settings := kefu.DefaultSettings()
		settings.LogisticsNotifyCustomers = true
		if _, err := a.Settings.Update(sys, settings); err != nil {
			t.Fatal(err)
		}
		sup, _ := a.Auth.CreateUser(sys, auth.NewUser{Email: "lead@example.com", Name: "主管", Role: kefu.RoleSupervisor, Password: "long enough password"})
		buyer, _ := a.Contacts.Create(sys, kefu.Contact{Name: "周杰"})
		ib, _ := a.Webchat.CreateInbox(sys, kefu.Inbox{Name: "官网"})
		_, conv, err := a.Inbox.Ingest(sys, inbox.IncomingMessage{InboxID: ib.ID, ContactID: buyer.ID, ClientID: "1", Text: "什么时候发货"})
		if err != nil {
			t.Fatal(err)
		}
		shipped := clock.T.Add(-24 * time.Hour)
		promised := clock.T.Add(4 * 24 * time.Hour)
		o, err := a.Orders.Upsert(sys, kefu.Order{ShopOrderID: "L1", ContactID: buyer.ID, Status: "shipped", PaymentMethod: "alipay", Total: 100,
			PlacedAt: shipped, Items: []kefu.OrderItem{{SKU: "S", Quantity: 1, Price: 100}},
			Shipments: []kefu.Shipment{{Carrier: "中通", TrackingNo: "ZT1", Status: "in_transit", ShippedAt: &shipped, PromisedAt: &promised}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Logistics.Start(sys); err != nil {
			t.Fatal(err)
		}
		defer a.Logistics.Stop()
		srv := httptest.NewServer(httpapi.New(a, httpapi.Assets{}, false))
		defer srv.Close()
		post := func(body any, secret []byte, at time.Time) int {
			raw, _ := json.Marshal(body)
			ts := strconv.FormatInt(at.Unix(), 10)
			req, _ := http.NewRequest("POST", srv.URL+"/api/v1/tracking", bytes.NewReader(raw))
			req.Header.Set("X-Kefu-Timestamp", ts)
			req.Header.Set("X-Kefu-Signature", logistics.Sign(secret, ts, raw))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		scan := map[string]any{"carrier": "中通", "tracking_no": "ZT1", "events": []map[string]any{
			{"at": clock.T.Add(-2 * time.Hour), "status": "in_transit", "description": "已到达杭州转运中心"}}}
		if code := post(scan, []byte("wrong secret"), clock.T); code != 401 {
			t.Fatalf("forged webhook: %d", code)
		}
		if code := post(scan, a.Logistics.Secret, clock.T.Add(-10*time.Minute)); code != 401 {
			t.Fatalf("replayed webhook: %d", code)
		}
		for range 2 { // the same update twice is stored once
			if code := post(scan, a.Logistics.Secret, clock.T); code != 200 {
				t.Fatalf("webhook: %d", code)
			}
		}
		o, _ = db.Order(sys, o.ID)
		if len(o.Shipments[0].Events) != 1 || o.Shipments[0].Status != "in_transit" {
			t.Fatalf("after the webhook: %+v", o.Shipments[0])
		}

		// Three days without news (the default) is an exception, raised once.
		clock.Advance(3*24*time.Hour - 2*time.Hour - time.Minute)
		if a.Logistics.RunDue() != 0 {
			t.Fatal("stale too early")
		}
		clock.Advance(time.Minute)
		a.Logistics.RunDue()
		a.Logistics.RunDue()
		o, _ = db.Order(sys, o.ID)
		if len(o.Shipments[0].Exceptions) != 1 || o.Shipments[0].Exceptions[0] != logistics.ExceptionStale {
			t.Fatalf("exceptions: %v", o.Shipments[0].Exceptions)
		}
		notices, _ := db.UserNotices(sys, sup.ID, 10)
		if len(notices) != 1 || notices[0].Kind != "logistics_exception" {
			t.Fatalf("notices: %+v", notices)
		}
		msgs, _ := db.Messages(sys, conv.ID, 0, 20, false)
		if last := msgs[len(msgs)-1]; last.SenderType != kefu.SenderSystem || !strings.Contains(last.Text, "已有几天没有物流更新") {
			t.Fatalf("the customer was not told: %+v", last)
		}
		// Past the promised date: late.
		clock.T = promised
		a.Logistics.RunDue()
		if open, _ := a.Logistics.Open(sys); len(open) != 1 || len(open[0].Shipments[0].Exceptions) != 2 {
			t.Fatalf("open exceptions: %+v", open)
		}
		// Delivered: the order is delivered and signed for, and leaves the list.
		if code := post(map[string]any{"tracking_no": "ZT1", "status": "delivered", "events": []map[string]any{
			{"at": clock.T, "status": "delivered", "description": "已签收，签收人：本人"}}}, a.Logistics.Secret, clock.T); code != 200 {
			t.Fatalf("delivered: %d", code)
		}
		o, _ = db.Order(sys, o.ID)
		if o.Status != "delivered" || o.SignedAt() == nil || !o.SignedAt().Equal(clock.T) {
			t.Fatalf("after delivery: %s %v", o.Status, o.SignedAt())
		}
		if open, _ := a.Logistics.Open(sys); len(open) != 0 {
			t.Fatalf("still open: %+v", open)
		}
	})
}
