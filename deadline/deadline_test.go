package deadline_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kefu/deadline"
)

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// clock is a test clock that only moves when told to.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// firing is one call of fire.
type firing struct {
	key string
	at  time.Time
}

// recorder collects fire calls.
type recorder struct {
	mu    sync.Mutex
	fired []firing
}

func (r *recorder) fire(key string, at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fired = append(r.fired, firing{key, at})
}

// take returns the keys fired since the last take.
func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var keys []string
	for _, f := range r.fired {
		keys = append(keys, f.key)
	}
	r.fired = nil
	return keys
}

func check(t *testing.T, s *deadline.Scheduler) {
	t.Helper()
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestRunDueFiresInDeadlineOrder(t *testing.T) {
	c, r := newClock(), &recorder{}
	s := deadline.New(c.Now, r.fire)
	s.Set("c", t0.Add(3*time.Minute))
	s.Set("a", t0.Add(1*time.Minute))
	s.Set("d", t0.Add(4*time.Minute))
	s.Set("b1", t0.Add(2*time.Minute))
	s.Set("b2", t0.Add(2*time.Minute)) // same deadline as b1, set later
	s.Set("past", t0.Add(-time.Hour))
	check(t, s)

	if key, at, ok := s.Next(); !ok || key != "past" || !at.Equal(t0.Add(-time.Hour)) {
		t.Fatalf("Next() = %q, %v, %v; want past", key, at, ok)
	}
	if n := s.RunDue(); n != 1 {
		t.Fatalf("RunDue at t0 fired %d, want 1 (the past deadline)", n)
	}
	if got := r.take(); !slices.Equal(got, []string{"past"}) {
		t.Fatalf("fired %v", got)
	}

	c.Advance(2 * time.Minute) // exactly b1's and b2's deadline: due
	if n := s.RunDue(); n != 3 {
		t.Fatalf("RunDue at +2m fired %d, want 3", n)
	}
	if got := r.take(); !slices.Equal(got, []string{"a", "b1", "b2"}) {
		t.Fatalf("fired %v, want a b1 b2", got)
	}
	if n := s.RunDue(); n != 0 {
		t.Fatalf("second RunDue fired %d", n)
	}

	c.Advance(time.Hour)
	s.RunDue()
	if got := r.take(); !slices.Equal(got, []string{"c", "d"}) {
		t.Fatalf("fired %v, want c d", got)
	}
	if s.Len() != 0 {
		t.Fatalf("Len() = %d after everything fired", s.Len())
	}
	if _, _, ok := s.Next(); ok {
		t.Fatal("Next() ok on an empty scheduler")
	}
}

func TestRunDuePassesTheDeadline(t *testing.T) {
	c, r := newClock(), &recorder{}
	s := deadline.New(c.Now, r.fire)
	at := t0.Add(90 * time.Second)
	s.Set("k", at)
	c.Advance(time.Hour)
	s.RunDue()
	if len(r.fired) != 1 || !r.fired[0].at.Equal(at) {
		t.Fatalf("fired %v, want k at its deadline %v", r.fired, at)
	}
}

func TestSetReplacesDeadline(t *testing.T) {
	c, r := newClock(), &recorder{}
	s := deadline.New(c.Now, r.fire)
	s.Set("earlier", t0.Add(time.Hour))
	s.Set("later", t0.Add(time.Minute))
	s.Set("other", t0.Add(30*time.Minute))
	s.Set("earlier", t0.Add(time.Minute)) // moved forward
	s.Set("later", t0.Add(2*time.Hour))   // moved back
	check(t, s)
	if s.Len() != 3 {
		t.Fatalf("Len() = %d, want 3: a key has one deadline", s.Len())
	}
	if key, at, _ := s.Next(); key != "earlier" || !at.Equal(t0.Add(time.Minute)) {
		t.Fatalf("Next() = %q %v, want earlier at +1m", key, at)
	}

	c.Advance(time.Hour)
	s.RunDue()
	if got := r.take(); !slices.Equal(got, []string{"earlier", "other"}) {
		t.Fatalf("fired %v, want earlier once, then other", got)
	}
	c.Advance(time.Hour)
	s.RunDue()
	if got := r.take(); !slices.Equal(got, []string{"later"}) {
		t.Fatalf("fired %v, want later", got)
	}
}

func TestCancel(t *testing.T) {
	c, r := newClock(), &recorder{}
	s := deadline.New(c.Now, r.fire)
	for i := range 10 {
		s.Set(fmt.Sprint(i), t0.Add(time.Duration(i)*time.Minute))
	}
	s.Cancel("0") // the earliest
	s.Cancel("5") // one in the middle
	s.Cancel("9") // the last
	s.Cancel("missing")
	s.Cancel("5") // twice
	check(t, s)
	if s.Len() != 7 {
		t.Fatalf("Len() = %d, want 7", s.Len())
	}
	if key, _, _ := s.Next(); key != "1" {
		t.Fatalf("Next() = %q, want 1", key)
	}
	c.Advance(time.Hour)
	s.RunDue()
	if got := r.take(); !slices.Equal(got, []string{"1", "2", "3", "4", "6", "7", "8"}) {
		t.Fatalf("fired %v", got)
	}
}

// A fired key is removed before fire runs, so fire can set the key's next
// deadline (an SLA warning followed by the breach) and use the scheduler
// without deadlocking.
func TestFireSetsTheSameKeyAgain(t *testing.T) {
	c := newClock()
	var s *deadline.Scheduler
	var fired []string
	s = deadline.New(c.Now, func(key string, at time.Time) {
		fired = append(fired, fmt.Sprintf("%s@%v", key, at.Sub(t0)))
		if s.Len() != 0 {
			t.Errorf("Len() = %d inside fire: the key should be gone", s.Len())
		}
		if _, _, ok := s.Next(); ok {
			t.Error("Next() ok inside fire: the key should be gone")
		}
		if at.Sub(t0) < 3*time.Minute {
			s.Set(key, at.Add(time.Minute)) // next warning
		}
		s.Cancel("nothing")
	})
	s.Set("conv", t0.Add(time.Minute))

	c.Advance(time.Minute)
	if n := s.RunDue(); n != 1 {
		t.Fatalf("RunDue fired %d, want 1: the re-set deadline is a minute ahead", n)
	}
	if key, at, ok := s.Next(); !ok || key != "conv" || !at.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("Next() = %q %v %v, want conv at +2m", key, at, ok)
	}

	// Catching up after downtime fires the whole overdue chain in one call.
	c.Advance(time.Hour)
	if n := s.RunDue(); n != 2 {
		t.Fatalf("catch-up RunDue fired %d, want 2", n)
	}
	want := []string{"conv@1m0s", "conv@2m0s", "conv@3m0s"}
	if !slices.Equal(fired, want) {
		t.Fatalf("fired %v, want %v", fired, want)
	}
	if s.Len() != 0 {
		t.Fatalf("Len() = %d, want 0", s.Len())
	}
}

