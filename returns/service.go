package returns

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"kefu"
	"kefu/deadline"
	"kefu/inbox"
	"kefu/settings"
	"kefu/store"
	"kefu/upload"
)

// Service runs returns: it checks requests against the law (Assess), moves
// them through the machine (Next), tells the customer in their
// conversation, and watches the legal deadlines with one timer per return.
type Service struct {
	DB       *store.DB
	Inbox    *inbox.Service
	Uploads  *upload.Service
	Settings *settings.Service
	Clock    kefu.Clock
	Log      *slog.Logger

	timers *deadline.Scheduler
}

// Actor names for the timeline.
const (
	ActorCustomer = "customer"
	ActorAgent    = "agent"
	ActorSystem   = "system"
)

// Event types of a return's timeline besides state changes.
const (
	EventState           = "state"
	EventDeadlineWarning = "deadline_warning"
	EventDeadlineMissed  = "deadline_missed"
	EventPenaltyRisk     = "penalty_risk"
)

// stored is what a return keeps in its data column: the Return, and which
// deadline moments were already recorded.
type stored struct {
	Return
	Fired []string `json:"fired"`
}

// policy is the law's deadlines with the shop's freight choice.
func (s *Service) policy(cfg kefu.Settings) Policy {
	p := DefaultPolicy()
	p.ShopPaysReturnFreight = cfg.ShopPaysReturnFreight
	return p
}

// load reads a return with its deadlines computed for now.
func (s *Service) load(ctx context.Context, id string) (stored, error) {
	row, err := s.DB.Return(ctx, id)
	if err != nil {
		return stored{}, err
	}
	return s.decode(ctx, row)
}

func (s *Service) decode(ctx context.Context, row store.ReturnRow) (stored, error) {
	var st stored
	if err := json.Unmarshal([]byte(row.Data), &st); err != nil {
		return st, err
	}
	cfg, err := s.Settings.Current(ctx)
	if err != nil {
		return st, err
	}
	s.computeDeadlines(&st.Return, s.policy(cfg))
	if s.Uploads != nil {
		s.Uploads.Sign(st.InspectionPhotos) // download links expire; fresh ones on every read
	}
	return st, nil
}

// computeDeadlines fills the open deadlines, the next moment and the
// penalty flag. A refund-only return receives no goods and needs no
// address: its refund is timed from the approval.
func (s *Service) computeDeadlines(r *Return, p Policy) {
	r.Deadlines, r.Next, r.PenaltyRisk = Deadlines{}, nil, false
	if !Open(r.State) {
		return
	}
	address, received := r.AddressSentAt, r.ReceivedAt
	if r.Kind == KindRefundOnly {
		address, received = nonNilTime(r.ApprovedAt, r.RequestedAt), r.ApprovedAt
	} else if r.Kind != KindReturnRefund {
		received = nil // exchanges and repairs owe no refund
	}
	r.Deadlines = p.Deadlines(r.RequestedAt, address, received, r.RefundedAt)
	r.PenaltyRisk = r.Deadlines.PenaltyRisk(s.Clock.Now())
	for _, m := range r.Deadlines.Moments(p) {
		if m.Kind == MomentDue || m.Kind == MomentPenaltyRisk {
			m := m
			r.Next = &m
			break
		}
	}
}

func nonNilTime(t *time.Time, fallback time.Time) *time.Time {
	if t != nil {
		return t
	}
	return &fallback
}

func (st stored) row() (store.ReturnRow, error) {
	data, err := json.Marshal(st)
	var due *time.Time
	if st.Next != nil {
		due = &st.Next.At
	}
	return store.ReturnRow{ID: st.ID, OrderID: st.OrderID, ContactID: st.ContactID, ConversationID: st.ConversationID, Kind: st.Kind,
		Reason: st.Reason, State: st.State, Carrier: st.Carrier, NextDue: due, Data: string(data), CreatedAt: st.CreatedAt, UpdatedAt: st.UpdatedAt}, err
}

