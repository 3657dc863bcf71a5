package e2e_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kefu"
	"kefu/app"
	"kefu/channel/webchat"
	"kefu/demo"
)

// TestSurveyCardInWidget: the demo inbox asks a CSAT survey; a customer
// writes, an agent resolves the conversation, and the widget shows the
// survey card under the message that ends it (whose raw /survey/ path is
// left out). The customer gives five stars and a comment; the card thanks
// them and the answer is stored. After a reload the line links to the
// survey page instead.
func TestSurveyCardInWidget(t *testing.T) {
	h := newHarness(t, kefu.SystemClock{})
	a, ctx := h.app, context.Background()
	if _, err := demo.Seed(ctx, a); err != nil {
		t.Fatal(err)
	}
	sys := app.System(ctx, "e2e")
	inboxes, err := a.Webchat.Inboxes(sys)
	if err != nil || len(inboxes) == 0 {
		t.Fatalf("inboxes: %v %v", inboxes, err)
	}
	csat := "csat"
	if _, err := a.Webchat.UpdateInbox(sys, inboxes[0].ID, webchat.InboxPatch{Survey: &csat}); err != nil {
		t.Fatal(err)
	}

	customer := h.tab()
	h.do(customer, "open the shop", navigate(h.url+"/demo/shop"))
	h.customerWrites(customer, "发票已经收到了，谢谢")

	// The conversation the customer wrote in, resolved by an agent.
	var convID string
	for deadline := time.Now().Add(20 * time.Second); convID == ""; time.Sleep(200 * time.Millisecond) {
		convs, err := a.DB.Conversations(sys, storeAll(), kefu.ConversationFilter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range convs {
			msgs, _ := a.DB.Messages(sys, c.ID, 0, 10, false)
			for _, m := range msgs {
				if strings.Contains(m.Text, "发票已经收到了") {
					convID = c.ID
				}
			}
		}
		if convID == "" && time.Now().After(deadline) {
			t.Fatal("the customer's conversation was not found")
		}
	}
	if _, err := a.Inbox.SetStatus(sys, convID, kefu.StatusResolved, nil); err != nil {
		t.Fatal(err)
	}

	// The card shows, with five stars; the system line keeps its words but not the raw path.
	card := `__kq('[data-testid="widget-survey"]')[0]`
	h.wait(customer, "the survey card", card+`?.dataset.kind === 'csat' && `+card+`.querySelectorAll('[data-testid="widget-survey-csat"]').length === 5 && !`+card+`.querySelector('[data-testid="widget-survey-nps"]')`)
	h.wait(customer, "the survey line without its path", `__kq('[data-testid="widget-message"][data-sender="system"]').some(m => m.textContent.includes('请为我们的服务评分') && !m.textContent.includes('/survey/'))`)
	h.shot(customer, "survey-card")

	// Sending without a score is refused in the card.
	h.eval(customer, card+`.querySelector('[data-testid="widget-survey-submit"]').click()`)
	h.wait(customer, "a score is asked for", card+`.querySelector('[data-testid="widget-survey-error"]').textContent.includes('满意度')`)

	h.eval(customer, `(() => { const c = `+card+`;
		c.querySelector('[data-testid="widget-survey-csat"][data-value="5"]').click();
		const x = c.querySelector('[data-testid="widget-survey-comment"]'); x.value = '客服很耐心'; x.dispatchEvent(new Event('input', {bubbles: true}));
		c.querySelector('[data-testid="widget-survey-submit"]').click(); })()`)
	h.wait(customer, "the card thanks the customer", card+`.querySelector('[data-testid="widget-survey-thanks"]')?.textContent.includes('感谢您的评价')`)
	h.shot(customer, "survey-thanks")

	// After a reload the card is gone; the line links to the survey page on the kefu server.
	h.do(customer, "reload the shop", navigate(h.url+"/demo/shop"))
	h.eval(customer, `kefu('open')`)
	h.wait(customer, "the survey link", `__kq('[data-testid="widget-survey-link"]')[0]?.href.startsWith(`+jsString(h.url+"/survey/")+`) && !__kq('[data-testid="widget-survey"]').length`)

	v, err := a.DB.SurveyOf(sys, convID)
	if err != nil {
		t.Fatal(err)
	}
	if v.AnsweredAt == nil || v.CSAT == nil || *v.CSAT != 5 || v.NPS != nil || v.Comment != "客服很耐心" {
		t.Fatalf("the survey is %+v", v)
	}
	t.Logf("screenshots in %s", h.shots)
}
