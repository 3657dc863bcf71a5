package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"kefu"
	"kefu/app"
	"kefu/auth"
	"kefu/backup"
	"kefu/bot/train"
	"kefu/demo"
	"kefu/importer"
	"kefu/store"
)

func migrateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply database migrations (kefu serve also does this at start)",
		Args:  cobra.NoArgs,
		RunE: g.withApp(func(cmd *cobra.Command, a *app.App) error {
			fmt.Fprintln(cmd.OutOrStdout(), "database is up to date")
			return nil
		}),
	}
}

func demoCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Create the demo workspace (admin, supervisor, agents, teams, customers) in an empty database",
		Args:  cobra.NoArgs,
		RunE: g.withApp(func(cmd *cobra.Command, a *app.App) error {
			res, err := demo.Seed(cmd.Context(), a)
			if err != nil {
				return err
			}
			printDemo(cmd, res)
			return nil
		}),
	}
}

func printDemo(cmd *cobra.Command, res demo.Result) {
	out := cmd.OutOrStdout()
	if !res.Created {
		fmt.Fprintln(out, "The workspace already has users; the demo was not created.")
		return
	}
	fmt.Fprintf(out, "Created the demo workspace. Sign in as the admin (shown only this once):\n"+
		"  email:    %s\n  password: %s\n", res.AdminEmail, res.AdminPassword)
}

func userCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Manage users"}
	var email, name, role string
	var stdin bool
	create := &cobra.Command{
		Use:   "create",
		Short: "Create a user; the password is read from standard input",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !stdin {
				return fmt.Errorf("pass --password-stdin and send the password on standard input, so it does not show in the process list")
			}
			pw, err := bufio.NewReader(os.Stdin).ReadString('\n')
			if err != nil && pw == "" {
				return fmt.Errorf("read the password from standard input: %w", err)
			}
			a, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer a.Close()
			u, err := a.Auth.CreateUser(app.System(cmd.Context(), "kefu user create"),
				auth.NewUser{Email: email, Name: name, Role: role, Password: strings.TrimRight(pw, "\r\n")})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "created user %s (%s, role %s)\n", u.Email, u.ID, u.Role)
			return nil
		},
	}
	create.Flags().StringVar(&email, "email", "", "email to sign in with (required)")
	create.Flags().StringVar(&name, "name", "", "display name (required)")
	create.Flags().StringVar(&role, "role", kefu.RoleAgent, "role: admin, supervisor, agent, auditor or a custom role")
	create.Flags().BoolVar(&stdin, "password-stdin", false, "read the password from standard input")
	create.MarkFlagRequired("email")
	create.MarkFlagRequired("name")
	cmd.AddCommand(create)
	return cmd
}

func tokenCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Manage API tokens"}
	var email, name string
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an API token for a user; prints it alone on the last line, once",
		Args:  cobra.NoArgs,
		RunE: g.withApp(func(cmd *cobra.Command, a *app.App) error {
			raw, t, err := a.Auth.CreateAPITokenFor(app.System(cmd.Context(), "kefu token create"), email, name)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "API token %q (%s) for %s; it is shown only now:\n%s\n", t.Name, t.ID, email, raw)
			return nil
		}),
	}
	create.Flags().StringVar(&email, "email", "", "the user the token acts as (required)")
	create.Flags().StringVar(&name, "name", "", "a name to recognise the token by")
	create.MarkFlagRequired("email")
	cmd.AddCommand(create)
	return cmd
}

func backupCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "backup",
		Short: "Take a consistent online backup of the SQLite database (safe while kefu serves)",
		Args:  cobra.NoArgs,
		RunE: g.withApp(func(cmd *cobra.Command, a *app.App) error {
			if a.DB.Dialect() == store.Postgres {
				fmt.Fprintln(cmd.ErrOrStderr(), backup.PostgresAdvice)
				return fmt.Errorf("no backup taken: use pg_dump as shown above")
			}
			if out == "" {
				out = backup.FileName(time.Now())
			}
			start := time.Now()
			if err := backup.Create(cmd.Context(), a.DB, out); err != nil {
				return err
			}
			ctx := app.System(cmd.Context(), "kefu backup")
			_ = a.Audit.Append(ctx, kefu.AuditEntry{Action: kefu.AuditBackup, TargetType: "backup", TargetID: out})
			info, _ := os.Stat(out)
			fmt.Fprintf(cmd.OutOrStdout(), "backed up to %s (%d bytes) in %s\n"+
				"Keep the master key (%s or KEFU_MASTER_KEY) safe too: the backup's customer data is encrypted with it.\n",
				out, info.Size(), time.Since(start).Round(time.Millisecond), a.Config.KeyFile())
			return nil
		}),
	}
	cmd.Flags().StringVar(&out, "out", "", "backup file to write (default kefu-YYYYMMDD-HHMMSS.db)")
	return cmd
}