// CreateInput is a return request.
type CreateInput struct {
	OrderID        string `json:"order_id"`
	ConversationID string `json:"conversation_id"`
	Kind           string `json:"kind"`
	Reason         string `json:"reason"`
	Description    string `json:"description"`
	Lines          []Line `json:"lines"`
	GiftsReturned  bool   `json:"gifts_returned"`
}

// Create opens a return for an agent, from a conversation (whose customer
// must own the order) or for an order alone. Requires orders.view and
// conversations.reply, or returns.manage.
func (s *Service) Create(ctx context.Context, in CreateInput) (Return, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return Return{}, err
	}
	if !a.Can(kefu.PermReturnsManage) && !(a.Can(kefu.PermOrdersView) && a.Can(kefu.PermConversationsReply)) {
		return Return{}, kefu.Errorf(kefu.EFORBIDDEN, "You need the %q permission for this.", kefu.PermReturnsManage)
	}
	if in.ConversationID != "" {
		if _, err := s.Inbox.Get(ctx, in.ConversationID); err != nil {
			return Return{}, err
		}
	}
	return s.create(ctx, in, "", kefu.ReturnEvent{ActorType: ActorAgent, ActorID: a.UserID, ActorName: a.Name})
}

// CreateForCustomer opens a return the customer asked for themselves (the
// widget): the order must be theirs.
func (s *Service) CreateForCustomer(ctx context.Context, contactID string, in CreateInput) (Return, error) {
	if contactID == "" {
		return Return{}, kefu.Errorf(kefu.EFORBIDDEN, "Tell us who you are first.")
	}
	return s.create(ctx, in, contactID, kefu.ReturnEvent{ActorType: ActorCustomer, ActorID: contactID})
}

func (s *Service) create(ctx context.Context, in CreateInput, owner string, by kefu.ReturnEvent) (Return, error) {
	ctx = kefu.NewContext(ctx, kefu.SystemActor("returns"))
	if !slices.Contains(Kinds, in.Kind) {
		return Return{}, kefu.Invalid("kind", "Use one of %s.", strings.Join(Kinds, ", "))
	}
	if !slices.Contains(Reasons, in.Reason) {
		return Return{}, kefu.Invalid("reason", "Use one of %s.", strings.Join(Reasons, ", "))
	}
	if len([]rune(in.Description)) > 2000 {
		return Return{}, kefu.Invalid("description", "Describe it in at most 2000 characters.")
	}
	o, err := s.DB.Order(ctx, in.OrderID)
	if kefu.ErrorCode(err) == kefu.ENOTFOUND || (err == nil && owner != "" && o.ContactID != owner) {
		return Return{}, kefu.Invalid("order_id", "There is no such order for this customer.")
	} else if err != nil {
		return Return{}, err
	}
	conversationID := in.ConversationID
	if conversationID != "" {
		c, err := s.DB.Conversation(ctx, conversationID)
		if err != nil {
			return Return{}, err
		}
		if c.ContactID != o.ContactID {
			return Return{}, kefu.Invalid("order_id", "The order belongs to another customer than the conversation's.")
		}
	}
	cfg, loc, err := s.Settings.Workspace(ctx)
	if err != nil {
		return Return{}, err
	}
	now := s.Clock.Now().Truncate(time.Millisecond)
	remaining, err := s.remaining(ctx, o)
	if err != nil {
		return Return{}, err
	}
	d := Assess(remaining, in.Kind, in.Reason, in.Lines, now, loc)
	if !d.Allowed {
		return Return{}, refusal(d.Refusals)
	}
	r := Return{ID: kefu.NewID(), OrderID: o.ID, ShopOrderID: o.ShopOrderID, ContactID: o.ContactID, ConversationID: conversationID,
		Kind: in.Kind, Reason: in.Reason, Path: d.Path, Description: strings.TrimSpace(in.Description), Lines: in.Lines,
		GiftsReturned: in.GiftsReturned, State: StateRequested, RequestedAt: now, CreatedAt: now, UpdatedAt: now}
	p := s.policy(cfg)
	r.Breakdown = p.Breakdown(o, in.Reason, in.Lines, in.GiftsReturned)
	s.computeDeadlines(&r, p)
	st := stored{Return: r, Fired: []string{}}
	by.Type, by.Data = EventState, map[string]any{"from": "", "to": StateRequested, "action": "request"}
	if err := s.save(ctx, st, "", by); err != nil {
		return r, err
	}
	s.tell(ctx, st.Return, "")
	return r, nil
}

