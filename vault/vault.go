// Package vault is kefu's PII vault: AES-256-GCM field encryption with key
// ids for rotation, an HMAC blind index for exact lookup, and display masking.
//
// Keys form a two-level hierarchy. The master key (32 bytes) lives outside
// the database, in an environment variable or a 0600 file. It only wraps the
// data and index keys, which are stored in the database as WrappedKey rows.
// A database dump alone therefore reveals no personal data, and rotating a
// data key never needs the master key to change.
//
// Ciphertexts carry the id of the data key that made them, so after a
// rotation old rows still decrypt with their old key while new rows use the
// new active key; rows can be re-encrypted lazily or by a background job.
//
// The blind index is an HMAC of a normalised value under a separate index
// key. It lets the store find a contact by exact phone or email without
// decrypting every row, and without storing the value in a form that can be
// reversed without the index key. Index keys are not rotated: changing one
// would require recomputing every index, so a database has exactly one.
package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// KeySize is the size in bytes of the master key and of every data and index key.
const KeySize = 32

// Key purposes. A data key encrypts fields; the index key computes blind indexes.
const (
	PurposeData  = "data"
	PurposeIndex = "index"
)

// Ciphertext layout: version | key id | nonce | GCM ciphertext and tag.
const (
	formatVersion = 0x01
	headerSize    = 1 + 4 // version byte and big-endian key id
	nonceSize     = 12
	tagSize       = 16
	minCiphertext = headerSize + nonceSize + tagSize
)

// LoadMasterKey returns the 32-byte master key.
//
// If envValue is non-empty it is decoded as standard base64 of 32 bytes or as
// 64 hex characters, and path is ignored. Otherwise the key is read from the
// file at path, in the same encodings. If that file does not exist it is
// created (with its directories, mode 0700) holding 32 random bytes in base64,
// with mode 0600, and created is true: the caller must tell the operator to
// back the file up, because without it the database's PII is unreadable.
//
// A key file readable or writable by anyone but its owner (mode broader than
// 0600) is refused rather than silently used, as is a key of the wrong length.
func LoadMasterKey(envValue, path string) (key []byte, created bool, err error) {
	if envValue = strings.TrimSpace(envValue); envValue != "" {
		key, err := decodeKey(envValue)
		if err != nil {
			return nil, false, fmt.Errorf("vault: master key from environment: %w", err)
		}
		return key, false, nil
	}
	if path == "" {
		return nil, false, errors.New("vault: no master key: set it in the environment or give a key file path")
	}

	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		key, err := createKeyFile(path)
		if errors.Is(err, fs.ErrExist) {
			// Another process created it between our Stat and create; use theirs.
			return readKeyFile(path)
		} else if err != nil {
			return nil, false, err
		}
		return key, true, nil
	} else if err != nil {
		return nil, false, fmt.Errorf("vault: master key file: %w", err)
	}
	if !info.Mode().IsRegular() {
		return nil, false, fmt.Errorf("vault: master key file %s is not a regular file", path)
	}
	return readKeyFile(path)
}

// readKeyFile reads and checks an existing key file.
func readKeyFile(path string) ([]byte, bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, fmt.Errorf("vault: master key file: %w", err)
	}
	defer f.Close()

	// Check the mode of the file we opened, not of the path, so the check
	// and the read concern the same file.
	info, err := f.Stat()
	if err != nil {
		return nil, false, fmt.Errorf("vault: master key file: %w", err)
	}
	// Windows does not express access control in permission bits.
	if perm := info.Mode().Perm(); perm&^0o600 != 0 && runtime.GOOS != "windows" {
		return nil, false, fmt.Errorf("vault: master key file %s has mode %04o; it must be 0600 or stricter (chmod 600 %s)", path, perm, path)
	}

	// A valid file is 45 bytes (base64 and a newline); cap the read so a
	// wrong path to a large file fails fast.
	buf, err := io.ReadAll(io.LimitReader(f, 1024))
	if err != nil {
		return nil, false, fmt.Errorf("vault: master key file %s: %w", path, err)
	}
	key, err := decodeKey(strings.TrimSpace(string(buf)))
	if err != nil {
		return nil, false, fmt.Errorf("vault: master key file %s: %w", path, err)
	}
	return key, false, nil
}

// createKeyFile writes a new random master key to path. It fails with an
// error wrapping fs.ErrExist if the file appeared meanwhile, so an existing
// key is never overwritten.
func createKeyFile(path string) ([]byte, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("vault: create master key directory: %w", err)
	}
	key := make([]byte, KeySize)
	rand.Read(key) // never returns an error; it crashes the program if the OS RNG fails

	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("vault: create master key file: %w", err)
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		os.Remove(path) // a half-written key must not be picked up next start
		return nil, fmt.Errorf("vault: write master key file: %w", err)
	}
	// Sync so a crash right after start cannot leave an empty key file
	// while the database already holds keys wrapped with this one.
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("vault: write master key file: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("vault: write master key file: %w", err)
	}
	return key, nil
}

