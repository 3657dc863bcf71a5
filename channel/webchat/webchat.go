// Package webchat is the web chat channel: the inboxes a shop embeds with one
// script tag, the visitors who write from them (anonymous, or identified by
// the shop with an HMAC signature), and their sessions.
package webchat

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"
	"unicode/utf8"

	"kefu"
	"kefu/audit"
	"kefu/contact"
	"kefu/inbox"
	"kefu/realtime"
	"kefu/store"
	"kefu/vault"
)

// Service runs the web chat channel.
type Service struct {
	DB       *store.DB
	Vault    *vault.Keyring
	Contacts *contact.Service
	Inbox    *inbox.Service
	Bus      *realtime.Bus
	Audit    *audit.Log
	Clock    kefu.Clock
}

func randomToken(prefix string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(t string) []byte {
	sum := sha256.Sum256([]byte(t))
	return sum[:]
}

// PrechatFields are the fields a pre-chat form may ask for.
var PrechatFields = []string{"name", "phone", "order_no"}

func (s *Service) validate(in *kefu.Inbox) error {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 60 {
		return kefu.Invalid("name", "Enter a name of 1 to 60 characters.")
	}
	if utf8.RuneCountInString(in.Greeting) > 500 {
		return kefu.Invalid("greeting", "Use at most 500 characters.")
	}
	if utf8.RuneCountInString(in.OfflineMessage) > 500 {
		return kefu.Invalid("offline_message", "Use at most 500 characters.")
	}
	for _, f := range in.PrechatFields {
		if !slices.Contains(PrechatFields, f) {
			return kefu.Invalid("prechat_fields", "Use %s.", strings.Join(PrechatFields, ", "))
		}
	}
	if in.PrechatFields == nil {
		in.PrechatFields = []string{}
	}
	if in.ReopenHours < 0 || in.ReopenHours > 24*30 {
		return kefu.Invalid("reopen_window_hours", "Use 0 to 720 hours.")
	}
	if !slices.Contains([]string{"", "csat", "nps", "both"}, in.Survey) {
		return kefu.Invalid("survey", "Use csat, nps, both, or empty for no survey.")
	}
	if in.SurveyExpiryHours < 0 || in.SurveyExpiryHours > 24*30 {
		return kefu.Invalid("survey_expiry_hours", "Use 0 (72 hours) to 720 hours.")
	}
	if in.BotThreshold < 0 || in.BotThreshold > 1 {
		return kefu.Invalid("bot_threshold", "Use a confidence from 0 to 1 (0 takes the default, 0.5).")
	}
	if in.TeamID != "" {
		teams, err := s.DB.Teams(context.Background())
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(teams, func(t kefu.Team) bool { return t.ID == in.TeamID }) {
			return kefu.Invalid("team_id", "There is no team %q.", in.TeamID)
		}
	}
	return nil
}

// CreateInbox adds a web chat inbox with a new website token and identity
// secret. Requires settings.manage.
func (s *Service) CreateInbox(ctx context.Context, in kefu.Inbox) (kefu.Inbox, error) {
	if _, err := kefu.Require(ctx, kefu.PermSettingsManage); err != nil {
		return kefu.Inbox{}, err
	}
	if err := s.validate(&in); err != nil {
		return kefu.Inbox{}, err
	}
	in.ID, in.Channel, in.CreatedAt = kefu.NewID(), kefu.ChannelWebchat, s.Clock.Now()
	in.WebsiteToken = randomToken("wt_", 18)
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	in.IdentitySecret = hex.EncodeToString(secret)
	return in, s.saveInbox(ctx, in, "create")
}

func (s *Service) saveInbox(ctx context.Context, in kefu.Inbox, change string) error {
	enc, err := s.Vault.Encrypt("identity_secret", in.IdentitySecret)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.SaveInbox(ctx, store.InboxRow{Inbox: in, SecretEnc: enc}, s.Clock.Now()); err != nil {
			return err
		}
		return s.Audit.Record(ctx, q, kefu.AuditEntry{Action: kefu.AuditSettingsChange, TargetType: "inbox", TargetID: in.ID,
			Detail: map[string]any{"change": change, "name": in.Name}})
	})
}