// remaining is the order less what earlier returns (other than cancelled
// or rejected ones) took back: that is not returnable again.
func (s *Service) remaining(ctx context.Context, o kefu.Order) (kefu.Order, error) {
	earlier, err := s.DB.Returns(ctx, store.ReturnFilter{OrderID: o.ID})
	if err != nil {
		return o, err
	}
	o.Items = slices.Clone(o.Items)
	for _, row := range earlier {
		if row.State == StateCancelled || row.State == StateRejected {
			continue
		}
		prev, err := s.decode(ctx, row)
		if err != nil {
			return o, err
		}
		for _, l := range prev.Lines {
			subtract(o.Items, l)
		}
	}
	return o, nil
}

// subtract takes a returned line off the order's items.
func subtract(items []kefu.OrderItem, l Line) {
	left := l.Quantity
	for i := range items {
		if items[i].SKU != l.SKU || left == 0 {
			continue
		}
		n := min(left, items[i].Quantity)
		items[i].Quantity -= n
		left -= n
	}
}

// refusal turns the law's refusals into one clear error naming the field.
func refusal(rs []Refusal) error {
	field := "lines"
	var msgs []string
	for _, r := range rs {
		switch r.Code {
		case CodeUnknownKind, CodeKindNeedsFault:
			field = "kind"
		case CodeUnknownReason:
			field = "reason"
		}
		m := r.Message
		if r.Article != "" {
			m += " (" + r.Article + ")"
		}
		msgs = append(msgs, m)
	}
	return kefu.Invalid(field, "%s", strings.Join(msgs, " "))
}

// save writes a return (a new one when expectState is "") with its
// timeline event, sets its deadline timer, and records the move on the
// conversation's timeline for the agents.
func (s *Service) save(ctx context.Context, st stored, expectState string, ev kefu.ReturnEvent) error {
	row, err := st.row()
	if err != nil {
		return err
	}
	ev.ID, ev.ReturnID, ev.CreatedAt = kefu.NewID(), st.ID, s.Clock.Now().Truncate(time.Millisecond)
	err = s.DB.InTx(ctx, func(q *store.Queries) error {
		ok, err := q.PutReturn(ctx, row, expectState)
		if err != nil {
			return err
		}
		if !ok {
			return kefu.Errorf(kefu.ECONFLICT, "The return changed meanwhile (it is no longer %s); reload it and try again.", expectState)
		}
		if err := q.InsertReturnEvent(ctx, ev); err != nil {
			return err
		}
		if st.ConversationID == "" || ev.Type != EventState {
			return nil
		}
		return q.InsertEvent(ctx, kefu.Event{ID: kefu.NewID(), ConversationID: st.ConversationID, Type: kefu.EventReturn,
			ActorType: ev.ActorType, ActorID: ev.ActorID, ActorName: ev.ActorName, CreatedAt: ev.CreatedAt,
			Data: map[string]any{"return_id": st.ID, "shop_order_id": st.ShopOrderID, "kind": st.Kind, "from": ev.Data["from"], "to": ev.Data["to"]}})
	})
	if err != nil {
		return err
	}
	s.schedule(st)
	return nil
}

