package e2e_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kefu"
)

// TestCustomerAndAgentChat: a customer writes from the demo shop, the agent
// sees it live and answers with a canned reply, the customer sees the answer;
// then the customer's socket drops and, after the reconnect, every message is
// there exactly once and in order.
func TestCustomerAndAgentChat(t *testing.T) {
	h, _ := newDemoHarness(t, kefu.SystemClock{})
	a := h.app
	h.createUser("lead@example.com", "王主管", kefu.RoleSupervisor, "lead password 1")
	agentTab, customerTab := h.tab(), h.tab()
	shot, do, poll, eval := h.shot, h.do, h.poll, h.eval

	// The agent signs in and opens the inbox.
	h.signIn(agentTab, "lead@example.com", "lead password 1")
	do(agentTab, "the inbox lists conversations", chromedp.WaitVisible(tid("conversation-row")))
	shot(agentTab, "agent-inbox")

	// The customer opens the shop and writes.
	h.openShop(customerTab)
	shot(customerTab, "shop")
	h.customerWrites(customerTab, "我的快递到哪了")
	shot(customerTab, "customer-sent")

	// The agent sees it live, without reloading.
	h.agentOpens(agentTab, "我的快递到哪了")
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
	convID := h.conversationWith("我的快递到哪了")
	leadCtx := h.actor("lead@example.com")
	if _, err := a.Inbox.Reply(leadCtx, convID, "while-offline", "您的包裹今天下午送达，请保持电话畅通。", nil); err != nil {
		t.Fatal(err)
	}
	poll(customerTab, "missed message after reconnect", `__kq('[data-testid="widget-message"]').some(m => m.textContent.includes('今天下午送达'))`)
	h.customerWrites(customerTab, "好的，谢谢")
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
	if _, err := a.Inbox.Transfer(leadCtx, convID, "", h.teamID("售后"), "客户问物流，已告知今天下午送达，如未收到请跟进"); err != nil {
		t.Fatal(err)
	}
	poll(agentTab, "transfer note shown", `[...document.querySelectorAll('[data-testid="timeline-event"][data-type="transferred"]')].some(e => e.textContent.includes('如未收到请跟进'))`)
	shot(agentTab, "agent-final")
}
