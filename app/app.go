// Package app wires kefu's services together from a configuration: the one
// place that knows every dependency, used by the CLI, the server and tests.
package app

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"kefu"
	"kefu/audit"
	"kefu/auth"
	"kefu/automation"
	"kefu/bot"
	"kefu/bot/llm"
	"kefu/bot/shipped"
	"kefu/bot/train"
	"kefu/canned"
	"kefu/channel/webchat"
	"kefu/config"
	"kefu/contact"
	"kefu/inbox"
	"kefu/kb"
	"kefu/keys"
	"kefu/logistics"
	"kefu/orders"
	"kefu/realtime"
	"kefu/reports"
	"kefu/returns"
	"kefu/routing"
	"kefu/settings"
	"kefu/sla"
	"kefu/store"
	"kefu/survey"
	"kefu/tasks"
	"kefu/upload"
	"kefu/vault"
	"kefu/webhook"
)

// App holds the open database and the services built on it.
type App struct {
	Config     config.Config
	Clock      kefu.Clock
	Log        *slog.Logger
	DB         *store.DB
	Master     []byte
	Vault      *vault.Keyring
	Audit      *audit.Log
	Settings   *settings.Service
	Auth       *auth.Service
	Contacts   *contact.Service
	Bus        *realtime.Bus
	Hooks      *webhook.Service
	Uploads    *upload.Service
	Inbox      *inbox.Service
	Webchat    *webchat.Service
	Canned     *canned.Service
	KB         *kb.Service
	Bot        *bot.Service
	Routing    *routing.Service
	SLA        *sla.Service
	Automation *automation.Service
	Orders     *orders.Service
	Returns    *returns.Service
	Tasks      *tasks.Service
	Logistics  *logistics.Service
	Survey     *survey.Service
	Reports    *reports.Service

	// MasterKeyCreated is true when this start created the master key file.
	MasterKeyCreated bool

	// modelAt is the modification time (Unix ns) of the shop's intent model
	// the bot uses, so a model trained by `kefu train` is picked up.
	modelAt atomic.Int64
}

