package main

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"kefu"
	"kefu/app"
	"kefu/reports"
	"kefu/synth"
)

func generateCmd(g *globals) *cobra.Command {
	var n int
	var span time.Duration
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Fill an empty database with synthetic conversation history (facts only) to measure reports at scale",
		Long: "Writes --conversations resolved conversations with their KPI facts, spread evenly over the --span\n" +
			"ending now, into an empty database (a new --data directory or --database-url). Then measure\n" +
			"the reports with: kefu bench reports.",
		Args: cobra.NoArgs,
		RunE: g.withApp(func(cmd *cobra.Command, a *app.App) error {
			if span <= 0 {
				return kefu.Invalid("span", "Give the span of history, e.g. 8760h for a year.")
			}
			began := time.Now()
			end := time.Now().Truncate(time.Second)
			spacing := span / time.Duration(max(n, 1))
			if err := synth.Generate(cmd.Context(), a.DB, n, end.Add(-span), spacing); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "generated %d conversations with facts over %s in %s\n", n, span,
				time.Since(began).Round(time.Millisecond))
			return nil
		}),
	}
	cmd.Flags().IntVar(&n, "conversations", 1_000_000, "how many conversations")
	cmd.Flags().DurationVar(&span, "span", 365*24*time.Hour, "how far back the history goes")
	return cmd
}

// benchReportsCmd times each report over the whole database, as a
// supervisor's dashboard asks for them.
func benchReportsCmd(g *globals) *cobra.Command {
	var runs, days int
	cmd := &cobra.Command{
		Use:   "reports",
		Short: "Time the reports (KPI summary, per agent, trends, diagnosis, drill-down) over the database's history",
		Args:  cobra.NoArgs,
		RunE: g.withApp(func(cmd *cobra.Command, a *app.App) error {
			ctx := cmd.Context()
			out := cmd.OutOrStdout()
			began := time.Now()
			if _, err := a.Reports.Refresh(ctx, reports.RefreshBatch); err != nil {
				return err
			}
			took := time.Since(began)
			runtime.GC()
			var mem runtime.MemStats
			runtime.ReadMemStats(&mem)
			fmt.Fprintf(out, "loaded the report index in %s; Go heap in use %.0f MB\n", took.Round(time.Millisecond),
				float64(mem.HeapAlloc)/(1<<20))
			first, last, err := a.DB.FactsSpan(ctx)
			if err != nil {
				return err
			}
			reader := kefu.NewContext(ctx, &kefu.Actor{UserID: "bench", Permissions: []kefu.Permission{kefu.PermReportsView}})
			_, loc, err := a.Settings.Workspace(ctx)
			if err != nil {
				return err
			}
			all := reports.Filter{From: first, To: last.Add(time.Millisecond)}
			if all.To.Sub(all.From) > 400*24*time.Hour {
				all.From = all.To.Add(-400 * 24 * time.Hour)
			}
			recent := reports.Filter{From: all.To.Add(-time.Duration(days) * 24 * time.Hour), To: all.To}
			for _, r := range []struct {
				name string
				run  func(context.Context) error
			}{
				{"KPI summary, all", func(ctx context.Context) error { _, err := a.Reports.KPI(ctx, all); return err }},
				{fmt.Sprintf("KPI summary, last %d days", days), func(ctx context.Context) error { _, err := a.Reports.KPI(ctx, recent); return err }},
				{"per agent, all", func(ctx context.Context) error { _, err := a.Reports.ByAgent(ctx, all); return err }},
				{"trends, all", func(ctx context.Context) error { _, err := a.Reports.Trends(ctx, all, loc); return err }},
				{"diagnosis, all", func(ctx context.Context) error {
					_, err := a.Reports.Diagnose(ctx, all, kefu.DefaultTargets(), loc)
					return err
				}},
				{"drill-down, all", func(ctx context.Context) error { _, _, err := a.Reports.Drill(ctx, all, "all", 500); return err }},
			} {
				times := make([]time.Duration, 0, runs)
				for range runs {
					began := time.Now()
					if err := r.run(reader); err != nil {
						return fmt.Errorf("%s: %w", r.name, err)
					}
					times = append(times, time.Since(began))
				}
				slices.Sort(times)
				fmt.Fprintf(out, "%-28s median %7.1f ms, max %7.1f ms (%d runs)\n", r.name, ms(times[len(times)/2]), ms(times[len(times)-1]), runs)
			}
			return nil
		}),
	}
	cmd.Flags().IntVar(&runs, "runs", 5, "runs of each report")
	cmd.Flags().IntVar(&days, "days", 30, "the recent period's length")
	return cmd
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
