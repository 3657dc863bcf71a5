package kefu

import "time"

// PII field names of a contact. Each is encrypted at rest by the vault and
// masked in every response unless revealed.
const (
	FieldName    = "name"
	FieldPhone   = "phone"
	FieldEmail   = "email"
	FieldAddress = "address"
	FieldWeChat  = "wechat_openid"
)

// PIIFields lists the contact fields that hold personal information.
var PIIFields = []string{FieldName, FieldPhone, FieldEmail, FieldAddress, FieldWeChat}

// Contact is a customer. PII fields hold plaintext only in memory; the store
// receives them encrypted and the API returns them masked.
type Contact struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	Phone        string            `json:"phone"`
	Email        string            `json:"email"`
	Address      string            `json:"address"`
	WeChatOpenID string            `json:"wechat_openid"`
	ShopUserID   string            `json:"shop_user_id"`
	Attributes   map[string]string `json:"attributes"`
	Tags         []string          `json:"tags"`
	CreatedAt    time.Time         `json:"created_at"`
	UpdatedAt    time.Time         `json:"updated_at"`
}

// ContactFilter selects contacts. Name, Phone and Email match exactly
// (whole value) through the blind index: no plaintext is searched.
type ContactFilter struct {
	Name   string
	Phone  string
	Email  string
	Tag    string
	Cursor string
	Limit  int
}

// Page is one page of a list and the cursor for the next, empty at the end.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}
