package vault_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"kefu/vault"
)

var testNow = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func newMaster(t testing.TB) []byte {
	t.Helper()
	m := make([]byte, vault.KeySize)
	for i := range m {
		m[i] = byte(i + 1)
	}
	return m
}

func mustKey(t testing.TB, master []byte, id uint32, purpose string, active bool) vault.WrappedKey {
	t.Helper()
	wk, err := vault.NewWrappedKey(master, id, purpose, testNow)
	if err != nil {
		t.Fatal(err)
	}
	wk.Active = active
	return wk
}

// newRing returns a keyring with data key 1 (active) and index key 2, and the keys.
func newRing(t testing.TB) (*vault.Keyring, []vault.WrappedKey) {
	t.Helper()
	master := newMaster(t)
	keys := []vault.WrappedKey{
		mustKey(t, master, 1, vault.PurposeData, true),
		mustKey(t, master, 2, vault.PurposeIndex, false),
	}
	k := vault.NewKeyring(master)
	if err := k.Load(keys); err != nil {
		t.Fatal(err)
	}
	return k, keys
}

func TestEncryptDecrypt(t *testing.T) {
	k, _ := newRing(t)
	tests := []struct {
		name, field, plaintext string
	}{
		{"ascii", "email", "zhang@example.com"},
		{"chinese", "address", "上海市浦东新区张江路88号"},
		{"one byte", "name", "x"},
		{"emoji", "name", "王小明 🎉"},
		{"long", "address", strings.Repeat("广东省深圳市南山区科技园", 200)},
		{"nul bytes", "wechat_openid", "a\x00b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := k.Encrypt(tt.field, tt.plaintext)
			if err != nil {
				t.Fatal(err)
			}
			if want := 1 + 4 + 12 + len(tt.plaintext) + 16; len(c) != want {
				t.Errorf("len = %d, want %d", len(c), want)
			}
			if c[0] != 0x01 {
				t.Errorf("version = %#x, want 0x01", c[0])
			}
			if id, ok := vault.KeyIDOf(c); !ok || id != 1 {
				t.Errorf("KeyIDOf = %d, %v; want 1, true", id, ok)
			}
			if bytes.Contains(c, []byte(tt.plaintext)) && len(tt.plaintext) > 2 {
				t.Error("ciphertext contains the plaintext")
			}
			got, err := k.Decrypt(tt.field, c)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.plaintext {
				t.Errorf("Decrypt = %q, want %q", got, tt.plaintext)
			}

			// Random nonces: the same value never encrypts the same way twice.
			c2, err := k.Encrypt(tt.field, tt.plaintext)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(c, c2) {
				t.Error("two encryptions of the same value are equal")
			}
		})
	}
}

func TestEncryptEmpty(t *testing.T) {
	k, _ := newRing(t)
	c, err := k.Encrypt("name", "")
	if c != nil || err != nil {
		t.Errorf("Encrypt(\"\") = %v, %v; want nil, nil", c, err)
	}
	for _, in := range [][]byte{nil, {}} {
		s, err := k.Decrypt("name", in)
		if s != "" || err != nil {
			t.Errorf("Decrypt(%v) = %q, %v; want \"\", nil", in, s, err)
		}
	}
	if _, err := k.Encrypt("", "x"); err == nil {
		t.Error("Encrypt with no field name: want error")
	}
}

func TestDecryptWrongField(t *testing.T) {
	k, _ := newRing(t)
	c, err := k.Encrypt("phone", "13812341234")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Decrypt("name", c); err == nil {
		t.Fatal("decrypting a phone ciphertext as a name: want error")
	}
}

func TestDecryptTampered(t *testing.T) {
	k, _ := newRing(t)
	c, err := k.Encrypt("name", "张三丰")
	if err != nil {
		t.Fatal(err)
	}
	// Every byte matters: header, nonce, ciphertext and tag.
	for i := range c {
		bad := bytes.Clone(c)
		bad[i] ^= 0x01
		if s, err := k.Decrypt("name", bad); err == nil {
			t.Errorf("byte %d flipped: Decrypt = %q, want error", i, s)
		}
	}
	for _, n := range []int{1, 5, 17, len(c) - 1} {
		if _, err := k.Decrypt("name", c[:n]); err == nil {
			t.Errorf("truncated to %d bytes: want error", n)
		}
	}
	if _, err := k.Decrypt("name", append(bytes.Clone(c), 0)); err == nil {
		t.Error("extended by one byte: want error")
	}
}

