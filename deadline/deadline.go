// Package deadline calls a function when deadlines pass, for very many keys:
// the SLA timers of up to 100,000 open conversations, the overflow timers of
// conversations waiting in a queue.
//
// A Scheduler keeps every deadline in one min-heap ordered by time, with a
// map from key to heap entry so that moving or cancelling a key's deadline
// costs O(log n) instead of a scan. One goroutine sleeps on one time.Timer
// armed for the earliest deadline. There is no ticker and no polling: with
// 100,000 deadlines an hour away the goroutine does not wake at all (apart
// from a once-a-minute check, see maxSleep). A Set wakes it only when the new
// deadline comes before the goroutine's alarm; a Cancel never does.
//
// A runtime timer per key (time.AfterFunc) would also work, but each one
// allocates a timer and a closure, the pending ones cannot be listed, and
// their callbacks run on goroutines of their own, concurrently and in no
// fixed order. Here fire is called one key at a time in deadline order, and
// Stop keeps the pending deadlines so that they can be listed.
//
// Clocks: the goroutine compares deadlines with now() when it wakes and
// sleeps for at minus now(). A test clock that never advances therefore never
// fires anything through the goroutine, except deadlines already due; tests
// should not Start the scheduler but advance their clock and call RunDue.
package deadline

import (
	"sync"
	"time"
)

// maxSleep caps how long the goroutine sleeps even when the earliest deadline
// is further away. time.Timer measures the monotonic clock, but deadlines are
// wall-clock instants (an SLA due time read back from the database carries no
// monotonic reading). When the wall clock is stepped forward (an NTP
// correction) or the monotonic clock stands still (a suspended VM resumes:
// Linux's CLOCK_MONOTONIC does not count suspend), a timer armed for the full
// interval would fire late by the jump. Capping the sleep bounds that lateness
// to one minute, for at most 1,440 needless wake-ups a day.
const maxSleep = time.Minute

// entry is one key's deadline and its place in the heap.
type entry struct {
	key   string
	at    time.Time
	seq   uint64 // order of Set calls: equal deadlines fire in the order they were set
	index int    // position in Scheduler.heap, kept up to date by the heap code
}

// before orders the heap: earliest deadline first, then earliest Set.
func (e *entry) before(o *entry) bool {
	if c := e.at.Compare(o.at); c != 0 {
		return c < 0
	}
	return e.seq < o.seq
}

// Scheduler calls fire for each key whose deadline has passed. The zero value
// is not usable; call New. All methods are safe for concurrent use, and Set,
// Cancel, Next and Len may be called from within fire.
//
// Memory follows the most keys held at once (about 115 bytes a key besides
// the key string): neither Go maps nor the heap's slice shrink.
type Scheduler struct {
	now  func() time.Time
	fire func(key string, at time.Time)

	// firing is held while keys are being fired, by the goroutine or by
	// RunDue, so that fire is called one key at a time. It is never held
	// together with mu while fire runs: fire can take mu through Set.
	firing sync.Mutex

	// lifecycle serialises Start and Stop, so that a Stop returns only once
	// the goroutine has exited even when two Stops race.
	lifecycle sync.Mutex

	mu    sync.Mutex
	heap  []*entry          // min-heap ordered by entry.before
	index map[string]*entry // key -> its entry in heap
	seq   uint64            // last entry.seq handed out

	// Goroutine state, guarded by mu.
	running    bool
	stop       chan struct{} // closed by Stop
	done       chan struct{} // closed by the goroutine when it exits
	sleeping   bool          // the goroutine waits on wake and its timer
	sleepUntil time.Time     // when its timer fires (by now()); zero: no timer, only wake
	wakes      uint64        // times the goroutine woke up; lets tests check there is no polling

	// wake tells a sleeping goroutine to look at the heap again. It holds at
	// most one signal, sent only while sleeping is true, and the sender
	// clears sleeping, so signals never pile up.
	wake chan struct{}
}

