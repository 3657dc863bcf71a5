package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"kefu/app"
	"kefu/backup"
	"kefu/demo"
	"kefu/httpapi"
	"kefu/routing"
	"kefu/web/console"
	"kefu/web/widget"
)

func serveCmd(g *globals) *cobra.Command {
	var withDemo bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the kefu server (API, console, background jobs)",
		Args:  cobra.NoArgs,
		RunE: g.withApp(func(cmd *cobra.Command, a *app.App) error {
			ctx := cmd.Context()
			if withDemo {
				res, err := demo.Seed(ctx, a)
				if err != nil {
					return fmt.Errorf("create the demo workspace: %w", err)
				}
				if res.Created {
					printDemo(cmd, res)
				}
			}
			if n, _ := a.DB.CountUsers(ctx); n == 0 {
				a.Log.Warn("no users yet: create an admin with `kefu user create --role admin --email … --name … --password-stdin`, or run `kefu demo`")
			}
			return serve(ctx, a)
		}),
	}
	cmd.Flags().StringVar(&g.addr, "addr", "", "listen address HOST:PORT (env KEFU_ADDR, default 127.0.0.1:8080)")
	cmd.Flags().BoolVar(&withDemo, "demo", false, "create the demo workspace on first start (empty database only)")
	return cmd
}

func serve(ctx context.Context, a *app.App) error {
	consoleFS, err := fs.Sub(console.Dist, "dist")
	if err != nil {
		return err
	}
	widgetFS, err := fs.Sub(widget.Dist, "dist")
	if err != nil {
		return err
	}
	tls := a.Config.TLSCert != ""
	srv := &http.Server{
		Addr:              a.Config.Addr,
		Handler:           httpapi.New(a, httpapi.Assets{Console: consoleFS, Widget: widgetFS, DemoShop: widget.DemoShop}, tls),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another kefu running? choose another with --addr or KEFU_ADDR)", a.Config.Addr, err)
	}
	jobs, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	go a.Every(jobs, "key sweep", time.Minute, a.KeySweep)
	if err := a.Routing.Start(jobs); err != nil {
		return fmt.Errorf("load the assignment queue: %w", err)
	}
	defer a.Routing.Stop()
	if err := a.SLA.Start(jobs); err != nil {
		return fmt.Errorf("load the SLA timers: %w", err)
	}
	defer a.SLA.Stop()
	if err := a.Returns.Start(jobs); err != nil {
		return fmt.Errorf("load the return deadlines: %w", err)
	}
	defer a.Returns.Stop()
	if err := a.Logistics.Start(jobs); err != nil {
		return fmt.Errorf("load the parcels on their way: %w", err)
	}
	defer a.Logistics.Stop()
	go a.Hooks.Run(jobs)
	go a.LoadBotModels()
	if err := a.Bridge(jobs); err != nil {
		return fmt.Errorf("connect to the other kefu nodes through PostgreSQL: %w", err)
	}
	go a.Every(jobs, "snooze", 30*time.Second, func(ctx context.Context) error {
		return a.Inbox.WakeSnoozed(app.System(ctx, "snooze"))
	})
	go a.Every(jobs, "daily backup", time.Minute, func(ctx context.Context) error {
		s, err := a.Settings.Current(ctx)
		if err != nil {
			return err
		}
		out, err := backup.Daily(ctx, a.DB, a.Config.Backups(), s, time.Now())
		if out != "" {
			a.Log.Info("daily backup taken", "file", out)
		}
		return err
	})
	go a.Every(jobs, "intent retraining", time.Hour, a.RetrainIfDue)
	// The report index loads at start (seconds for a million
	// conversations), not when the first supervisor opens a dashboard.
	go func() {
		if _, err := a.Reports.Refresh(jobs, 5000); err != nil {
			a.Log.Error("loading the report index failed", "err", err)
		}
	}()
	go a.Every(jobs, "report facts", time.Minute, func(ctx context.Context) error {
		_, err := a.Reports.Refresh(ctx, 5000)
		return err
	})
	go a.Every(jobs, "idle agents away", time.Minute, func(ctx context.Context) error {
		return a.Routing.AwayIdle(ctx, routing.DefaultAwayAfter)
	})
	go a.Every(jobs, "audit retention", 6*time.Hour, func(ctx context.Context) error {
		s, err := a.Settings.Current(ctx)
		if err != nil {
			return err
		}
		n, err := a.Audit.Prune(ctx, s.AuditRetentionDays)
		if n > 0 {
			a.Log.Info("pruned audit entries past retention", "entries", n, "retention_days", s.AuditRetentionDays)
		}
		return err
	})

	errc := make(chan error, 1)
	scheme := "http"
	go func() {
		if tls {
			errc <- srv.ServeTLS(ln, a.Config.TLSCert, a.Config.TLSKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	if tls {
		scheme = "https"
	}
	a.Log.Info("kefu is serving", "addr", scheme+"://"+ln.Addr().String(), "database", string(a.DB.Dialect()))
	fmt.Printf("kefu is ready on %s://%s\n", scheme, ln.Addr())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down: finishing open requests")
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
