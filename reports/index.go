package reports

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/google/uuid"

	"kefu/kpi"
	"kefu/store"
)

// The index keeps every conversation's facts as compact numbers in memory,
// sorted by creation time, so that a report over a million conversations is
// one pass over memory (tens of milliseconds) instead of a scan of the
// database (seconds). It costs about 130 bytes per conversation. It reads
// the facts computed since its last look (by computed_at), so a node sees
// the facts another node computed as soon as it reports.
type index struct {
	mu     sync.RWMutex
	rows   []fact // by created, then id
	loaded bool
	since  time.Time // facts computed at or after since-Skew are read next

	dims     [numDims]dict
	contacts map[string]int32
	// names holds the conversation ids that are not canonical UUIDs (all
	// of kefu's are), by the key standing for them in a fact.
	names map[[16]byte]string
	// reopens holds the first responses of reopen episodes owed a human
	// reply: few conversations have them.
	reopens map[[16]byte][]time.Duration
}

// The dimensions a report filters and groups by.
const (
	dimChannel = iota
	dimTeam
	dimAgent
	dimIntent
	dimTier
	dimComplaint
	numDims
)

// dict numbers the distinct values of a dimension.
type dict struct {
	ids   map[string]uint16
	names []string
}

func (d *dict) id(v string) (uint16, error) {
	if id, ok := d.ids[v]; ok {
		return id, nil
	}
	if len(d.names) > math.MaxUint16 {
		return 0, fmt.Errorf("reports: more than %d distinct values of a dimension", math.MaxUint16+1)
	}
	if d.ids == nil {
		d.ids = map[string]uint16{}
	}
	id := uint16(len(d.names))
	d.ids[v], d.names = id, append(d.names, v)
	return id, nil
}

// fact is one conversation's facts as numbers (store.FactNumbers without
// pointers: -1 stands for "none").
type fact struct {
	id                                    [16]byte
	created                               int64 // Unix milliseconds
	contact                               int32 // -1: no contact
	dim                                   [numDims]uint16
	frt, handoff, resolution              int32 // whole seconds, -1: none
	handleMS, responseSumMS, cappedSumMS  int64
	flags                                 uint16
	csat, nps                             int8 // -1: none
	reopenOwed, slaTargets, slaMet, turns uint32
	unanswered, responseN, cappedN        uint32
	turns30s, turns3m                     uint32
	customerMessages, covered3m           uint32
}

// Fact flags.
const (
	fFRTOwed uint16 = 1 << iota
	fFRT30s
	fFRT3m
	fResolved
	fFCRKnown
	fFCR
	fRepeatKnown
	fRepeat
	fTransferred
	fEscalated
	fBotStarted
	fBotContained
)

func (f *fact) is(flag uint16) bool { return f.flags&flag != 0 }

// key is the 16 bytes standing for a conversation id: the UUID itself, or
// for another id a hash of it (kept in names).
func (ix *index) key(id string) [16]byte {
	if u, err := uuid.Parse(id); err == nil && u.String() == id {
		return u
	}
	var k [16]byte
	sum := sha256.Sum256([]byte(id))
	copy(k[:], sum[:])
	if ix.names == nil {
		ix.names = map[[16]byte]string{}
	}
	ix.names[k] = id
	return k
}

// conversationID turns a fact's key back into its conversation id.
func (ix *index) conversationID(k [16]byte) string {
	if id, ok := ix.names[k]; ok {
		return id
	}
	return uuid.UUID(k).String()
}

