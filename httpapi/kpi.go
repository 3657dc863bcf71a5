package httpapi

import (
	"context"
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"kefu"
	"kefu/kpi"
	"kefu/reports"
	"kefu/routing"
)

func (s *Server) kpiRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/reports/kpi", handler: s.kpiSummary},
		{Method: "GET", Path: "/api/v1/reports/kpi/conversations", handler: s.kpiDrill},
		{Method: "GET", Path: "/api/v1/reports/kpi/agents", handler: s.kpiAgents},
		{Method: "GET", Path: "/api/v1/reports/kpi/teams", handler: s.kpiTeams},
		{Method: "GET", Path: "/api/v1/reports/kpi/export", handler: s.kpiExport},
		{Method: "GET", Path: "/api/v1/reports/staffing", handler: s.staffingPlan},
		{Method: "GET", Path: "/api/v1/reports/diagnosis", handler: s.diagnosis},
		{Method: "GET", Path: "/api/v1/reports/kpi/trends", handler: s.kpiTrends},
		{Method: "GET", Path: "/api/v1/reports/live", handler: s.kpiLive},
	}
}

// kpiFilter reads from and to (RFC 3339, or dates in the workspace's time
// zone; default the last 30 days up to now) and the optional channel,
// team_id, agent_id, intent and tier.
func (s *Server) kpiFilter(r *http.Request) (reports.Filter, error) {
	q := r.URL.Query()
	_, loc, err := s.App.Settings.Workspace(r.Context())
	if err != nil {
		return reports.Filter{}, err
	}
	now := s.App.Clock.Now()
	f := reports.Filter{From: now.AddDate(0, 0, -30), To: now, Channel: q.Get("channel"), TeamID: q.Get("team_id"),
		AssigneeID: q.Get("agent_id"), Intent: q.Get("intent"), ContactTier: q.Get("tier")}
	for _, p := range []struct {
		name string
		dst  *time.Time
		end  bool
	}{{"from", &f.From, false}, {"to", &f.To, true}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			*p.dst = t
		} else if d, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
			if p.end {
				d = d.AddDate(0, 0, 1) // a date as the end means through that day
			}
			*p.dst = d
		} else {
			return f, kefu.Invalid(p.name, "Use a date (2026-11-01) or an RFC 3339 time.")
		}
	}
	return f, nil
}

func (s *Server) kpiSummary(w http.ResponseWriter, r *http.Request) error {
	f, err := s.kpiFilter(r)
	if err != nil {
		return err
	}
	sum, err := s.App.Reports.KPI(r.Context(), f)
	if err != nil {
		return err
	}
	// Queue length and the longest wait are live, not of the period.
	waiting, longest := 0, int64(0)
	queues, err := s.queues(r.Context())
	if err != nil {
		return err
	}
	for _, q := range queues {
		waiting += q.Waiting
		longest = max(longest, q.LongestWaitMS)
	}
	cfg, err := s.App.Settings.Current(r.Context())
	if err != nil {
		return err
	}
	return ok(w, http.StatusOK, map[string]any{"from": f.From, "to": f.To, "summary": sum, "targets": cfg.Targets,
		"queue": map[string]any{"waiting": waiting, "longest_wait_ms": longest}}, nil)
}

func (s *Server) kpiDrill(w http.ResponseWriter, r *http.Request) error {
	f, err := s.kpiFilter(r)
	if err != nil {
		return err
	}
	measure := r.URL.Query().Get("measure")
	if measure == "" {
		measure = "all"
	}
	list, total, err := s.App.Reports.Drill(r.Context(), f, measure, 500)
	return ok(w, http.StatusOK, map[string]any{"items": list, "total": total}, err)
}

func (s *Server) kpiAgents(w http.ResponseWriter, r *http.Request) error {
	f, err := s.kpiFilter(r)
	if err != nil {
		return err
	}
	rows, err := s.App.Reports.ByAgent(r.Context(), f)
	if err != nil || r.URL.Query().Get("format") != "csv" {
		return ok(w, http.StatusOK, items(rows), err)
	}
	return summaryCSV(w, "kefu-agents.csv", "agent_id", len(rows), func(i int) (string, kpi.Summary) { return rows[i].AgentID, rows[i].Summary })
}

func (s *Server) kpiTeams(w http.ResponseWriter, r *http.Request) error {
	f, err := s.kpiFilter(r)
	if err != nil {
		return err
	}
	rows, err := s.App.Reports.ByTeam(r.Context(), f)
	if err != nil || r.URL.Query().Get("format") != "csv" {
		return ok(w, http.StatusOK, items(rows), err)
	}
	return summaryCSV(w, "kefu-teams.csv", "team_id", len(rows), func(i int) (string, kpi.Summary) { return rows[i].TeamID, rows[i].Summary })
}

