package auth_test

import (
	"strings"
	"testing"

	"kefu/auth"
)

func TestPasswordHash(t *testing.T) {
	h := auth.HashPassword("correct horse battery", auth.DefaultArgon2)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=2,p=2$") {
		t.Fatalf("hash %q is not argon2id with the default parameters", h)
	}
	if !auth.CheckPassword(h, "correct horse battery") {
		t.Fatal("the right password is refused")
	}
	for _, wrong := range []string{"", "correct horse batter", "Correct horse battery"} {
		if auth.CheckPassword(h, wrong) {
			t.Fatalf("%q accepted", wrong)
		}
	}
	if h == auth.HashPassword("correct horse battery", auth.DefaultArgon2) {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	// Hashes made with other parameters stay valid.
	old := auth.HashPassword("pw with old params", auth.Argon2Params{Memory: 8 * 1024, Time: 1, Threads: 1})
	if !auth.CheckPassword(old, "pw with old params") {
		t.Fatal("a hash with other parameters is refused")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$x$y", "plain"} {
		if auth.CheckPassword(bad, "") {
			t.Fatalf("malformed hash %q accepted", bad)
		}
	}
}

func TestPasswordStrength(t *testing.T) {
	if err := auth.CheckPasswordStrength("password", "短密码"); err == nil {
		t.Fatal("a 3-character password accepted")
	}
	if err := auth.CheckPasswordStrength("password", "十个汉字的密码也可以用"); err != nil {
		t.Fatalf("10 runes refused: %v", err)
	}
}

func TestNetworkPrefix(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.5":        "203.0.113.0/24",
		"203.0.113.250":      "203.0.113.0/24",
		"::ffff:203.0.113.9": "203.0.113.0/24",
		"2001:db8:1:2::7":    "2001:db8:1::/48",
		"not-an-ip":          "not-an-ip",
	} {
		if got := auth.NetworkPrefix(in); got != want {
			t.Errorf("NetworkPrefix(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkLogin measures the password check of a sign-in, which dominates
// its latency, with the default argon2id parameters.
func BenchmarkLogin(b *testing.B) {
	h := auth.HashPassword("correct horse battery", auth.DefaultArgon2)
	for b.Loop() {
		auth.CheckPassword(h, "correct horse battery")
	}
}
