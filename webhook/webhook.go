// Package webhook sends kefu's events to other systems: signed JSON POSTs,
// queued in the same transaction as the change they report (so a crash loses
// none) and retried with exponential backoff; every attempt is logged.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"kefu"
	"kefu/audit"
	"kefu/store"
	"kefu/vault"
)

// SignatureHeader carries "sha256=" + hex HMAC-SHA256 of the body, keyed by the webhook's secret.
const SignatureHeader = "X-Kefu-Signature"

// MaxAttempts is how many times a delivery is tried before it is marked failed.
const MaxAttempts = 8

// Service manages webhooks and delivers their events.
type Service struct {
	DB     *store.DB
	Vault  *vault.Keyring
	Audit  *audit.Log
	Clock  kefu.Clock
	Client *http.Client
	Log    *slog.Logger

	wake chan struct{}

	// The active webhooks, read at most once a second: Enqueue runs for
	// every message, and webhooks change rarely. Changes made here clear it
	// at once; another node's changes show within a second.
	cacheMu  sync.Mutex
	cached   []store.WebhookRow
	cachedAt time.Time
}

// hooks returns the webhooks, from the cache when it is fresh.
func (s *Service) hooks(ctx context.Context, q *store.Queries) ([]store.WebhookRow, error) {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	now := time.Now()
	if s.cached != nil && now.Sub(s.cachedAt) < time.Second {
		return s.cached, nil
	}
	hooks, err := q.Webhooks(ctx)
	if err != nil {
		return nil, err
	}
	if hooks == nil {
		hooks = []store.WebhookRow{}
	}
	s.cached, s.cachedAt = hooks, now
	return hooks, nil
}

func (s *Service) forget() {
	s.cacheMu.Lock()
	s.cached = nil
	s.cacheMu.Unlock()
}

// Backoff is the wait after the given failed attempt: 10 s, 20 s, 40 s … up to an hour.
func Backoff(attempt int) time.Duration {
	d := 10 * time.Second << (attempt - 1)
	if d > time.Hour || d <= 0 {
		d = time.Hour
	}
	return d
}

// Sign returns the signature header value for body.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Enqueue queues event for every active webhook subscribed to it, inside the
// caller's transaction.
func (s *Service) Enqueue(ctx context.Context, q *store.Queries, event string, data any) error {
	hooks, err := s.hooks(ctx, q)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	var payload []byte
	for _, h := range hooks {
		if !h.Active || !slices.Contains(h.Events, event) {
			continue
		}
		if payload == nil {
			if payload, err = json.Marshal(map[string]any{"event": event, "created_at": now, "data": data}); err != nil {
				return err
			}
		}
		err := q.InsertDelivery(ctx, kefu.WebhookDelivery{ID: kefu.NewID(), WebhookID: h.ID, Event: event,
			Payload: string(payload), Status: "pending", NextAttemptAt: now, CreatedAt: now})
		if err != nil {
			return err
		}
	}
	if payload != nil {
		s.Wake()
	}
	return nil
}

// Wake tells the worker that deliveries are waiting.
func (s *Service) Wake() {
	if s.wake == nil {
		return
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run delivers due events until ctx ends: at once when woken, else every few seconds.
func (s *Service) Run(ctx context.Context) {
	s.wake = make(chan struct{}, 1)
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		if err := s.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			s.Log.Error("webhook deliveries", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.wake:
		}
	}
}

// DeliverDue sends every due delivery once and records the outcome.
func (s *Service) DeliverDue(ctx context.Context) error {
	for {
		now := s.Clock.Now()
		batch, err := s.DB.ClaimDeliveries(ctx, now, now.Add(time.Minute), 20)
		if err != nil || len(batch) == 0 {
			return err
		}
		for _, d := range batch {
			s.attempt(ctx, d)
		}
	}
}

func (s *Service) attempt(ctx context.Context, d kefu.WebhookDelivery) {
	d.Attempts++
	status, err := s.post(ctx, d)
	now := s.Clock.Now()
	d.LastStatusCode, d.LastError = status, ""
	switch {
	case err == nil && status >= 200 && status < 300:
		d.Status, d.DeliveredAt = "delivered", &now
	default:
		if err != nil {
			d.LastError = err.Error()
		} else {
			d.LastError = fmt.Sprintf("HTTP %d", status)
		}
		if d.Attempts >= MaxAttempts {
			d.Status = "failed"
		} else {
			d.Status, d.NextAttemptAt = "pending", now.Add(Backoff(d.Attempts))
		}
	}
	if err := s.DB.FinishDelivery(ctx, d); err != nil {
		s.Log.Error("record webhook delivery", "delivery", d.ID, "err", err)
	}
}

func (s *Service) post(ctx context.Context, d kefu.WebhookDelivery) (int, error) {
	h, err := s.DB.Webhook(ctx, d.WebhookID)
	if err != nil {
		return 0, err
	}
	secret, err := s.Vault.Decrypt("webhook_secret", h.SecretEnc)
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader([]byte(d.Payload)))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "kefu-webhook")
	req.Header.Set("X-Kefu-Event", d.Event)
	req.Header.Set("X-Kefu-Delivery", d.ID)
	req.Header.Set(SignatureHeader, Sign([]byte(secret), []byte(d.Payload)))
	client := s.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}

