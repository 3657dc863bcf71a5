// Tests of the return state machine: every allowed move of every kind,
// written out independently of the transition table, and the errors of
// every other move.

package returns

import (
	"slices"
	"strings"
	"testing"

	"kefu"
)

// expected is the machine written out by hand: kind → state → action → next
// state (a passed inspection for inspect). Every move not listed must fail.
func expected() map[string]map[string]map[Action]string {
	m := map[string]map[string]map[Action]string{}
	for _, kind := range Kinds {
		m[kind] = map[string]map[Action]string{
			StateRequested: {ActionApprove: StateApproved, ActionReject: StateRejected, ActionCancel: StateCancelled},
			StateRejected:  {ActionClose: StateClosed},
		}
	}
	for _, kind := range []string{KindReturnRefund, KindExchange, KindRepair} {
		s := m[kind]
		s[StateApproved] = map[Action]string{ActionSendAddress: StateAwaitingShipment, ActionCancel: StateCancelled}
		s[StateAwaitingShipment] = map[Action]string{ActionShipBack: StateInTransit, ActionReceive: StateReceived, ActionCancel: StateCancelled}
		s[StateInTransit] = map[Action]string{ActionReceive: StateReceived}
		s[StateReceived] = map[Action]string{ActionInspect: StateInspected}
		s[StateInspectionFailed] = map[Action]string{ActionInspect: StateInspected, ActionReship: StateReshipped}
		s[StateReshipped] = map[Action]string{ActionClose: StateClosed}
	}
	m[KindReturnRefund][StateInspected] = map[Action]string{ActionRefund: StateRefunded}
	m[KindReturnRefund][StateRefunded] = map[Action]string{ActionClose: StateClosed}
	m[KindExchange][StateInspected] = map[Action]string{ActionExchange: StateExchanged}
	m[KindExchange][StateExchanged] = map[Action]string{ActionClose: StateClosed}
	m[KindRepair][StateInspected] = map[Action]string{ActionRepair: StateRepaired}
	m[KindRepair][StateRepaired] = map[Action]string{ActionClose: StateClosed}
	m[KindRefundOnly][StateApproved] = map[Action]string{ActionRefund: StateRefunded, ActionCancel: StateCancelled}
	m[KindRefundOnly][StateRefunded] = map[Action]string{ActionClose: StateClosed}
	return m
}

func TestMachineEveryMove(t *testing.T) {
	passed := true
	want := expected()
	for _, kind := range Kinds {
		for _, state := range States {
			moves := want[kind][state]
			var allowed []Action
			for _, a := range Actions {
				if _, ok := moves[a]; ok {
					allowed = append(allowed, a)
				}
			}
			if got := Allowed(kind, state); !slices.Equal(got, allowed) {
				t.Errorf("Allowed(%s, %s) = %v, want %v", kind, state, got, allowed)
			}
			for _, a := range Actions {
				got, err := Next(kind, state, a, &passed)
				if to, ok := moves[a]; ok {
					if err != nil || got != to {
						t.Errorf("Next(%s, %s, %s) = %q, %v; want %q", kind, state, a, got, err, to)
					}
					continue
				}
				if kefu.ErrorCode(err) != kefu.ECONFLICT || got != "" {
					t.Errorf("Next(%s, %s, %s) = %q, %v; want ECONFLICT", kind, state, a, got, err)
					continue
				}
				msg := kefu.ErrorMessage(err)
				if !strings.HasPrefix(msg, "A return in state "+state+" cannot be "+done[a]+"; ") {
					t.Errorf("Next(%s, %s, %s): message %q", kind, state, a, msg)
				}
				if len(allowed) > 0 && !strings.HasSuffix(msg, "allowed: "+joinActions(allowed)+".") {
					t.Errorf("Next(%s, %s, %s): message %q does not list %v", kind, state, a, msg, allowed)
				}
			}
		}
	}
}

func TestMachineMessages(t *testing.T) {
	for _, c := range []struct {
		kind, state string
		action      Action
		msg         string
	}{
		{KindReturnRefund, StateReceived, ActionRefund, "A return in state received cannot be refunded; allowed: inspect."},
		{KindReturnRefund, StateInTransit, ActionCancel, "A return in state in_transit cannot be cancelled; allowed: receive."},
		{KindExchange, StateInspected, ActionRefund, "A return in state inspected cannot be refunded; allowed: exchange."},
		{KindRefundOnly, StateApproved, ActionSendAddress, "A return in state approved cannot be given a return address; allowed: refund, cancel."},
		{KindRepair, StateClosed, ActionClose, "A return in state closed cannot be closed; nothing more can be done to it."},
		{KindReturnRefund, StateCancelled, ActionApprove, "A return in state cancelled cannot be approved; nothing more can be done to it."},
	} {
		_, err := Next(c.kind, c.state, c.action, nil)
		if kefu.ErrorCode(err) != kefu.ECONFLICT || kefu.ErrorMessage(err) != c.msg {
			t.Errorf("Next(%s, %s, %s) = %v, want ECONFLICT %q", c.kind, c.state, c.action, err, c.msg)
		}
	}
}

func TestMachineInspection(t *testing.T) {
	passed, failed := true, false
	for _, from := range []string{StateReceived, StateInspectionFailed} {
		if got, err := Next(KindReturnRefund, from, ActionInspect, &passed); err != nil || got != StateInspected {
			t.Errorf("pass from %s: %q, %v", from, got, err)
		}
		if got, err := Next(KindReturnRefund, from, ActionInspect, &failed); err != nil || got != StateInspectionFailed {
			t.Errorf("fail from %s: %q, %v", from, got, err)
		}
		_, err := Next(KindReturnRefund, from, ActionInspect, nil)
		if kefu.ErrorCode(err) != kefu.EINVALID || kefu.ErrorField(err) != "inspection_passed" {
			t.Errorf("no result from %s: %v, want EINVALID on inspection_passed", from, err)
		}
	}
	// The result is not needed for other actions, nor looked at.
	if got, err := Next(KindReturnRefund, StateInspected, ActionRefund, &failed); err != nil || got != StateRefunded {
		t.Errorf("refund after inspection: %q, %v", got, err)
	}
}

