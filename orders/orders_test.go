package orders_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kefu"
	"kefu/app"
	"kefu/app/apptest"
	"kefu/inbox"
	"kefu/store"
	"kefu/store/storetest"
)

type fixture struct {
	a   *app.App
	sys context.Context
}

func setup(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	a := apptest.Open(t, db, &kefu.FixedClock{T: time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)})
	a.Inbox.OnCustomerMessage = nil
	a.LoadBotModels()
	return &fixture{a: a, sys: app.System(context.Background(), "test")}
}

func order(id string) kefu.Order {
	signed := time.Date(2026, 11, 21, 15, 0, 0, 0, time.UTC)
	promised := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	return kefu.Order{ShopOrderID: id, Status: "shipped", PaymentMethod: "alipay", Total: 19900, PlacedAt: time.Date(2026, 11, 18, 8, 0, 0, 0, time.UTC),
		Items: []kefu.OrderItem{{SKU: "CUP-01", Name: "陶瓷杯", Quantity: 2, Price: 9950}},
		Shipments: []kefu.Shipment{{Carrier: "顺丰", TrackingNo: "SF1234567890", Status: "in_transit", PromisedAt: &promised,
			Events: []kefu.TrackingEvent{{At: signed, Status: "in_transit", Description: "到达上海转运中心"}}}}}
}

func TestUpsertIsIdempotentValidatesAndLinksContacts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		shop := kefu.NewContext(f.sys, &kefu.Actor{UserID: "shop", Name: "店铺接口", Permissions: []kefu.Permission{kefu.PermOrdersManage}})
		agent := kefu.NewContext(f.sys, &kefu.Actor{UserID: "agent", Permissions: []kefu.Permission{kefu.PermConversationsReply}})
		if _, err := f.a.Orders.Upsert(agent, order("A1")); kefu.ErrorCode(err) != kefu.EFORBIDDEN {
			t.Fatalf("an agent pushed an order: %v", err)
		}
		bad := order("A1")
		bad.Items[0].SKU = ""
		if _, err := f.a.Orders.Upsert(shop, bad); kefu.ErrorField(err) != "items[0].sku" {
			t.Fatalf("missing sku: %v", err)
		}
		bad = order("A1")
		bad.Status = "lost"
		if _, err := f.a.Orders.Upsert(shop, bad); kefu.ErrorField(err) != "status" {
			t.Fatalf("bad status: %v", err)
		}

		known, err := f.a.Contacts.Create(f.sys, kefu.Contact{Name: "王芳", Phone: "13700137003"})
		if err != nil {
			t.Fatal(err)
		}
		o := order("A1")
		o.Phone = "137 0013 7003"
		first, err := f.a.Orders.Upsert(shop, o)
		if err != nil {
			t.Fatal(err)
		}
		if first.ContactID != known.ID || first.Phone != "" {
			t.Fatalf("linked to %q (want %q), phone kept %q", first.ContactID, known.ID, first.Phone)
		}
		// The same order again, delivered: one order, updated.
		o.Status = "delivered"
		again, err := f.a.Orders.Upsert(shop, o)
		if err != nil || again.ID != first.ID || again.Status != "delivered" {
			t.Fatalf("retry: %+v %v", again, err)
		}
		list, _ := db.ContactOrders(f.sys, known.ID, 10)
		if len(list) != 1 {
			t.Fatalf("%d orders after a retry", len(list))
		}
		// An unknown customer becomes a contact; a later order with their shop user id finds them.
		fresh := order("B1")
		fresh.ShopUserID, fresh.Phone = "u777", "13900139777"
		b1, err := f.a.Orders.Upsert(shop, fresh)
		if err != nil || b1.ContactID == "" || b1.ContactID == known.ID {
			t.Fatalf("new customer: %+v %v", b1, err)
		}
		b2 := order("B2")
		b2.ShopUserID = "u777"
		if got, err := f.a.Orders.Upsert(shop, b2); err != nil || got.ContactID != b1.ContactID {
			t.Fatalf("by shop user id: %+v %v", got, err)
		}
		byTracking, _ := db.OrdersByTracking(f.sys, "SF1234567890")
		if len(byTracking) != 3 {
			t.Fatalf("%d orders by tracking number", len(byTracking))
		}
	})
}

