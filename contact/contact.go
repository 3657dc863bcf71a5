// Package contact manages customers (contacts) and their personal data: every
// PII field goes through the vault on the way in and is masked on the way
// out; showing one in full is a permission, rate limited and audited.
package contact

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"kefu"
	"kefu/audit"
	"kefu/settings"
	"kefu/store"
	"kefu/vault"
)

// Service manages contacts.
type Service struct {
	DB       *store.DB
	Vault    *vault.Keyring
	Audit    *audit.Log
	Settings *settings.Service
	Clock    kefu.Clock

	// ReloadKeys reads the vault keys again. It is called when a row uses a
	// key this process does not know yet: one made by `kefu keys rotate` or
	// another node since this process started.
	ReloadKeys func(ctx context.Context) error
}

// Create validates and stores a new contact and returns it masked.
// Requires contacts.edit.
func (s *Service) Create(ctx context.Context, c kefu.Contact) (kefu.Contact, error) {
	if _, err := kefu.Require(ctx, kefu.PermContactsEdit); err != nil {
		return kefu.Contact{}, err
	}
	if err := normalize(&c); err != nil {
		return kefu.Contact{}, err
	}
	now := s.Clock.Now().Truncate(time.Millisecond)
	c.ID, c.CreatedAt, c.UpdatedAt = kefu.NewID(), now, now
	row, err := s.encrypt(c)
	if err != nil {
		return kefu.Contact{}, err
	}
	err = s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.InsertContact(ctx, row); err != nil {
			return err
		}
		return s.Audit.Record(ctx, q, kefu.AuditEntry{Action: kefu.AuditContactCreate, TargetType: "contact", TargetID: c.ID})
	})
	if err != nil {
		return kefu.Contact{}, err
	}
	return Masked(c), nil
}

// normalize trims and checks the input, naming the field at fault.
func normalize(c *kefu.Contact) error {
	c.Name = strings.TrimSpace(c.Name)
	c.Address = strings.TrimSpace(c.Address)
	c.WeChatOpenID = strings.TrimSpace(c.WeChatOpenID)
	c.ShopUserID = strings.TrimSpace(c.ShopUserID)
	if utf8.RuneCountInString(c.Name) > 100 {
		return kefu.Invalid("name", "Use at most 100 characters.")
	}
	if c.Phone != "" {
		c.Phone = vault.NormalizePhone(c.Phone)
		if len(c.Phone) < 5 || len(c.Phone) > 20 {
			return kefu.Invalid("phone", "Enter a phone number of 5 to 20 digits, such as 13812345678.")
		}
		if len(c.Phone) == 11 && c.Phone[0] == '1' && (c.Phone[1] < '3' || c.Phone[1] > '9') {
			return kefu.Invalid("phone", "This is not a valid mainland mobile number.")
		}
	}
	if c.Email != "" {
		c.Email = vault.NormalizeEmail(c.Email)
		if addr, err := mail.ParseAddress(c.Email); err != nil || addr.Address != c.Email {
			return kefu.Invalid("email", "Enter a valid email address.")
		}
	}
	if utf8.RuneCountInString(c.Address) > 300 {
		return kefu.Invalid("address", "Use at most 300 characters.")
	}
	if len(c.WeChatOpenID) > 128 {
		return kefu.Invalid("wechat_openid", "Use at most 128 characters.")
	}
	if c.Name == "" && c.Phone == "" && c.Email == "" && c.WeChatOpenID == "" && c.ShopUserID == "" {
		return kefu.Invalid("name", "Give at least a name, phone, email, WeChat openid or shop user id.")
	}
	var tags []string
	for _, t := range c.Tags {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if utf8.RuneCountInString(t) > 40 {
			return kefu.Invalid("tags", "A tag has at most 40 characters.")
		}
		tags = append(tags, t)
	}
	c.Tags = tags
	if len(c.Attributes) > 50 {
		return kefu.Invalid("attributes", "Use at most 50 attributes.")
	}
	return nil
}

