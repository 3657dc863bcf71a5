// Package keys keeps the vault's wrapped keys in the database: it creates
// them on first start, loads them into a keyring, and rotates the data key.
package keys

import (
	"context"
	"time"

	"kefu/store"
	"kefu/vault"
)

// Open returns a keyring with the database's keys, creating the first data
// key and the index key when the database has none.
func Open(ctx context.Context, db *store.DB, master []byte, now time.Time) (*vault.Keyring, error) {
	ring := vault.NewKeyring(master)
	err := db.InTx(ctx, func(q *store.Queries) error {
		existing, err := q.VaultKeys(ctx)
		if err != nil || len(existing) > 0 {
			return err
		}
		for _, purpose := range []string{vault.PurposeData, vault.PurposeIndex} {
			id, err := q.NextVaultKeyID(ctx)
			if err != nil {
				return err
			}
			k, err := vault.NewWrappedKey(master, id, purpose, now)
			if err != nil {
				return err
			}
			k.Active = true
			if err := q.InsertVaultKey(ctx, k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ring, Reload(ctx, db, ring)
}

// Reload reads the keys again, so a server picks up a rotation made by the CLI.
func Reload(ctx context.Context, db *store.DB, ring *vault.Keyring) error {
	all, err := db.VaultKeys(ctx)
	if err != nil {
		return err
	}
	return ring.Load(all)
}

// Rotate adds a new active data key and loads it. Rows encrypted with older
// keys still decrypt; contact.Service.Reencrypt moves them to the new key.
func Rotate(ctx context.Context, db *store.DB, ring *vault.Keyring, master []byte, now time.Time) (uint32, error) {
	var id uint32
	err := db.InTx(ctx, func(q *store.Queries) error {
		var err error
		if id, err = q.NextVaultKeyID(ctx); err != nil {
			return err
		}
		k, err := vault.NewWrappedKey(master, id, vault.PurposeData, now)
		if err != nil {
			return err
		}
		k.Active = true
		return q.InsertVaultKey(ctx, k)
	})
	if err != nil {
		return 0, err
	}
	if err := Reload(ctx, db, ring); err != nil {
		return 0, err
	}
	return id, nil
}
