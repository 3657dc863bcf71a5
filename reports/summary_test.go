package reports_test

import (
	"context"
	"encoding/json"
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

// The database's sums give the same summary as kpi.Summarize over the facts.
func TestDatabaseSummaryMatchesSummarize(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		a := apptest.Open(t, db, &kefu.FixedClock{T: at.Add(30 * 24 * time.Hour)})
		facts := randomFacts(t, a, 1500, at)
		reader := kefu.NewContext(context.Background(), &kefu.Actor{UserID: "r", Permissions: []kefu.Permission{kefu.PermReportsView}})
		got, err := a.Reports.KPI(reader, reports.Filter{From: at, To: at.Add(30 * 24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		want := kpi.Summarize(facts)
		if !reflect.DeepEqual(got, want) {
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			t.Fatalf("database summary differs:\n got %s\nwant %s", g, w)
		}
	})
}
