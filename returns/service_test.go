package returns_test

import (
	"context"
	"testing"
	"time"

	"kefu"
	"kefu/app"
	"kefu/app/apptest"
	"kefu/returns"
	"kefu/store"
	"kefu/store/storetest"
)

func TestDeadlineWarningsMissesAndPenaltyRisk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		// Tuesday 2026-12-01 09:00 in Shanghai.
		clock := &kefu.FixedClock{T: time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)}
		a := apptest.Open(t, db, clock)
		sys := app.System(context.Background(), "test")
		buyer, _ := a.Contacts.Create(sys, kefu.Contact{Name: "赵磊"})
		signed := clock.T.Add(-24 * time.Hour)
		o, err := a.Orders.Upsert(sys, kefu.Order{ShopOrderID: "D1", ContactID: buyer.ID, Status: "delivered", PaymentMethod: "wechat",
			Total: 5000, PlacedAt: signed.Add(-48 * time.Hour), Items: []kefu.OrderItem{{SKU: "S", Quantity: 1, Price: 5000}},
			Shipments: []kefu.Shipment{{Carrier: "京东", TrackingNo: "JD1", SignedAt: &signed}}})
		if err != nil {
			t.Fatal(err)
		}
		r, err := a.Returns.Create(sys, returns.CreateInput{OrderID: o.ID, Kind: returns.KindReturnRefund, Reason: returns.ReasonNoReason,
			Lines: []returns.Line{{SKU: "S", Quantity: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		// The address is due in 48 hours: 2026-12-03 09:00; the penalty risk comes on 2026-12-16 09:00.
		if r.Deadlines.AddressDue == nil || !r.Deadlines.AddressDue.Equal(clock.T.Add(48*time.Hour)) || r.Next == nil || r.Next.Name != returns.DueAddress {
			t.Fatalf("deadlines: %+v next %+v", r.Deadlines, r.Next)
		}
		if err := a.Returns.Start(sys); err != nil {
			t.Fatal(err)
		}
		defer a.Returns.Stop()
		sup, _ := a.Auth.CreateUser(sys, authUser("lead@example.com"))
		types := func() []string {
			events, _ := db.ReturnEvents(sys, r.ID)
			var out []string
			for _, e := range events {
				out = append(out, e.Type)
			}
			return out
		}
		clock.Advance(23 * time.Hour) // 24 hours before the address is due
		a.Returns.RunDue()
		clock.Advance(25 * time.Hour) // an hour late
		a.Returns.RunDue()
		a.Returns.RunDue()
		if got := types(); len(got) != 3 || got[1] != returns.EventDeadlineWarning || got[2] != returns.EventDeadlineMissed {
			t.Fatalf("events: %v", got)
		}
		clock.T = time.Date(2026, 12, 16, 1, 0, 0, 0, time.UTC)
		a.Returns.RunDue()
		if got := types(); len(got) != 4 || got[3] != returns.EventPenaltyRisk {
			t.Fatalf("events: %v", got)
		}
		got, _, err := a.Returns.Get(sys, r.ID)
		if err != nil || !got.PenaltyRisk {
			t.Fatalf("penalty risk flag: %+v %v", got, err)
		}
		notices, _ := db.UserNotices(sys, sup.ID, 10)
		if len(notices) != 3 {
			t.Fatalf("supervisor notices: %+v", notices)
		}
		// Sending the address ends the address clock.
		if got, err = a.Returns.Act(sys, r.ID, returns.ActInput{Action: returns.ActionApprove}); err != nil {
			t.Fatal(err)
		}
		if got, err = a.Returns.Act(sys, r.ID, returns.ActInput{Action: returns.ActionSendAddress}); err != nil || got.Deadlines.AddressDue != nil ||
			got.ReturnAddress == "" || got.PenaltyRisk {
			t.Fatalf("after the address: %+v %v", got, err)
		}
	})
}
