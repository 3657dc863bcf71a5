// Package kefu holds the domain types, service contracts and error codes of
// kefu, a self-hosted customer-service desk for e-commerce teams. Subpackages
// implement them (store, auth, vault, audit, httpapi …); only cmd/kefu wires
// them together.
package kefu

import (
	"sync"
	"time"

	"github.com/google/uuid"
)

// Version is the build's version, set with -ldflags at build time.
var Version = "dev"

// Clock tells the time. Every time-dependent rule takes one so tests can fix it.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// FixedClock is a settable clock for tests; safe for concurrent use.
type FixedClock struct {
	mu sync.Mutex
	T  time.Time
}

// Now returns the clock's time.
func (c *FixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.T
}

// Advance moves the clock forward.
func (c *FixedClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.T = c.T.Add(d)
}

// NewID returns a new time-ordered identifier (UUIDv7). Every entity uses it.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// Team is a group of agents that conversations are routed to.
type Team struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	MemberIDs   []string  `json:"member_ids"`
	CreatedAt   time.Time `json:"created_at"`
	TeamRouting
}