func TestDecryptUnknownKeyID(t *testing.T) {
	master := newMaster(t)
	other := vault.NewKeyring(master)
	if err := other.Load([]vault.WrappedKey{
		mustKey(t, master, 7, vault.PurposeData, true),
		mustKey(t, master, 8, vault.PurposeIndex, false),
	}); err != nil {
		t.Fatal(err)
	}
	c, err := other.Encrypt("name", "张三")
	if err != nil {
		t.Fatal(err)
	}

	k, _ := newRing(t)
	_, err = k.Decrypt("name", c)
	if err == nil || !strings.Contains(err.Error(), "7") {
		t.Fatalf("err = %v, want one mentioning key id 7", err)
	}
}

func TestDecryptSameIDOtherKey(t *testing.T) {
	a, _ := newRing(t)
	b, _ := newRing(t) // same ids, fresh random keys
	c, err := a.Encrypt("name", "张三")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Decrypt("name", c); err == nil {
		t.Fatal("decrypting with another key of the same id: want error")
	}
}

func TestRotation(t *testing.T) {
	master := newMaster(t)
	k1 := mustKey(t, master, 1, vault.PurposeData, true)
	idx := mustKey(t, master, 2, vault.PurposeIndex, false)
	k := vault.NewKeyring(master)
	if err := k.Load([]vault.WrappedKey{k1, idx}); err != nil {
		t.Fatal(err)
	}
	old, err := k.Encrypt("phone", "13812341234")
	if err != nil {
		t.Fatal(err)
	}
	oldIndex := k.BlindIndex("phone", "13812341234")

	// Rotate: key 3 becomes active, key 1 stays for old ciphertexts.
	k1.Active = false
	k3 := mustKey(t, master, 3, vault.PurposeData, true)
	if err := k.Load([]vault.WrappedKey{k1, idx, k3}); err != nil {
		t.Fatal(err)
	}
	if got := k.ActiveKeyID(); got != 3 {
		t.Errorf("ActiveKeyID = %d, want 3", got)
	}
	if got, err := k.Decrypt("phone", old); err != nil || got != "13812341234" {
		t.Errorf("old ciphertext: Decrypt = %q, %v", got, err)
	}
	c, err := k.Encrypt("phone", "13812341234")
	if err != nil {
		t.Fatal(err)
	}
	if id, _ := vault.KeyIDOf(c); id != 3 {
		t.Errorf("new ciphertext key id = %d, want 3", id)
	}
	if !k.HasKey(1) || !k.HasKey(3) || k.HasKey(2) || k.HasKey(4) {
		t.Error("HasKey: want data keys 1 and 3 only")
	}
	// The index key does not rotate, so lookups keep working.
	if !bytes.Equal(k.BlindIndex("phone", "13812341234"), oldIndex) {
		t.Error("blind index changed across a data key rotation")
	}
}