// summaryCSV writes one row of headline figures per agent or team.
func summaryCSV(w http.ResponseWriter, name, key string, n int, row func(int) (string, kpi.Summary)) error {
	return writeCSV(w, name, []string{key, "conversations", "frt_median_s", "frt_p90_s", "frt_within_3m", "avg_response_s",
		"resolved", "resolution_median_s", "aht_s", "fcr", "transfer_rate", "escalation_rate", "sla_compliance", "csat", "csat_answers", "nps"},
		n, func(i int) []string {
			id, m := row(i)
			return []string{id, itoa(m.Conversations), secs(m.FRTMedian), secs(m.FRTP90), ratio(m.FRTWithin["3m"]),
				secs(m.AvgResponse), itoa(m.Resolved), secs(m.ResolutionMedian), secs(m.AHT), ratio(m.FCR), ratio(m.TransferRate),
				ratio(m.EscalationRate), ratio(m.SLACompliance), ratio(m.CSAT), itoa(m.CSATAnswers), strconv.FormatFloat(m.NPS, 'f', 1, 64)}
		})
}

// kpiExport writes one CSV row per conversation with every timing field.
func (s *Server) kpiExport(w http.ResponseWriter, r *http.Request) error {
	f, err := s.kpiFilter(r)
	if err != nil {
		return err
	}
	return streamCSV(w, "kefu-conversations.csv", []string{"conversation_id", "contact_id", "created_at", "channel", "team_id", "agent_id",
		"intent", "contact_tier", "first_response_s", "first_response_after_handoff_s", "resolution_s", "resolved_at", "handle_s",
		"answered_turns", "unanswered_turns", "avg_response_s", "resolved", "reopens", "transferred", "escalated", "fcr", "repeat_contact",
		"bot_started", "bot_contained", "asked_for_human", "sla_targets", "sla_met", "csat", "nps", "customer_messages", "replied_within_3m"},
		func(write func([]string) error) error {
			return s.App.Reports.EachRow(r.Context(), f, func(x kpi.Facts) error {
				var avg time.Duration
				for _, d := range x.ResponseTimes {
					avg += d
				}
				if n := len(x.ResponseTimes); n > 0 {
					avg /= time.Duration(n)
				}
				resolvedAt := ""
				if x.ResolvedAt != nil {
					resolvedAt = x.ResolvedAt.UTC().Format(time.RFC3339)
				}
				return write([]string{x.ConversationID, x.ContactID, x.CreatedAt.UTC().Format(time.RFC3339), x.Channel, x.TeamID, x.AssigneeID, x.Intent,
					x.ContactTier, optSecs(x.FirstResponse), optSecs(x.FirstResponseAfterHandoff), optSecs(x.Resolution), resolvedAt, secs(x.Handle),
					itoa(len(x.ResponseTimes)), itoa(x.UnansweredTurns), secs(avg), boolStr(x.Resolved), itoa(x.Reopens), boolStr(x.Transferred),
					boolStr(x.Escalated), optBool(x.FCR), optBool(x.RepeatContact), boolStr(x.BotStarted), boolStr(x.BotContained),
					boolStr(x.AskedForHuman), itoa(x.SLATargets), itoa(x.SLAMet), optInt(x.CSAT), optInt(x.NPS), itoa(x.CustomerMessages),
					itoa(x.Coverage3m)})
			})
		})
}

func writeCSV(w http.ResponseWriter, name string, header []string, n int, row func(int) []string) error {
	return streamCSV(w, name, header, func(write func([]string) error) error {
		for i := range n {
			if err := write(row(i)); err != nil {
				return err
			}
		}
		return nil
	})
}

// streamCSV writes a CSV file as rows produces its rows. The headers go
// out with the first row: an error before it is still an API error; one
// after it cuts the file short, which a client sees as a failed download.
func streamCSV(w http.ResponseWriter, name string, header []string, rows func(write func([]string) error) error) error {
	var cw *csv.Writer
	start := func() {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		_, _ = w.Write([]byte("\ufeff")) // so that Excel reads the UTF-8
		cw = csv.NewWriter(w)
		_ = cw.Write(header)
	}
	err := rows(func(row []string) error {
		if cw == nil {
			start()
		}
		return cw.Write(row)
	})
	if err != nil {
		if cw == nil {
			return err
		}
		// Too late for an error response: end the body unfinished.
		panic(http.ErrAbortHandler)
	}
	if cw == nil {
		start()
	}
	cw.Flush()
	return cw.Error()
}

func itoa(n int) string           { return strconv.Itoa(n) }
func secs(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) }
func ratio(x float64) string      { return strconv.FormatFloat(x, 'f', 4, 64) }
func boolStr(b bool) string       { return strconv.FormatBool(b) }
func optSecs(d *time.Duration) string {
	if d == nil {
		return ""
	}
	return secs(*d)
}
func optBool(b *bool) string {
	if b == nil {
		return ""
	}
	return boolStr(*b)
}
func optInt(n *int) string {
	if n == nil {
		return ""
	}
	return itoa(*n)
}

