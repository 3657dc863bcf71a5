// The return's state machine. Which action leads from which state to which
// depends on the kind of return only; who may act and what each step
// records (the address, the carrier and tracking number, the inspection
// notes) is the caller's business.
//
//	requested         approve → approved, reject → rejected, cancel → cancelled
//	approved          send_address → awaiting_shipment (refund_only: refund → refunded), cancel → cancelled
//	awaiting_shipment ship_back → in_transit, receive → received (arrived untracked), cancel → cancelled
//	in_transit        receive → received
//	received          inspect → inspected (passed) or inspection_failed (failed)
//	inspected         refund → refunded (return_refund), exchange → exchanged (exchange), repair → repaired (repair)
//	inspection_failed reship → reshipped (the goods go back to the customer), inspect → a second look
//	refunded, exchanged, repaired, reshipped, rejected   close → closed
//
// A failed inspection is a state of its own rather than "inspected" with a
// flag, so that the state alone says what may happen next (Allowed takes no
// inspection result). It does not close the return at once: the goods are
// still the customer's and must go back (reship), unless a second
// inspection (a supervisor, a platform ruling) passes them after all.
//
// The customer may cancel until the goods are on their way; after that the
// shop has them or will, and the return must run to its end.

package returns

import (
	"slices"
	"strings"

	"kefu"
)

// States of a return.
const (
	StateRequested        = "requested"
	StateApproved         = "approved"
	StateRejected         = "rejected"
	StateAwaitingShipment = "awaiting_shipment" // the return address was sent; waiting for the customer to ship
	StateInTransit        = "in_transit"        // the customer shipped, with carrier and tracking number
	StateReceived         = "received"
	StateInspected        = "inspected"         // inspection passed
	StateInspectionFailed = "inspection_failed" // inspection failed: the goods go back to the customer
	StateRefunded         = "refunded"
	StateExchanged        = "exchanged" // the replacement was sent
	StateRepaired         = "repaired"  // the repaired goods were sent back
	StateReshipped        = "reshipped" // the goods that failed inspection were sent back
	StateClosed           = "closed"
	StateCancelled        = "cancelled"
)

// States lists every state in the order a return goes through them.
var States = []string{
	StateRequested, StateApproved, StateRejected, StateAwaitingShipment, StateInTransit, StateReceived,
	StateInspected, StateInspectionFailed, StateRefunded, StateExchanged, StateRepaired, StateReshipped,
	StateClosed, StateCancelled,
}

// Action is something done to a return.
type Action string

// Actions.
const (
	ActionApprove     Action = "approve"
	ActionReject      Action = "reject"
	ActionSendAddress Action = "send_address"
	ActionShipBack    Action = "ship_back"
	ActionReceive     Action = "receive"
	ActionInspect     Action = "inspect"
	ActionRefund      Action = "refund"
	ActionExchange    Action = "exchange"
	ActionReship      Action = "reship"
	ActionRepair      Action = "repair"
	ActionClose       Action = "close"
	ActionCancel      Action = "cancel"
)

// Actions lists every action; Allowed lists its answers in this order.
var Actions = []Action{
	ActionApprove, ActionReject, ActionSendAddress, ActionShipBack, ActionReceive, ActionInspect,
	ActionRefund, ActionExchange, ActionReship, ActionRepair, ActionClose, ActionCancel,
}

// done says what a return becomes under an action, for messages: "cannot
// be refunded".
var done = map[Action]string{
	ActionApprove:     "approved",
	ActionReject:      "rejected",
	ActionSendAddress: "given a return address",
	ActionShipBack:    "shipped back",
	ActionReceive:     "received",
	ActionInspect:     "inspected",
	ActionRefund:      "refunded",
	ActionExchange:    "exchanged",
	ActionReship:      "reshipped",
	ActionRepair:      "repaired",
	ActionClose:       "closed",
	ActionCancel:      "cancelled",
}

// transition is one edge of the machine. kinds nil means every kind. An
// edge is limited to the kinds that can reach its state, so that a state a
// kind never passes through allows nothing for it.
type transition struct {
	from   string
	action Action
	to     string
	kinds  []string
}

// shipped are the kinds whose goods come back to the shop; refund_only
// skips shipping and inspection.
var shipped = []string{KindReturnRefund, KindExchange, KindRepair}

