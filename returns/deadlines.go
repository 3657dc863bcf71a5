package returns

import (
	"context"
	"slices"
	"time"

	"kefu"
	"kefu/deadline"
	"kefu/store"
)

// Start sets a timer for every open return's next deadline moment and
// starts the timers; moments passed while kefu was down are recorded at once.
func (s *Service) Start(ctx context.Context) error {
	s.timers = deadline.New(s.Clock.Now, func(id string, _ time.Time) {
		if err := s.fire(context.WithoutCancel(ctx), id); err != nil {
			s.Log.Error("return deadline timer failed", "return", id, "err", err)
		}
	})
	var open []string
	for _, st := range States {
		if Open(st) {
			open = append(open, st)
		}
	}
	rows, err := s.DB.Returns(ctx, store.ReturnFilter{States: open, Limit: 500})
	if err != nil {
		return err
	}
	for _, row := range rows {
		st, err := s.decode(ctx, row)
		if err != nil {
			return err
		}
		s.schedule(st)
	}
	s.timers.Start()
	return nil
}

// Stop stops the timers.
func (s *Service) Stop() { s.timers.Stop() }

// RunDue records the moments due now: for tests with a fixed clock.
func (s *Service) RunDue() int { return s.timers.RunDue() }

// pending lists a return's deadline moments not yet recorded.
func (s *Service) pending(st stored) []Due {
	cfg := DefaultPolicy()
	var out []Due
	for _, m := range st.Deadlines.Moments(cfg) {
		if !slices.Contains(st.Fired, momentKey(m)) {
			out = append(out, m)
		}
	}
	return out
}

func momentKey(m Due) string { return m.Name + "." + m.Kind + "." + m.Due.UTC().Format(time.RFC3339) }

func (s *Service) schedule(st stored) {
	if s.timers == nil {
		return
	}
	if next := s.pending(st); len(next) > 0 {
		s.timers.Set(st.ID, next[0].At)
	} else {
		s.timers.Cancel(st.ID)
	}
}

// fire records the deadline moments of a return that have come — a warning
// before the due time, the due time missed, the 15-day penalty risk — on
// its timeline and as notices to the supervisors, once each.
func (s *Service) fire(ctx context.Context, id string) error {
	ctx = kefu.NewContext(ctx, kefu.SystemActor("returns"))
	st, err := s.load(ctx, id)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	var due []Due
	for _, m := range s.pending(st) {
		if !m.At.After(now) {
			due = append(due, m)
		}
	}
	if len(due) == 0 {
		s.schedule(st)
		return nil
	}
	for _, m := range due {
		st.Fired = append(st.Fired, momentKey(m))
	}
	row, err := st.row()
	if err != nil {
		return err
	}
	err = s.DB.InTx(ctx, func(q *store.Queries) error {
		// Compared with the state read, so that of several kefu processes
		// the first records the moments and the others see a conflict.
		ok, err := q.PutReturn(ctx, row, st.State)
		if err != nil || !ok {
			return err
		}
		for _, m := range due {
			typ := map[string]string{MomentWarning: EventDeadlineWarning, MomentDue: EventDeadlineMissed, MomentPenaltyRisk: EventPenaltyRisk}[m.Kind]
			if err := q.InsertReturnEvent(ctx, kefu.ReturnEvent{ID: kefu.NewID(), ReturnID: st.ID, Type: typ, ActorType: ActorSystem,
				Data: map[string]any{"deadline": m.Name, "due": m.Due}, CreatedAt: now}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, m := range due {
		s.Inbox.NotifySupervisors(ctx, "return_"+m.Kind, map[string]any{"return_id": st.ID, "shop_order_id": st.ShopOrderID,
			"deadline": m.Name, "due": m.Due, "conversation_id": st.ConversationID})
	}
	s.schedule(st)
	return nil
}