func TestConcurrentLoad(t *testing.T) {
	master := newMaster(t)
	k1 := mustKey(t, master, 1, vault.PurposeData, true)
	idx := mustKey(t, master, 2, vault.PurposeIndex, false)
	k := vault.NewKeyring(master)
	if err := k.Load([]vault.WrappedKey{k1, idx}); err != nil {
		t.Fatal(err)
	}
	k1inactive := k1
	k1inactive.Active = false
	k3 := mustKey(t, master, 3, vault.PurposeData, true)

	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 4; g++ {
		wg.Go(func() {
			for i := 0; i < 200; i++ {
				v := fmt.Sprintf("value %d %d", g, i)
				c, err := k.Encrypt("name", v)
				if err != nil {
					errs <- err
					return
				}
				if got, err := k.Decrypt("name", c); err != nil || got != v {
					errs <- fmt.Errorf("Decrypt = %q, %v; want %q", got, err, v)
					return
				}
				_ = k.BlindIndex("phone", v)
			}
		})
	}
	wg.Go(func() {
		for i := 0; i < 50; i++ {
			if err := k.Load([]vault.WrappedKey{k1inactive, idx, k3}); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestLoadWrongMaster(t *testing.T) {
	_, keys := newRing(t)
	wrong := bytes.Repeat([]byte{0xAB}, vault.KeySize)
	err := vault.NewKeyring(wrong).Load(keys)
	if err == nil || !strings.Contains(err.Error(), "master key does not match this database's keys") {
		t.Fatalf("err = %v, want the master key mismatch error", err)
	}
}

func TestLoadInvalid(t *testing.T) {
	master := newMaster(t)
	d1 := mustKey(t, master, 1, vault.PurposeData, true)
	d3 := mustKey(t, master, 3, vault.PurposeData, true)
	d4 := mustKey(t, master, 4, vault.PurposeData, false)
	i2 := mustKey(t, master, 2, vault.PurposeIndex, false)
	i5 := mustKey(t, master, 5, vault.PurposeIndex, false)

	renumbered := d4
	renumbered.ID = 9 // the id is bound into the wrapping, so an edited row fails
	repurposed := d4
	repurposed.Purpose = vault.PurposeIndex
	unknown := d4
	unknown.Purpose = "other"
	corrupt := d4
	corrupt.Wrapped = bytes.Clone(d4.Wrapped)
	corrupt.Wrapped[len(corrupt.Wrapped)-1] ^= 1
	zero := d4
	zero.ID = 0

	tests := []struct {
		name string
		keys []vault.WrappedKey
		want string
	}{
		{"none", nil, "index key"},
		{"no index key", []vault.WrappedKey{d1}, "exactly one index key"},
		{"two index keys", []vault.WrappedKey{d1, i2, i5}, "exactly one index key"},
		{"no active data key", []vault.WrappedKey{d4, i2}, "exactly one active data key"},
		{"two active data keys", []vault.WrappedKey{d1, d3, i2}, "exactly one active data key"},
		{"duplicate id", []vault.WrappedKey{d1, i2, d1}, "duplicate key id 1"},
		{"id zero", []vault.WrappedKey{d1, i2, zero}, "key id 0"},
		{"renumbered row", []vault.WrappedKey{d1, i2, renumbered}, "does not match"},
		{"repurposed row", []vault.WrappedKey{d1, i2, repurposed}, "does not match"},
		{"corrupt row", []vault.WrappedKey{d1, i2, corrupt}, "does not match"},
		{"unknown purpose", []vault.WrappedKey{d1, i2, unknown}, "unknown purpose"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := vault.NewKeyring(master)
			if err := k.Load([]vault.WrappedKey{d1, i2}); err != nil {
				t.Fatal(err)
			}
			err := k.Load(tt.keys)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
			// A failed Load leaves the previous keys in place.
			if got := k.ActiveKeyID(); got != 1 {
				t.Errorf("after failed Load, ActiveKeyID = %d, want 1", got)
			}
		})
	}
}

func TestNotLoaded(t *testing.T) {
	k := vault.NewKeyring(newMaster(t))
	if got := k.ActiveKeyID(); got != 0 {
		t.Errorf("ActiveKeyID = %d, want 0", got)
	}
	if _, err := k.Encrypt("name", "x"); err == nil {
		t.Error("Encrypt before Load: want error")
	}
	defer func() {
		if recover() == nil {
			t.Error("BlindIndex before Load: want panic")
		}
	}()
	k.BlindIndex("phone", "13812341234")
}

func TestBadMaster(t *testing.T) {
	if _, err := vault.NewWrappedKey(make([]byte, 16), 1, vault.PurposeData, testNow); err == nil {
		t.Error("NewWrappedKey with a 16-byte master: want error")
	}
	if _, err := vault.NewWrappedKey(newMaster(t), 0, vault.PurposeData, testNow); err == nil {
		t.Error("NewWrappedKey with id 0: want error")
	}
	if _, err := vault.NewWrappedKey(newMaster(t), 1, "other", testNow); err == nil {
		t.Error("NewWrappedKey with an unknown purpose: want error")
	}
	if err := vault.NewKeyring(make([]byte, 16)).Load(nil); err == nil {
		t.Error("Load with a 16-byte master: want error")
	}
}

func TestNewWrappedKey(t *testing.T) {
	wk := mustKey(t, newMaster(t), 4, vault.PurposeIndex, false)
	if wk.ID != 4 || wk.Purpose != vault.PurposeIndex || wk.Active || !wk.CreatedAt.Equal(testNow) {
		t.Errorf("got %+v", wk)
	}
	if want := 12 + vault.KeySize + 16; len(wk.Wrapped) != want {
		t.Errorf("len(Wrapped) = %d, want %d", len(wk.Wrapped), want)
	}
}

func TestKeyIDOf(t *testing.T) {
	valid := append([]byte{0x01, 0, 0, 1, 2}, make([]byte, 28)...)
	tests := []struct {
		name string
		in   []byte
		id   uint32
		ok   bool
	}{
		{"nil", nil, 0, false},
		{"short", []byte{0x01, 0, 0, 0, 1}, 0, false},
		{"wrong version", append([]byte{0x02}, valid[1:]...), 0, false},
		{"valid", valid, 258, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, ok := vault.KeyIDOf(tt.in)
			if id != tt.id || ok != tt.ok {
				t.Errorf("KeyIDOf = %d, %v; want %d, %v", id, ok, tt.id, tt.ok)
			}
		})
	}
}

func TestBlindIndex(t *testing.T) {
	k, keys := newRing(t)
	a := k.BlindIndex("phone", "13812341234")
	if len(a) != 32 {
		t.Fatalf("len = %d, want 32", len(a))
	}

	// Stable: same call, and a fresh keyring over the same stored keys.
	again := vault.NewKeyring(newMaster(t))
	if err := again.Load(keys); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, k.BlindIndex("phone", "13812341234")) || !bytes.Equal(a, again.BlindIndex("phone", "13812341234")) {
		t.Error("blind index is not stable")
	}

	differ := []struct{ kind1, v1, kind2, v2 string }{
		{"phone", "13812341234", "email", "13812341234"}, // kind separates
		{"phone", "13812341234", "phone", "13812341235"}, // value matters
		{"ab", "c", "a", "bc"},                           // the 0x00 separator prevents ambiguity
	}
	for _, d := range differ {
		if bytes.Equal(k.BlindIndex(d.kind1, d.v1), k.BlindIndex(d.kind2, d.v2)) {
			t.Errorf("BlindIndex(%q, %q) == BlindIndex(%q, %q)", d.kind1, d.v1, d.kind2, d.v2)
		}
	}

	// Another database (other index key) gives other indexes.
	other, _ := newRing(t)
	if bytes.Equal(a, other.BlindIndex("phone", "13812341234")) {
		t.Error("different index keys gave the same index")
	}

	if got := k.BlindIndex("phone", ""); got != nil {
		t.Errorf("empty value: got %x, want nil", got)
	}
}

// Lookups work however the number or address was typed, because both the
// stored and the searched value are normalised first.
func TestBlindIndexNormalized(t *testing.T) {
	k, _ := newRing(t)
	if !bytes.Equal(
		k.BlindIndex("phone", vault.NormalizePhone("+86 138-1234-1234")),
		k.BlindIndex("phone", vault.NormalizePhone("13812341234")),
	) {
		t.Error("phone: +86 form and national form index differently")
	}
	if !bytes.Equal(
		k.BlindIndex("email", vault.NormalizeEmail(" Zhang@Example.COM ")),
		k.BlindIndex("email", vault.NormalizeEmail("zhang@example.com")),
	) {
		t.Error("email: case and spaces change the index")
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13812341234", "13812341234"},
		{"138 1234 1234", "13812341234"},
		{"138-1234-1234", "13812341234"},
		{"+86 138 1234 1234", "13812341234"},
		{"+8613812341234", "13812341234"},
		{"008613812341234", "13812341234"},
		{"86 13812341234", "13812341234"},
		{"(+86) 138-1234-1234", "13812341234"},
		{"１３８１２３４１２３４", "13812341234"},      // full-width digits
		{"+86 10 12345678", "861012345678"}, // Beijing landline: not a mobile, keep the prefix
		{"010-12345678", "01012345678"},
		{"8613812341234567", "8613812341234567"}, // too long to be +86 and a mobile
		{"+44 20 7946 0958", "442079460958"},
		{"+1 (415) 555-2671", "14155552671"}, // 11 digits starting with 1, but no 86 prefix
		{"95588", "95588"},
		{"", ""},
		{"no digits", ""},
	}
	for _, tt := range tests {
		if got := vault.NormalizePhone(tt.in); got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"zhang@example.com", "zhang@example.com"},
		{"  Zhang.San@Example.COM\n", "zhang.san@example.com"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := vault.NormalizeEmail(tt.in); got != tt.want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLoadMasterKeyCreate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "etc", "kefu", "master.key")

	key, created, err := vault.LoadMasterKey("", path)
	if err != nil {
		t.Fatal(err)
	}
	if !created {
		t.Error("created = false for a new key file")
	}
	if len(key) != vault.KeySize {
		t.Fatalf("len(key) = %d", len(key))
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("mode = %04o, want 0600", perm)
	}
	data, _ := os.ReadFile(path)
	if got := strings.TrimSpace(string(data)); got != base64.StdEncoding.EncodeToString(key) {
		t.Errorf("file holds %q, want the key in base64", got)
	}

	again, created, err := vault.LoadMasterKey("", path)
	if err != nil {
		t.Fatal(err)
	}
	if created {
		t.Error("created = true when re-reading an existing file")
	}
	if !bytes.Equal(key, again) {
		t.Error("re-read key differs from the created one")
	}
}

func TestLoadMasterKeyFile(t *testing.T) {
	key := bytes.Repeat([]byte{7}, vault.KeySize)
	tests := []struct {
		name    string
		content string
		mode    os.FileMode
		want    string // substring of the error, "" for success
	}{
		{"base64", base64.StdEncoding.EncodeToString(key) + "\n", 0o600, ""},
		{"hex", hex.EncodeToString(key), 0o600, ""},
		{"owner read-only", base64.StdEncoding.EncodeToString(key), 0o400, ""},
		{"world readable", base64.StdEncoding.EncodeToString(key), 0o644, "0644"},
		{"group readable", base64.StdEncoding.EncodeToString(key), 0o640, "0640"},
		{"short", base64.StdEncoding.EncodeToString(key[:16]), 0o600, "16 bytes"},
		{"long", base64.StdEncoding.EncodeToString(append(key, 1)), 0o600, "33 bytes"},
		{"garbage", "not a key!", 0o600, "base64"},
		{"empty", "", 0o600, "0 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "master.key")
			if err := os.WriteFile(path, []byte(tt.content), tt.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tt.mode); err != nil { // WriteFile's mode is subject to umask
				t.Fatal(err)
			}
			got, created, err := vault.LoadMasterKey("", path)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err = %v, want one containing %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if created || !bytes.Equal(got, key) {
				t.Errorf("got %x, created %v; want %x, false", got, created, key)
			}
		})
	}
}

