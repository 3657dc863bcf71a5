package reports_test

import (
	"context"
	"os"
	"testing"
	"time"

	"kefu"
	"kefu/app/apptest"
	"kefu/reports"
	"kefu/store"
	"kefu/store/storetest"
	"kefu/synth"
)

func benchmarkReports(b *testing.B, db *store.DB) {
	const n = 1_000_000
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	end := start.Add(n * 30 * time.Second)
	a := apptest.Open(b, db, &kefu.FixedClock{T: end})
	began := time.Now()
	if err := synth.Generate(context.Background(), db, n, start, 30*time.Second); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d conversations with facts in %s", n, time.Since(began).Round(time.Millisecond))
	// A running server loads the index in the background at start.
	began = time.Now()
	if _, err := a.Reports.Refresh(context.Background(), 1000); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded the report index in %s", time.Since(began).Round(time.Millisecond))
	reader := kefu.NewContext(context.Background(), &kefu.Actor{UserID: "r", Permissions: []kefu.Permission{kefu.PermReportsView}})
	year := reports.Filter{From: start, To: end}
	month := reports.Filter{From: end.Add(-30 * 24 * time.Hour), To: end}
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	for _, r := range []struct {
		name string
		run  func() error
	}{
		{"KPI/all", func() error { _, err := a.Reports.KPI(reader, year); return err }},
		{"KPI/30d", func() error { _, err := a.Reports.KPI(reader, month); return err }},
		{"KPI/all-wechat", func() error {
			f := year
			f.Channel = "wechat"
			_, err := a.Reports.KPI(reader, f)
			return err
		}},
		{"ByAgent/all", func() error { _, err := a.Reports.ByAgent(reader, year); return err }},
		{"Trends/all", func() error { _, err := a.Reports.Trends(reader, year, shanghai); return err }},
		{"Diagnose/all", func() error { _, err := a.Reports.Diagnose(reader, year, kefu.DefaultTargets(), shanghai); return err }},
		{"Drill/all-escalated", func() error { _, _, err := a.Reports.Drill(reader, year, "escalated", 500); return err }},
	} {
		b.Run(r.name, func(b *testing.B) {
			for b.Loop() {
				if err := r.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReports1MSQLite and BenchmarkReports1MPostgres measure the
// reports over a million conversations. Run alone:
//
//	go test ./reports/ -run '^$' -bench Reports1M -benchtime 5x
func BenchmarkReports1MSQLite(b *testing.B) { benchmarkReports(b, storetest.Open(b, store.SQLite)) }

func BenchmarkReports1MPostgres(b *testing.B) {
	if os.Getenv("KEFU_TEST_POSTGRES_URL") == "" {
		b.Skip("set KEFU_TEST_POSTGRES_URL")
	}
	benchmarkReports(b, storetest.Open(b, store.Postgres))
}
