// Package auth signs people in and decides what they may do: argon2id
// passwords, sessions, API tokens, TOTP two-step verification with recovery
// codes, lockout after repeated failures, unusual-login detection, and the
// users and roles whose permissions every service checks.
package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"kefu"
	"kefu/audit"
	"kefu/settings"
	"kefu/store"
	"kefu/vault"
)

// Service is the authentication and access-control service.
type Service struct {
	DB       *store.DB
	Audit    *audit.Log
	Settings *settings.Service
	Vault    *vault.Keyring
	Clock    kefu.Clock
	Argon2   Argon2Params

	// Per-address limit on sign-in attempts, on top of the per-account lockout,
	// so one address cannot try many accounts.
	ipMu     sync.Mutex
	ipLimits map[string]*rate.Limiter
}

// LoginRatePerMinute is how many sign-in attempts one IP address may make a minute.
const LoginRatePerMinute = 20

// LoginInput is a sign-in attempt.
type LoginInput struct {
	Email     string
	Password  string
	TOTP      string // a 6-digit code or a recovery code; required when the user has 2FA
	IP        string
	UserAgent string
	DeviceID  string // the browser's long-lived device cookie
}

// LoginResult is a successful sign-in. Token is the raw session token for the
// cookie; it is not stored anywhere.
type LoginResult struct {
	User        kefu.User
	Session     kefu.Session
	Token       string
	Permissions []kefu.Permission
}

// Login checks the credentials and starts a session.
//
// Wrong email and wrong password get the same EUNAUTHORIZED answer. A user
// with 2FA who sends no code gets ETOTPREQUIRED, which does not count as a
// failure. Failures count toward a temporary lockout (ETOOMANYREQUESTS).
func (s *Service) Login(ctx context.Context, in LoginInput) (LoginResult, error) {
	now := s.Clock.Now()
	if !s.allowIP(in.IP) {
		return LoginResult{}, kefu.Errorf(kefu.ETOOMANYREQUESTS, "Too many sign-in attempts from your address. Wait a minute and try again.")
	}
	cfg, err := s.Settings.Current(ctx)
	if err != nil {
		return LoginResult{}, err
	}
	wrong := kefu.Errorf(kefu.EUNAUTHORIZED, "Wrong email or password.")
	u, err := s.DB.UserByEmail(ctx, in.Email)
	if kefu.ErrorCode(err) == kefu.ENOTFOUND {
		CheckPassword(dummyHash(), in.Password) // spend the same time as for a real account
		s.auditFailure(ctx, "", in, "unknown_email")
		return LoginResult{}, wrong
	} else if err != nil {
		return LoginResult{}, err
	}
	if u.LockedUntil != nil && u.LockedUntil.After(now) {
		s.auditFailure(ctx, u.ID, in, "locked")
		return LoginResult{}, kefu.Errorf(kefu.ETOOMANYREQUESTS,
			"This account is locked after too many failed sign-ins. Try again after %s UTC, or ask an admin to reset the password.",
			u.LockedUntil.Format("15:04"))
	}
	if !CheckPassword(u.PasswordHash, in.Password) {
		return LoginResult{}, s.fail(ctx, u, in, cfg, "bad_password", wrong)
	}
	if u.Disabled {
		s.auditFailure(ctx, u.ID, in, "disabled")
		return LoginResult{}, wrong
	}
	if u.TOTPEnabled {
		if strings.TrimSpace(in.TOTP) == "" {
			return LoginResult{}, kefu.Errorf(kefu.ETOTPREQUIRED, "Enter the 6-digit code from your authenticator app.")
		}
		ok, usedRecovery, err := s.checkSecondFactor(ctx, u, in.TOTP)
		if err != nil {
			return LoginResult{}, err
		}
		if !ok {
			return LoginResult{}, s.fail(ctx, u, in, cfg, "bad_totp",
				&kefu.Error{Code: kefu.EUNAUTHORIZED, Message: "The code is wrong or was already used.", Field: "totp"})
		}
		if usedRecovery {
			_ = s.Audit.Append(ctx, kefu.AuditEntry{ActorID: u.ID, ActorName: u.Name, IP: in.IP,
				Action: kefu.AuditRecoveryUsed, TargetType: "user", TargetID: u.ID})
		}
	}
	role, err := s.DB.Role(ctx, u.Role)
	if err != nil {
		return LoginResult{}, err
	}
	token := randomToken(32)
	sess := kefu.Session{
		ID: kefu.NewID(), UserID: u.ID, TokenHash: hashToken(token), CSRFToken: randomToken(32),
		IP: in.IP, UserAgent: truncate(in.UserAgent, 300), DeviceID: in.DeviceID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Duration(cfg.SessionHours) * time.Hour),
		MustEnroll: role.Require2FA && !u.TOTPEnabled,
	}
	err = s.DB.InTx(ctx, func(q *store.Queries) error {
		reasons, err := s.unusualPlace(ctx, q, u.ID, in, now)
		if err != nil {
			return err
		}
		sess.Anomaly = strings.Join(reasons, ",")
		if err := q.RecordLoginSuccess(ctx, u.ID, now); err != nil {
			return err
		}
		if err := q.InsertSession(ctx, sess); err != nil {
			return err
		}
		entry := kefu.AuditEntry{ActorID: u.ID, ActorName: u.Name, IP: in.IP, Action: kefu.AuditLogin,
			TargetType: "session", TargetID: sess.ID, Detail: map[string]any{"user_agent": sess.UserAgent}}
		if err := s.Audit.Record(ctx, q, entry); err != nil {
			return err
		}
		if len(reasons) > 0 {
			entry.Action, entry.Detail = kefu.AuditLoginAnomalous, map[string]any{"reasons": reasons, "user_agent": sess.UserAgent}
			if err := s.Audit.Record(ctx, q, entry); err != nil {
				return err
			}
			return s.noticeUnusualLogin(ctx, q, u, sess, reasons, now)
		}
		return nil
	})
	if err != nil {
		return LoginResult{}, err
	}
	u.LastLoginAt = &now
	perms := role.Permissions
	if sess.MustEnroll {
		perms = nil
	}
	return LoginResult{User: u, Session: sess, Token: token, Permissions: perms}, nil
}

