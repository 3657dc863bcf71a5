package auth

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"kefu"
	"kefu/store"
)

// TOTP follows RFC 6238 with the parameters every authenticator app supports.
const (
	totpPeriod = 30
	totpSkew   = 1 // accept the codes of the step before and after, for clock drift
	totpIssuer = "kefu"
	// RecoveryCodeCount is how many one-time recovery codes a user gets.
	RecoveryCodeCount = 10
)

// Enrollment is what the console shows to set up an authenticator app.
type Enrollment struct {
	Secret     string `json:"secret"`
	OTPAuthURL string `json:"otpauth_url"`
	QRPNG      string `json:"qr_png"` // data: URL
}

// EnrollTOTP starts 2FA set-up for the actor: a new secret, stored encrypted
// but not yet enabled until ConfirmTOTP proves the app has it.
func (s *Service) EnrollTOTP(ctx context.Context) (Enrollment, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return Enrollment{}, err
	}
	if a.SessionID == "" {
		return Enrollment{}, kefu.Errorf(kefu.EFORBIDDEN, "Set up two-step verification from the console, not with an API token.")
	}
	u, err := s.DB.User(ctx, a.UserID)
	if err != nil {
		return Enrollment{}, err
	}
	if u.TOTPEnabled {
		return Enrollment{}, kefu.Errorf(kefu.ECONFLICT, "Two-step verification is already on. Turn it off first to use a new device.")
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: u.Email, Period: totpPeriod})
	if err != nil {
		return Enrollment{}, err
	}
	enc, err := s.Vault.Encrypt("totp_secret", key.Secret())
	if err != nil {
		return Enrollment{}, err
	}
	if err := s.DB.SetTOTP(ctx, u.ID, base64.StdEncoding.EncodeToString(enc), false, s.Clock.Now()); err != nil {
		return Enrollment{}, err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return Enrollment{}, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Enrollment{}, err
	}
	return Enrollment{Secret: key.Secret(), OTPAuthURL: key.URL(),
		QRPNG: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

// ConfirmTOTP turns 2FA on once the actor proves their app makes valid codes,
// and returns ten one-time recovery codes, shown once and stored hashed.
func (s *Service) ConfirmTOTP(ctx context.Context, code string) ([]string, error) {
	_, u, err := s.actorUser(ctx)
	if err != nil {
		return nil, err
	}
	if u.TOTPEnabled {
		return nil, kefu.Errorf(kefu.ECONFLICT, "Two-step verification is already on.")
	}
	if u.TOTPSecret == "" {
		return nil, kefu.Errorf(kefu.ECONFLICT, "Start the set-up first.")
	}
	secret, err := s.totpSecret(u)
	if err != nil {
		return nil, err
	}
	step, ok := matchTOTP(secret, code, s.Clock.Now())
	if !ok {
		return nil, kefu.Invalid("code", "The code does not match. Check the time on your phone and try the next code.")
	}
	codes := make([]string, RecoveryCodeCount)
	hashes := make([]string, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
		hashes[i] = hashRecoveryCode(codes[i])
	}
	now := s.Clock.Now()
	err = s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.SetTOTP(ctx, u.ID, u.TOTPSecret, true, now); err != nil {
			return err
		}
		if _, err := q.AdvanceTOTPStep(ctx, u.ID, step); err != nil {
			return err
		}
		if err := q.ReplaceRecoveryCodes(ctx, u.ID, hashes); err != nil {
			return err
		}
		if err := q.SetSessionMustEnroll(ctx, u.ID, false); err != nil {
			return err
		}
		return s.Audit.Record(ctx, q, kefu.AuditEntry{Action: kefu.Audit2FAEnable, TargetType: "user", TargetID: u.ID})
	})
	return codes, err
}

// DisableTOTP turns the actor's 2FA off after checking their password.
// Refused (ECONFLICT) when the actor's role requires 2FA.
func (s *Service) DisableTOTP(ctx context.Context, password string) error {
	_, u, err := s.actorUser(ctx)
	if err != nil {
		return err
	}
	if !CheckPassword(u.PasswordHash, password) {
		return kefu.Invalid("password", "The password is wrong.")
	}
	role, err := s.DB.Role(ctx, u.Role)
	if err != nil {
		return err
	}
	if role.Require2FA {
		return kefu.Errorf(kefu.ECONFLICT, "Your role requires two-step verification, so it cannot be turned off.")
	}
	return s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.SetTOTP(ctx, u.ID, "", false, s.Clock.Now()); err != nil {
			return err
		}
		if err := q.ReplaceRecoveryCodes(ctx, u.ID, nil); err != nil {
			return err
		}
		return s.Audit.Record(ctx, q, kefu.AuditEntry{Action: kefu.Audit2FADisable, TargetType: "user", TargetID: u.ID})
	})
}

func (s *Service) totpSecret(u kefu.User) (string, error) {
	enc, err := base64.StdEncoding.DecodeString(u.TOTPSecret)
	if err != nil {
		return "", err
	}
	return s.Vault.Decrypt("totp_secret", enc)
}

// checkSecondFactor accepts a current TOTP code not used before, or an unused
// recovery code. A TOTP code is bound to its time step: once a step's code is
// accepted, that code and every earlier one are refused.
func (s *Service) checkSecondFactor(ctx context.Context, u kefu.User, code string) (ok, usedRecovery bool, err error) {
	code = strings.TrimSpace(code)
	if len(code) == 6 && strings.Trim(code, "0123456789") == "" {
		secret, err := s.totpSecret(u)
		if err != nil {
			return false, false, err
		}
		step, match := matchTOTP(secret, code, s.Clock.Now())
		if !match {
			return false, false, nil
		}
		fresh, err := s.DB.AdvanceTOTPStep(ctx, u.ID, step)
		return fresh, false, err
	}
	used, err := s.DB.UseRecoveryCode(ctx, u.ID, hashRecoveryCode(code), s.Clock.Now())
	return used, used, err
}

// matchTOTP returns the time step whose code equals code, within the skew.
func matchTOTP(secret, code string, now time.Time) (int64, bool) {
	step := now.Unix() / totpPeriod
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		t := time.Unix((step+d)*totpPeriod, 0)
		want, err := totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step + d, true
		}
	}
	return 0, false
}

// recoveryAlphabet avoids letters and digits that are easy to confuse.
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// newRecoveryCode returns a code like "k7m2q-x9fa3" (about 49 bits).
func newRecoveryCode() string {
	raw := []byte(randomToken(16))
	out := make([]byte, 0, 11)
	for i := 0; len(out) < 11; i++ {
		if len(out) == 5 {
			out = append(out, '-')
			continue
		}
		out = append(out, recoveryAlphabet[int(raw[i%len(raw)]+byte(i))%len(recoveryAlphabet)])
	}
	return string(out)
}

func hashRecoveryCode(code string) string {
	norm := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(code), "-", ""))
	sum := sha256.Sum256([]byte("kefu-recovery:" + norm))
	return hex.EncodeToString(sum[:])
}
