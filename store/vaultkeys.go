package store

import (
	"context"

	"kefu/vault"
)

// VaultKeys lists every wrapped key.
func (q *Queries) VaultKeys(ctx context.Context) ([]vault.WrappedKey, error) {
	rows, err := q.query(ctx, `SELECT id, purpose, wrapped, active, created_at FROM vault_keys ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vault.WrappedKey
	for rows.Next() {
		var k vault.WrappedKey
		var active int
		var created int64
		if err := rows.Scan(&k.ID, &k.Purpose, &k.Wrapped, &active, &created); err != nil {
			return nil, err
		}
		k.Active, k.CreatedAt = active == 1, fromMillis(created)
		out = append(out, k)
	}
	return out, rows.Err()
}

// NextVaultKeyID returns the id for a new key: ids are never reused.
func (q *Queries) NextVaultKeyID(ctx context.Context) (uint32, error) {
	var n int64
	err := q.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM vault_keys`).Scan(&n)
	return uint32(n + 1), mapError(err)
}

// InsertVaultKey stores a wrapped key. An active data key replaces the old active one.
func (q *Queries) InsertVaultKey(ctx context.Context, k vault.WrappedKey) error {
	if k.Active {
		if _, err := q.exec(ctx, `UPDATE vault_keys SET active = 0 WHERE purpose = ?`, k.Purpose); err != nil {
			return err
		}
	}
	_, err := q.exec(ctx, `INSERT INTO vault_keys (id, purpose, wrapped, active, created_at) VALUES (?, ?, ?, ?, ?)`,
		k.ID, k.Purpose, k.Wrapped, boolInt(k.Active), millis(k.CreatedAt))
	return err
}
