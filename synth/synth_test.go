package synth_test

import (
	"context"
	"testing"
	"time"

	"kefu"
	"kefu/app/apptest"
	"kefu/reports"
	"kefu/store"
	"kefu/store/storetest"
	"kefu/synth"
)

// Generated history reads back through the reports with the spread the
// generator promises, and a database with conversations is refused.
func TestGenerate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		a := apptest.Open(t, db, &kefu.FixedClock{T: start.Add(24 * time.Hour)})
		if err := synth.Generate(ctx, db, 1000, start, time.Minute); err != nil {
			t.Fatal(err)
		}
		reader := kefu.NewContext(ctx, &kefu.Actor{UserID: "r", Permissions: []kefu.Permission{kefu.PermReportsView}})
		day := reports.Filter{From: start, To: start.Add(24 * time.Hour)}
		all, err := a.Reports.KPI(reader, day)
		if err != nil {
			t.Fatal(err)
		}
		if all.Conversations != 1000 || all.Resolved != 1000 || all.FRTOwed != 1000 || all.FRTAnswered != 800 {
			t.Fatalf("summary %+v", all)
		}
		if all.ContactsResolved != 200 {
			t.Fatalf("%d contacts, want 200", all.ContactsResolved)
		}
		day.Channel = "wechat"
		wechat, err := a.Reports.KPI(reader, day)
		if err != nil {
			t.Fatal(err)
		}
		if wechat.Conversations != 200 {
			t.Fatalf("%d wechat conversations, want 200", wechat.Conversations)
		}
		agents, err := a.Reports.ByAgent(reader, reports.Filter{From: day.From, To: day.To})
		if err != nil {
			t.Fatal(err)
		}
		if len(agents) != synth.Agents {
			t.Fatalf("%d agents, want %d", len(agents), synth.Agents)
		}
		err = synth.Generate(ctx, db, 10, start, time.Minute)
		if kefu.ErrorField(err) != "database" {
			t.Fatalf("generating into a database with conversations: %v", err)
		}
	})
}
