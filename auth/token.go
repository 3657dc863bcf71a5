package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// randomToken returns n random bytes, base64url-encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is how session and API tokens are stored: they are long random
// strings, so a fast hash is enough and makes each request's lookup cheap.
func hashToken(t string) []byte {
	sum := sha256.Sum256([]byte(t))
	return sum[:]
}

// APITokenPrefix starts every API token, so leaked tokens are easy to scan for.
const APITokenPrefix = "kf_"

// IsAPIToken reports whether s looks like a kefu API token.
func IsAPIToken(s string) bool { return strings.HasPrefix(s, APITokenPrefix) }
