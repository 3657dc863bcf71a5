package e2e_test

import (
	"testing"

	"kefu"
	"kefu/channel/webchat"
)

// TestSurveyCardInWidget: the demo inbox asks a CSAT survey; a customer
// writes, an agent resolves the conversation, and the widget shows the
// survey card under the message that ends it (whose raw /survey/ path is
// left out). The customer gives five stars and a comment; the card thanks
// them and the answer is stored. After a reload the line links to the
// survey page instead.
func TestSurveyCardInWidget(t *testing.T) {
	h, _ := newDemoHarness(t, kefu.SystemClock{})
	a, sys := h.app, h.sys
	csat := "csat"
	h.updateDemoInbox(webchat.InboxPatch{Survey: &csat})

	customer := h.tab()
	h.openShop(customer)
	h.customerWrites(customer, "发票已经收到了，谢谢")

	// The conversation the customer wrote in, resolved by an agent.
	convID := h.conversationWith("发票已经收到了，谢谢")
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
	h.openShop(customer)
	h.eval(customer, `kefu('open')`)
	h.wait(customer, "the survey link", `__kq('[data-testid="widget-survey-link"]')[0]?.href.startsWith(`+jsString(h.url+"/survey/")+`) && !__kq('[data-testid="widget-survey"]').length`)

	v, err := a.DB.SurveyOf(sys, convID)
	if err != nil {
		t.Fatal(err)
	}
	if v.AnsweredAt == nil || v.CSAT == nil || *v.CSAT != 5 || v.NPS != nil || v.Comment != "客服很耐心" {
		t.Fatalf("the survey is %+v", v)
	}
}
