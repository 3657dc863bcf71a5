package e2e_test

import (
	"context"
	"testing"

	"kefu"
	"kefu/app"
	"kefu/auth"
	"kefu/demo"
)

// TestBotAnswersThenHandsOff: on an inbox with the bot, a customer asks a
// question the knowledge base answers and gets the answer; then writes
// "转人工", and an agent receives the conversation with the bot's note of the
// request and its intent.
func TestBotAnswersThenHandsOff(t *testing.T) {
	h := newHarness(t, kefu.SystemClock{})
	ctx := context.Background()
	if _, err := demo.Seed(ctx, h.app); err != nil {
		t.Fatal(err)
	}
	sys := app.System(ctx, "e2e")
	inboxes, err := h.app.Webchat.Inboxes(sys)
	if err != nil {
		t.Fatal(err)
	}
	on := true
	if _, err := h.app.Webchat.UpdateInbox(sys, inboxes[0].ID, webchatPatch(&on)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.app.Auth.CreateUser(sys, auth.NewUser{Email: "agent@example.com", Name: "李娜", Role: kefu.RoleSupervisor, Password: "agent password 1"}); err != nil {
		t.Fatal(err)
	}
	agent, customer := h.tab(), h.tab()
	h.signIn(agent, "agent@example.com", "agent password 1")

	h.do(customer, "open the shop", navigate(h.url+"/demo/shop"))
	h.customerWrites(customer, "我的快递到哪了")
	h.poll(customer, "the bot answers", `__kq('[data-testid="widget-message"][data-sender="bot"]').some(m => m.textContent.includes('物流'))`)
	h.shot(customer, "bot-answer")

	h.customerWrites(customer, "转人工")
	h.poll(customer, "the customer is told", `__kq('[data-testid="widget-message"][data-sender="system"]').length > 0`)
	h.shot(customer, "handoff-notice")

	// The agent sees the conversation with the bot's note: the request and its intent.
	h.poll(agent, "conversation arrives", `[...document.querySelectorAll('[data-testid="conversation-row"]')].some(r => r.textContent.includes('转人工'))`)
	h.eval(agent, `[...document.querySelectorAll('[data-testid="conversation-row"]')].find(r => r.textContent.includes('转人工')).click()`)
	h.poll(agent, "bot note with the intent", `[...document.querySelectorAll('[data-testid="message"]')].some(m => m.textContent.includes('客户要求人工') && m.textContent.includes('物流') && m.textContent.includes('我的快递到哪了'))`)
	h.shot(agent, "agent-sees-handoff")
}