// InboxPatch changes some of an inbox's fields; nil fields stay.
type InboxPatch struct {
	Name           *string   `json:"name"`
	TeamID         *string   `json:"team_id"`
	Greeting       *string   `json:"greeting"`
	OfflineMessage *string   `json:"offline_message"`
	PrechatEnabled *bool     `json:"prechat_enabled"`
	PrechatFields  *[]string `json:"prechat_fields"`
	ReopenHours    *int      `json:"reopen_window_hours"`
	BotEnabled     *bool     `json:"bot_enabled"`
	BotThreshold   *float64  `json:"bot_threshold"`
	Survey         *string   `json:"survey"`
	SurveyExpiry   *int      `json:"survey_expiry_hours"`
}

// UpdateInbox changes an inbox. Requires settings.manage.
func (s *Service) UpdateInbox(ctx context.Context, id string, p InboxPatch) (kefu.Inbox, error) {
	if _, err := kefu.Require(ctx, kefu.PermSettingsManage); err != nil {
		return kefu.Inbox{}, err
	}
	in, err := s.inbox(ctx, id)
	if err != nil {
		return in, err
	}
	kefu.Set(&in.Name, p.Name)
	kefu.Set(&in.TeamID, p.TeamID)
	kefu.Set(&in.Greeting, p.Greeting)
	kefu.Set(&in.OfflineMessage, p.OfflineMessage)
	kefu.Set(&in.PrechatEnabled, p.PrechatEnabled)
	kefu.Set(&in.PrechatFields, p.PrechatFields)
	kefu.Set(&in.ReopenHours, p.ReopenHours)
	kefu.Set(&in.BotEnabled, p.BotEnabled)
	kefu.Set(&in.BotThreshold, p.BotThreshold)
	kefu.Set(&in.Survey, p.Survey)
	kefu.Set(&in.SurveyExpiryHours, p.SurveyExpiry)
	if err := s.validate(&in); err != nil {
		return kefu.Inbox{}, err
	}
	return in, s.saveInbox(ctx, in, "update")
}

// inbox reads an inbox with its identity secret decrypted.
func (s *Service) inbox(ctx context.Context, id string) (kefu.Inbox, error) {
	row, err := s.DB.Inbox(ctx, id)
	if err != nil {
		return kefu.Inbox{}, err
	}
	row.IdentitySecret, err = s.Vault.Decrypt("identity_secret", row.SecretEnc)
	return row.Inbox, err
}