// TestAgainstModel drives random Set, Cancel and clock moves and compares
// every RunDue and Next with a plain map.
func TestAgainstModel(t *testing.T) {
	type want struct {
		at  time.Time
		seq int
	}
	rng := rand.New(rand.NewPCG(1, 2))
	c, r := newClock(), &recorder{}
	s := deadline.New(c.Now, r.fire)
	model := map[string]want{}
	seq := 0
	for step := range 20000 {
		key := fmt.Sprint(rng.IntN(300))
		switch op := rng.IntN(10); {
		case op < 6:
			// Coarse deadlines so that many are equal and the tie order counts.
			at := c.Now().Add(time.Duration(rng.IntN(120)-10) * time.Second)
			seq++
			s.Set(key, at)
			model[key] = want{at, seq}
		case op < 8:
			s.Cancel(key)
			delete(model, key)
		case op < 9:
			c.Advance(time.Duration(rng.IntN(20)) * time.Second)
		default:
			now := c.Now()
			var due []string
			for k, w := range model {
				if !w.at.After(now) {
					due = append(due, k)
				}
			}
			slices.SortFunc(due, func(a, b string) int {
				if c := model[a].at.Compare(model[b].at); c != 0 {
					return c
				}
				return model[a].seq - model[b].seq
			})
			for _, k := range due {
				delete(model, k)
			}
			if n := s.RunDue(); n != len(due) {
				t.Fatalf("step %d: RunDue fired %d, want %d", step, n, len(due))
			}
			if got := r.take(); !slices.Equal(got, due) {
				t.Fatalf("step %d: fired %v, want %v", step, got, due)
			}
		}
		if s.Len() != len(model) {
			t.Fatalf("step %d: Len() = %d, want %d", step, s.Len(), len(model))
		}
		if step%100 == 0 {
			check(t, s)
			key, at, ok := s.Next()
			if ok != (len(model) > 0) {
				t.Fatalf("step %d: Next() ok = %v with %d keys", step, ok, len(model))
			}
			if ok {
				for k, w := range model {
					if w.at.Before(at) || w.at.Equal(at) && w.seq < model[key].seq {
						t.Fatalf("step %d: Next() = %q %v, but %q is due %v", step, key, at, k, w.at)
					}
				}
			}
		}
	}
}

