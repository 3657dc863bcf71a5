package e2e_test

import (
	"testing"

	"kefu"
)

// TestBotAnswersThenHandsOff: on an inbox with the bot, a customer asks a
// question the knowledge base answers and gets the answer; then writes
// "转人工", and an agent receives the conversation with the bot's note of the
// request and its intent.
func TestBotAnswersThenHandsOff(t *testing.T) {
	h, _ := newDemoHarness(t, kefu.SystemClock{})
	on := true
	h.updateDemoInbox(webchatPatch(&on))
	h.createUser("agent@example.com", "李娜", kefu.RoleSupervisor, "agent password 1")
	agent, customer := h.tab(), h.tab()
	h.signIn(agent, "agent@example.com", "agent password 1")

	h.openShop(customer)
	h.customerWrites(customer, "我的快递到哪了")
	h.poll(customer, "the bot answers", `__kq('[data-testid="widget-message"][data-sender="bot"]').some(m => m.textContent.includes('物流'))`)
	h.shot(customer, "bot-answer")

	h.customerWrites(customer, "转人工")
	h.poll(customer, "the customer is told", `__kq('[data-testid="widget-message"][data-sender="system"]').length > 0`)
	h.shot(customer, "handoff-notice")

	// The agent sees the conversation with the bot's note: the request and its intent.
	h.agentOpens(agent, "转人工")
	h.poll(agent, "bot note with the intent", `[...document.querySelectorAll('[data-testid="message"]')].some(m => m.textContent.includes('客户要求人工') && m.textContent.includes('物流') && m.textContent.includes('我的快递到哪了'))`)
	h.shot(agent, "agent-sees-handoff")
}