// New returns a stopped scheduler. now is the clock (tests pass a fixed
// clock); fire is called for each due key, one at a time, from the
// scheduler's goroutine or from RunDue, never while holding the scheduler's
// lock. The key is removed before fire is called, so fire may Set it again
// (the next warning, say). fire must not call Start, Stop or RunDue: Stop and
// RunDue wait for the fire in progress to return, and Start waits for a Stop
// in progress.
func New(now func() time.Time, fire func(key string, at time.Time)) *Scheduler {
	return &Scheduler{
		now:   now,
		fire:  fire,
		index: make(map[string]*entry),
		wake:  make(chan struct{}, 1),
	}
}

// Start starts the goroutine that fires keys as their deadlines pass,
// beginning with those already due. Starting a running scheduler does
// nothing.
func (s *Scheduler) Start() {
	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running {
		return
	}
	s.running = true
	s.stop = make(chan struct{})
	s.done = make(chan struct{})
	go s.loop(s.stop, s.done)
}

// Stop stops the goroutine and waits for it to exit, which includes waiting
// for a fire in progress to return. Pending deadlines stay: they can be
// listed, changed, fired with RunDue, or fired by a later Start. Stopping a
// stopped scheduler, or a nil one (a service not started), does nothing.
func (s *Scheduler) Stop() {
	if s == nil {
		return
	}
	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	s.mu.Lock()
	if !s.running {
		s.mu.Unlock()
		return
	}
	s.running = false
	stop, done := s.stop, s.done
	s.mu.Unlock()
	close(stop)
	<-done
}

// Set gives key the deadline at, replacing any deadline it had: a key has at
// most one. A deadline at or before now() fires as soon as the goroutine or
// RunDue gets to it.
func (s *Scheduler) Set(key string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	if e, ok := s.index[key]; ok {
		e.at, e.seq = at, s.seq
		s.fix(e.index)
	} else {
		e := &entry{key: key, at: at, seq: s.seq}
		s.index[key] = e
		s.push(e)
	}
	// Wake the goroutine only if its alarm is now too late. A Set later than
	// the alarm is picked up when the alarm goes off, so bulk-loading 100,000
	// deadlines wakes it at most a few times.
	if s.sleeping && (s.sleepUntil.IsZero() || at.Before(s.sleepUntil)) {
		s.sleeping = false
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
}

// Cancel removes key's deadline, if it has one.
//
// Cancel never wakes the goroutine: removing deadlines can only make the
// earliest one later, and an alarm that goes off early finds nothing due and
// sleeps again. One spurious wake-up is cheaper than a wake-up per Cancel
// when many conversations close at once.
func (s *Scheduler) Cancel(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.index[key]
	if !ok {
		return
	}
	delete(s.index, key)
	s.remove(e.index)
}

// Next returns the key with the earliest deadline, and ok false if there is
// none. Of keys with equal deadlines, the one set first comes first, as they
// fire.
func (s *Scheduler) Next() (key string, at time.Time, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.heap) == 0 {
		return "", time.Time{}, false
	}
	return s.heap[0].key, s.heap[0].at, true
}

// Len returns the number of keys with a deadline.
func (s *Scheduler) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.index)
}

// RunDue fires, synchronously and in deadline order, every key whose
// deadline is at or before now(), and returns how many it fired. Tests use it
// with a fixed clock instead of Start; a server can call it after loading
// deadlines on restart to catch up before serving.
//
// now() is read once, at the start. Keys that fire re-set while RunDue runs
// fire in the same call if their new deadline is also at or before that
// instant, so a catch-up fires a whole overdue chain (warning, then breach).
// A fire that always re-sets its key at or before now() therefore never lets
// RunDue return, just as a timer that re-arms itself with zero delay would
// spin. A nil scheduler (a service not started) has nothing due.
func (s *Scheduler) RunDue() int {
	if s == nil {
		return 0
	}
	return s.runDue(nil)
}