// staffingPlan is the Erlang C staffing view: query filters as for the KPI
// report (the period whose arrivals make the typical day), multiplier,
// aht_seconds, concurrency, service_level, within_seconds, shrinkage, and
// format=csv for a file.
func (s *Server) staffingPlan(w http.ResponseWriter, r *http.Request) error {
	f, err := s.kpiFilter(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	num := func(name string, def float64) (float64, error) {
		v := q.Get(name)
		if v == "" {
			return def, nil
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, kefu.Invalid(name, "Give a number.")
		}
		return x, nil
	}
	in := reports.StaffingInput{Filter: f}
	var aht, within, concurrency float64
	for _, p := range []struct {
		name string
		dst  *float64
		def  float64
	}{{"multiplier", &in.Multiplier, 1}, {"aht_seconds", &aht, 0}, {"concurrency", &concurrency, 1}, {"service_level", &in.ServiceLevel, 0.9},
		{"within_seconds", &within, 180}, {"shrinkage", &in.Shrinkage, 0}} {
		if *p.dst, err = num(p.name, p.def); err != nil {
			return err
		}
	}
	in.AHT, in.Within, in.Concurrency = time.Duration(aht*float64(time.Second)), time.Duration(within*float64(time.Second)), int(concurrency)
	_, loc, err := s.App.Settings.Workspace(r.Context())
	if err != nil {
		return err
	}
	plan, err := s.App.Reports.Staffing(r.Context(), in, loc)
	if err != nil {
		return err
	}
	if q.Get("format") != "csv" {
		return ok(w, http.StatusOK, plan, nil)
	}
	return writeCSV(w, "kefu-staffing.csv", []string{"interval", "contacts", "traffic_erlangs", "agents", "scheduled", "service_level", "asa_s", "occupancy"},
		len(plan.Plans), func(i int) []string {
			p := plan.Plans[i]
			return []string{p.Start.Format("15:04"), strconv.FormatFloat(p.Contacts, 'f', 2, 64), strconv.FormatFloat(p.TrafficErlangs, 'f', 2, 64),
				itoa(p.Agents), itoa(p.Scheduled), ratio(p.ServiceLevel), secs(p.ASA), ratio(p.Occupancy)}
		})
}

// kpiTrends is the dashboards' detail: per day, per hour, top intents and
// complaint categories against the period before, ratings and comments.
func (s *Server) kpiTrends(w http.ResponseWriter, r *http.Request) error {
	f, err := s.kpiFilter(r)
	if err != nil {
		return err
	}
	_, loc, err := s.App.Settings.Workspace(r.Context())
	if err != nil {
		return err
	}
	t, err := s.App.Reports.Trends(r.Context(), f, loc)
	return ok(w, http.StatusOK, t, err)
}

// queues returns the teams' live queues without their conversations, or
// none for a reader who may not see the queues.
func (s *Server) queues(ctx context.Context) ([]routing.TeamQueue, error) {
	queues, err := s.App.Routing.Overview(ctx)
	if kefu.ErrorCode(err) == kefu.EFORBIDDEN {
		return []routing.TeamQueue{}, nil
	}
	for i := range queues {
		queues[i].Conversations = []kefu.Conversation{}
	}
	return queues, err
}

// kpiLive is today so far in the workspace's time zone against the same
// hours a week before, hour by hour, with the queues as they are now.
func (s *Server) kpiLive(w http.ResponseWriter, r *http.Request) error {
	cfg, loc, err := s.App.Settings.Workspace(r.Context())
	if err != nil {
		return err
	}
	now := s.App.Clock.Now()
	local := now.In(loc)
	// Today is the whole day: nothing is created after now. A week ago
	// stops at the same time of day, for the summary; its hours run to
	// its end, to draw the day it became.
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	today := reports.Filter{From: midnight, To: midnight.AddDate(0, 0, 1)}
	weekAgo := reports.Filter{From: midnight.AddDate(0, 0, -7), To: midnight.AddDate(0, 0, -6)}
	out := map[string]any{"from": today.From, "to": now, "targets": cfg.Targets}
	for _, p := range []struct {
		key      string
		day      reports.Filter
		sumUntil time.Time
	}{{"today", today, today.To}, {"last_week", weekAgo, now.AddDate(0, 0, -7).Add(time.Millisecond)}} {
		until := p.day
		until.To = p.sumUntil
		sum, err := s.App.Reports.KPI(r.Context(), until)
		if err != nil {
			return err
		}
		trends, err := s.App.Reports.Trends(r.Context(), p.day, loc)
		if err != nil {
			return err
		}
		out[p.key], out["hourly_"+p.key] = sum, trends.Hourly
	}
	queues, err := s.queues(r.Context())
	if err != nil {
		return err
	}
	out["queues"] = queues
	// Agents counted once each, whatever teams they are in; nothing for a
	// reader who may not see the queues.
	agents := map[string]int{}
	if len(queues) > 0 {
		list, err := s.App.Routing.Agents(r.Context())
		if err != nil && kefu.ErrorCode(err) != kefu.EFORBIDDEN {
			return err
		}
		for _, a := range list {
			agents[a.Status]++
			if a.Status == kefu.PresenceOnline {
				agents["free_chat_places"] += max(0, a.Capacity[kefu.KindChat]-a.Load[kefu.KindChat])
			}
		}
	}
	out["agents"] = agents
	return ok(w, http.StatusOK, out, nil)
}