func TestLoadMasterKeyEnv(t *testing.T) {
	key := bytes.Repeat([]byte{9}, vault.KeySize)
	path := filepath.Join(t.TempDir(), "master.key")
	tests := []struct {
		name, env string
		ok        bool
	}{
		{"base64", base64.StdEncoding.EncodeToString(key), true},
		{"base64 with spaces", " " + base64.StdEncoding.EncodeToString(key) + "\n", true},
		{"hex", hex.EncodeToString(key), true},
		{"hex upper", strings.ToUpper(hex.EncodeToString(key)), true},
		{"short", base64.StdEncoding.EncodeToString(key[:31]), false},
		{"garbage", "secret", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, created, err := vault.LoadMasterKey(tt.env, path)
			if !tt.ok {
				if err == nil || !strings.Contains(err.Error(), "environment") {
					t.Fatalf("err = %v, want an error naming the environment", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if created || !bytes.Equal(got, key) {
				t.Errorf("got %x, created %v; want %x, false", got, created, key)
			}
		})
	}
	// The environment wins: no key file is created.
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("key file exists after loading from the environment: %v", err)
	}
}

func TestLoadMasterKeyNoSource(t *testing.T) {
	if _, _, err := vault.LoadMasterKey("", ""); err == nil {
		t.Error("no env value and no path: want error")
	}
	if _, _, err := vault.LoadMasterKey("", t.TempDir()); err == nil {
		t.Error("path is a directory: want error")
	}
}

func BenchmarkEncrypt(b *testing.B) {
	k, _ := newRing(b)
	for b.Loop() {
		if _, err := k.Encrypt("phone", "13812341234"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecrypt(b *testing.B) {
	k, _ := newRing(b)
	c, err := k.Encrypt("phone", "13812341234")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := k.Decrypt("phone", c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBlindIndex(b *testing.B) {
	k, _ := newRing(b)
	for b.Loop() {
		k.BlindIndex("phone", "13812341234")
	}
}