var transitions = []transition{
	{StateRequested, ActionApprove, StateApproved, nil},
	{StateRequested, ActionReject, StateRejected, nil},
	{StateRequested, ActionCancel, StateCancelled, nil},

	{StateApproved, ActionSendAddress, StateAwaitingShipment, shipped},
	{StateApproved, ActionRefund, StateRefunded, []string{KindRefundOnly}},
	{StateApproved, ActionCancel, StateCancelled, nil},

	{StateAwaitingShipment, ActionShipBack, StateInTransit, shipped},
	// The parcel can arrive before the customer entered its tracking number;
	// the shop must still be able to book it in (the refund clock starts).
	{StateAwaitingShipment, ActionReceive, StateReceived, shipped},
	{StateAwaitingShipment, ActionCancel, StateCancelled, shipped},

	{StateInTransit, ActionReceive, StateReceived, shipped},

	// to is where a passed inspection leads; Next sends a failed one to
	// StateInspectionFailed.
	{StateReceived, ActionInspect, StateInspected, shipped},
	{StateInspectionFailed, ActionInspect, StateInspected, shipped},
	{StateInspectionFailed, ActionReship, StateReshipped, shipped},

	{StateInspected, ActionRefund, StateRefunded, []string{KindReturnRefund}},
	{StateInspected, ActionExchange, StateExchanged, []string{KindExchange}},
	{StateInspected, ActionRepair, StateRepaired, []string{KindRepair}},

	{StateRefunded, ActionClose, StateClosed, []string{KindReturnRefund, KindRefundOnly}},
	{StateExchanged, ActionClose, StateClosed, []string{KindExchange}},
	{StateRepaired, ActionClose, StateClosed, []string{KindRepair}},
	{StateReshipped, ActionClose, StateClosed, shipped},
	{StateRejected, ActionClose, StateClosed, nil},
}

// lookup returns the edge leaving state by action for kind; none for an
// unknown kind.
func lookup(kind, state string, action Action) (transition, bool) {
	if !slices.Contains(Kinds, kind) {
		return transition{}, false
	}
	for _, t := range transitions {
		if t.from == state && t.action == action && (t.kinds == nil || slices.Contains(t.kinds, kind)) {
			return t, true
		}
	}
	return transition{}, false
}

// Next returns the state action leads to from state for a return of kind.
// inspectionPassed is required for ActionInspect (and ignored otherwise): a
// pass leads to inspected, a fail to inspection_failed. An unknown kind,
// state or action is EINVALID; a move the machine does not allow is
// ECONFLICT naming the state and the allowed actions, e.g. "A return in
// state received cannot be refunded; allowed: inspect."
func Next(kind, state string, action Action, inspectionPassed *bool) (string, error) {
	if !slices.Contains(Kinds, kind) {
		return "", kefu.Invalid("kind", "There is no kind of return %q; use one of %s.", kind, strings.Join(Kinds, ", "))
	}
	if !slices.Contains(States, state) {
		return "", kefu.Invalid("state", "There is no return state %q.", state)
	}
	if !slices.Contains(Actions, action) {
		return "", kefu.Invalid("action", "There is no action %q on returns; use one of %s.", action, joinActions(Actions))
	}
	t, ok := lookup(kind, state, action)
	if !ok {
		allowed := Allowed(kind, state)
		if len(allowed) == 0 {
			return "", kefu.Errorf(kefu.ECONFLICT, "A return in state %s cannot be %s; nothing more can be done to it.", state, done[action])
		}
		return "", kefu.Errorf(kefu.ECONFLICT, "A return in state %s cannot be %s; allowed: %s.", state, done[action], joinActions(allowed))
	}
	if action == ActionInspect {
		if inspectionPassed == nil {
			return "", kefu.Invalid("inspection_passed", "Say whether the goods passed inspection.")
		}
		if !*inspectionPassed {
			return StateInspectionFailed, nil
		}
	}
	return t.to, nil
}

// Allowed lists the actions possible from state for a return of kind, in
// the order of Actions; none for an unknown kind or state.
func Allowed(kind, state string) []Action {
	var as []Action
	for _, a := range Actions {
		if _, ok := lookup(kind, state, a); ok {
			as = append(as, a)
		}
	}
	return as
}

// Open reports whether a return is still under way: any known state but
// closed, cancelled and rejected. A rejected return can still be closed, but
// nothing is owed on it any more, so it no longer counts as open (nor do its
// deadlines run).
func Open(state string) bool {
	switch state {
	case StateClosed, StateCancelled, StateRejected:
		return false
	}
	return slices.Contains(States, state)
}

func joinActions(as []Action) string {
	ss := make([]string, len(as))
	for i, a := range as {
		ss[i] = string(a)
	}
	return strings.Join(ss, ", ")
}
