// Command kefu runs the kefu customer-service desk and its maintenance tasks.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"kefu"
	"kefu/app"
	"kefu/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := root().ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "kefu: %s\n", message(err))
		os.Exit(1)
	}
}

// message renders an error for the terminal: kefu errors by their message
// (and field), anything else as it is.
func message(err error) string {
	if code := kefu.ErrorCode(err); code != kefu.EINTERNAL {
		if f := kefu.ErrorField(err); f != "" {
			return fmt.Sprintf("%s (%s)", kefu.ErrorMessage(err), f)
		}
		return kefu.ErrorMessage(err)
	}
	return err.Error()
}

// flags common to every command; they override the environment.
type globals struct {
	dataDir     string
	databaseURL string
	addr        string
}

func root() *cobra.Command {
	g := &globals{}
	cmd := &cobra.Command{
		Use:           "kefu",
		Short:         "kefu — a self-hosted customer-service desk for e-commerce teams",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	cmd.PersistentFlags().StringVar(&g.dataDir, "data", "", "data directory (env KEFU_DATA_DIR, default ./data)")
	cmd.PersistentFlags().StringVar(&g.databaseURL, "database-url", "", "postgres:// URL (env KEFU_DATABASE_URL); empty for embedded SQLite")
	cmd.AddCommand(serveCmd(g), migrateCmd(g), demoCmd(g), userCmd(g), tokenCmd(g), backupCmd(g), restoreCmd(g),
		auditCmd(g), keysCmd(g), trainCmd(g), importCmd(g), generateCmd(g), benchCmd(g), evalCmd(), versionCmd())
	return cmd
}

// load reads the configuration: file and environment, then flags.
func (g *globals) load() (config.Config, error) {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return cfg, err
	}
	if g.dataDir != "" {
		cfg.DataDir = g.dataDir
	}
	if g.databaseURL != "" {
		cfg.DatabaseURL = g.databaseURL
	}
	if g.addr != "" {
		cfg.Addr = g.addr
	}
	return cfg, nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// open loads the configuration and opens the app for a command.
func (g *globals) open(ctx context.Context) (*app.App, error) {
	cfg, err := g.load()
	if err != nil {
		return nil, err
	}
	log := newLogger(cfg, os.Stderr)
	a, err := app.Open(ctx, cfg, kefu.SystemClock{}, log)
	if err != nil {
		return nil, err
	}
	if a.MasterKeyCreated {
		fmt.Fprintf(os.Stderr, "WARNING: created a new master key in %s.\n"+
			"Back this file up now and keep it apart from database backups: without it the customers'\n"+
			"personal data cannot be decrypted. Or set KEFU_MASTER_KEY from a secret store instead.\n", cfg.KeyFile())
	}
	return a, nil
}

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print kefu's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "kefu %s\n", kefu.Version)
			return nil
		},
	}
}

// withApp makes a command's run function that opens the app, runs fn with it
// and closes it.
func (g *globals) withApp(fn func(cmd *cobra.Command, a *app.App) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		a, err := g.open(cmd.Context())
		if err != nil {
			return err
		}
		defer a.Close()
		return fn(cmd, a)
	}
}
