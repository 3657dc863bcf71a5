package kefu

import "time"

// Audit actions. Every security-relevant change writes one entry.
const (
	AuditLogin          = "auth.login"
	AuditLoginFailed    = "auth.login_failed"
	AuditLoginAnomalous = "auth.login_anomalous"
	AuditLockout        = "auth.lockout"
	AuditLogout         = "auth.logout"
	AuditSessionRevoke  = "auth.session_revoke"
	AuditTokenCreate    = "auth.token_create"
	AuditTokenRevoke    = "auth.token_revoke"
	Audit2FAEnable      = "auth.2fa_enable"
	Audit2FADisable     = "auth.2fa_disable"
	AuditRecoveryUsed   = "auth.recovery_code_used"
	AuditUserCreate     = "user.create"
	AuditUserUpdate     = "user.update"
	AuditPasswordReset  = "user.password_reset"
	AuditRoleCreate     = "role.create"
	AuditRoleUpdate     = "role.update"
	AuditRoleDelete     = "role.delete"
	AuditSettingsChange = "settings.change"
	AuditPIIReveal      = "pii.reveal"
	AuditContactCreate  = "contact.create"
	AuditExport         = "data.export"
	AuditDataRequest    = "data.request"
	AuditKeyRotate      = "vault.key_rotate"
	AuditBackup         = "backup.create"
)

// AuditEntry is one line of the append-only, hash-chained audit log.
// Hash = SHA-256 over PrevHash and the entry's fields; see audit.Hash.
type AuditEntry struct {
	Seq        int64          `json:"seq"`
	ID         string         `json:"id"`
	At         time.Time      `json:"at"`
	ActorID    string         `json:"actor_id"`
	ActorName  string         `json:"actor_name"`
	Action     string         `json:"action"`
	TargetType string         `json:"target_type"`
	TargetID   string         `json:"target_id"`
	IP         string         `json:"ip"`
	Detail     map[string]any `json:"detail"`
	PrevHash   string         `json:"prev_hash"`
	Hash       string         `json:"hash"`
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	ActorID    string
	Action     string
	TargetType string
	TargetID   string
	Since      time.Time
	Until      time.Time
	Cursor     string
	Limit      int
}