// Inboxes lists the inboxes with their secrets. Requires settings.manage.
func (s *Service) Inboxes(ctx context.Context) ([]kefu.Inbox, error) {
	if _, err := kefu.Require(ctx, kefu.PermSettingsManage); err != nil {
		return nil, err
	}
	rows, err := s.DB.Inboxes(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]kefu.Inbox, 0, len(rows))
	for _, r := range rows {
		in, err := s.inbox(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

// ---- visitors ----

// Visitor is a widget session: who is writing, from which inbox.
type Visitor struct {
	ID        string
	ContactID string
	Inbox     store.InboxRow
}

// PublicInbox is what the widget may know about its inbox.
type PublicInbox struct {
	Name           string   `json:"name"`
	Greeting       string   `json:"greeting"`
	OfflineMessage string   `json:"offline_message"`
	PrechatEnabled bool     `json:"prechat_enabled"`
	PrechatFields  []string `json:"prechat_fields"`
}

// ConversationRef tells the widget which conversation it continues.
type ConversationRef struct {
	ID      string `json:"id"`
	LastSeq int64  `json:"last_seq"`
	Status  string `json:"status"`
}

// Session is the answer to a widget starting up.
type Session struct {
	VisitorToken string           `json:"visitor_token"`
	Conversation *ConversationRef `json:"conversation"`
	Inbox        PublicInbox      `json:"inbox"`
	Online       bool             `json:"online"`
}

// StartSession resumes the visitor of visitorToken or, when it is empty or
// unknown, makes a new anonymous visitor. Returns ENOTFOUND for an unknown
// website token.
func (s *Service) StartSession(ctx context.Context, websiteToken, visitorToken string) (Session, error) {
	inbox, err := s.DB.InboxByToken(ctx, websiteToken)
	if kefu.ErrorCode(err) == kefu.ENOTFOUND {
		return Session{}, kefu.Invalid("website_token", "This website token is not known to kefu.")
	} else if err != nil {
		return Session{}, err
	}
	v, err := s.Visitor(ctx, visitorToken)
	if err != nil || v.Inbox.ID != inbox.ID {
		visitorToken = randomToken("vt_", 24)
		v = Visitor{ID: kefu.NewID(), Inbox: inbox}
		if err := s.DB.InsertVisitor(ctx, store.Visitor{ID: v.ID, InboxID: inbox.ID}, hashToken(visitorToken), s.Clock.Now()); err != nil {
			return Session{}, err
		}
	}
	out := Session{VisitorToken: visitorToken, Online: s.Bus.AgentsOnline(), Inbox: PublicInbox{Name: inbox.Name,
		Greeting: inbox.Greeting, OfflineMessage: inbox.OfflineMessage, PrechatEnabled: inbox.PrechatEnabled,
		PrechatFields: inbox.PrechatFields}}
	if v.ContactID == "" {
		return out, nil
	}
	if c, err := s.DB.LatestConversation(ctx, inbox.ID, v.ContactID); err == nil {
		out.Conversation = &ConversationRef{ID: c.ID, LastSeq: c.LastSeq, Status: c.Status}
	} else if kefu.ErrorCode(err) != kefu.ENOTFOUND {
		return Session{}, err
	}
	return out, nil
}

// contact returns the visitor's contact, making an anonymous one the first
// time the visitor says something.
func (s *Service) contact(ctx context.Context, v *Visitor) (string, error) {
	if v.ContactID != "" {
		return v.ContactID, nil
	}
	id, err := s.Contacts.Upsert(ctx, kefu.Contact{})
	if err != nil {
		return "", err
	}
	if v.ContactID, err = s.DB.ClaimVisitorContact(ctx, v.ID, id, s.Clock.Now()); err != nil {
		return "", err
	}
	return v.ContactID, nil
}

// Visitor resolves a visitor token. Returns EUNAUTHORIZED for an unknown one.
func (s *Service) Visitor(ctx context.Context, token string) (Visitor, error) {
	if token == "" {
		return Visitor{}, kefu.Errorf(kefu.EUNAUTHORIZED, "Start a widget session first.")
	}
	v, err := s.DB.VisitorByToken(ctx, hashToken(token))
	if kefu.ErrorCode(err) == kefu.ENOTFOUND {
		return Visitor{}, kefu.Errorf(kefu.EUNAUTHORIZED, "This visitor token is not known; start a new session.")
	} else if err != nil {
		return Visitor{}, err
	}
	inbox, err := s.DB.Inbox(ctx, v.InboxID)
	return Visitor{ID: v.ID, ContactID: v.ContactID, Inbox: inbox}, err
}

// Signature is what a shop's server computes for identify:
// hex(HMAC-SHA256(identity secret, shop user id)).
func Signature(secret, userID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(userID))
	return hex.EncodeToString(m.Sum(nil))
}

// Identity is a shop's signed statement of who the visitor is.
type Identity struct {
	UserID    string `json:"user_id"`
	Name      string `json:"name"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
	Signature string `json:"signature"`
}

// Identify attaches a signed-in shop user to the visitor: the signature must
// match, so a customer cannot claim to be another. The visitor joins the
// contact with that shop user id (or phone/email), and the anonymous
// visitor's conversations follow it. Returns the contact id.
func (s *Service) Identify(ctx context.Context, visitorToken string, id Identity) (string, error) {
	v, err := s.Visitor(ctx, visitorToken)
	if err != nil {
		return "", err
	}
	id.UserID = strings.TrimSpace(id.UserID)
	if id.UserID == "" || len(id.UserID) > 128 {
		return "", kefu.Invalid("user_id", "Send the shop's user id (1 to 128 characters).")
	}
	inbox, err := s.inbox(ctx, v.Inbox.ID)
	if err != nil {
		return "", err
	}
	if !hmac.Equal([]byte(strings.ToLower(id.Signature)), []byte(Signature(inbox.IdentitySecret, id.UserID))) {
		return "", &kefu.Error{Code: kefu.EUNAUTHORIZED, Message: "The signature does not match this user id.", Field: "signature"}
	}
	contactID, err := s.Contacts.Upsert(ctx, kefu.Contact{ShopUserID: id.UserID, Name: id.Name, Email: id.Email, Phone: id.Phone})
	if err != nil {
		return "", err
	}
	if contactID == v.ContactID {
		return contactID, nil
	}
	err = s.DB.InTx(ctx, func(q *store.Queries) error {
		if v.ContactID != "" {
			if err := q.MoveConversations(ctx, v.Inbox.ID, v.ContactID, contactID); err != nil {
				return err
			}
		}
		return q.SetVisitorContact(ctx, v.ID, contactID, s.Clock.Now())
	})
	return contactID, err
}

// Prechat stores what the customer typed in the pre-chat form on their own
// contact. It never joins another contact by these unverified details.
func (s *Service) Prechat(ctx context.Context, v Visitor, name, phone, orderNo string) error {
	c := kefu.Contact{Name: name, Phone: phone}
	if orderNo != "" {
		if len(orderNo) > 64 {
			return kefu.Invalid("order_no", "An order number has at most 64 characters.")
		}
		c.Attributes = map[string]string{"order_no": orderNo}
	}
	id, err := s.contact(ctx, &v)
	if err != nil {
		return err
	}
	return s.Contacts.Fill(ctx, id, c)
}

// Offline takes a message while no agent is online: the customer's contact
// details go on their contact, the message into a conversation agents see
// when they come back.
func (s *Service) Offline(ctx context.Context, v Visitor, name, phone, email, text string) (kefu.Message, error) {
	if strings.TrimSpace(phone) == "" && strings.TrimSpace(email) == "" {
		return kefu.Message{}, kefu.Invalid("phone", "Leave a phone number or an email so we can get back to you.")
	}
	id, err := s.contact(ctx, &v)
	if err != nil {
		return kefu.Message{}, err
	}
	if err := s.Contacts.Fill(ctx, id, kefu.Contact{Name: name, Phone: phone, Email: email}); err != nil {
		return kefu.Message{}, err
	}
	msg, _, err := s.Inbox.Ingest(ctx, inbox.IncomingMessage{InboxID: v.Inbox.ID, ContactID: id,
		ClientID: "offline-" + kefu.NewID(), Text: text})
	return msg, err
}

// Ingest stores a customer message from the widget. The visitor's contact
// is made with their first message.
func (s *Service) Ingest(ctx context.Context, v *Visitor, clientID, text string, attachments []string) (kefu.Message, kefu.Conversation, error) {
	id, err := s.contact(ctx, v)
	if err != nil {
		return kefu.Message{}, kefu.Conversation{}, err
	}
	return s.Inbox.Ingest(ctx, inbox.IncomingMessage{InboxID: v.Inbox.ID, ContactID: id, ClientID: clientID,
		Text: text, Attachments: attachments})
}
