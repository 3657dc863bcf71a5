package httpapi_test

import (
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"kefu"
	"kefu/inbox"
	"kefu/routing"
	"kefu/store"
	"kefu/store/storetest"
)

func TestKPIReportDrillDownAndExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sys := e.system()
		ib, err := e.app.Webchat.CreateInbox(sys, kefu.Inbox{Name: "官网"})
		if err != nil {
			t.Fatal(err)
		}
		supEmail, supPw := e.user(kefu.RoleSupervisor)
		sup, _ := db.UserByEmail(sys, supEmail)
		agentCtx := kefu.NewContext(sys, &kefu.Actor{UserID: sup.ID, Name: sup.Name, Permissions: kefu.BuiltinRoles()[1].Permissions})
		write := func(contactID, text string) kefu.Conversation {
			t.Helper()
			_, c, err := e.app.Inbox.Ingest(sys, inbox.IncomingMessage{InboxID: ib.ID, ContactID: contactID, ClientID: kefu.NewID(), Text: text})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		// Each step a second apart, so that the timeline has one order.
		reply := func(c kefu.Conversation, text string) {
			t.Helper()
			if _, err := e.app.Inbox.Reply(agentCtx, c.ID, kefu.NewID(), text, nil); err != nil {
				t.Fatal(err)
			}
			e.clock.Advance(time.Second)
		}
		resolve := func(c kefu.Conversation) {
			t.Helper()
			if _, err := e.app.Inbox.SetStatus(agentCtx, c.ID, kefu.StatusResolved, nil); err != nil {
				t.Fatal(err)
			}
			e.clock.Advance(time.Second)
		}
		// A: answered in 2 minutes, resolved; the customer never comes back.
		a, _ := e.app.Contacts.Create(sys, kefu.Contact{Name: "甲"})
		ca := write(a.ID, "这款有货吗")
		if _, err := e.app.Inbox.Assign(agentCtx, ca.ID, sup.ID); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(2 * time.Minute)
		reply(ca, "有的")
		resolve(ca)
		// B: answered in 10 minutes, transferred, resolved — and back four days later, after the
		// reopen window: a new conversation, so B is a repeat contact and not a first-contact resolution.
		b, _ := e.app.Contacts.Create(sys, kefu.Contact{Name: "乙"})
		cb := write(b.ID, "发票开错了")
		e.clock.Advance(10 * time.Minute)
		reply(cb, "我转给财务同事")
		finance := "财务"
		team, err := e.app.Routing.CreateTeam(sys, routing.TeamPatch{Name: &finance})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Inbox.Transfer(agentCtx, cb.ID, "", team.ID, "发票问题"); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Second)
		category := "logistics"
		if _, err := e.app.Inbox.Update(agentCtx, cb.ID, inbox.Patch{ComplaintCategory: &category}); err != nil {
			t.Fatal(err)
		}
		resolve(cb)
		e.clock.Advance(4 * 24 * time.Hour)
		write(b.ID, "发票还是不对")

		c := e.client("192.0.2.40")
		c.login(supEmail, supPw)
		q := "?from=2026-11-20&to=2026-11-30"
		r := c.do("GET", "/api/v1/reports/kpi"+q, nil)
		if r.status != 200 {
			t.Fatalf("kpi: %d %s", r.status, r.raw)
		}
		sum, _ := r.body["summary"].(map[string]any)
		// Nearest-rank median of 2 and 10 minutes: the first (ordinary median: their mean, 6 minutes).
		if sum["conversations"] != float64(3) || sum["resolved"] != float64(2) || sum["transferred"] != float64(1) ||
			sum["fcr_count"] != float64(1) || sum["repeat_contacts"] != float64(1) || sum["sla_targets"] != sum["sla_targets"] {
			t.Fatalf("summary: %s", r.raw)
		}
		if frt := sum["frt_median"].(float64); time.Duration(frt) != 6*time.Minute {
			t.Fatalf("FRT median %v", time.Duration(frt))
		}
		if r := c.do("GET", "/api/v1/reports/kpi/conversations"+q+"&measure=transferred", nil); r.body["total"] != float64(1) ||
			!strings.Contains(string(r.raw), cb.ID) {
			t.Fatalf("drill-down: %s", r.raw)
		}
		if r := c.do("GET", "/api/v1/reports/kpi/conversations"+q+"&measure=nonsense", nil); r.status != 400 || r.errorField() != "measure" {
			t.Fatalf("bad measure: %d %s", r.status, r.raw)
		}
		if r := c.do("GET", "/api/v1/reports/kpi?from=soon", nil); r.status != 400 || r.errorField() != "from" {
			t.Fatalf("bad date: %d %s", r.status, r.raw)
		}
		r = c.do("GET", "/api/v1/reports/kpi/export"+q, nil)
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(r.raw), "\ufeff"))).ReadAll()
		if err != nil || len(rows) != 4 || rows[0][0] != "conversation_id" || rows[0][8] != "first_response_s" {
			t.Fatalf("export: %v %q", err, r.raw)
		}
		byID := map[string][]string{}
		for _, row := range rows[1:] {
			byID[row[0]] = row
		}
		if byID[ca.ID][8] != "120.0" || byID[cb.ID][8] != "600.0" || byID[cb.ID][18] != "true" {
			t.Fatalf("export rows: %v", rows)
		}
		// Staffing: the three conversations came in the 17:00 half hour (Shanghai); over the 11
		// days of the period that is 3/11 a day, times 3 for a promotion.
		r = c.do("GET", "/api/v1/reports/staffing"+q+"&multiplier=3&aht_seconds=600&service_level=0.9&within_seconds=180", nil)
		plans, _ := r.body["plans"].([]any)
		if r.status != 200 || len(plans) != 48 || r.body["days"] != float64(11) {
			t.Fatalf("staffing: %d %s", r.status, r.raw)
		}
		busy, quiet := plans[34].(map[string]any), plans[3].(map[string]any)
		if busy["agents"].(float64) < 1 || quiet["agents"] != float64(0) || busy["contacts"].(float64) < 0.81 || busy["contacts"].(float64) > 0.82 {
			t.Fatalf("staffing slots: busy %v quiet %v", busy, quiet)
		}
		if r := c.do("GET", "/api/v1/reports/staffing"+q+"&service_level=2", nil); r.status != 400 || r.errorField() != "service_level" {
			t.Fatalf("bad service level: %d %s", r.status, r.raw)
		}
		// The diagnosis: FRT median 6 minutes is within the 8-minute target; FCR (1 of 2) misses 80 %.
		r = c.do("GET", "/api/v1/reports/diagnosis"+q, nil)
		findings, _ := r.body["findings"].([]any)
		if r.status != 200 || len(findings) != 6 {
			t.Fatalf("diagnosis: %d %s", r.status, r.raw)
		}
		frtF, fcrF := findings[0].(map[string]any), findings[1].(map[string]any)
		if frtF["met"] != true || fcrF["met"] != false || fcrF["value"] != 0.5 || len(fcrF["features"].([]any)) == 0 {
			t.Fatalf("findings: %v %v", frtF, fcrF)
		}
		if r := c.do("GET", "/api/v1/reports/diagnosis"+q+"&format=html", nil); !strings.Contains(string(r.raw), "客服诊断报告") ||
			!strings.Contains(string(r.raw), "一次解决率") || !strings.Contains(string(r.raw), "未达标") {
			t.Fatalf("diagnosis page: %s", r.raw)
		}
		r = c.do("GET", "/api/v1/reports/kpi/trends"+q, nil)
		daily, _ := r.body["daily"].([]any)
		hourly, _ := r.body["hourly"].([]any)
		if r.status != 200 || len(daily) != 11 || len(hourly) != 24 || hourly[17].(map[string]any)["conversations"] != float64(3) ||
			daily[3].(map[string]any)["conversations"] != float64(2) || daily[7].(map[string]any)["conversations"] != float64(1) {
			t.Fatalf("trends: %d %s", r.status, r.raw)
		}
		if complaints, _ := r.body["complaints"].([]any); len(complaints) != 1 || complaints[0].(map[string]any)["key"] != "logistics" ||
			complaints[0].(map[string]any)["count"] != float64(1) {
			t.Fatalf("trends' complaints: %s", r.raw)
		}
		// Per team: B went to 财务; A and B's return have no team.
		r = c.do("GET", "/api/v1/reports/kpi/teams"+q, nil)
		teams, _ := r.body["items"].([]any)
		if r.status != 200 || len(teams) != 2 || teams[0].(map[string]any)["team_id"] != "" ||
			teams[0].(map[string]any)["summary"].(map[string]any)["conversations"] != float64(2) ||
			teams[1].(map[string]any)["team_id"] != team.ID || teams[1].(map[string]any)["summary"].(map[string]any)["transferred"] != float64(1) {
			t.Fatalf("teams: %d %s", r.status, r.raw)
		}
		if r := c.do("GET", "/api/v1/reports/kpi/teams"+q+"&format=csv", nil); !strings.Contains(string(r.raw), "team_id,conversations,") ||
			!strings.Contains(string(r.raw), team.ID+",1,") {
			t.Fatalf("teams csv: %s", r.raw)
		}
		// Today live: B's return is today's one conversation, waiting in the queue.
		r = c.do("GET", "/api/v1/reports/live", nil)
		today, _ := r.body["today"].(map[string]any)
		hours, _ := r.body["hourly_today"].([]any)
		queues, _ := r.body["queues"].([]any)
		if r.status != 200 || today["conversations"] != float64(1) || len(hours) != 24 || len(queues) == 0 {
			t.Fatalf("live: %d %s", r.status, r.raw)
		}
		// The supervisor is an agent who is not online: counted once, as offline.
		if agents, _ := r.body["agents"].(map[string]any); agents["offline"] == nil || agents["offline"].(float64) < 1 || agents["online"] != nil {
			t.Fatalf("live, agents: %s", r.raw)
		}
		if lw, _ := r.body["last_week"].(map[string]any); lw["conversations"] != float64(0) {
			t.Fatalf("live, last week: %s", r.raw)
		}
		// A was assigned from its first second to its resolve: 2 minutes 1 second of handle time.
		if r := c.do("GET", "/api/v1/reports/kpi/agents"+q+"&format=csv", nil); !strings.Contains(string(r.raw), sup.ID+",1,120.0,120.0,1.0000") ||
			!strings.Contains(string(r.raw), ",121.0,") {
			t.Fatalf("agents csv: %s", r.raw)
		}
	})
}