// ActInput is what an action on a return needs besides its name.
type ActInput struct {
	Action           Action   `json:"action"`
	Note             string   `json:"note"`
	RejectReason     string   `json:"reject_reason"`     // reject
	ReturnAddress    string   `json:"return_address"`    // send_address; default: the shop_return_address setting
	Carrier          string   `json:"carrier"`           // ship_back; exchange, reship, repair (the parcel to the customer)
	TrackingNo       string   `json:"tracking_no"`       // ditto
	InspectionPassed *bool    `json:"inspection_passed"` // inspect
	InspectionNotes  string   `json:"inspection_notes"`  // inspect
	InspectionPhotos []string `json:"inspection_photos"` // inspect: upload ids (POST /api/v1/uploads), at most 9
}

// customerActions are what a customer may do to their own return.
var customerActions = []Action{ActionShipBack, ActionCancel}

// Act moves a return for an agent. Requires returns.manage; entering the
// customer's tracking number (ship_back) or cancelling for them needs
// orders.view and conversations.reply.
func (s *Service) Act(ctx context.Context, id string, in ActInput) (Return, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return Return{}, err
	}
	helps := slices.Contains(customerActions, in.Action) && a.Can(kefu.PermOrdersView) && a.Can(kefu.PermConversationsReply)
	if !a.Can(kefu.PermReturnsManage) && !helps {
		return Return{}, kefu.Errorf(kefu.EFORBIDDEN, "You need the %q permission for this.", kefu.PermReturnsManage)
	}
	return s.act(ctx, id, "", in, kefu.ReturnEvent{ActorType: ActorAgent, ActorID: a.UserID, ActorName: a.Name})
}

// ActForCustomer lets a customer ship their return back or cancel it.
func (s *Service) ActForCustomer(ctx context.Context, contactID, id string, in ActInput) (Return, error) {
	if !slices.Contains(customerActions, in.Action) {
		return Return{}, kefu.Invalid("action", "You can enter your parcel's tracking number (ship_back) or cancel.")
	}
	return s.act(ctx, id, contactID, in, kefu.ReturnEvent{ActorType: ActorCustomer, ActorID: contactID})
}