// decodeKey accepts 64 hex characters or standard base64, and requires 32 bytes.
func decodeKey(s string) ([]byte, error) {
	if len(s) == 2*KeySize {
		if key, err := hex.DecodeString(s); err == nil {
			return key, nil
		}
	}
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, errors.New("not valid base64 (standard encoding) or 64 hex characters")
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("key is %d bytes, want %d", len(key), KeySize)
	}
	return key, nil
}

// WrappedKey is a data or index key as stored in the database: encrypted
// ("wrapped") with the master key using AES-256-GCM.
type WrappedKey struct {
	ID        uint32    // 1, 2, 3 …; unique across purposes and never reused
	Purpose   string    // PurposeData or PurposeIndex
	Wrapped   []byte    // nonce|ciphertext of the 32-byte key under the master key, AAD = purpose+id
	Active    bool      // the data key new ciphertexts use; exactly one data key is active
	CreatedAt time.Time // when the key was made
}

// NewWrappedKey makes a fresh random 32-byte key for purpose with the given
// id and wraps it with master. The result is not Active; the caller marks the
// data key that should encrypt new values.
func NewWrappedKey(master []byte, id uint32, purpose string, now time.Time) (WrappedKey, error) {
	if id == 0 {
		return WrappedKey{}, errors.New("vault: key id 0 is not allowed")
	}
	if purpose != PurposeData && purpose != PurposeIndex {
		return WrappedKey{}, fmt.Errorf("vault: unknown key purpose %q", purpose)
	}
	aead, err := newAEAD(master)
	if err != nil {
		return WrappedKey{}, fmt.Errorf("vault: master key: %w", err)
	}
	key := make([]byte, KeySize)
	rand.Read(key)
	return WrappedKey{
		ID:        id,
		Purpose:   purpose,
		Wrapped:   aead.Seal(nil, nil, key, wrapAAD(purpose, id)),
		CreatedAt: now,
	}, nil
}

// wrapAAD binds a wrapped key to its purpose and id, so a row whose id or
// purpose was edited in the database fails to unwrap instead of silently
// decrypting with the wrong key: the purpose's bytes, then the id as 4
// big-endian bytes.
func wrapAAD(purpose string, id uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte(purpose), id)
}

// newAEAD returns AES-256-GCM with random 96-bit nonces prepended to the
// ciphertext, which is exactly the nonce|ciphertext layout we store.
func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCMWithRandomNonce(block)
}

// Keyring holds the unwrapped keys. It is safe for concurrent use; Load may
// be called again at any time (after a rotation) while other goroutines
// encrypt and decrypt.
type Keyring struct {
	master cipher.AEAD // unwraps keys; nil if the master key was malformed
	err    error       // why master is nil

	mu    sync.RWMutex
	state *keyState // nil until the first successful Load
}

// keyState is one consistent set of keys. Load builds a new one and swaps it
// in whole, so readers never see a half-loaded ring.
type keyState struct {
	data     map[uint32]cipher.AEAD
	activeID uint32
	active   cipher.AEAD
	index    []byte
}

// NewKeyring returns an empty keyring that unwraps keys with master.
// A malformed master key is reported by Load.
func NewKeyring(master []byte) *Keyring {
	aead, err := newAEAD(master)
	if err != nil {
		err = fmt.Errorf("vault: master key: %w", err)
	}
	return &Keyring{master: aead, err: err}
}

// Load unwraps keys, the full set of keys as stored in the database, and
// replaces whatever was loaded before. It requires exactly one active data
// key (used for new ciphertexts) and exactly one index key; inactive data
// keys remain available to decrypt older ciphertexts. The Active flag of an
// index key is ignored. On error the keyring is left as it was.
func (k *Keyring) Load(keys []WrappedKey) error {
	if k.err != nil {
		return k.err
	}
	st := &keyState{data: make(map[uint32]cipher.AEAD)}
	seen := make(map[uint32]bool, len(keys))
	var nIndex, nActive int
	for _, wk := range keys {
		if wk.ID == 0 {
			return errors.New("vault: key id 0 is not allowed")
		} else if seen[wk.ID] {
			return fmt.Errorf("vault: duplicate key id %d", wk.ID)
		}
		seen[wk.ID] = true

		if wk.Purpose != PurposeData && wk.Purpose != PurposeIndex {
			return fmt.Errorf("vault: key %d has unknown purpose %q", wk.ID, wk.Purpose)
		}
		key, err := k.master.Open(nil, nil, wk.Wrapped, wrapAAD(wk.Purpose, wk.ID))
		if err != nil {
			// Almost always a wrong or swapped master key; corruption of a
			// single row is far rarer, so say the likely thing.
			return fmt.Errorf("vault: master key does not match this database's keys (key %d does not unwrap)", wk.ID)
		} else if len(key) != KeySize {
			return fmt.Errorf("vault: key %d is %d bytes, want %d", wk.ID, len(key), KeySize)
		}

		switch wk.Purpose {
		case PurposeIndex:
			nIndex++
			st.index = key
		case PurposeData:
			aead, err := newAEAD(key)
			if err != nil {
				return fmt.Errorf("vault: key %d: %w", wk.ID, err)
			}
			st.data[wk.ID] = aead
			if wk.Active {
				nActive++
				st.activeID, st.active = wk.ID, aead
			}
		}
	}
	if nIndex != 1 {
		return fmt.Errorf("vault: need exactly one index key, found %d", nIndex)
	}
	if nActive != 1 {
		return fmt.Errorf("vault: need exactly one active data key, found %d", nActive)
	}

	k.mu.Lock()
	k.state = st
	k.mu.Unlock()
	return nil
}

