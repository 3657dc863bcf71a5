package deadline

import "fmt"

// Check reports the first broken heap or index invariant, for tests.
func (s *Scheduler) Check() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.heap) != len(s.index) {
		return fmt.Errorf("heap holds %d entries, index %d", len(s.heap), len(s.index))
	}
	for i, e := range s.heap {
		if e.index != i {
			return fmt.Errorf("entry %q at %d says index %d", e.key, i, e.index)
		}
		if s.index[e.key] != e {
			return fmt.Errorf("entry %q at %d is not the indexed one", e.key, i)
		}
		if i > 0 && e.before(s.heap[(i-1)/2]) {
			return fmt.Errorf("entry %q at %d sorts before its parent", e.key, i)
		}
	}
	return nil
}

// Wakes returns how many times the goroutine has woken up.
func (s *Scheduler) Wakes() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wakes
}

// Sleeping reports whether the goroutine is waiting for its alarm or a Set.
func (s *Scheduler) Sleeping() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sleeping
}