// Open opens the database, runs migrations, loads the vault keys (creating
// the master key file on first start) and builds the services.
func Open(ctx context.Context, cfg config.Config, clock kefu.Clock, log *slog.Logger) (*App, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	a, err := build(ctx, cfg, clock, log, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

func build(ctx context.Context, cfg config.Config, clock kefu.Clock, log *slog.Logger, db *store.DB) (*App, error) {
	if err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	master, created, err := vault.LoadMasterKey(cfg.MasterKey, cfg.KeyFile())
	if err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	ring, err := keys.Open(ctx, db, master, clock.Now())
	if err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Clock: clock, Log: log, DB: db, Master: master, Vault: ring, MasterKeyCreated: created}
	a.Audit = &audit.Log{DB: db, Clock: clock}
	a.Settings = &settings.Service{DB: db, Audit: a.Audit, Clock: clock, Vault: a.Vault}
	a.Auth = &auth.Service{DB: db, Audit: a.Audit, Settings: a.Settings, Vault: ring, Clock: clock, Argon2: auth.DefaultArgon2}
	a.Contacts = &contact.Service{DB: db, Vault: ring, Audit: a.Audit, Settings: a.Settings, Clock: clock,
		ReloadKeys: func(ctx context.Context) error { return keys.Reload(ctx, db, ring) }}
	if err := a.Auth.EnsureBuiltinRoles(ctx); err != nil {
		return nil, err
	}
	var blobs upload.Blobs
	if cfg.S3Endpoint != "" {
		if blobs, err = upload.OpenS3(ctx, upload.S3Config{Endpoint: cfg.S3Endpoint, Bucket: cfg.S3Bucket, AccessKey: cfg.S3AccessKey,
			SecretKey: cfg.S3SecretKey, Region: cfg.S3Region, Insecure: cfg.S3Insecure}); err != nil {
			return nil, fmt.Errorf("S3 upload store %s, bucket %q: %w", cfg.S3Endpoint, cfg.S3Bucket, err)
		}
	} else if blobs, err = upload.OpenDisk(filepath.Join(cfg.DataDir, "uploads")); err != nil {
		return nil, fmt.Errorf("upload directory: %w", err)
	}
	// Download links are signed with a key derived from the master key, so
	// they stay valid across restarts and nodes.
	fileKey := sha256.Sum256(append([]byte("kefu file links\x00"), master...))
	a.Bus = realtime.NewBus()
	a.Hooks = &webhook.Service{DB: db, Vault: ring, Audit: a.Audit, Clock: clock, Log: log,
		Client: &http.Client{Timeout: 15 * time.Second}}
	a.Uploads = &upload.Service{DB: db, Blobs: blobs, Key: fileKey[:], Clock: clock}
	a.Inbox = &inbox.Service{DB: db, Bus: a.Bus, Hooks: a.Hooks, Uploads: a.Uploads, Contacts: a.Contacts, Clock: clock}
	a.Webchat = &webchat.Service{DB: db, Vault: ring, Contacts: a.Contacts, Inbox: a.Inbox, Bus: a.Bus, Audit: a.Audit, Clock: clock}
	a.Canned = &canned.Service{DB: db, Clock: clock}
	a.KB = &kb.Service{DB: db, Clock: clock}
	a.Bot = &bot.Service{DB: db, Inbox: a.Inbox, KB: a.KB, Settings: a.Settings, Bus: a.Bus, Clock: clock, Log: log}

	a.Bot.OpenNow = func(ctx context.Context, teamID string) (bool, time.Time, error) { return a.SLA.OpenNow(ctx, teamID) }
	a.Bot.Generate = a.generate
	a.Orders = &orders.Service{DB: db, Contacts: a.Contacts, Inbox: a.Inbox, Clock: clock}
	a.Bot.RegisterAction("logistics", orders.TrackActionName, bot.ActionFunc(a.Orders.TrackAction))
	a.Returns = &returns.Service{DB: db, Inbox: a.Inbox, Uploads: a.Uploads, Settings: a.Settings, Clock: clock, Log: log}
	a.Tasks = &tasks.Service{DB: db, Inbox: a.Inbox, Bus: a.Bus, Clock: clock}
	// The tracking webhook's secret is derived from the master key: the same
	// on every node and across restarts, shown to admins, never stored.
	trackingKey := sha256.Sum256(append([]byte("kefu tracking webhook\x00"), master...))
	a.Logistics = &logistics.Service{DB: db, Inbox: a.Inbox, Settings: a.Settings, Clock: clock, Log: log, Secret: trackingKey[:]}
	a.Routing = &routing.Service{DB: db, Inbox: a.Inbox, Hooks: a.Hooks, Bus: a.Bus, Clock: clock, Log: log}
	a.SLA = &sla.Service{DB: db, Inbox: a.Inbox, Clock: clock, Log: log}
	if err := a.SLA.EnsureDefaults(ctx); err != nil {
		return nil, err
	}

	a.Inbox.OnCustomerMessage = a.Bot.Handle
	a.Inbox.Suggestions = a.suggest
	a.Automation = &automation.Service{DB: db, Inbox: a.Inbox, Clock: clock, Log: log, Mood: a.mood,
		TimeZone: func(ctx context.Context) (*time.Location, error) {
			_, loc, err := a.Settings.Workspace(ctx)
			return loc, err
		},
		OpenNow: func(ctx context.Context, teamID string) (bool, error) {
			open, _, err := a.SLA.OpenNow(ctx, teamID)
			return open, err
		}}
	// Rules first: they choose the team before routing assigns; then the SLA
	// clock, since the queue is ordered by the due times it sets.
	a.Survey = &survey.Service{DB: db, Inbox: a.Inbox, Tasks: a.Tasks, Bus: a.Bus, Clock: clock, Log: log}
	a.Inbox.Observers = []inbox.Observer{a.Automation, a.SLA, a.Routing, a.Survey}
	a.Reports = &reports.Service{DB: db, SLA: a.SLA, Clock: clock, Log: log}
	return a, nil
}

// OpenDB builds the services on an already open database (tests).
func OpenDB(ctx context.Context, cfg config.Config, clock kefu.Clock, log *slog.Logger, db *store.DB) (*App, error) {
	return build(ctx, cfg, clock, log, db)
}

// Close closes the database.
func (a *App) Close() error { return a.DB.Close() }

// System returns a context acting as kefu itself, for CLI and jobs.
func System(ctx context.Context, name string) context.Context {
	return kefu.NewContext(ctx, kefu.SystemActor(name))
}

// RotateKeys adds a new data key and re-encrypts existing rows with it,
// reporting progress. A running server picks the new key up within a minute
// and re-encrypts any rows it wrote with the old key in its next sweep.
func (a *App) RotateKeys(ctx context.Context, progress func(done, total int)) (uint32, int, error) {
	ctx = System(ctx, "kefu keys rotate")
	id, err := keys.Rotate(ctx, a.DB, a.Vault, a.Master, a.Clock.Now())
	if err != nil {
		return 0, 0, err
	}
	if err := a.Audit.Append(ctx, kefu.AuditEntry{Action: kefu.AuditKeyRotate, TargetType: "vault_key",
		TargetID: fmt.Sprint(id)}); err != nil {
		return id, 0, err
	}
	n, err := a.Contacts.Reencrypt(ctx, progress)
	return id, n, err
}

// KeySweep reloads the vault keys and re-encrypts rows still on an old key.
// The server runs it every minute so a rotation made by the CLI beside it
// takes effect without a restart.
func (a *App) KeySweep(ctx context.Context) error {
	if err := keys.Reload(ctx, a.DB, a.Vault); err != nil {
		return err
	}
	n, err := a.Contacts.Reencrypt(System(ctx, "key sweep"), nil)
	if n > 0 {
		a.Log.Info("re-encrypted contacts with the active key", "rows", n, "key_id", a.Vault.ActiveKeyID())
	}
	return err
}

// Every runs fn every interval until ctx ends, logging errors.
func (a *App) Every(ctx context.Context, name string, interval time.Duration, fn func(context.Context) error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := fn(ctx); err != nil {
				a.Log.Error("background job failed", "job", name, "err", err)
			}
		}
	}
}

