package e2e_test

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kefu"
	"kefu/demo"
	inboxpkg "kefu/inbox"
)

// TestKPIDashboardAndDrillDown: on the demo workspace three more customers
// write in the demo inbox. Agent 李娜 answers the first within 90 seconds
// and resolves it; she answers the second too, then transfers it to the
// 售后 team, where 张伟 resolves it; the third is left open. The demo admin
// opens the KPI dashboard for a period covering today: it counts the
// conversations (the demo's own three, still waiting, and these three),
// shows the transfer rate as 1 of them and first-contact resolution as 1 of
// the 2 resolved; the first-response card shows the workspace's target
// (≤ 8 分钟 by default), and the per-team table one row per team of the
// period's conversations with their count. The transfer-rate card opens its
// drill-down, which lists the transferred conversation, and only it. With
// the target set to 5 minutes in the settings, the card follows it. Today
// live (今日实时) then shows the conversations created since midnight — all
// of them, unless the day turned in between — and the teams' queues as the
// router sees them.
func TestKPIDashboardAndDrillDown(t *testing.T) {
	clock := &kefu.FixedClock{T: time.Now().UTC()}
	h, seeded := newDemoHarness(t, clock)
	a, sys := h.app, h.sys
	start := clock.Now()
	demoConvs, err := a.DB.Conversations(sys, storeAll(), kefu.ConversationFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	inboxID := h.demoInbox().ID
	afterSales := h.teamID("售后")
	lead, liNa, zhangWei := h.actor("supervisor@kefu.local"), h.actor("li.na@kefu.local"), h.actor("zhang.wei@kefu.local")

	// writes starts a conversation of a new customer with one message.
	writes := func(name, text string) kefu.Conversation {
		t.Helper()
		ct, err := a.Contacts.Create(sys, kefu.Contact{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		_, c, err := a.Inbox.Ingest(sys, inboxpkg.IncomingMessage{InboxID: inboxID, ContactID: ct.ID, ClientID: "kpi-" + ct.ID, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	userID := func(actor context.Context) string { return kefu.ActorFrom(actor).UserID }

	// 1. Answered by 李娜 90 seconds after the customer wrote, then resolved.
	answered := writes("周小宁", "请问这款保温杯可以装热水吗？")
	_, err = a.Inbox.Assign(lead, answered.ID, userID(liNa))
	must("assign the first conversation", err)
	clock.Advance(90 * time.Second)
	_, err = a.Inbox.Reply(liNa, answered.ID, "kpi-answer-1", "可以的，保温杯可以装 100℃ 以内的热水。", nil)
	must("answer the first conversation", err)
	clock.Advance(2 * time.Minute)
	_, err = a.Inbox.SetStatus(liNa, answered.ID, kefu.StatusResolved, nil)
	must("resolve the first conversation", err)

	// 2. Answered by 李娜, transferred to 售后, resolved there by 张伟.
	clock.Advance(time.Minute)
	transferred := writes("钱多多", "我买的台灯不亮了，能换一个吗？")
	_, err = a.Inbox.Assign(lead, transferred.ID, userID(liNa))
	must("assign the second conversation", err)
	clock.Advance(time.Minute)
	_, err = a.Inbox.Reply(liNa, transferred.ID, "kpi-answer-2", "抱歉给您带来不便，我帮您转给售后同事处理。", nil)
	must("answer the second conversation", err)
	clock.Advance(time.Minute)
	_, err = a.Inbox.Transfer(liNa, transferred.ID, "", afterSales, "台灯不亮，客户想换货，请售后跟进")
	must("transfer the second conversation", err)
	clock.Advance(time.Minute)
	_, err = a.Inbox.Assign(lead, transferred.ID, userID(zhangWei))
	must("assign the second conversation in 售后", err)
	_, err = a.Inbox.Reply(zhangWei, transferred.ID, "kpi-answer-3", "您好，已为您登记换货，新台灯明天发出。", nil)
	must("answer in 售后", err)
	clock.Advance(2 * time.Minute)
	_, err = a.Inbox.SetStatus(zhangWei, transferred.ID, kefu.StatusResolved, nil)
	must("resolve the second conversation", err)

	// 3. Left open, unanswered.
	clock.Advance(time.Minute)
	open := writes("孔明亮", "你们周末发货吗？")

	// Every conversation of the period: the demo's and these three.
	all, err := a.DB.Conversations(sys, storeAll(), kefu.ConversationFilter{Limit: 100})
	must("list conversations", err)
	want := len(demoConvs) + 3
	if len(all) != want {
		t.Fatalf("%d conversations, want the demo's %d and 3 more", len(all), len(demoConvs))
	}
	for _, c := range all {
		if c.ID == transferred.ID && (c.TeamID != afterSales || c.Status != kefu.StatusResolved) {
			t.Fatalf("the transferred conversation is %+v", c)
		}
	}

	// The period in the workspace's time zone, through the day it is now.
	cfg, err := a.Settings.Current(sys)
	must("settings", err)
	loc, err := time.LoadLocation(cfg.TimeZone)
	must("time zone", err)
	from, to := start.In(loc).Format(time.DateOnly), clock.Now().In(loc).Format(time.DateOnly)

	tab := h.tab()
	h.signIn(tab, demo.AdminEmail, seeded.AdminPassword)
	h.do(tab, "open the KPI dashboard",
		chromedp.Navigate(h.url+"/reports/kpi?from="+from+"&to="+to),
		chromedp.WaitVisible(tid("kpi-report")),
	)
	card := func(key string) string { return `document.querySelector('[data-testid="kpi-` + key + `"]')` }
	h.wait(tab, "the KPI cards", card("transfer")+` && `+card("fcr")+` && document.querySelector('[data-testid="report-period"]')`)
	h.shot(tab, "kpi-dashboard")

	// The conversations of the period, as the line under the cards says.
	period := h.value(tab, `document.querySelector('[data-testid="report-period"]').textContent`)
	if !strings.Contains(period, from) || !strings.Contains(period, to) {
		t.Fatalf("the period line %q does not show %s to %s", period, from, to)
	}
	if m := regexp.MustCompile(`·\s*(\d+)`).FindStringSubmatch(period); m == nil || m[1] != fmt.Sprint(want) {
		t.Fatalf("the period line %q, want %d conversations", period, want)
	}

	// Transfer rate: 1 of them; FCR: the answered one of the 2 resolved.
	value := func(key string) string {
		return strings.TrimSpace(h.value(tab, card(key)+`.querySelector('.kf-kpi-value').textContent`))
	}
	sub := func(key string) string {
		return strings.TrimSpace(h.value(tab, card(key)+`.querySelector('.kf-kpi-sub').textContent`))
	}
	if v, s := value("transfer"), sub("transfer"); v != kpiShare(1, want) || !strings.Contains(s, fmt.Sprintf("1 / %d", want)) {
		t.Fatalf("the transfer-rate card shows %q (%q), want %s (1 / %d)", v, s, kpiShare(1, want), want)
	}
	if v, s := value("fcr"), sub("fcr"); v != kpiShare(1, 2) || !strings.Contains(s, "1 / 2") {
		t.Fatalf("the FCR card shows %q (%q), want %s (1 / 2)", v, s, kpiShare(1, 2))
	}

	// The first-response card's target is the workspace's: 8 minutes by default.
	if cfg.Targets.FRTMinutes != 8 {
		t.Fatalf("the workspace's first-response target is %v minutes, want the default 8", cfg.Targets.FRTMinutes)
	}
	frtTarget := `document.querySelector('[data-testid="kpi-frt-target"]')`
	if got := strings.TrimSpace(h.value(tab, frtTarget+`?.textContent`)); got != "目标 ≤ 8 分钟" {
		t.Fatalf("the first-response card's target reads %q, want 目标 ≤ 8 分钟", got)
	}

	// One row per team the period's conversations are in, with their count
	// (those without a team as 未分组), among them 售后 with the transferred
	// conversation.
	teams, err := a.DB.Teams(sys)
	must("list teams", err)
	teamNames := map[string]string{"": "未分组"}
	for _, tm := range teams {
		teamNames[tm.ID] = tm.Name
	}
	perTeam := map[string]int{}
	for _, c := range all {
		perTeam[c.TeamID]++
	}
	if perTeam[afterSales] == 0 {
		t.Fatalf("no conversation of the period is in 售后: %v", perTeam)
	}
	var wantTeams []string
	for id, n := range perTeam {
		name, ok := teamNames[id]
		if !ok {
			t.Fatalf("a conversation is in team %s, which is not listed", id)
		}
		wantTeams = append(wantTeams, fmt.Sprintf("%s|%d", name, n))
	}
	slices.Sort(wantTeams)
	teamRows := `[...document.querySelectorAll('[data-testid="kpi-teams"] .ant-table-row')].map(r => ` +
		`r.querySelector('[data-testid="kpi-team-name"]').textContent.trim() + '|' + r.querySelectorAll('td')[1].textContent.trim()).sort().join('\n')`
	pctx, cancel := context.WithTimeout(tab, 20*time.Second)
	_, err = chromedp.Run(pctx, chromedp.Poll[bool](teamRows+` === `+jsString(strings.Join(wantTeams, "\n"))))
	cancel()
	if err != nil {
		h.shot(tab, "failed-kpi-teams")
		t.Fatalf("the per-team table lists\n%s\nwant\n%s", h.value(tab, teamRows), strings.Join(wantTeams, "\n"))
	}
	if h.value(tab, `!!document.querySelector('[data-testid="kpi-export-teams"]')`) != "true" {
		t.Fatal("no button exports the per-team figures")
	}
	h.shot(tab, "kpi-teams")

	// The transfer-rate card opens the transferred conversations: this one only.
	h.do(tab, "open the transfer drill-down", chromedp.Click(tid("kpi-transfer")))
	links := `[...document.querySelectorAll('[data-testid="kpi-drill-link"]')]`
	h.wait(tab, "the transferred conversations", `document.querySelector('[data-testid="kpi-drill-total"]')?.textContent.trim() && !document.querySelector('.ant-drawer .ant-spin-spinning') && `+links+`.length > 0`)
	h.wait(tab, "the drawer settles", `document.querySelector('.ant-drawer-open') && document.querySelector('.ant-drawer').getAnimations({subtree: true}).length === 0`)
	h.shot(tab, "kpi-transfer-drill")
	total := strings.TrimSpace(h.value(tab, `document.querySelector('[data-testid="kpi-drill-total"]').textContent`))
	if m := regexp.MustCompile(`\d+`).FindString(total); m != "1" {
		t.Fatalf("the drill-down says %q, want a total of 1", total)
	}
	rows := h.value(tab, links+`.map(l => l.textContent.trim() + ' ' + l.getAttribute('href')).join('\n')`)
	lines := strings.Split(rows, "\n")
	if len(lines) != 1 {
		t.Fatalf("the drill-down lists %d conversations, want 1:\n%s", len(lines), rows)
	}
	text, href, _ := strings.Cut(lines[0], " ")
	if text == "" || !strings.HasPrefix(transferred.ID, strings.TrimSuffix(text, "…")) || !strings.HasSuffix(href, "/inbox/"+transferred.ID) {
		t.Fatalf("the drill-down lists %q (%s), want the transferred conversation %s", text, href, transferred.ID)
	}
	for _, other := range []string{answered.ID, open.ID} {
		if strings.Contains(rows, other) {
			t.Fatalf("the drill-down lists %s, which was not transferred:\n%s", other, rows)
		}
	}
	// The row names the agent who resolved it in 售后.
	h.wait(tab, "the row's agent", `[...document.querySelectorAll('.ant-drawer .ant-table-row')].some(r => r.textContent.includes('张伟'))`)

	// With another target in the workspace's settings, the card shows and judges by it.
	next := cfg
	next.Targets.FRTMinutes = 5
	_, err = a.Settings.Update(sys, next)
	must("set the first-response target to 5 minutes", err)
	h.do(tab, "reopen the KPI dashboard",
		chromedp.Navigate(h.url+"/reports/kpi?from="+from+"&to="+to),
		chromedp.WaitVisible(tid("kpi-report")),
	)
	h.wait(tab, "the 5-minute target", frtTarget+`?.textContent.trim() === '目标 ≤ 5 分钟'`)

	// Today live counts the conversations created since midnight in the
	// workspace's time zone (all of them, unless the test began before
	// midnight there) and lists the teams' queues as the router sees them.
	now := clock.Now().In(loc)
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	createdToday := 0
	for _, c := range all {
		if !c.CreatedAt.Before(midnight) {
			createdToday++
		}
	}
	queues, err := a.Routing.Overview(lead)
	must("the queues", err)
	waitingNow := 0
	for _, q := range queues {
		waitingNow += q.Waiting
	}
	h.do(tab, "open today live",
		chromedp.Navigate(h.url+"/reports/live"),
		chromedp.WaitVisible(tid("kpi-live")),
	)
	liveCard := func(key string) string { return `document.querySelector('[data-testid="live-` + key + `"]')` }
	queueRows := `[...document.querySelectorAll('[data-testid="live-queues"] .ant-table-row')]`
	h.wait(tab, "the live cards, chart and queues", liveCard("conversations")+` && `+liveCard("waiting")+
		` && document.querySelector('[data-testid="live-chart-hourly"] canvas') && `+queueRows+`.length > 0`)
	h.shot(tab, "kpi-live")
	if title := strings.TrimSpace(h.value(tab, `document.querySelector('.kf-page-title').textContent`)); title != "今日实时" {
		t.Fatalf("the live page's title is %q, want 今日实时", title)
	}
	if v := strings.TrimSpace(h.value(tab, liveCard("conversations")+`.querySelector('.kf-kpi-value').textContent`)); v != fmt.Sprint(createdToday) {
		t.Fatalf("the conversations-today card shows %q, want %d", v, createdToday)
	}
	if v := strings.TrimSpace(h.value(tab, liveCard("waiting")+`.querySelector('.kf-kpi-value').textContent`)); v != fmt.Sprint(waitingNow) {
		t.Fatalf("the waiting-now card shows %q, want %d", v, waitingNow)
	}
	// One row per team, the conversations without a team as 未分组, each with its waiting count.
	rows = h.value(tab, queueRows+`.map(r => r.querySelector('[data-testid="live-queue-team"]').textContent.trim() + '|' + r.querySelectorAll('td')[1].textContent.trim()).join('\n')`)
	lines = strings.Split(rows, "\n")
	if len(lines) != len(queues) {
		t.Fatalf("the queues table has %d rows, want %d:\n%s", len(lines), len(queues), rows)
	}
	for _, q := range queues {
		name := q.TeamName
		if q.TeamID == "" {
			name = "未分组"
		}
		if !slices.Contains(lines, fmt.Sprintf("%s|%d", name, q.Waiting)) {
			t.Fatalf("the queues table lacks %s with %d waiting:\n%s", name, q.Waiting, rows)
		}
	}
}

// kpiShare formats part/whole as the console does (fmtShare): one decimal and a percent sign.
func kpiShare(part, whole int) string {
	return fmt.Sprintf("%.1f%%", math.Round(float64(part)/float64(whole)*1000)/10)
}
