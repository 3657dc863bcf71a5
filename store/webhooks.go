package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"kefu"
)

// WebhookRow is a webhook as stored; the secret is vault ciphertext.
type WebhookRow struct {
	kefu.Webhook
	SecretEnc []byte
}

// SaveWebhook inserts or replaces a webhook.
func (q *Queries) SaveWebhook(ctx context.Context, w WebhookRow, now time.Time) error {
	events, _ := json.Marshal(w.Events)
	_, err := q.exec(ctx, `INSERT INTO webhooks (id, url, events, secret, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET url = excluded.url, events = excluded.events, active = excluded.active, updated_at = excluded.updated_at`,
		w.ID, w.URL, string(events), w.SecretEnc, boolInt(w.Active), millis(w.CreatedAt), millis(now))
	return err
}

// DeleteWebhook removes a webhook and its delivery log.
func (q *Queries) DeleteWebhook(ctx context.Context, id string) error {
	res, err := q.exec(ctx, `DELETE FROM webhooks WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return kefu.Errorf(kefu.ENOTFOUND, "Webhook not found.")
	}
	return nil
}

func scanWebhook(s interface{ Scan(...any) error }) (WebhookRow, error) {
	var w WebhookRow
	var events string
	var active int
	var created int64
	if err := s.Scan(&w.ID, &w.URL, &events, &w.SecretEnc, &active, &created); err != nil {
		return w, mapError(err)
	}
	_ = json.Unmarshal([]byte(events), &w.Events)
	w.Active, w.CreatedAt = active == 1, fromMillis(created)
	return w, nil
}

// Webhook returns one webhook, or ENOTFOUND.
func (q *Queries) Webhook(ctx context.Context, id string) (WebhookRow, error) {
	return scanWebhook(q.queryRow(ctx, `SELECT id, url, events, secret, active, created_at FROM webhooks WHERE id = ?`, id))
}

// Webhooks lists webhooks, oldest first.
func (q *Queries) Webhooks(ctx context.Context) ([]WebhookRow, error) {
	rows, err := q.query(ctx, `SELECT id, url, events, secret, active, created_at FROM webhooks ORDER BY created_at, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WebhookRow
	for rows.Next() {
		w, err := scanWebhook(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// InsertDelivery queues an event for a webhook.
func (q *Queries) InsertDelivery(ctx context.Context, d kefu.WebhookDelivery) error {
	_, err := q.exec(ctx, `INSERT INTO webhook_deliveries (id, webhook_id, event, payload, status, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, d.ID, d.WebhookID, d.Event, d.Payload, d.Status, millis(d.NextAttemptAt), millis(d.CreatedAt))
	return err
}

const deliveryColumns = `id, webhook_id, event, payload, status, attempts, next_attempt_at, last_status_code, last_error, created_at, delivered_at`

func scanDeliveries(rows *sql.Rows) ([]kefu.WebhookDelivery, error) {
	defer rows.Close()
	var out []kefu.WebhookDelivery
	for rows.Next() {
		var d kefu.WebhookDelivery
		var next, created int64
		var delivered sql.NullInt64
		if err := rows.Scan(&d.ID, &d.WebhookID, &d.Event, &d.Payload, &d.Status, &d.Attempts, &next, &d.LastStatusCode,
			&d.LastError, &created, &delivered); err != nil {
			return nil, err
		}
		d.NextAttemptAt, d.CreatedAt, d.DeliveredAt = fromMillis(next), fromMillis(created), fromNullMillis(delivered)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Deliveries lists a webhook's deliveries, newest first.
func (q *Queries) Deliveries(ctx context.Context, webhookID string, limit int) ([]kefu.WebhookDelivery, error) {
	rows, err := q.query(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries WHERE webhook_id = ?
		ORDER BY created_at DESC, id DESC LIMIT ?`, webhookID, limit)
	if err != nil {
		return nil, err
	}
	return scanDeliveries(rows)
}

// ClaimDeliveries takes up to limit pending deliveries that are due and not
// claimed by another worker, and claims them until lockUntil.
func (q *Queries) ClaimDeliveries(ctx context.Context, now, lockUntil time.Time, limit int) ([]kefu.WebhookDelivery, error) {
	rows, err := q.query(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries
		WHERE status = 'pending' AND next_attempt_at <= ? AND locked_until <= ? ORDER BY next_attempt_at LIMIT ?`,
		millis(now), millis(now), limit)
	if err != nil {
		return nil, err
	}
	due, err := scanDeliveries(rows)
	if err != nil {
		return nil, err
	}
	var claimed []kefu.WebhookDelivery
	for _, d := range due {
		res, err := q.exec(ctx, `UPDATE webhook_deliveries SET locked_until = ? WHERE id = ? AND locked_until <= ? AND status = 'pending'`,
			millis(lockUntil), d.ID, millis(now))
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			claimed = append(claimed, d)
		}
	}
	return claimed, nil
}

// FinishDelivery records an attempt's outcome.
func (q *Queries) FinishDelivery(ctx context.Context, d kefu.WebhookDelivery) error {
	_, err := q.exec(ctx, `UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, locked_until = 0,
		last_status_code = ?, last_error = ?, delivered_at = ? WHERE id = ?`,
		d.Status, d.Attempts, millis(d.NextAttemptAt), d.LastStatusCode, d.LastError, nullMillis(d.DeliveredAt), d.ID)
	return err
}