// ---- management (settings.manage) ----

func validate(w kefu.Webhook) error {
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return kefu.Invalid("url", "Enter an http:// or https:// URL.")
	}
	if len(w.Events) == 0 {
		return kefu.Invalid("events", "Choose at least one event.")
	}
	for _, e := range w.Events {
		if !slices.Contains(kefu.WebhookEvents, e) {
			return kefu.Invalid("events", "There is no event %q.", e)
		}
	}
	return nil
}

// Create adds a webhook and returns it with its secret, shown only now.
func (s *Service) Create(ctx context.Context, w kefu.Webhook) (kefu.Webhook, error) {
	if _, err := kefu.Require(ctx, kefu.PermSettingsManage); err != nil {
		return kefu.Webhook{}, err
	}
	if err := validate(w); err != nil {
		return kefu.Webhook{}, err
	}
	raw := make([]byte, 24)
	_, _ = rand.Read(raw)
	w.ID, w.Secret, w.Active, w.CreatedAt = kefu.NewID(), "whsec_"+hex.EncodeToString(raw), true, s.Clock.Now()
	enc, err := s.Vault.Encrypt("webhook_secret", w.Secret)
	if err != nil {
		return kefu.Webhook{}, err
	}
	err = s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.SaveWebhook(ctx, store.WebhookRow{Webhook: w, SecretEnc: enc}, w.CreatedAt); err != nil {
			return err
		}
		return s.Audit.Record(ctx, q, kefu.AuditEntry{Action: kefu.AuditSettingsChange, TargetType: "webhook", TargetID: w.ID,
			Detail: map[string]any{"url": w.URL, "events": w.Events, "change": "create"}})
	})
	s.forget()
	return w, err
}

// Patch changes some of a webhook's fields; nil fields stay.
type Patch struct {
	URL    *string   `json:"url"`
	Events *[]string `json:"events"`
	Active *bool     `json:"active"`
}

// Update changes a webhook.
func (s *Service) Update(ctx context.Context, id string, p Patch) (kefu.Webhook, error) {
	if _, err := kefu.Require(ctx, kefu.PermSettingsManage); err != nil {
		return kefu.Webhook{}, err
	}
	row, err := s.DB.Webhook(ctx, id)
	if err != nil {
		return kefu.Webhook{}, err
	}
	kefu.Set(&row.URL, p.URL)
	kefu.Set(&row.Events, p.Events)
	kefu.Set(&row.Active, p.Active)
	if err := validate(row.Webhook); err != nil {
		return kefu.Webhook{}, err
	}
	err = s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.SaveWebhook(ctx, row, s.Clock.Now()); err != nil {
			return err
		}
		return s.Audit.Record(ctx, q, kefu.AuditEntry{Action: kefu.AuditSettingsChange, TargetType: "webhook", TargetID: id,
			Detail: map[string]any{"url": row.URL, "events": row.Events, "active": row.Active, "change": "update"}})
	})
	s.forget()
	return row.Webhook, err
}

// Delete removes a webhook and its log.
func (s *Service) Delete(ctx context.Context, id string) error {
	if _, err := kefu.Require(ctx, kefu.PermSettingsManage); err != nil {
		return err
	}
	defer s.forget()
	return s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.DeleteWebhook(ctx, id); err != nil {
			return err
		}
		return s.Audit.Record(ctx, q, kefu.AuditEntry{Action: kefu.AuditSettingsChange, TargetType: "webhook", TargetID: id,
			Detail: map[string]any{"change": "delete"}})
	})
}

// List returns the webhooks, without secrets.
func (s *Service) List(ctx context.Context) ([]kefu.Webhook, error) {
	if _, err := kefu.Require(ctx, kefu.PermSettingsManage); err != nil {
		return nil, err
	}
	rows, err := s.DB.Webhooks(ctx)
	out := make([]kefu.Webhook, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.Webhook)
	}
	return out, err
}

// Deliveries returns a webhook's most recent deliveries.
func (s *Service) Deliveries(ctx context.Context, id string) ([]kefu.WebhookDelivery, error) {
	if _, err := kefu.Require(ctx, kefu.PermSettingsManage); err != nil {
		return nil, err
	}
	if _, err := s.DB.Webhook(ctx, id); err != nil {
		return nil, err
	}
	return s.DB.Deliveries(ctx, id, 100)
}