func (s *Service) act(ctx context.Context, id, owner string, in ActInput, by kefu.ReturnEvent) (Return, error) {
	ctx = kefu.NewContext(ctx, kefu.SystemActor("returns"))
	st, err := s.load(ctx, id)
	if err != nil || (owner != "" && st.ContactID != owner) {
		if err == nil {
			err = kefu.Errorf(kefu.ENOTFOUND, "Return not found.")
		}
		return Return{}, err
	}
	from := st.State
	next, err := Next(st.Kind, st.State, in.Action, in.InspectionPassed)
	if err != nil {
		return st.Return, err
	}
	cfg, err := s.Settings.Current(ctx)
	if err != nil {
		return st.Return, err
	}
	now := s.Clock.Now().Truncate(time.Millisecond)
	r := &st.Return
	switch in.Action {
	case ActionApprove:
		r.ApprovedAt = &now
	case ActionReject:
		if r.RejectReason = strings.TrimSpace(in.RejectReason); r.RejectReason == "" {
			return *r, kefu.Invalid("reject_reason", "Tell the customer why: they may take it to the platform or 12315.")
		}
	case ActionSendAddress:
		if r.ReturnAddress = strings.TrimSpace(in.ReturnAddress); r.ReturnAddress == "" {
			r.ReturnAddress = cfg.ShopReturnAddress
		}
		r.AddressSentAt = &now
	case ActionShipBack, ActionExchange, ActionReship, ActionRepair:
		carrier, tracking := strings.TrimSpace(in.Carrier), strings.TrimSpace(in.TrackingNo)
		switch {
		case carrier == "":
			return *r, kefu.Invalid("carrier", "Name the carrier.")
		case tracking == "" || len(tracking) > 40:
			return *r, kefu.Invalid("tracking_no", "Give the tracking number, at most 40 characters.")
		}
		if in.Action == ActionShipBack {
			r.Carrier, r.TrackingNo, r.ShippedAt = carrier, tracking, &now
		} else {
			r.NewShipment = &kefu.Shipment{Carrier: carrier, TrackingNo: tracking, Status: "in_transit", ShippedAt: &now}
		}
	case ActionReceive:
		r.ReceivedAt = &now
	case ActionInspect:
		if len(in.InspectionPhotos) > 9 {
			return *r, kefu.Invalid("inspection_photos", "Attach at most 9 photos.")
		}
		photos, err := s.Uploads.Resolve(ctx, in.InspectionPhotos)
		if err != nil {
			return *r, kefu.Invalid("inspection_photos", "%s", kefu.ErrorMessage(err))
		}
		r.InspectionPassed, r.InspectionNotes, r.InspectedAt = in.InspectionPassed, strings.TrimSpace(in.InspectionNotes), &now
		r.InspectionPhotos = photos
	case ActionRefund:
		r.RefundedAt, r.Refunded = &now, r.Breakdown.Refund
	case ActionClose, ActionCancel:
		r.ClosedAt = &now
	}
	r.State, r.UpdatedAt = next, now
	s.computeDeadlines(r, s.policy(cfg))
	by.Type = EventState
	by.Data = map[string]any{"from": from, "to": next, "action": string(in.Action)}
	if in.Note != "" {
		by.Data["note"] = strings.TrimSpace(in.Note)
	}
	if in.Action == ActionRefund && r.ReceivedAt != nil {
		// For reports: how long the refund took after the goods came back.
		by.Data["hours_after_received"] = now.Sub(*r.ReceivedAt).Hours()
		by.Data["amount"] = r.Refunded
	}
	if err := s.save(ctx, st, from, by); err != nil {
		return *r, err
	}
	s.tell(ctx, *r, string(in.Action))
	return *r, nil
}

// Get returns a return with its timeline. Requires orders.view.
func (s *Service) Get(ctx context.Context, id string) (Return, []kefu.ReturnEvent, error) {
	if _, err := kefu.Require(ctx, kefu.PermOrdersView); err != nil {
		return Return{}, nil, err
	}
	st, err := s.load(ctx, id)
	if err != nil {
		return Return{}, nil, err
	}
	events, err := s.DB.ReturnEvents(ctx, id)
	return st.Return, events, err
}

// List returns the returns matching a filter, what is due first. Requires
// orders.view.
func (s *Service) List(ctx context.Context, f store.ReturnFilter) ([]Return, error) {
	if _, err := kefu.Require(ctx, kefu.PermOrdersView); err != nil {
		return nil, err
	}
	return s.list(ctx, f)
}

// ForCustomer lists a customer's own returns, for the widget.
func (s *Service) ForCustomer(ctx context.Context, contactID string) ([]Return, error) {
	if contactID == "" {
		return []Return{}, nil
	}
	return s.list(ctx, store.ReturnFilter{ContactID: contactID, Limit: 50})
}

func (s *Service) list(ctx context.Context, f store.ReturnFilter) ([]Return, error) {
	rows, err := s.DB.Returns(ctx, f)
	if err != nil {
		return nil, err
	}
	out := []Return{}
	for _, row := range rows {
		st, err := s.decode(ctx, row)
		if err != nil {
			return nil, err
		}
		out = append(out, st.Return)
	}
	return out, nil
}

// tell posts the customer a line about their return in its conversation,
// in their language; it is recorded like any message, so it reaches them on
// their channel and stays in the history.
func (s *Service) tell(ctx context.Context, r Return, action string) {
	if r.ConversationID == "" {
		return
	}
	c, err := s.DB.Conversation(ctx, r.ConversationID)
	if err != nil {
		return
	}
	text := notice(r, action, c.Language == "en")
	if text == "" {
		return
	}
	if _, err := s.Inbox.SystemMessage(ctx, r.ConversationID, text); err != nil {
		s.Log.Error("telling the customer about their return", "return", r.ID, "err", err)
	}
}

