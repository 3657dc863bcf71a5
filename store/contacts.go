package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"
)

// ContactRow is a contact as stored: PII columns hold vault ciphertext and
// blind indexes, never plaintext. The contact service converts.
type ContactRow struct {
	ID         string
	NameEnc    []byte
	NameBidx   []byte
	PhoneEnc   []byte
	PhoneBidx  []byte
	EmailEnc   []byte
	EmailBidx  []byte
	AddressEnc []byte
	WeChatEnc  []byte
	WeChatBidx []byte
	ShopUserID string
	Attributes map[string]string
	Tags       []string
	KeyID      uint32
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

const contactColumns = `id, name_enc, name_bidx, phone_enc, phone_bidx, email_enc, email_bidx, address_enc, wechat_enc, wechat_bidx,
	shop_user_id, attributes, tags, key_id, created_at, updated_at`

func scanContact(s interface{ Scan(...any) error }) (ContactRow, error) {
	var c ContactRow
	var attrs, tags string
	var created, updated int64
	err := s.Scan(&c.ID, &c.NameEnc, &c.NameBidx, &c.PhoneEnc, &c.PhoneBidx, &c.EmailEnc, &c.EmailBidx, &c.AddressEnc, &c.WeChatEnc,
		&c.WeChatBidx, &c.ShopUserID, &attrs, &tags, &c.KeyID, &created, &updated)
	if err != nil {
		return c, mapError(err)
	}
	_ = json.Unmarshal([]byte(attrs), &c.Attributes)
	_ = json.Unmarshal([]byte(tags), &c.Tags)
	c.CreatedAt, c.UpdatedAt = fromMillis(created), fromMillis(updated)
	return c, nil
}

func contactArgs(c ContactRow) []any {
	attrs, _ := json.Marshal(nonNilMap(c.Attributes))
	tags, _ := json.Marshal(nonNilSlice(c.Tags))
	return []any{c.ID, c.NameEnc, c.NameBidx, c.PhoneEnc, c.PhoneBidx, c.EmailEnc, c.EmailBidx, c.AddressEnc, c.WeChatEnc, c.WeChatBidx,
		c.ShopUserID, string(attrs), string(tags), c.KeyID, millis(c.CreatedAt), millis(c.UpdatedAt)}
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func nonNilSlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// InsertContact stores a new contact.
func (q *Queries) InsertContact(ctx context.Context, c ContactRow) error {
	_, err := q.exec(ctx, `INSERT INTO contacts (`+contactColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, contactArgs(c)...)
	return err
}

// UpdateContact replaces a stored contact's columns.
func (q *Queries) UpdateContact(ctx context.Context, c ContactRow) error {
	a := contactArgs(c)
	_, err := q.exec(ctx, `UPDATE contacts SET name_enc = ?, name_bidx = ?, phone_enc = ?, phone_bidx = ?, email_enc = ?, email_bidx = ?,
		address_enc = ?, wechat_enc = ?, wechat_bidx = ?, shop_user_id = ?, attributes = ?, tags = ?, key_id = ?,
		created_at = ?, updated_at = ? WHERE id = ?`, append(a[1:], a[0])...)
	return err
}

// Contact returns a contact by id, or ENOTFOUND.
func (q *Queries) Contact(ctx context.Context, id string) (ContactRow, error) {
	return scanContact(q.queryRow(ctx, `SELECT `+contactColumns+` FROM contacts WHERE id = ?`, id))
}

// ContactQuery selects contacts; blind indexes match exactly. Results come
// newest first; After is the id of the last row of the previous page.
type ContactQuery struct {
	NameBidx  []byte
	PhoneBidx []byte
	EmailBidx []byte
	Tag       string
	After     string
	Limit     int
}

// Contacts lists contacts matching the query.
func (q *Queries) Contacts(ctx context.Context, f ContactQuery) ([]ContactRow, error) {
	where, args := "1 = 1", []any{}
	if f.NameBidx != nil {
		where += " AND name_bidx = ?"
		args = append(args, f.NameBidx)
	}
	if f.PhoneBidx != nil {
		where += " AND phone_bidx = ?"
		args = append(args, f.PhoneBidx)
	}
	if f.EmailBidx != nil {
		where += " AND email_bidx = ?"
		args = append(args, f.EmailBidx)
	}
	if f.Tag != "" {
		// Tags are a JSON array of strings; the quoted form matches one whole tag.
		tag, _ := json.Marshal(f.Tag)
		where += " AND tags LIKE ?"
		args = append(args, "%"+string(tag)+"%")
	}
	if f.After != "" {
		where += " AND id < ?"
		args = append(args, f.After)
	}
	args = append(args, f.Limit)
	rows, err := q.query(ctx, `SELECT `+contactColumns+` FROM contacts WHERE `+where+` ORDER BY id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	return scanContacts(rows)
}

// ContactsNotOnKey returns up to limit contacts whose ciphertexts use a key
// other than keyID, for re-encryption after a rotation.
func (q *Queries) ContactsNotOnKey(ctx context.Context, keyID uint32, limit int) ([]ContactRow, error) {
	rows, err := q.query(ctx, `SELECT `+contactColumns+` FROM contacts WHERE key_id <> ? ORDER BY id LIMIT ?`, keyID, limit)
	if err != nil {
		return nil, err
	}
	return scanContacts(rows)
}

// CountContactsNotOnKey counts contacts still encrypted with another key.
func (q *Queries) CountContactsNotOnKey(ctx context.Context, keyID uint32) (int, error) {
	var n int
	err := q.queryRow(ctx, `SELECT COUNT(*) FROM contacts WHERE key_id <> ?`, keyID).Scan(&n)
	return n, mapError(err)
}

func scanContacts(rows *sql.Rows) ([]ContactRow, error) {
	defer rows.Close()
	var out []ContactRow
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