func restoreCmd(g *globals) *cobra.Command {
	var in string
	var force bool
	cmd := &cobra.Command{
		Use:   "restore",
		Short: "Restore a backup into the data directory (stop kefu serve first)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := g.load()
			if err != nil {
				return err
			}
			if store.IsPostgres(cfg.DatabaseURL) {
				fmt.Fprintln(cmd.ErrOrStderr(), backup.PostgresAdvice)
				return fmt.Errorf("nothing restored: use pg_restore as shown above")
			}
			if err := backup.Restore(cmd.Context(), in, cfg.DataDir, force, time.Now()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "restored %s into %s\n", in, cfg.DataDir)
			return nil
		},
	}
	cmd.Flags().StringVar(&in, "in", "", "backup file to restore (required)")
	cmd.Flags().BoolVar(&force, "force", false, "replace an existing database (kept beside it as kefu.db.before-restore-…)")
	cmd.MarkFlagRequired("in")
	return cmd
}

func auditCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "Work with the audit log"}
	cmd.AddCommand(&cobra.Command{
		Use:   "verify",
		Short: "Check the audit log's hash chain and report the first broken link",
		Args:  cobra.NoArgs,
		RunE: g.withApp(func(cmd *cobra.Command, a *app.App) error {
			res, err := a.Audit.Verify(app.System(cmd.Context(), "kefu audit verify"))
			if err != nil {
				return err
			}
			if !res.OK {
				return fmt.Errorf("audit log broken at entry %d: %s (%d entries before it verified)", res.BrokenSeq, res.Reason, res.Checked)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "audit log intact: %d entries verified\n", res.Checked)
			return nil
		}),
	})
	return cmd
}

func keysCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "keys", Short: "Manage the vault's encryption keys"}
	cmd.AddCommand(&cobra.Command{
		Use:   "rotate",
		Short: "Add a new data key and re-encrypt customer data with it",
		Args:  cobra.NoArgs,
		RunE: g.withApp(func(cmd *cobra.Command, a *app.App) error {
			out := cmd.OutOrStdout()
			id, n, err := a.RotateKeys(cmd.Context(), func(done, total int) {
				progressBar(out, int64(done), int64(total), fmt.Sprintf("re-encrypting contacts: %d/%d", done, total))
			})
			if n > 0 {
				fmt.Fprintln(out)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "data key %d is now active; %d contacts re-encrypted. A running server picks it up within a minute.\n", id, n)
			return nil
		}),
	})
	return cmd
}

func trainCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "train",
		Short: "Retrain the intent model on the shipped examples and the intents agents corrected",
		Long: "Retrain the intent model on kefu's shipped examples plus every conversation whose intent an agent\n" +
			"set in the console, and write it to DATA/models/intent.model. kefu serve also does this each night\n" +
			"after new corrections, and picks up a model this command wrote within an hour.",
		Args: cobra.NoArgs,
		RunE: g.withApp(func(cmd *cobra.Command, a *app.App) error {
			_, res, err := train.Intent(cmd.Context(), a.DB, train.ModelPath(a.Config.DataDir))
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return json.NewEncoder(out).Encode(res)
			}
			fmt.Fprintf(out, "trained on %d shipped examples and %d corrected conversations in %s\n",
				res.Shipped, res.Corrections, res.Took.Round(time.Millisecond))
			if res.RetrainedAccuracy != nil {
				fmt.Fprintf(out, "accuracy on the corrected conversations: shipped model %.3f, retrained %.3f (%d-fold cross-validation)\n",
					*res.ShippedAccuracy, *res.RetrainedAccuracy, train.Folds)
			} else {
				fmt.Fprintf(out, "fewer than %d corrections: no accuracy figure yet\n", train.MinForCV)
			}
			fmt.Fprintf(out, "model written to %s\n", res.Path)
			return nil
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as one JSON object")
	return cmd
}

func importCmd(g *globals) *cobra.Command {
	var format, inboxName string
	cmd := &cobra.Command{
		Use:   "import --format kefu|jddc|zendesk|chatwoot FILE",
		Short: "Import historical conversations (kefu JSON lines, Zendesk or Chatwoot exports, the JDDC chat TSV) for reports and diagnosis",
		Long: "Import historical conversations into an inbox of their own. Importing a file again adds nothing twice;\n" +
			"live conversations are never changed. Formats: kefu (one JSON conversation per line, or a JSON array: id, channel, contact,\n" +
			"created_at, resolved_at, intent, messages [{at, from, text, private}]) and jddc (the JDDC chat TSV).",
		Args: cobra.ExactArgs(1),
		RunE: g.withApp(func(cmd *cobra.Command, a *app.App) error {
			f, err := os.Open(cmd.Flags().Arg(0))
			if err != nil {
				return fmt.Errorf("open the file to import: %w", err)
			}
			defer f.Close()
			errOut := cmd.ErrOrStderr()
			res, err := importer.Import(cmd.Context(), a, format, f, inboxName, func(done, total int) {
				if done%50 == 0 || done == total {
					progressBar(errOut, int64(done), int64(total), fmt.Sprintf("%d/%d conversations", done, total))
				}
			})
			fmt.Fprintln(errOut)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "imported %d conversations (%d messages) into %q\n", res.Imported, res.Messages, inboxName)
			for reason, n := range res.Skipped {
				fmt.Fprintf(out, "skipped %d: %s\n", n, reason)
			}
			return nil
		}),
	}
	cmd.Flags().StringVar(&format, "format", "", "kefu, jddc, zendesk or chatwoot")
	cmd.Flags().StringVar(&inboxName, "inbox", "历史导入", "the inbox the conversations go to (created if missing)")
	return cmd
}