// encrypt turns a contact into a stored row with ciphertexts and blind indexes.
func (s *Service) encrypt(c kefu.Contact) (store.ContactRow, error) {
	row := store.ContactRow{ID: c.ID, ShopUserID: c.ShopUserID, Attributes: c.Attributes, Tags: c.Tags,
		KeyID: s.Vault.ActiveKeyID(), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	for _, f := range []struct {
		field string
		value string
		dst   *[]byte
	}{
		{kefu.FieldName, c.Name, &row.NameEnc},
		{kefu.FieldPhone, c.Phone, &row.PhoneEnc},
		{kefu.FieldEmail, c.Email, &row.EmailEnc},
		{kefu.FieldAddress, c.Address, &row.AddressEnc},
		{kefu.FieldWeChat, c.WeChatOpenID, &row.WeChatEnc},
	} {
		enc, err := s.Vault.Encrypt(f.field, f.value)
		if err != nil {
			return row, err
		}
		*f.dst = enc
	}
	row.NameBidx = s.Vault.BlindIndex(kefu.FieldName, normalizeName(c.Name))
	row.PhoneBidx = s.Vault.BlindIndex(kefu.FieldPhone, c.Phone)
	row.EmailBidx = s.Vault.BlindIndex(kefu.FieldEmail, c.Email)
	row.WeChatBidx = s.Vault.BlindIndex(kefu.FieldWeChat, c.WeChatOpenID)
	return row, nil
}

// decrypt turns a stored row back into a contact with plaintext PII,
// loading newer keys first when the row was written with one.
func (s *Service) decrypt(ctx context.Context, row store.ContactRow) (kefu.Contact, error) {
	if !s.Vault.HasKey(row.KeyID) && s.ReloadKeys != nil {
		if err := s.ReloadKeys(ctx); err != nil {
			return kefu.Contact{}, err
		}
	}
	c := kefu.Contact{ID: row.ID, ShopUserID: row.ShopUserID, Attributes: row.Attributes, Tags: row.Tags,
		CreatedAt: row.CreatedAt, UpdatedAt: row.UpdatedAt}
	for _, f := range []struct {
		field string
		enc   []byte
		dst   *string
	}{
		{kefu.FieldName, row.NameEnc, &c.Name},
		{kefu.FieldPhone, row.PhoneEnc, &c.Phone},
		{kefu.FieldEmail, row.EmailEnc, &c.Email},
		{kefu.FieldAddress, row.AddressEnc, &c.Address},
		{kefu.FieldWeChat, row.WeChatEnc, &c.WeChatOpenID},
	} {
		v, err := s.Vault.Decrypt(f.field, f.enc)
		if err != nil {
			return c, err
		}
		*f.dst = v
	}
	if c.Tags == nil {
		c.Tags = []string{}
	}
	if c.Attributes == nil {
		c.Attributes = map[string]string{}
	}
	return c, nil
}

// normalizeName makes the exact-name lookup ignore case and spacing:
// "Alice  Wang" finds "alice wang", "张 三" finds "张三".
func normalizeName(s string) string {
	sep := " "
	if strings.IndexFunc(s, func(r rune) bool { return r > 0x2E80 }) >= 0 {
		sep = "" // Chinese names are written without spaces
	}
	return strings.Join(strings.Fields(strings.ToLower(s)), sep)
}

// Masked returns the contact with every PII field masked for display.
func Masked(c kefu.Contact) kefu.Contact {
	c.Name = vault.Mask(kefu.FieldName, c.Name)
	c.Phone = vault.Mask(kefu.FieldPhone, c.Phone)
	c.Email = vault.Mask(kefu.FieldEmail, c.Email)
	c.Address = vault.Mask(kefu.FieldAddress, c.Address)
	c.WeChatOpenID = vault.Mask(kefu.FieldWeChat, c.WeChatOpenID)
	return c
}

// Get returns a contact, masked. Requires contacts.view.
func (s *Service) Get(ctx context.Context, id string) (kefu.Contact, error) {
	if _, err := kefu.Require(ctx, kefu.PermContactsView); err != nil {
		return kefu.Contact{}, err
	}
	row, err := s.DB.Contact(ctx, id)
	if err != nil {
		return kefu.Contact{}, err
	}
	c, err := s.decrypt(ctx, row)
	return Masked(c), err
}

// List returns contacts, masked, newest first. Phone and email match
// exactly through the blind index. Requires contacts.view.
func (s *Service) List(ctx context.Context, f kefu.ContactFilter) (kefu.Page[kefu.Contact], error) {
	if _, err := kefu.Require(ctx, kefu.PermContactsView); err != nil {
		return kefu.Page[kefu.Contact]{}, err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	q := store.ContactQuery{Tag: f.Tag, After: f.Cursor, Limit: f.Limit}
	if f.Phone != "" {
		q.PhoneBidx = s.Vault.BlindIndex(kefu.FieldPhone, vault.NormalizePhone(f.Phone))
		if q.PhoneBidx == nil {
			return kefu.Page[kefu.Contact]{}, kefu.Invalid("phone", "Enter a phone number.")
		}
	}
	if f.Email != "" {
		q.EmailBidx = s.Vault.BlindIndex(kefu.FieldEmail, vault.NormalizeEmail(f.Email))
	}
	if f.Name != "" {
		q.NameBidx = s.Vault.BlindIndex(kefu.FieldName, normalizeName(f.Name))
	}
	rows, err := s.DB.Contacts(ctx, q)
	if err != nil {
		return kefu.Page[kefu.Contact]{}, err
	}
	page := kefu.Page[kefu.Contact]{Items: []kefu.Contact{}}
	for _, row := range rows {
		c, err := s.decrypt(ctx, row)
		if err != nil {
			return kefu.Page[kefu.Contact]{}, err
		}
		page.Items = append(page.Items, Masked(c))
	}
	if len(rows) == f.Limit {
		page.NextCursor = rows[len(rows)-1].ID
	}
	return page, nil
}

// Reveal returns one PII field of a contact in full. Requires pii.reveal, is
// limited per user per hour (a setting), and writes an audit entry with who,
// which contact, which field, when and from where — before the value is
// returned, so no reveal goes unrecorded.
func (s *Service) Reveal(ctx context.Context, id, field string) (string, error) {
	a, err := kefu.Require(ctx, kefu.PermPIIReveal)
	if err != nil {
		return "", err
	}
	valid := false
	for _, f := range kefu.PIIFields {
		valid = valid || f == field
	}
	if !valid {
		return "", kefu.Invalid("field", "Choose one of: %s.", strings.Join(kefu.PIIFields, ", "))
	}
	cfg, err := s.Settings.Current(ctx)
	if err != nil {
		return "", err
	}
	now := s.Clock.Now()
	n, err := s.DB.CountAudit(ctx, a.UserID, kefu.AuditPIIReveal, now.Add(-time.Hour))
	if err != nil {
		return "", err
	}
	if !a.System && n >= cfg.RevealLimitPerHour {
		return "", kefu.Errorf(kefu.ETOOMANYREQUESTS, "You have revealed %d fields in the last hour, the limit. Try again later.", n)
	}
	row, err := s.DB.Contact(ctx, id)
	if err != nil {
		return "", err
	}
	c, err := s.decrypt(ctx, row)
	if err != nil {
		return "", err
	}
	value := map[string]string{kefu.FieldName: c.Name, kefu.FieldPhone: c.Phone, kefu.FieldEmail: c.Email,
		kefu.FieldAddress: c.Address, kefu.FieldWeChat: c.WeChatOpenID}[field]
	err = s.Audit.Append(ctx, kefu.AuditEntry{Action: kefu.AuditPIIReveal, TargetType: "contact", TargetID: id,
		Detail: map[string]any{"field": field}})
	if err != nil {
		return "", err
	}
	return value, nil
}

// Reencrypt moves contacts encrypted with an older data key to the active
// key, in batches, calling progress after each with the rows done and the
// rows that were left at the start. Runs as kefu itself (after a rotation).
func (s *Service) Reencrypt(ctx context.Context, progress func(done, total int)) (int, error) {
	active := s.Vault.ActiveKeyID()
	total, err := s.DB.CountContactsNotOnKey(ctx, active)
	if err != nil {
		return 0, err
	}
	done := 0
	for {
		rows, err := s.DB.ContactsNotOnKey(ctx, active, 200)
		if err != nil || len(rows) == 0 {
			return done, err
		}
		err = s.DB.InTx(ctx, func(q *store.Queries) error {
			for _, row := range rows {
				c, err := s.decrypt(ctx, row)
				if err != nil {
					return err
				}
				fresh, err := s.encrypt(c)
				if err != nil {
					return err
				}
				if err := q.UpdateContact(ctx, fresh); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		done += len(rows)
		if progress != nil {
			progress(done, total)
		}
	}
}

// Name returns a contact's full name for kefu's own use, such as filling
// {{contact.name}} in a reply to that contact; callers check permissions.
func (s *Service) Name(ctx context.Context, id string) (string, error) {
	row, err := s.DB.Contact(ctx, id)
	if err != nil {
		return "", err
	}
	return s.Vault.Decrypt(kefu.FieldName, row.NameEnc)
}

// Masked returns a contact, masked, for kefu's own use (a conversation the
// caller may already see); callers check permissions.
func (s *Service) Masked(ctx context.Context, id string) (kefu.Contact, error) {
	row, err := s.DB.Contact(ctx, id)
	if err != nil {
		return kefu.Contact{}, err
	}
	c, err := s.decrypt(ctx, row)
	return Masked(c), err
}

// Match finds the contact a customer's details belong to: by shop user id,
// then phone, then email (exact, through the blind index). Returns "" when
// none matches.
func (s *Service) Match(ctx context.Context, shopUserID, phone, email string) (string, error) {
	if shopUserID != "" {
		id, err := s.DB.ContactByShopUserID(ctx, shopUserID)
		if err == nil || kefu.ErrorCode(err) != kefu.ENOTFOUND {
			return id, err
		}
	}
	for _, q := range []store.ContactQuery{
		{PhoneBidx: s.Vault.BlindIndex(kefu.FieldPhone, vault.NormalizePhone(phone)), Limit: 1},
		{EmailBidx: s.Vault.BlindIndex(kefu.FieldEmail, vault.NormalizeEmail(email)), Limit: 1},
	} {
		if q.PhoneBidx == nil && q.EmailBidx == nil {
			continue
		}
		rows, err := s.DB.Contacts(ctx, q)
		if err != nil || len(rows) > 0 {
			if len(rows) > 0 {
				return rows[0].ID, nil
			}
			return "", err
		}
	}
	return "", nil
}

// Upsert creates a contact from a channel's details, or fills the empty
// fields of the matching one, and returns its id. It runs as kefu itself: a
// customer introducing themselves is not an agent editing a contact.
func (s *Service) Upsert(ctx context.Context, in kefu.Contact) (string, error) {
	if err := normalize(&in); err != nil && kefu.ErrorField(err) != "name" {
		return "", err
	}
	id, err := s.Match(ctx, in.ShopUserID, in.Phone, in.Email)
	if err != nil {
		return "", err
	}
	now := s.Clock.Now().Truncate(time.Millisecond)
	if id == "" {
		in.ID, in.CreatedAt, in.UpdatedAt = kefu.NewID(), now, now
		row, err := s.encrypt(in)
		if err != nil {
			return "", err
		}
		return in.ID, s.DB.InsertContact(ctx, row)
	}
	return id, s.Fill(ctx, id, in)
}

// Fill sets the empty fields of a contact from c, for details a customer
// gives about themselves (pre-chat form, offline message). It runs as kefu
// itself and validates like Create.
func (s *Service) Fill(ctx context.Context, id string, c kefu.Contact) error {
	if err := normalize(&c); err != nil && kefu.ErrorField(err) != "name" {
		return err
	}
	row, err := s.DB.Contact(ctx, id)
	if err != nil {
		return err
	}
	cur, err := s.decrypt(ctx, row)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		dst *string
		v   string
	}{{&cur.Name, c.Name}, {&cur.Phone, c.Phone}, {&cur.Email, c.Email}, {&cur.ShopUserID, c.ShopUserID}} {
		if *f.dst == "" {
			*f.dst = f.v
		}
	}
	for k, v := range c.Attributes {
		if cur.Attributes == nil {
			cur.Attributes = map[string]string{}
		}
		cur.Attributes[k] = v
	}
	cur.UpdatedAt = s.Clock.Now().Truncate(time.Millisecond)
	fresh, err := s.encrypt(cur)
	if err != nil {
		return err
	}
	return s.DB.UpdateContact(ctx, fresh)
}

// PhoneEndsWith reports whether a contact's phone number ends with the
// digits a customer gave to prove who they are (the last four, say). The
// number itself never leaves the vault.
func (s *Service) PhoneEndsWith(ctx context.Context, id, digits string) (bool, error) {
	if len(digits) < 4 {
		return false, nil
	}
	row, err := s.DB.Contact(ctx, id)
	if err != nil {
		return false, err
	}
	c, err := s.decrypt(ctx, row)
	if err != nil {
		return false, err
	}
	phone := vault.NormalizePhone(c.Phone)
	return phone != "" && strings.HasSuffix(phone, digits), nil
}
