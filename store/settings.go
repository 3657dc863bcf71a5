package store

import (
	"context"
	"time"
)

// Settings returns every stored setting as raw JSON values by key.
func (q *Queries) Settings(ctx context.Context) (map[string]string, error) {
	rows, err := q.query(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// PutSetting stores one setting's JSON value.
func (q *Queries) PutSetting(ctx context.Context, key, value string, now time.Time) error {
	_, err := q.exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, value, millis(now))
	return err
}

// DeleteSetting removes a setting; a missing one is no error.
func (q *Queries) DeleteSetting(ctx context.Context, key string) error {
	_, err := q.exec(ctx, `DELETE FROM settings WHERE key = ?`, key)
	return err
}