func TestMachineInvalid(t *testing.T) {
	for _, c := range []struct {
		kind, state string
		action      Action
		field       string
	}{
		{"swap", StateRequested, ActionApprove, "kind"},
		{KindExchange, "lost", ActionApprove, "state"},
		{KindExchange, StateRequested, "escalate", "action"},
	} {
		_, err := Next(c.kind, c.state, c.action, nil)
		if kefu.ErrorCode(err) != kefu.EINVALID || kefu.ErrorField(err) != c.field {
			t.Errorf("Next(%q, %q, %q) = %v, want EINVALID on %s", c.kind, c.state, c.action, err, c.field)
		}
	}
	if got := Allowed("swap", StateRequested); got != nil {
		t.Errorf("Allowed for an unknown kind = %v", got)
	}
}

// A whole return of each kind, from request to closed.
func TestMachineJourneys(t *testing.T) {
	passed, failed := true, false
	type step struct {
		action Action
		passed *bool
		to     string
	}
	shipBack := []step{
		{ActionApprove, nil, StateApproved},
		{ActionSendAddress, nil, StateAwaitingShipment},
		{ActionShipBack, nil, StateInTransit},
		{ActionReceive, nil, StateReceived},
		{ActionInspect, &passed, StateInspected},
	}
	for _, c := range []struct {
		name  string
		kind  string
		steps []step
	}{
		{"return and refund", KindReturnRefund, append(slices.Clone(shipBack), step{ActionRefund, nil, StateRefunded}, step{ActionClose, nil, StateClosed})},
		{"exchange", KindExchange, append(slices.Clone(shipBack), step{ActionExchange, nil, StateExchanged}, step{ActionClose, nil, StateClosed})},
		{"repair", KindRepair, append(slices.Clone(shipBack), step{ActionRepair, nil, StateRepaired}, step{ActionClose, nil, StateClosed})},
		{"refund only", KindRefundOnly, []step{{ActionApprove, nil, StateApproved}, {ActionRefund, nil, StateRefunded}, {ActionClose, nil, StateClosed}}},
		{"rejected", KindReturnRefund, []step{{ActionReject, nil, StateRejected}, {ActionClose, nil, StateClosed}}},
		{"cancelled while the address is out", KindExchange, []step{{ActionApprove, nil, StateApproved}, {ActionSendAddress, nil, StateAwaitingShipment}, {ActionCancel, nil, StateCancelled}}},
		{"failed inspection, goods sent back", KindReturnRefund, []step{
			{ActionApprove, nil, StateApproved}, {ActionSendAddress, nil, StateAwaitingShipment},
			{ActionReceive, nil, StateReceived}, {ActionInspect, &failed, StateInspectionFailed},
			{ActionReship, nil, StateReshipped}, {ActionClose, nil, StateClosed},
		}},
		{"failed, then passed on a second look", KindRepair, []step{
			{ActionApprove, nil, StateApproved}, {ActionSendAddress, nil, StateAwaitingShipment},
			{ActionShipBack, nil, StateInTransit}, {ActionReceive, nil, StateReceived},
			{ActionInspect, &failed, StateInspectionFailed}, {ActionInspect, &passed, StateInspected},
			{ActionRepair, nil, StateRepaired}, {ActionClose, nil, StateClosed},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			state := StateRequested
			for _, s := range c.steps {
				// A rejected return is no longer open but still gets closed.
				if !Open(state) && state != StateRejected {
					t.Fatalf("%s is not open before %s", state, s.action)
				}
				next, err := Next(c.kind, state, s.action, s.passed)
				if err != nil || next != s.to {
					t.Fatalf("%s from %s = %q, %v; want %q", s.action, state, next, err, s.to)
				}
				state = next
			}
			if Open(state) {
				t.Errorf("ended open in %s", state)
			}
		})
	}
}

func TestMachineOpen(t *testing.T) {
	for _, s := range States {
		want := s != StateClosed && s != StateCancelled && s != StateRejected
		if Open(s) != want {
			t.Errorf("Open(%s) = %v", s, !want)
		}
	}
	if Open("lost") {
		t.Error("an unknown state is open")
	}
}

// Every state is reachable from requested for some kind, and from every
// reachable state a return can end (closed or cancelled).
func TestMachineReachable(t *testing.T) {
	passed, failed := true, false
	seen := map[string]bool{}
	for _, kind := range Kinds {
		reach := map[string]bool{StateRequested: true}
		queue := []string{StateRequested}
		for len(queue) > 0 {
			s := queue[0]
			queue = queue[1:]
			for _, a := range Allowed(kind, s) {
				for _, p := range []*bool{&passed, &failed} {
					to, err := Next(kind, s, a, p)
					if err != nil {
						t.Fatalf("%s: Allowed %s from %s but Next fails: %v", kind, a, s, err)
					}
					if !reach[to] {
						reach[to] = true
						queue = append(queue, to)
					}
				}
			}
		}
		for s := range reach {
			seen[s] = true
			if s != StateClosed && s != StateCancelled && len(Allowed(kind, s)) == 0 {
				t.Errorf("%s: stuck in %s", kind, s)
			}
		}
	}
	for _, s := range States {
		if !seen[s] {
			t.Errorf("state %s is unreachable", s)
		}
	}
}
