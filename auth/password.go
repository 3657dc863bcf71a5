package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"kefu"
)

// Argon2Params are the argon2id cost parameters for new password hashes.
// Stored hashes carry their own parameters, so raising these later keeps old
// hashes valid.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultArgon2 follows the OWASP recommendation's upper tier for a 2-core
// server: 64 MiB, 2 passes, 2 lanes. docs/benchmarks.md has its login latency.
var DefaultArgon2 = Argon2Params{Memory: 64 * 1024, Time: 2, Threads: 2}

// MinPasswordLength is the shortest password kefu accepts.
const MinPasswordLength = 10

// CheckPasswordStrength returns EINVALID (field "password") for a weak password.
func CheckPasswordStrength(field, pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		return kefu.Invalid(field, "The password needs at least %d characters.", MinPasswordLength)
	}
	if len(pw) > 512 {
		return kefu.Invalid(field, "The password is too long (512 bytes at most).")
	}
	return nil
}

// HashPassword returns a PHC-format argon2id hash of pw.
func HashPassword(pw string, p Argon2Params) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	sum := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(sum))
}

// CheckPassword reports whether pw matches the PHC-format hash.
func CheckPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