// fact turns a stored row into a fact, numbering its values.
func (ix *index) fact(r store.FactsRow) (fact, error) {
	n := r.Numbers
	f := fact{id: ix.key(r.ConversationID), created: r.CreatedAt.UnixMilli(), contact: -1, frt: secs32(n.FRTSeconds),
		handoff: secs32(n.HandoffSeconds), resolution: secs32(n.ResolutionSeconds), handleMS: n.HandleMS, responseSumMS: n.ResponseSumMS,
		cappedSumMS: n.CappedSumMS, csat: score8(n.CSAT), nps: score8(n.NPS), reopenOwed: u32(n.ReopenOwed), slaTargets: u32(n.SLATargets),
		slaMet: u32(n.SLAMet), turns: u32(n.Turns), unanswered: u32(n.UnansweredTurns), responseN: u32(n.ResponseN), cappedN: u32(n.CappedN),
		turns30s: u32(n.Turns30s), turns3m: u32(n.Turns3m), customerMessages: u32(n.CustomerMessages), covered3m: u32(n.Covered3m)}
	for _, fl := range []struct {
		on   bool
		flag uint16
	}{{n.FRTOwed, fFRTOwed}, {n.FRT30s, fFRT30s}, {n.FRT3m, fFRT3m}, {n.Resolved, fResolved}, {n.FCR != nil, fFCRKnown},
		{n.FCR != nil && *n.FCR, fFCR}, {n.RepeatContact != nil, fRepeatKnown}, {n.RepeatContact != nil && *n.RepeatContact, fRepeat},
		{n.Transferred, fTransferred}, {n.Escalated, fEscalated}, {n.BotStarted, fBotStarted}, {n.BotContained, fBotContained}} {
		if fl.on {
			f.flags |= fl.flag
		}
	}
	if r.ContactID != "" {
		id, ok := ix.contacts[r.ContactID]
		if !ok {
			if ix.contacts == nil {
				ix.contacts = map[string]int32{}
			}
			id = int32(len(ix.contacts))
			ix.contacts[r.ContactID] = id
		}
		f.contact = id
	}
	for i, v := range [numDims]string{r.Channel, r.TeamID, r.AssigneeID, r.Intent, r.ContactTier, r.ComplaintCategory} {
		id, err := ix.dims[i].id(v)
		if err != nil {
			return f, err
		}
		f.dim[i] = id
	}
	delete(ix.reopens, f.id)
	if n.ReopenOwed > 0 && r.Data != "" {
		var x kpi.Facts
		if err := json.Unmarshal([]byte(r.Data), &x); err != nil {
			return f, fmt.Errorf("reports: facts of %s: %w", r.ConversationID, err)
		}
		var firsts []time.Duration
		for _, ep := range x.Episodes {
			if ep.Reopen && ep.HumanOwed && ep.FirstResponse != nil {
				firsts = append(firsts, *ep.FirstResponse)
			}
		}
		if firsts != nil {
			if ix.reopens == nil {
				ix.reopens = map[[16]byte][]time.Duration{}
			}
			ix.reopens[f.id] = firsts
		}
	}
	return f, nil
}

func secs32(s *int64) int32 {
	if s == nil {
		return -1
	}
	return int32(min(max(*s, 0), math.MaxInt32))
}

func score8(v *int) int8 {
	if v == nil || *v < -1 || *v > 100 {
		return -1
	}
	return int8(*v)
}

func u32(n int) uint32 { return uint32(min(max(n, 0), math.MaxUint32)) }