// current returns the loaded key set, or an error if Load has not succeeded.
func (k *Keyring) current() (*keyState, error) {
	k.mu.RLock()
	st := k.state
	k.mu.RUnlock()
	if st == nil {
		return nil, errors.New("vault: keyring has no keys loaded")
	}
	return st, nil
}

// ActiveKeyID returns the id of the data key that encrypts new values,
// or 0 if no keys are loaded.
func (k *Keyring) ActiveKeyID() uint32 {
	st, err := k.current()
	if err != nil {
		return 0
	}
	return st.activeID
}

// HasKey reports whether a data key with id is loaded, so a re-encryption job
// can tell which ciphertexts it is able to migrate.
func (k *Keyring) HasKey(id uint32) bool {
	st, err := k.current()
	if err != nil {
		return false
	}
	_, ok := st.data[id]
	return ok
}

// Encrypt encrypts plaintext for the column named field with the active data
// key. An empty plaintext returns nil so that "no value" stays NULL in the
// database rather than becoming a ciphertext of nothing.
//
// The result is 0x01 | 4-byte big-endian key id | 12-byte random nonce | GCM
// ciphertext and tag. The field name is the GCM additional data, so a
// ciphertext copied into another column (say, a phone into the name column)
// fails to decrypt instead of being shown as the wrong thing.
func (k *Keyring) Encrypt(field, plaintext string) ([]byte, error) {
	if plaintext == "" {
		return nil, nil
	}
	if field == "" {
		return nil, errors.New("vault: encrypt: field name is required")
	}
	st, err := k.current()
	if err != nil {
		return nil, err
	}
	out := make([]byte, headerSize, headerSize+nonceSize+len(plaintext)+tagSize)
	out[0] = formatVersion
	binary.BigEndian.PutUint32(out[1:headerSize], st.activeID)
	return st.active.Seal(out, nil, []byte(plaintext), []byte(field)), nil
}

// Decrypt reverses Encrypt for the column named field. Nil or empty input
// returns "" and no error. It fails if the ciphertext names a key id that is
// not loaded, was made for another field, or was altered in any way.
func (k *Keyring) Decrypt(field string, ciphertext []byte) (string, error) {
	if len(ciphertext) == 0 {
		return "", nil
	}
	if len(ciphertext) < minCiphertext {
		return "", fmt.Errorf("vault: decrypt %s: ciphertext too short (%d bytes)", field, len(ciphertext))
	}
	if ciphertext[0] != formatVersion {
		return "", fmt.Errorf("vault: decrypt %s: unknown ciphertext version %d", field, ciphertext[0])
	}
	st, err := k.current()
	if err != nil {
		return "", err
	}
	id := binary.BigEndian.Uint32(ciphertext[1:headerSize])
	aead, ok := st.data[id]
	if !ok {
		return "", fmt.Errorf("vault: decrypt %s: unknown key id %d", field, id)
	}
	plaintext, err := aead.Open(nil, nil, ciphertext[headerSize:], []byte(field))
	if err != nil {
		return "", fmt.Errorf("vault: decrypt %s: ciphertext is corrupt or belongs to another field", field)
	}
	return string(plaintext), nil
}

// KeyIDOf returns the id of the data key that made ciphertext, without
// decrypting it. It reports false for empty input or an unknown format.
// A re-encryption job uses it to find rows still under an old key.
func KeyIDOf(ciphertext []byte) (uint32, bool) {
	if len(ciphertext) < minCiphertext || ciphertext[0] != formatVersion {
		return 0, false
	}
	return binary.BigEndian.Uint32(ciphertext[1:headerSize]), true
}

// BlindIndex returns HMAC-SHA256(index key, kind | 0x00 | normalizedValue),
// all 32 bytes, for exact-match lookup. kind (such as "phone" or "email")
// separates the value spaces, so the same string indexed as a phone and as
// an email gives different results. Callers must normalise the value with
// NormalizePhone or NormalizeEmail both when storing and when searching.
// An empty value returns nil, which stores as NULL and matches nothing.
//
// It panics if no keys are loaded: that is a wiring bug, and returning a
// bogus index would corrupt lookups silently.
func (k *Keyring) BlindIndex(kind, normalizedValue string) []byte {
	if normalizedValue == "" {
		return nil
	}
	st, err := k.current()
	if err != nil {
		panic(err)
	}
	mac := hmac.New(sha256.New, st.index)
	mac.Write([]byte(kind))
	mac.Write([]byte{0})
	mac.Write([]byte(normalizedValue))
	return mac.Sum(nil)
}