func TestImportCSV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		csv := "shop_order_id,placed_at,status,payment_method,total,shipping,discount,shop_user_id,phone,email,sku,name,quantity,price,flags,carrier,tracking_no,promised_at,signed_at\n" +
			"C1,2026-11-20 10:00,delivered,wechat,299.00,0,20,u1,,,TEA-1,明前龙井,1,199.00,perishable,顺丰,SF1,,2026-11-21 15:00\n" +
			"C1,2026-11-20 10:00,delivered,wechat,299.00,0,20,u1,,,MUG-2,定制马克杯,1,120.00,custom_made,顺丰,SF1,,2026-11-21 15:00\n" +
			"C2,yesterday,paid,alipay,99,0,0,u2,,,X,商品,1,99,,,,,\n" +
			"C3,2026-11-22,paid,alipay,99,0,0,u3,,,Y,商品,1,99,glow,,,,\n"
		res, err := f.a.Orders.ImportCSV(f.sys, strings.NewReader(csv), time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if res.Orders != 1 || res.Rows != 4 || len(res.Problems) != 2 || res.Problems[0].Line != 4 || res.Problems[0].Field != "placed_at" ||
			res.Problems[1].Line != 5 || res.Problems[1].Field != "flags" {
			t.Fatalf("import: %+v", res)
		}
		o, err := db.OrderByShopID(f.sys, "C1")
		if err != nil || len(o.Items) != 2 || !o.Items[0].Perishable || !o.Items[1].CustomMade || o.Total != 29900 || len(o.Shipments) != 1 ||
			o.SignedAt() == nil {
			t.Fatalf("imported order: %+v %v", o, err)
		}
	})
}

func TestTheBotAnswersWhereIsMyOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ib, err := f.a.Webchat.CreateInbox(f.sys, kefu.Inbox{Name: "官网", BotEnabled: true})
		if err != nil {
			t.Fatal(err)
		}
		buyer, _ := f.a.Contacts.Create(f.sys, kefu.Contact{Name: "李四", Phone: "13900139002"})
		o := order("20261120001")
		o.ContactID = buyer.ID
		if _, err := f.a.Orders.Upsert(f.sys, o); err != nil {
			t.Fatal(err)
		}
		say := func(contactID, text string) (kefu.Conversation, string) {
			t.Helper()
			m, c, err := f.a.Inbox.Ingest(f.sys, inbox.IncomingMessage{InboxID: ib.ID, ContactID: contactID, ClientID: kefu.NewID(), Text: text})
			if err != nil {
				t.Fatal(err)
			}
			f.a.Bot.Handle(f.sys, c, m)
			msgs, _ := db.Messages(f.sys, c.ID, 0, 100, true)
			c, _ = db.Conversation(f.sys, c.ID)
			return c, msgs[len(msgs)-1].Text
		}
		// A customer kefu knows gets the answer at once, and the agent finds the order attached.
		c, reply := say(buyer.ID, "我的快递到哪了")
		if !strings.Contains(reply, "20261120001 已发货") || !strings.Contains(reply, "顺丰 运单号 SF1234567890") || !strings.Contains(reply, "到达上海转运中心") {
			t.Fatalf("known customer: %q", reply)
		}
		if attached, _ := db.ConversationOrders(f.sys, c.ID); len(attached) != 1 {
			t.Fatalf("%d orders attached", len(attached))
		}

		// A visitor is asked to prove it is their order.
		visitor, _ := f.a.Contacts.Create(f.sys, kefu.Contact{Name: "访客"})
		if _, reply = say(visitor.ID, "我的快递到哪了"); !strings.Contains(reply, "订单号和下单手机号的后四位") {
			t.Fatalf("visitor asked: %q", reply)
		}
		if _, reply = say(visitor.ID, "订单号 20261120001 尾号 9002"); !strings.Contains(reply, "20261120001 已发货") {
			t.Fatalf("verified visitor: %q", reply)
		}
		// Wrong digits go to a person, never to the order.
		other, _ := f.a.Contacts.Create(f.sys, kefu.Contact{Name: "别人"})
		say(other.ID, "快递到哪了")
		c, reply = say(other.ID, "20261120001 手机尾号 1234")
		if c.Bot || strings.Contains(reply, "SF1234567890") {
			t.Fatalf("wrong digits: bot=%v %q", c.Bot, reply)
		}
	})
}