// suggest proposes replies for agent assist: knowledge-base answers that fit
// the customer's message, then the agent's canned replies that do.
func (a *App) suggest(ctx context.Context, locale, message string, k int) ([]inbox.Suggestion, error) {
	out := []inbox.Suggestion{}
	hits, err := a.KB.Search(ctx, locale, message, k)
	if err != nil {
		return nil, err
	}
	cfg, err := a.Settings.Current(ctx)
	if err != nil {
		return nil, err
	}
	for _, h := range hits {
		if h.FAQ != nil && h.Confidence >= 0.3 {
			out = append(out, inbox.Suggestion{Source: "faq", ID: h.FAQ.ID, Title: h.FAQ.Question,
				Text: cfg.ShopVariables(h.FAQ.Answer), Score: h.Confidence})
		}
	}
	matches, err := a.Canned.Match(ctx, message, k)
	if err != nil {
		return nil, err
	}
	for _, m := range matches {
		out = append(out, inbox.Suggestion{Source: "canned", ID: m.Reply.ID, Title: m.Reply.Title, Text: m.Reply.Content, Score: m.Score})
	}
	if len(out) > k {
		out = out[:k]
	}
	return out, nil
}

// LoadBotModels trains the bot's shipped language models (about 0.1 s) and
// gives them to the bot, which uses keyword rules until then. kefu serve
// calls it in the background so that start-up stays fast.
func (a *App) LoadBotModels() {
	// The shop's own model (kefu train) when there is one, else the shipped one.
	intentModel, own, err := train.Load(train.ModelPath(a.Config.DataDir))
	if err != nil {
		a.Log.Warn("the shop's intent model did not load; using the shipped one (run kefu train to rebuild it)", "err", err)
	}
	if own {
		if info, err := os.Stat(train.ModelPath(a.Config.DataDir)); err == nil {
			a.modelAt.Store(info.ModTime().UnixNano())
		}
	} else {
		intentModel, err = shipped.IntentModel()
	}
	if err != nil {
		a.Log.Warn("the bot keeps its keyword rules: the intent model did not load", "err", err)
		return
	}
	angerModel, err := shipped.AngerDetector()
	if err != nil {
		a.Log.Warn("the bot keeps its keyword rules: the anger detector did not load", "err", err)
		return
	}
	a.Bot.SetModels(bot.Models{IntentModel: intentModel, AngerModel: angerModel})
}

// RetrainIfDue retrains the intent model at night when agents corrected
// intents since it was last trained, and gives the bot the new model. It
// also loads a model that `kefu train` wrote beside the running server.
func (a *App) RetrainIfDue(ctx context.Context) error {
	last, err := a.DB.LastIntentCorrection(ctx)
	if err != nil {
		return err
	}
	path := train.ModelPath(a.Config.DataDir)
	if !train.Due(path, last, a.Clock.Now().Local()) {
		if info, err := os.Stat(path); err == nil && info.ModTime().UnixNano() > a.modelAt.Load() {
			a.LoadBotModels()
		}
		return nil
	}
	model, res, err := train.Intent(ctx, a.DB, path)
	if err != nil {
		return err
	}
	anger, err := shipped.AngerDetector()
	if err != nil {
		return err
	}
	a.Bot.SetModels(bot.Models{IntentModel: model, AngerModel: anger})
	if info, err := os.Stat(path); err == nil {
		a.modelAt.Store(info.ModTime().UnixNano())
	}
	a.Log.Info("retrained the intent model from agents' corrections", "corrections", res.Corrections, "took", res.Took)
	return nil
}

// mood is a customer message's sentiment for automation rules: angry by
// the anger detector, else positive or negative by the shipped sentiment
// model when it is sure (probability at least 0.7), else neutral.
func (a *App) mood(text string) string {
	if a.Bot.Angry(text) {
		return "angry"
	}
	m, err := shipped.SentimentModel()
	if err != nil {
		return "neutral"
	}
	switch positive, p := m.Predict(text); {
	case positive && p >= 0.7:
		return "positive"
	case !positive && p <= 0.3:
		return "negative"
	}
	return "neutral"
}

// generate asks the workspace's OpenAI-compatible endpoint (settings) for
// an answer grounded in the passages; see package llm for the guards.
func (a *App) generate(ctx context.Context, question, lang string, passages []llm.Passage) (llm.Answer, error) {
	cfg, err := a.Settings.Current(ctx)
	if err != nil {
		return llm.Answer{}, err
	}
	key, err := a.Settings.LLMAPIKey(ctx)
	if err != nil {
		return llm.Answer{}, err
	}
	return llm.New(llm.Config{BaseURL: cfg.LLMBaseURL, Model: cfg.LLMModel, APIKey: key}, nil).Answer(ctx, question, lang, passages)
}