// refresh reads the facts computed since the index's last look.
func (ix *index) refresh(ctx context.Context, db *store.DB) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	since := time.Time{}
	if ix.loaded {
		since = ix.since.Add(-Skew)
	}
	latest := ix.since
	var added []fact
	err := db.EachFacts(ctx, since, func(r store.FactsRow) error {
		if r.ComputedAt.After(latest) {
			latest = r.ComputedAt
		}
		f, err := ix.fact(r)
		if err != nil {
			return err
		}
		if i, ok := ix.find(f.id, f.created); ok {
			ix.rows[i] = f
		} else {
			added = append(added, f)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(added) > 0 {
		slices.SortFunc(added, compareFacts)
		switch {
		case len(ix.rows) == 0: // the first load
			ix.rows = added
		case compareFacts(ix.rows[len(ix.rows)-1], added[0]) < 0: // new conversations
			ix.rows = append(ix.rows, added...)
		default: // history imported, or a late commit: rare
			ix.rows = append(ix.rows, added...)
			slices.SortFunc(ix.rows, compareFacts)
		}
	}
	ix.loaded, ix.since = true, latest
	return nil
}

func compareFacts(a, b fact) int {
	switch {
	case a.created < b.created:
		return -1
	case a.created > b.created:
		return 1
	}
	return slices.Compare(a.id[:], b.id[:])
}

// find returns the position of a conversation's fact.
func (ix *index) find(id [16]byte, created int64) (int, bool) {
	for i := ix.first(created); i < len(ix.rows) && ix.rows[i].created == created; i++ {
		if ix.rows[i].id == id {
			return i, true
		}
	}
	return 0, false
}

// first returns the position of the first fact created at or after ms.
func (ix *index) first(ms int64) int {
	return sort.Search(len(ix.rows), func(i int) bool { return ix.rows[i].created >= ms })
}

// selection is a filter resolved against the index's dimensions.
type selection struct {
	from, to int64
	want     [numDims]int32 // -1: any value
	none     bool           // a value the index has never seen: nothing matches
}

func (ix *index) selection(f Filter) selection {
	s := selection{from: f.From.UnixMilli(), to: f.To.UnixMilli()}
	for i, v := range [numDims]string{f.Channel, f.TeamID, f.AssigneeID, f.Intent, f.ContactTier, ""} {
		s.want[i] = -1
		if v == "" {
			continue
		}
		id, ok := ix.dims[i].ids[v]
		if !ok {
			s.none = true
		}
		s.want[i] = int32(id)
	}
	return s
}

// each calls fn with the facts a filter selects, oldest first. The caller
// holds the read lock.
func (ix *index) each(f Filter, fn func(*fact)) {
	s := ix.selection(f)
	if s.none {
		return
	}
	for i := ix.first(s.from); i < len(ix.rows) && ix.rows[i].created < s.to; i++ {
		r := &ix.rows[i]
		if s.matches(r) {
			fn(r)
		}
	}
}

// eachNewest is each, newest first.
func (ix *index) eachNewest(f Filter, fn func(*fact) bool) {
	s := ix.selection(f)
	if s.none {
		return
	}
	for i := ix.first(s.to) - 1; i >= 0 && ix.rows[i].created >= s.from; i-- {
		if r := &ix.rows[i]; s.matches(r) && !fn(r) {
			return
		}
	}
}

func (s *selection) matches(r *fact) bool {
	for d, w := range s.want {
		if w >= 0 && int32(r.dim[d]) != w {
			return false
		}
	}
	return true
}

// name is a dimension's value of a fact.
func (ix *index) name(d int, r *fact) string { return ix.dims[d].names[r.dim[d]] }

// localClock reads Unix milliseconds on a time zone's wall clock, keeping
// the zone's offset while it holds: a year of facts crosses a few offset
// changes, not a million.
type localClock struct {
	loc      *time.Location
	from, to int64 // the offset holds in [from, to), in Unix milliseconds
	offset   int64 // seconds east of UTC
	known    bool
}

// local is ms as seconds since 1970-01-01 00:00 on the wall clock.
func (c *localClock) local(ms int64) int64 {
	if !c.known || ms < c.from || ms >= c.to {
		t := time.UnixMilli(ms).In(c.loc)
		_, off := t.Zone()
		start, end := t.ZoneBounds()
		c.offset, c.from, c.to, c.known = int64(off), math.MinInt64, math.MaxInt64, true
		if !start.IsZero() {
			c.from = start.UnixMilli()
		}
		if !end.IsZero() {
			c.to = end.UnixMilli()
		}
	}
	s := ms / 1000
	if ms%1000 < 0 {
		s--
	}
	return s + c.offset
}

const secondsPerDay = 24 * 60 * 60

// day numbers the wall clock's days from 1970-01-01.
func (c *localClock) day(ms int64) int64 {
	s := c.local(ms)
	d := s / secondsPerDay
	if s%secondsPerDay < 0 {
		d--
	}
	return d
}

// secondOfDay is the second of the wall clock's day, 0 to 86399.
func (c *localClock) secondOfDay(ms int64) int64 {
	return c.local(ms) - c.day(ms)*secondsPerDay
}