// TestConcurrent hammers a running scheduler from many goroutines, also from
// within fire and alongside RunDue; run it with -race.
func TestConcurrent(t *testing.T) {
	const goroutines, ops, ownKeys, hotKeys = 8, 3000, 40, 10
	var inFire atomic.Int32
	var s *deadline.Scheduler
	s = deadline.New(time.Now, func(key string, at time.Time) {
		if inFire.Add(1) != 1 {
			t.Error("fire called while another fire was running")
		}
		defer inFire.Add(-1)
		// Keys set by fire, fired once more: chains that end.
		if len(key) < 10 {
			s.Set(key+"-again", time.Now().Add(-time.Millisecond))
		}
		s.Len()
		s.Next()
	})
	s.Start()

	// Each goroutine owns some keys, given deadlines an hour away, so the
	// final state of those is known; hot keys are shared and set in the past,
	// so they fire while the others Set and Cancel.
	last := make([]map[string]bool, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		last[g] = map[string]bool{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 99))
			for range ops {
				own := fmt.Sprintf("own%d/%d", g, rng.IntN(ownKeys))
				hot := fmt.Sprintf("hot%d", rng.IntN(hotKeys))
				switch rng.IntN(8) {
				case 0, 1, 2:
					s.Set(own, time.Now().Add(time.Hour+time.Duration(rng.IntN(1000))*time.Second))
					last[g][own] = true
				case 3:
					s.Cancel(own)
					last[g][own] = false
				case 4, 5:
					s.Set(hot, time.Now().Add(-time.Duration(rng.IntN(5))*time.Millisecond))
				case 6:
					s.Cancel(hot)
				default:
					if rng.IntN(20) == 0 {
						s.RunDue()
					}
					s.Next()
					s.Len()
				}
			}
		}()
	}
	wg.Wait()
	s.Stop()
	// Fire whatever the goroutine had not reached. A "-again" key set by
	// fire during a RunDue may be later than the instant that RunDue read,
	// so it is left for the next one.
	for s.RunDue() > 0 {
	}

	check(t, s)
	want := 0
	for g := range goroutines {
		for _, present := range last[g] {
			if present {
				want++
			}
		}
	}
	if s.Len() != want {
		t.Fatalf("Len() = %d after the dust settled, want %d (the owned keys last Set)", s.Len(), want)
	}
	if key, _, ok := s.Next(); ok && key[:3] != "own" {
		t.Fatalf("Next() = %q: a past deadline is still pending", key)
	}
}

// receive waits for the next fired key; the timeout is generous because this
// checks behaviour, not timing.
func receive(t *testing.T, fired <-chan string) string {
	t.Helper()
	select {
	case key := <-fired:
		return key
	case <-time.After(10 * time.Second):
		t.Fatal("nothing fired within 10s")
		return ""
	}
}

