package reports_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"kefu"
	"kefu/app"
	"kefu/app/apptest"
	"kefu/kpi"
	"kefu/reports"
	"kefu/store"
	"kefu/store/storetest"
)

// randomFacts makes facts of every shape, durations in whole seconds (the
// database keeps seconds for medians), and stores them with conversations.
func randomFacts(t *testing.T, a *app.App, n int, at time.Time) []kpi.Facts {
	t.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	dur := func(max int) *time.Duration {
		if r.IntN(5) == 0 {
			return nil
		}
		d := time.Duration(r.IntN(max)) * time.Second
		return &d
	}
	flag := func() *bool {
		switch r.IntN(3) {
		case 0:
			return nil
		case 1:
			b := true
			return &b
		}
		b := false
		return &b
	}
	score := func(max int) *int {
		if r.IntN(3) == 0 {
			return nil
		}
		v := r.IntN(max + 1)
		return &v
	}
	if _, err := a.DB.SQL().Exec(`INSERT INTO inboxes (id, name, channel, website_token, identity_secret, created_at, updated_at)
		VALUES ('inbox', '官网', 'webchat', 'token', 'secret', 0, 0)`); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.SQL().Exec(`INSERT INTO contacts (id, key_id, created_at, updated_at) VALUES ('contact', 1, 0, 0)`); err != nil {
		t.Fatal(err)
	}
	var out []kpi.Facts
	err := a.DB.InTx(ctx, func(q *store.Queries) error {
		for i := range n {
			c := kefu.Conversation{ID: kefu.NewID(), InboxID: "inbox", ContactID: "contact", Channel: kefu.ChannelWebchat, Status: kefu.StatusOpen,
				Priority: "normal", Labels: []string{}, CreatedAt: at.Add(time.Duration(i) * time.Minute)}
			c.LastMessageAt, c.UpdatedAt = c.CreatedAt, c.CreatedAt
			if err := q.InsertConversation(ctx, c); err != nil {
				return err
			}
			f := kpi.Facts{ConversationID: c.ID, ContactID: []string{"", "c1", "c2", "c3"}[r.IntN(4)], Channel: c.Channel, CreatedAt: c.CreatedAt,
				AssigneeID: []string{"", "a1", "a2"}[r.IntN(3)], Intent: []string{"", "logistics", "refund"}[r.IntN(3)],
				FirstResponseOwed: r.IntN(4) > 0, FirstResponse: dur(900), FirstResponseAfterHandoff: dur(600), Resolution: dur(90000),
				Handle: time.Duration(r.IntN(3600)) * time.Second, Resolved: r.IntN(3) > 0, Transferred: r.IntN(5) == 0,
				Escalated: r.IntN(9) == 0, FCR: flag(), RepeatContact: flag(), BotStarted: r.IntN(3) == 0, SLATargets: r.IntN(4),
				CSAT: score(5), NPS: score(10), UnansweredTurns: r.IntN(3), CustomerMessages: r.IntN(9)}
			f.BotContained = f.BotStarted && r.IntN(2) == 0
			f.SLAMet = r.IntN(f.SLATargets + 1)
			f.Coverage3m = r.IntN(f.CustomerMessages + 1)
			if !f.FirstResponseOwed {
				f.FirstResponse = nil
			}
			for range r.IntN(4) {
				d := time.Duration(r.IntN(1200)) * time.Second
				f.ResponseTimes = append(f.ResponseTimes, d)
				f.ResponseTimesCapped = append(f.ResponseTimesCapped, min(d, kpi.ResponseCap))
			}
			for range f.UnansweredTurns {
				f.ResponseTimesCapped = append(f.ResponseTimesCapped, kpi.ResponseCap)
			}
			if r.IntN(6) == 0 {
				first := time.Duration(r.IntN(300)) * time.Second
				f.Episodes = []kpi.Episode{{Reopen: true, HumanOwed: true, FirstResponse: &first}}
			}
			if err := reports.StoreFacts(ctx, q, f, c.UpdatedAt); err != nil {
				return err
			}
			out = append(out, f)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The report index gives the same summary as kpi.Summarize over the facts,
// as a whole and per agent, and follows facts that change or arrive late.
func TestIndexSummaryMatchesSummarize(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		period := reports.Filter{From: at, To: at.Add(30 * 24 * time.Hour)}
		a := apptest.Open(t, db, &kefu.FixedClock{T: period.To})
		facts := randomFacts(t, a, 1500, at)
		reader := kefu.NewContext(ctx, &kefu.Actor{UserID: "r", Permissions: []kefu.Permission{kefu.PermReportsView}})
		check := func(when string) {
			t.Helper()
			got, err := a.Reports.KPI(reader, period)
			if err != nil {
				t.Fatal(err)
			}
			same(t, when, got, kpi.Summarize(facts))
			agents, err := a.Reports.ByAgent(reader, period)
			if err != nil {
				t.Fatal(err)
			}
			groups := map[string][]kpi.Facts{}
			for _, f := range facts {
				groups[f.AssigneeID] = append(groups[f.AssigneeID], f)
			}
			if len(agents) != len(groups) {
				t.Fatalf("%s: %d agents, want %d", when, len(agents), len(groups))
			}
			for _, row := range agents {
				same(t, when+", agent "+row.AgentID, row.Summary, kpi.Summarize(groups[row.AgentID]))
			}
			one, err := a.Reports.KPI(reader, reports.Filter{From: period.From, To: period.To, AssigneeID: "a1", Intent: "refund"})
			if err != nil {
				t.Fatal(err)
			}
			var picked []kpi.Facts
			for _, f := range facts {
				if f.AssigneeID == "a1" && f.Intent == "refund" {
					picked = append(picked, f)
				}
			}
			same(t, when+", a1 and refund", one, kpi.Summarize(picked))
		}
		check("first load")

		// Facts change (a later computation) and an older conversation's
		// facts arrive late: the next report reads both.
		later := period.To.Add(time.Minute)
		facts[7].Resolved, facts[7].CSAT, facts[7].AssigneeID = true, nil, "a2"
		old := facts[0]
		old.ConversationID, old.CreatedAt = kefu.NewID(), at.Add(30*time.Second) // between the first two
		err := a.DB.InTx(ctx, func(q *store.Queries) error {
			if err := q.InsertConversation(ctx, kefu.Conversation{ID: old.ConversationID, InboxID: "inbox", ContactID: "contact",
				Channel: old.Channel, Status: kefu.StatusOpen, Priority: "normal", Labels: []string{}, CreatedAt: old.CreatedAt,
				LastMessageAt: old.CreatedAt, UpdatedAt: later}); err != nil {
				return err
			}
			for _, f := range []kpi.Facts{facts[7], old} {
				if err := reports.StoreFacts(ctx, q, f, later); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		facts = append([]kpi.Facts{old}, facts...)
		check("after changes")
		// The late one sits in creation order: the first minute holds it.
		first, err := a.Reports.KPI(reader, reports.Filter{From: at, To: at.Add(time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if first.Conversations != 2 {
			t.Fatalf("the first minute holds %d conversations, want 2", first.Conversations)
		}
	})
}

func same(t *testing.T, what string, got, want kpi.Summary) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Fatalf("%s: summary differs:\n got %s\nwant %s", what, g, w)
	}
}

// Reports read the index while facts arrive: every answer is whole (run
// with -race to check the locking).
func TestIndexConcurrentReports(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	period := reports.Filter{From: at, To: at.Add(30 * 24 * time.Hour)}
	db := storetest.Open(t, store.SQLite)
	a := apptest.Open(t, db, &kefu.FixedClock{T: period.To})
	facts := randomFacts(t, a, 200, at)
	reader := kefu.NewContext(ctx, &kefu.Actor{UserID: "r", Permissions: []kefu.Permission{kefu.PermReportsView}})
	done := make(chan error, 4)
	for range 3 {
		go func() {
			for range 20 {
				m, err := a.Reports.KPI(reader, period)
				if err == nil && m.Conversations < len(facts) {
					err = fmt.Errorf("%d conversations, want at least %d", m.Conversations, len(facts))
				}
				if err == nil {
					_, err = a.Reports.ByAgent(reader, period)
				}
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	go func() {
		done <- a.DB.InTx(ctx, func(q *store.Queries) error {
			for i := range 50 {
				f := facts[i]
				f.ConversationID, f.CreatedAt = kefu.NewID(), at.Add(time.Duration(i)*time.Second)
				if err := q.InsertConversation(ctx, kefu.Conversation{ID: f.ConversationID, InboxID: "inbox", ContactID: "contact",
					Channel: f.Channel, Status: kefu.StatusOpen, Priority: "normal", Labels: []string{}, CreatedAt: f.CreatedAt,
					LastMessageAt: f.CreatedAt, UpdatedAt: period.To}); err != nil {
					return err
				}
				if err := reports.StoreFacts(ctx, q, f, period.To); err != nil {
					return err
				}
			}
			return nil
		})
	}()
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	m, err := a.Reports.KPI(reader, period)
	if err != nil {
		t.Fatal(err)
	}
	if m.Conversations != len(facts)+50 {
		t.Fatalf("%d conversations after the writes, want %d", m.Conversations, len(facts)+50)
	}
}
