package e2e_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kefu"
	"kefu/app"
	"kefu/auth"
	"kefu/demo"
)

// TestCustomerAndAgentChat: a customer writes from the demo shop, the agent
// sees it live and answers with a canned reply, the customer sees the answer;
// then the customer's socket drops and, after the reconnect, every message is
// there exactly once and in order.
func TestCustomerAndAgentChat(t *testing.T) {
	h := newHarness(t, kefu.SystemClock{})
	a, ctx := h.app, context.Background()
	if _, err := demo.Seed(ctx, a); err != nil {
		t.Fatal(err)
	}
	sys := app.System(ctx, "e2e")
	if _, err := a.Auth.CreateUser(sys, auth.NewUser{Email: "lead@example.com", Name: "王主管", Role: kefu.RoleSupervisor, Password: "lead password 1"}); err != nil {
		t.Fatal(err)
	}
	agentTab, customerTab := h.tab(), h.tab()
	shot, do, poll, eval := h.shot, h.do, h.poll, h.eval
	srv := struct{ URL string }{h.url}

	// The agent signs in and opens the inbox.
	do(agentTab, "agent signs in",
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible(tid("login-email")),
		chromedp.SendKeys(tid("login-email"), "lead@example.com"),
		chromedp.SendKeys(tid("login-password"), "lead password 1"),
		chromedp.Click(tid("login-submit")),
		chromedp.WaitVisible(tid("menu-inbox")),
		chromedp.Navigate(srv.URL+"/inbox"),
		chromedp.WaitVisible(tid("conversation-row")),
	)
	shot(agentTab, "agent-inbox")

	// The customer opens the shop and writes.
	do(customerTab, "open the shop", chromedp.Navigate(srv.URL+"/demo/shop"))
	poll(customerTab, "widget launcher", `__kq('[data-testid="widget-launcher"]').length`)
	shot(customerTab, "shop")
	eval(customerTab, `__kq('[data-testid="widget-launcher"]')[0].click()`)
	poll(customerTab, "widget input", `__kq('[data-testid="widget-input"]').length`)
	eval(customerTab, `(() => { const i = __kq('[data-testid="widget-input"]')[0]; i.value = '我的快递到哪了'; i.dispatchEvent(new Event('input', {bubbles: true})); __kq('[data-testid="widget-send"]')[0].click(); })()`)
	poll(customerTab, "message acknowledged", `__kq('[data-testid="widget-message"][data-sender="customer"]').some(m => m.dataset.seq && m.textContent.includes('我的快递到哪了'))`)
	shot(customerTab, "customer-sent")

	// The agent sees it live, without reloading.
	poll(agentTab, "conversation arrives live", `[...document.querySelectorAll('[data-testid="conversation-row"]')].some(r => r.textContent.includes('我的快递到哪了'))`)
	eval(agentTab, `[...document.querySelectorAll('[data-testid="conversation-row"]')].find(r => r.textContent.includes('我的快递到哪了')).click()`)
	do(agentTab, "open the conversation", chromedp.WaitVisible(tid("composer-input")))
	// A canned reply through "/".
	do(agentTab, "type a canned shortcut", chromedp.Click(tid("composer-input")), chromedp.SendKeys(tid("composer-input"), "/快递"))
	poll(agentTab, "canned suggestion", `document.querySelectorAll('[data-testid="canned-option"]').length`)
	shot(agentTab, "agent-canned")
	eval(agentTab, `document.querySelector('[data-testid="canned-option"]').click()`)
	poll(agentTab, "canned text inserted", `document.querySelector('[data-testid="composer-input"]').value.includes('物流单号')`)
	do(agentTab, "send the reply", chromedp.Click(tid("composer-send")))
	poll(agentTab, "reply shown", `[...document.querySelectorAll('[data-testid="message"][data-sender="agent"]')].some(m => m.textContent.includes('物流单号'))`)
	shot(agentTab, "agent-replied")

	// The customer sees the answer.
	poll(customerTab, "answer arrives", `__kq('[data-testid="widget-message"][data-sender="agent"]').some(m => m.textContent.includes('物流单号'))`)
	shot(customerTab, "customer-answered")

	// The customer's connection drops; meanwhile the agent writes again.
	eval(customerTab, `kefu('debug:dropSocket')`)
	conv, err := a.DB.Conversations(sys, storeAll(), kefu.ConversationFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var convID string
	for _, c := range conv {
		msgs, _ := a.DB.Messages(sys, c.ID, 0, 10, false)
		for _, m := range msgs {
			if m.Text == "我的快递到哪了" {
				convID = c.ID
			}
		}
	}
	lead, _ := a.DB.UserByEmail(sys, "lead@example.com")
	role, _ := a.DB.Role(sys, kefu.RoleSupervisor)
	leadCtx := kefu.NewContext(ctx, &kefu.Actor{UserID: lead.ID, Name: lead.Name, Role: lead.Role, Permissions: role.Permissions})
	if _, err := a.Inbox.Reply(leadCtx, convID, "while-offline", "您的包裹今天下午送达，请保持电话畅通。", nil); err != nil {
		t.Fatal(err)
	}
	poll(customerTab, "missed message after reconnect", `__kq('[data-testid="widget-message"]').some(m => m.textContent.includes('今天下午送达'))`)
	eval(customerTab, `(() => { const i = __kq('[data-testid="widget-input"]')[0]; i.value = '好的，谢谢'; i.dispatchEvent(new Event('input', {bubbles: true})); __kq('[data-testid="widget-send"]')[0].click(); })()`)
	poll(customerTab, "message after reconnect acknowledged", `__kq('[data-testid="widget-message"][data-sender="customer"]').some(m => m.dataset.seq && m.textContent.includes('好的，谢谢'))`)
	time.Sleep(500 * time.Millisecond) // let any duplicate arrive before counting
	shot(customerTab, "customer-after-reconnect")
	seqs, err := chromedp.Run(customerTab, chromedp.Evaluate[[]string](`(`+shadowJS+`, __kq('[data-testid="widget-message"]').map(m => m.dataset.seq || ''))`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1", "2", "3", "4"}
	if strings.Join(seqs, ",") != strings.Join(want, ",") {
		t.Fatalf("the customer sees messages %v, want each of %v exactly once and in order", seqs, want)
	}
	poll(agentTab, "agent sees the customer's new message", `[...document.querySelectorAll('[data-testid="message"]')].some(m => m.textContent.includes('好的，谢谢'))`)

	// A transfer's note shows in the conversation at once, without turning the timeline on.
	teams, _ := a.DB.Teams(sys)
	var afterSales string
	for _, tm := range teams {
		if tm.Name == "售后" {
			afterSales = tm.ID
		}
	}
	if _, err := a.Inbox.Transfer(leadCtx, convID, "", afterSales, "客户问物流，已告知今天下午送达，如未收到请跟进"); err != nil {
		t.Fatal(err)
	}
	poll(agentTab, "transfer note shown", `[...document.querySelectorAll('[data-testid="timeline-event"][data-type="transferred"]')].some(e => e.textContent.includes('如未收到请跟进'))`)
	shot(agentTab, "agent-final")
	t.Logf("screenshots in %s", h.shots)
}