// notice is what the customer is told after an action.
func notice(r Return, action string, en bool) string {
	pick := func(zh, english string) string {
		if en {
			return english
		}
		return zh
	}
	yuan := fmt.Sprintf("%d.%02d", r.Refunded/100, r.Refunded%100)
	switch Action(action) {
	case "":
		return pick(fmt.Sprintf("您的售后申请已提交（订单 %s），我们会尽快审核。", r.ShopOrderID),
			fmt.Sprintf("Your after-sales request for order %s is in; we will review it shortly.", r.ShopOrderID))
	case ActionApprove:
		return pick("您的售后申请已通过审核。", "Your request has been approved.")
	case ActionReject:
		return pick("很抱歉，您的售后申请未通过："+r.RejectReason, "Sorry, your request was not approved: "+r.RejectReason)
	case ActionSendAddress:
		return pick("请将商品寄回："+r.ReturnAddress+"。寄出后请告诉我们快递公司和运单号。",
			"Please send the goods to: "+r.ReturnAddress+". Then tell us the carrier and tracking number.")
	case ActionShipBack:
		return pick(fmt.Sprintf("已登记您寄回的包裹：%s %s。", r.Carrier, r.TrackingNo), fmt.Sprintf("We have your parcel back on record: %s %s.", r.Carrier, r.TrackingNo))
	case ActionReceive:
		return pick("我们已收到您寄回的商品，正在检验。", "We have received the goods and are inspecting them.")
	case ActionInspect:
		if r.InspectionPassed != nil && *r.InspectionPassed {
			return pick("商品检验通过。", "The goods passed inspection.")
		}
		return pick("商品检验未通过："+r.InspectionNotes+"。客服会与您联系。", "The goods did not pass inspection: "+r.InspectionNotes+". An agent will contact you.")
	case ActionRefund:
		return pick(fmt.Sprintf("已为您退款 ¥%s，将按原支付方式退回，请留意到账。", yuan),
			fmt.Sprintf("We have refunded ¥%s to your original payment method.", yuan))
	case ActionExchange, ActionReship, ActionRepair:
		return pick(fmt.Sprintf("已为您寄出：%s 运单号 %s。", r.NewShipment.Carrier, r.NewShipment.TrackingNo),
			fmt.Sprintf("We have sent it to you: %s %s.", r.NewShipment.Carrier, r.NewShipment.TrackingNo))
	case ActionCancel:
		return pick("您的售后申请已取消。", "Your request has been cancelled.")
	}
	return ""
}

// Preview tells an agent, before they file a return, whether the law allows
// it and how the refund would be made up. Requires orders.view.
func (s *Service) Preview(ctx context.Context, in CreateInput) (Decision, Breakdown, error) {
	if _, err := kefu.Require(ctx, kefu.PermOrdersView); err != nil {
		return Decision{}, Breakdown{}, err
	}
	o, err := s.DB.Order(ctx, in.OrderID)
	if kefu.ErrorCode(err) == kefu.ENOTFOUND {
		return Decision{}, Breakdown{}, kefu.Invalid("order_id", "There is no order %q.", in.OrderID)
	} else if err != nil {
		return Decision{}, Breakdown{}, err
	}
	cfg, loc, err := s.Settings.Workspace(ctx)
	if err != nil {
		return Decision{}, Breakdown{}, err
	}
	remaining, err := s.remaining(ctx, o)
	if err != nil {
		return Decision{}, Breakdown{}, err
	}
	d := Assess(remaining, in.Kind, in.Reason, in.Lines, s.Clock.Now(), loc)
	return d, s.policy(cfg).Breakdown(o, in.Reason, in.Lines, in.GiftsReturned), nil
}