func TestRealTime(t *testing.T) {
	fired := make(chan string, 100)
	var s *deadline.Scheduler
	ticks := 0
	s = deadline.New(time.Now, func(key string, at time.Time) {
		if key == "tick" {
			ticks++
			if ticks < 3 {
				s.Set("tick", time.Now().Add(2*time.Millisecond))
			}
		}
		fired <- key
	})

	// Set while stopped: the order they fire in then depends only on their
	// deadlines, not on how fast this goroutine runs.
	now := time.Now()
	s.Set("late", now.Add(30*time.Millisecond))
	s.Set("soon", now.Add(3*time.Millisecond))
	s.Set("past", now.Add(-time.Second))
	s.Set("far", now.Add(time.Hour))
	s.Start()
	defer s.Stop()
	for _, want := range []string{"past", "soon", "late"} {
		if got := receive(t, fired); got != want {
			t.Fatalf("fired %q, want %q", got, want)
		}
	}

	// The goroutine now sleeps towards "far"; a Set before it must wake it.
	s.Set("moved", time.Now().Add(time.Hour))
	s.Set("moved", time.Now().Add(2*time.Millisecond))
	if got := receive(t, fired); got != "moved" {
		t.Fatalf("fired %q, want moved", got)
	}
	s.Set("now", time.Now())
	if got := receive(t, fired); got != "now" {
		t.Fatalf("fired %q, want now", got)
	}

	// Cancelling the earliest deadline leaves the goroutine working.
	s.Set("cancelled", time.Now().Add(time.Hour-time.Minute))
	s.Cancel("cancelled")
	s.Set("tick", time.Now().Add(2*time.Millisecond))
	for range 3 {
		if got := receive(t, fired); got != "tick" {
			t.Fatalf("fired %q, want tick", got)
		}
	}
	if key, _, _ := s.Next(); key != "far" || s.Len() != 1 {
		t.Fatalf("Next() = %q, Len() = %d; want only far left", key, s.Len())
	}
}

func TestStopKeepsDeadlines(t *testing.T) {
	fired := make(chan string, 10)
	s := deadline.New(time.Now, func(key string, at time.Time) { fired <- key })
	s.Stop() // stopping a stopped scheduler is harmless
	s.Start()
	s.Start() // so is starting a running one
	s.Set("a", time.Now())
	if got := receive(t, fired); got != "a" {
		t.Fatalf("fired %q, want a", got)
	}
	s.Stop()
	s.Stop()

	s.Set("b", time.Now().Add(-time.Minute))
	if key, _, ok := s.Next(); !ok || key != "b" || s.Len() != 1 {
		t.Fatalf("Next() = %q %v, Len() = %d; want b pending while stopped", key, ok, s.Len())
	}
	select {
	case key := <-fired:
		t.Fatalf("%q fired while stopped", key)
	default:
	}

	s.Start()
	defer s.Stop()
	if got := receive(t, fired); got != "b" {
		t.Fatalf("fired %q after restart, want b", got)
	}
}

// TestNoWakeUps checks that the goroutine is not polling: deadlines later
// than its alarm, and cancellations, leave it asleep, and only a deadline
// before its alarm wakes it.
func TestNoWakeUps(t *testing.T) {
	s := deadline.New(time.Now, func(string, time.Time) {})
	s.Start()
	defer s.Stop()
	now := time.Now()
	s.Set("head", now.Add(time.Hour))
	waitAsleep(t, s)
	wakes := s.Wakes()

	for i := range 1000 {
		s.Set(fmt.Sprint(i), now.Add(time.Hour+time.Duration(i)*time.Second))
	}
	for i := range 500 {
		s.Cancel(fmt.Sprint(i))
	}
	s.Cancel("head")
	if !s.Sleeping() || s.Wakes() != wakes {
		t.Fatalf("later deadlines and cancels woke the goroutine (%d wake-ups)", s.Wakes()-wakes)
	}

	// Set marks the goroutine awake as it signals it, so waitAsleep returns
	// only after the goroutine has looked at the heap again.
	s.Set("earlier", now.Add(-time.Second))
	waitAsleep(t, s)
	if key, _, _ := s.Next(); key != "500" {
		t.Fatalf("Next() = %q after earlier fired, want 500", key)
	}
	if n := s.Wakes() - wakes; n != 1 {
		// Not a timing assertion: no timer was due, so only the Set can
		// have woken it.
		t.Fatalf("%d wake-ups, want 1", n)
	}
}

// waitAsleep waits until the goroutine sleeps.
func waitAsleep(t *testing.T, s *deadline.Scheduler) {
	t.Helper()
	for start := time.Now(); !s.Sleeping(); time.Sleep(time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			t.Fatal("the goroutine did not go to sleep within 10s")
		}
	}
}

// A service that was never started holds a nil scheduler: stopping it and
// running what is due are no-ops.
func TestNilScheduler(t *testing.T) {
	var s *deadline.Scheduler
	s.Stop()
	if n := s.RunDue(); n != 0 {
		t.Fatalf("a nil scheduler fired %d", n)
	}
}