// dummyHash is checked against when the email is unknown, so that response
// time does not tell which emails have accounts.
// It is made on first use, not at start, to keep start-up fast and idle memory low.
var dummyHash = sync.OnceValue(func() string { return HashPassword("kefu-timing-equaliser", DefaultArgon2) })

// fail counts a failed sign-in, locks the account when failures reach the
// limit, and audits both.
func (s *Service) fail(ctx context.Context, u kefu.User, in LoginInput, cfg kefu.Settings, reason string, answer error) error {
	now := s.Clock.Now()
	lockUntil := now.Add(time.Duration(cfg.LockoutMinutes) * time.Minute)
	n, err := s.DB.RecordLoginFailure(ctx, u.ID, cfg.LoginMaxFailures, lockUntil)
	if err != nil {
		return err
	}
	s.auditFailure(ctx, u.ID, in, reason)
	if n >= cfg.LoginMaxFailures {
		_ = s.Audit.Append(ctx, kefu.AuditEntry{ActorID: u.ID, ActorName: u.Name, IP: in.IP, Action: kefu.AuditLockout,
			TargetType: "user", TargetID: u.ID, Detail: map[string]any{"until": lockUntil, "failures": n}})
	}
	return answer
}

func (s *Service) auditFailure(ctx context.Context, userID string, in LoginInput, reason string) {
	_ = s.Audit.Append(ctx, kefu.AuditEntry{ActorID: userID, IP: in.IP, Action: kefu.AuditLoginFailed,
		TargetType: "user", TargetID: userID,
		Detail: map[string]any{"email": strings.ToLower(strings.TrimSpace(in.Email)), "reason": reason}})
}

func (s *Service) allowIP(ip string) bool {
	s.ipMu.Lock()
	defer s.ipMu.Unlock()
	if s.ipLimits == nil || len(s.ipLimits) > 100_000 {
		s.ipLimits = map[string]*rate.Limiter{} // bounded memory under a spray of addresses
	}
	l, ok := s.ipLimits[ip]
	if !ok {
		l = rate.NewLimiter(rate.Every(time.Minute/LoginRatePerMinute), LoginRatePerMinute)
		s.ipLimits[ip] = l
	}
	return l.AllowN(s.Clock.Now(), 1)
}

// Place kinds for unusual-login detection.
const (
	PlaceDevice  = "device"
	PlaceNetwork = "network"
)

// NetworkPrefix is the network an address belongs to for unusual-login
// detection: its /24 for IPv4 and /48 for IPv6, so that a new address from
// the same office or provider is not flagged.
func NetworkPrefix(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	bits := 48
	if addr.Is4() || addr.Is4In6() {
		addr, bits = addr.Unmap(), 24
	}
	p, _ := addr.Prefix(bits)
	return p.String()
}

func placeHash(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:])
}

// unusualPlace compares the sign-in's device and network with the ones the
// user signed in from before, returns the reasons it is unusual, and
// remembers both. A user's very first sign-in has nothing to compare with and
// is not flagged.
func (s *Service) unusualPlace(ctx context.Context, q *store.Queries, userID string, in LoginInput, now time.Time) ([]string, error) {
	var reasons []string
	for _, p := range []struct{ kind, value, reason string }{
		{PlaceDevice, in.DeviceID, "new_device"},
		{PlaceNetwork, NetworkPrefix(in.IP), "new_network"},
	} {
		if p.value == "" {
			continue
		}
		h := placeHash(p.value)
		known, err := q.HasLoginPlace(ctx, userID, p.kind, h)
		if err != nil {
			return nil, err
		}
		if !known {
			n, err := q.CountLoginPlaces(ctx, userID, p.kind)
			if err != nil {
				return nil, err
			}
			if n > 0 {
				reasons = append(reasons, p.reason)
			}
		}
		if err := q.RememberLoginPlace(ctx, userID, p.kind, h, now); err != nil {
			return nil, err
		}
	}
	return reasons, nil
}

// NoticeLoginAnomalous is the notice kind for an unusual sign-in.
const NoticeLoginAnomalous = "login_anomalous"

// noticeUnusualLogin tells the user and every user who manages users.
func (s *Service) noticeUnusualLogin(ctx context.Context, q *store.Queries, u kefu.User, sess kefu.Session, reasons []string, now time.Time) error {
	admins, err := q.UsersWithPermission(ctx, kefu.PermUsersManage)
	if err != nil {
		return err
	}
	to := map[string]bool{u.ID: true}
	for _, a := range admins {
		to[a.ID] = true
	}
	for id := range to {
		err := q.InsertNotice(ctx, kefu.Notice{ID: kefu.NewID(), UserID: id, Kind: NoticeLoginAnomalous, CreatedAt: now,
			Data: map[string]any{"user_id": u.ID, "user_name": u.Name, "ip": sess.IP, "user_agent": sess.UserAgent,
				"reasons": reasons, "session_id": sess.ID}})
		if err != nil {
			return err
		}
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
