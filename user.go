package kefu

import "time"

// User is a person who signs in to the console: an agent, supervisor, admin or auditor.
type User struct {
	ID          string     `json:"id"`
	Email       string     `json:"email"`
	Name        string     `json:"name"`
	Role        string     `json:"role"`
	Disabled    bool       `json:"disabled"`
	TOTPEnabled bool       `json:"totp_enabled"`
	CreatedAt   time.Time  `json:"created_at"`
	LastLoginAt *time.Time `json:"last_login_at,omitempty"`

	// Never sent to clients.
	PasswordHash string     `json:"-"`
	TOTPSecret   string     `json:"-"` // vault-encrypted, base64
	TOTPLastStep int64      `json:"-"` // last accepted time step; a code at or before it is a replay
	FailedLogins int        `json:"-"`
	LockedUntil  *time.Time `json:"-"`
}

// Role is a named set of permissions.
type Role struct {
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Permissions []Permission `json:"permissions"`
	Builtin     bool         `json:"builtin"`
	Require2FA  bool         `json:"require_2fa"`
}

// Session is a signed-in browser. Its token is kept only as a hash.
type Session struct {
	ID         string     `json:"id"`
	UserID     string     `json:"-"`
	TokenHash  []byte     `json:"-"`
	CSRFToken  string     `json:"-"`
	IP         string     `json:"ip"`
	UserAgent  string     `json:"user_agent"`
	DeviceID   string     `json:"-"`
	Anomaly    string     `json:"anomaly,omitempty"` // why this login looked unusual: "new_device", "new_network" or both
	CreatedAt  time.Time  `json:"created_at"`
	LastSeenAt time.Time  `json:"last_seen_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	MustEnroll bool       `json:"must_enroll_2fa"` // the role requires 2FA and the user has none yet
	Current    bool       `json:"current"`         // set when listing: the session making the request
}

// APIToken lets an integration call the API as a user. Only its hash is stored.
type APIToken struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"` // first characters, to recognise it in lists
	Hash       []byte     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Notice is a message for one user in the console, such as an unusual login.
type Notice struct {
	ID        string         `json:"id"`
	UserID    string         `json:"-"`
	Kind      string         `json:"kind"`
	Data      map[string]any `json:"data"`
	CreatedAt time.Time      `json:"created_at"`
	ReadAt    *time.Time     `json:"read_at,omitempty"`
}
