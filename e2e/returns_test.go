package e2e_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kefu"
	"kefu/channel/webchat"
	"kefu/returns"
	"kefu/store"
)

// TestReturnStartedByAgentShowsInWidget: a signed-in shop customer (the shop
// identifies them to the widget) has an order signed for two days ago and
// writes that the headphones are faulty; a supervisor opens a return for
// the conversation, approves it and sends the return address. The customer
// is told each step in the chat, and the widget's orders tab shows the
// return waiting for the goods with the address; the customer enters the
// parcel's tracking number there. A no-reason return of an older order is
// refused with the server's reason.
func TestReturnStartedByAgentShowsInWidget(t *testing.T) {
	h, _ := newDemoHarness(t, kefu.SystemClock{})
	a, sys := h.app, h.sys
	h.createUser("lead@example.com", "王主管", kefu.RoleSupervisor, "lead password 1")

	// The shop pushed two orders of user u20001: one signed for two days
	// ago, one twelve days ago (past the 7 no-reason days).
	const userID, address = "u20001", "上海市浦东新区张江路88号 优选生活馆售后部 收 021-55550101"
	shop := kefu.NewContext(sys, &kefu.Actor{UserID: "shop", Name: "店铺接口", Permissions: []kefu.Permission{kefu.PermOrdersManage}})
	order := func(no string, signedAgo time.Duration) kefu.Order {
		signed := time.Now().Add(-signedAgo)
		o, err := a.Orders.Upsert(shop, kefu.Order{ShopOrderID: no, ShopUserID: userID, Status: "delivered", PaymentMethod: "alipay",
			Total: 39900, PlacedAt: signed.Add(-72 * time.Hour),
			Items:     []kefu.OrderItem{{SKU: "Q7PRO-BLK", Name: "声悦 Q7 Pro 降噪耳机 曜石黑", Quantity: 1, Price: 39900}},
			Shipments: []kefu.Shipment{{Carrier: "顺丰", TrackingNo: "SF" + no, Status: "delivered", SignedAt: &signed}}})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	recent := order("YX20261120001", 48*time.Hour)
	order("YX20261106002", 12*24*time.Hour)
	signature := webchat.Signature(h.demoInbox().IdentitySecret, userID) // what the shop's server computes

	agent, customer := h.tab(), h.tab()
	h.signIn(agent, "lead@example.com", "lead password 1")

	// The customer, signed in to the shop, opens it; the shop identifies them.
	h.openShop(customer)
	h.eval(customer, `(kefu('identify', {user_id: `+jsString(userID)+`, name: '孙女士', signature: `+jsString(signature)+`})
		.then(r => window.__identified = r.contact_id, e => window.__identified = 'failed: ' + e), true)`)
	h.wait(customer, "identified", `window.__identified`)
	if v := h.value(customer, `window.__identified`); strings.HasPrefix(v, "failed") {
		t.Fatalf("identify: %s", v)
	}
	h.customerWrites(customer, "耳机左耳没有声音，想退货")
	h.wait(customer, "the orders tab appears", `__kq('[data-testid="widget-tab-orders"]').some(b => !b.hidden)`)
	h.eval(customer, `__kq('[data-testid="widget-tab-orders"]')[0].click()`)
	h.wait(customer, "the orders are listed", `__kq('[data-testid="widget-order"]').length === 2`)
	h.shot(customer, "orders-tab")

	// A no-reason return of the older order is refused, with the reason.
	h.eval(customer, `__kq('[data-testid="widget-order"]').find(o => o.textContent.includes('YX20261106002')).querySelector('[data-testid="widget-order-return"]').click()`)
	h.wait(customer, "the return form", `__kq('[data-testid="widget-return-form"]').length`)
	h.eval(customer, `(() => { const f = __kq('[data-testid="widget-return-form"]')[0];
		f.querySelector('[data-testid="widget-return-reason"]').value = 'no_reason';
		f.querySelector('[data-testid="widget-return-submit"]').click(); })()`)
	h.wait(customer, "the refusal is shown", `__kq('[data-testid="widget-return-form"] [data-testid="widget-return-error"]').some(e => e.textContent.includes('7 days'))`)
	h.shot(customer, "refused")

	// The conversation the customer wrote in.
	convID := h.conversationWith("耳机左耳没有声音，想退货")

	// The supervisor opens the conversation and, from the customer's orders
	// beside it, starts a return (发起售后); then approves it and sends the
	// return address on the return's page.
	h.agentOpens(agent, "耳机左耳没有声音")
	orderCard := `[...document.querySelectorAll('[data-testid="order-card"]')].find(c => c.textContent.includes('YX20261120001'))`
	h.wait(agent, "the customer's orders", orderCard)
	h.eval(agent, orderCard+`.querySelector('[data-testid="order-start-return"]').click()`)
	h.wait(agent, "the return form", `document.querySelector('[data-testid="return-form"] textarea')`)
	h.do(agent, "describe the fault", chromedp.SendKeys(`[data-testid="return-form"] textarea`, "客户反映左耳没有声音"))
	h.wait(agent, "the law allows it", `document.querySelector('[data-testid="return-preview"] .ant-alert-success')`)
	h.shot(agent, "agent-return-form")
	h.eval(agent, `document.querySelector('[data-testid="return-submit"]').click()`)
	h.wait(agent, "the return is listed with the conversation", `document.querySelector('[data-testid="conversation-return"]')`)
	h.eval(agent, `document.querySelector('[data-testid="conversation-return"]').click()`)
	okButton := `[...document.querySelectorAll('.ant-modal-footer .ant-btn-primary')].filter(b => b.offsetParent !== null).pop()`
	h.wait(agent, "the approve button", `document.querySelector('[data-testid="return-action-approve"]')`)
	h.eval(agent, `document.querySelector('[data-testid="return-action-approve"]').click()`)
	h.wait(agent, "the approval dialog", okButton)
	h.eval(agent, okButton+`.click()`)
	h.wait(agent, "the send-address button", `document.querySelector('[data-testid="return-action-send_address"]')`)
	h.eval(agent, `document.querySelector('[data-testid="return-action-send_address"]').click()`)
	h.wait(agent, "the address dialog", `document.querySelector('[data-testid="return-act-form"] textarea')`)
	// The first box is the address: set it as typing would (React's input event).
	h.eval(agent, `(() => { const a = document.querySelector('[data-testid="return-act-form"] textarea');
		Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set.call(a, `+jsString(address)+`);
		a.dispatchEvent(new Event('input', {bubbles: true})); return true; })()`)
	h.shot(agent, "agent-send-address")
	h.eval(agent, okButton+`.click()`)
	viewer := kefu.NewContext(sys, &kefu.Actor{UserID: "e2e", Permissions: []kefu.Permission{kefu.PermOrdersView}})
	var ret returns.Return
	for deadline := time.Now().Add(45 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		list, err := a.Returns.List(viewer, store.ReturnFilter{ConversationID: convID})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) == 1 && list[0].State == returns.StateAwaitingShipment {
			ret = list[0]
			break
		}
		if time.Now().After(deadline) {
			h.shot(agent, "failed-awaiting-shipment")
			t.Fatalf("the conversation's returns are %+v, want one awaiting shipment", list)
		}
	}
	if ret.ReturnAddress != address || ret.OrderID != recent.ID {
		t.Fatalf("the return is %+v", ret)
	}
	h.shot(agent, "agent-return-approved")

	// The orders tab, open all along, shows the return waiting for the goods, with the address.
	card := `__kq('[data-testid="widget-return"][data-id="` + ret.ID + `"]')[0]`
	h.wait(customer, "the return waits for the goods", card+`?.dataset.state === 'awaiting_shipment'`)
	h.wait(customer, "its state and address are shown", card+`.querySelector('[data-testid="widget-return-state"]').textContent.includes('请寄回商品') &&
		`+card+`.querySelector('[data-testid="widget-return-address"]').textContent.includes(`+jsString(address)+`)`)
	h.shot(customer, "return-awaiting-shipment")

	// The chat told the customer each step: the request, the approval, the address.
	h.eval(customer, `__kq('[data-testid="widget-tab-chat"]')[0].click()`)
	told := `__kq('[data-testid="widget-message"][data-sender="system"]')`
	h.wait(customer, "the request is told", told+`.some(m => m.textContent.includes('YX20261120001'))`)
	h.wait(customer, "the address is told", told+`.some(m => m.textContent.includes(`+jsString(address)+`))`)
	h.wait(customer, "three steps are told", told+`.length >= 3`)
	h.shot(customer, "chat-told")

	// The customer enters the parcel's tracking number in the orders tab.
	h.eval(customer, `__kq('[data-testid="widget-tab-orders"]')[0].click()`)
	h.wait(customer, "the ship-back form", card+`?.querySelector('[data-testid="widget-return-tracking"]')`)
	h.eval(customer, `(() => { const c = `+card+`;
		const set = (id, v) => { const i = c.querySelector('[data-testid="' + id + '"]'); i.value = v; i.dispatchEvent(new Event('input', {bubbles: true})); };
		set('widget-return-carrier', '顺丰'); set('widget-return-tracking', 'SF1400123456789');
		c.querySelector('[data-testid="widget-return-ship"]').click(); })()`)
	h.wait(customer, "the return is on its way back", card+`?.dataset.state === 'in_transit' && `+card+`.textContent.includes('退货运输中') && `+card+`.textContent.includes('SF1400123456789')`)
	h.shot(customer, "return-in-transit")
	got, _, err := a.Returns.Get(viewer, ret.ID)
	if err != nil || got.State != "in_transit" || got.TrackingNo != "SF1400123456789" || got.Carrier != "顺丰" {
		t.Fatalf("after the customer shipped it back the return is %+v (%v)", got, err)
	}
}