// runDue fires due keys one at a time until none is due at the instant read
// at the start, or until stop is closed (nil: never).
func (s *Scheduler) runDue(stop <-chan struct{}) int {
	s.firing.Lock()
	defer s.firing.Unlock()
	now := s.now()
	fired := 0
	for {
		select {
		case <-stop:
			// Stop should not wait for a catch-up of thousands of keys; the
			// rest stay in the heap.
			return fired
		default:
		}
		s.mu.Lock()
		if len(s.heap) == 0 || s.heap[0].at.After(now) {
			s.mu.Unlock()
			return fired
		}
		e := s.heap[0]
		delete(s.index, e.key)
		s.remove(0)
		s.mu.Unlock()

		// Without the lock: fire may call Set, Cancel, Next or Len.
		s.fire(e.key, e.at)
		fired++
	}
}

// loop is the scheduler's goroutine: fire what is due, then sleep until the
// earliest deadline (at most maxSleep), a Set that brings it forward, or Stop.
func (s *Scheduler) loop(stop, done chan struct{}) {
	timer := time.NewTimer(maxSleep)
	timer.Stop()
	defer func() {
		timer.Stop()
		s.mu.Lock()
		s.sleeping = false
		s.drainWake()
		s.mu.Unlock()
		close(done)
	}()

	for {
		s.runDue(stop)
		select {
		case <-stop:
			return
		default:
		}

		now := s.now()
		s.mu.Lock()
		armed := false
		if len(s.heap) > 0 {
			at := s.heap[0].at
			if !at.After(now) {
				// Came due while firing, or was set in the past meanwhile.
				s.mu.Unlock()
				continue
			}
			d := min(at.Sub(now), maxSleep)
			s.sleepUntil = now.Add(d)
			timer.Reset(d)
			armed = true
		} else {
			// Nothing to wait for but a Set; no timer at all.
			s.sleepUntil = time.Time{}
		}
		s.sleeping = true
		s.mu.Unlock()

		select {
		case <-stop:
			return
		case <-s.wake:
		case <-timer.C:
		}
		if armed {
			// Since Go 1.23 Stop also discards a pending tick, so the next
			// Reset starts clean.
			timer.Stop()
		}

		s.mu.Lock()
		s.wakes++
		s.sleeping = false
		// A Set may have signalled just as the timer fired; the loop is
		// about to look at the heap anyway.
		s.drainWake()
		s.mu.Unlock()
	}
}

// drainWake empties the wake channel. Called with mu held and sleeping false,
// so no new signal can arrive.
func (s *Scheduler) drainWake() {
	select {
	case <-s.wake:
	default:
	}
}

// The heap code below keeps entry.index equal to each entry's position, which
// is what lets Set and Cancel find a key's entry in O(1) and then fix or remove
// it in O(log n). It is written out rather than using container/heap to avoid
// the interface calls and the `any` conversions of Push and Pop.

// push adds e to the heap.
func (s *Scheduler) push(e *entry) {
	e.index = len(s.heap)
	s.heap = append(s.heap, e)
	s.up(e.index)
}

// remove takes the entry at position i out of the heap.
func (s *Scheduler) remove(i int) {
	last := len(s.heap) - 1
	if i != last {
		s.swap(i, last)
	}
	s.heap[last] = nil // let the removed entry be collected
	s.heap = s.heap[:last]
	if i != last {
		s.fix(i)
	}
}

// fix restores the heap order after the entry at position i changed.
func (s *Scheduler) fix(i int) {
	if !s.down(i) {
		s.up(i)
	}
}

// up moves the entry at position i towards the root while it sorts before
// its parent.
func (s *Scheduler) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !s.heap[i].before(s.heap[parent]) {
			return
		}
		s.swap(i, parent)
		i = parent
	}
}

// down moves the entry at position i towards the leaves while a child sorts
// before it, and reports whether it moved.
func (s *Scheduler) down(i int) bool {
	start := i
	n := len(s.heap)
	for {
		child := 2*i + 1
		if child >= n {
			break
		}
		if right := child + 1; right < n && s.heap[right].before(s.heap[child]) {
			child = right
		}
		if !s.heap[child].before(s.heap[i]) {
			break
		}
		s.swap(i, child)
		i = child
	}
	return i > start
}

func (s *Scheduler) swap(i, j int) {
	s.heap[i], s.heap[j] = s.heap[j], s.heap[i]
	s.heap[i].index = i
	s.heap[j].index = j
}
