// Package logistics follows the shop's parcels: tracking events arrive from
// the carrier (or an aggregator) by a signed webhook, or an agent enters
// them, and kefu raises exceptions — no news for days, past the promised
// date, lost, sent back — once each, for the supervisors and, when the shop
// turns it on, for the customer before they ask (seed 003: 物流延迟智能预警).
package logistics

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"kefu"
	"kefu/deadline"
	"kefu/inbox"
	"kefu/settings"
	"kefu/store"
)

// Parcel statuses.
const (
	StatusInTransit = "in_transit"
	StatusDelivered = "delivered"
	StatusException = "exception"
	StatusLost      = "lost"
	StatusReturned  = "returned"
)

// Statuses are the statuses an update may give.
var Statuses = []string{StatusInTransit, StatusDelivered, StatusException, StatusLost, StatusReturned}

// Exceptions kefu raises.
const (
	ExceptionStale    = "stale"    // no tracking news for the stale days
	ExceptionLate     = "late"     // past the promised delivery date, not signed for
	ExceptionLost     = "lost"     // the carrier marked it lost
	ExceptionReturned = "returned" // the carrier is sending it back
)

// Update is a carrier's news about one parcel: the webhook's JSON body.
type Update struct {
	Carrier    string               `json:"carrier"`
	TrackingNo string               `json:"tracking_no"`
	Status     string               `json:"status"`    // optional; else the last event's
	SignedAt   *time.Time           `json:"signed_at"` // when delivered
	Events     []kefu.TrackingEvent `json:"events"`
}

// Service applies updates and watches parcels.
type Service struct {
	DB       *store.DB
	Inbox    *inbox.Service
	Settings *settings.Service
	Clock    kefu.Clock
	Log      *slog.Logger
	Secret   []byte // signs webhook bodies; see Sign

	timers *deadline.Scheduler
}

// Sign returns the signature a webhook sender puts in X-Kefu-Signature:
// "sha256=" and the hex HMAC-SHA256, with the secret, of the timestamp (the
// X-Kefu-Timestamp header, Unix seconds), a dot, and the body.
func Sign(secret []byte, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(timestamp + "."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// MaxSkew is how old a signed webhook may be: a replay after it is refused.
const MaxSkew = 5 * time.Minute

// Verify checks a webhook's signature and timestamp.
func (s *Service) Verify(timestamp, signature string, body []byte) error {
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return kefu.Errorf(kefu.EUNAUTHORIZED, "Send X-Kefu-Timestamp (Unix seconds) and X-Kefu-Signature.")
	}
	if d := s.Clock.Now().Sub(time.Unix(sec, 0)); d > MaxSkew || d < -MaxSkew {
		return kefu.Errorf(kefu.EUNAUTHORIZED, "The timestamp is more than 5 minutes off: sign each request when you send it.")
	}
	if !hmac.Equal([]byte(Sign(s.Secret, timestamp, body)), []byte(signature)) {
		return kefu.Errorf(kefu.EUNAUTHORIZED, "The signature does not match: HMAC-SHA256 of timestamp, '.', body with the webhook secret.")
	}
	return nil
}

// Apply records an update on every order with the parcel, and raises the
// exceptions it reveals. Applying the same update twice changes nothing.
// It runs as kefu itself: the caller authenticated the sender.
func (s *Service) Apply(ctx context.Context, u Update) (int, error) {
	u.TrackingNo = strings.TrimSpace(u.TrackingNo)
	if u.TrackingNo == "" {
		return 0, kefu.Invalid("tracking_no", "Give the parcel's tracking number.")
	}
	if u.Status != "" && !slices.Contains(Statuses, u.Status) {
		return 0, kefu.Invalid("status", "Use one of %s.", strings.Join(Statuses, ", "))
	}
	for i, e := range u.Events {
		if e.At.IsZero() {
			return 0, kefu.Invalid("events["+strconv.Itoa(i)+"].at", "Say when the scan happened (RFC 3339).")
		}
	}
	orders, err := s.DB.OrdersByTracking(ctx, u.TrackingNo)
	if err != nil {
		return 0, err
	}
	if len(orders) == 0 {
		return 0, kefu.Errorf(kefu.ENOTFOUND, "No order has the parcel %s; push the order first.", u.TrackingNo)
	}
	for _, o := range orders {
		for i := range o.Shipments {
			if o.Shipments[i].TrackingNo == u.TrackingNo {
				merge(&o.Shipments[i], u)
			}
		}
		if o.SignedAt() != nil && (o.Status == "shipped" || o.Status == "paid") {
			o.Status = "delivered"
		}
		o.UpdatedAt = s.Clock.Now()
		if err := s.DB.InTx(ctx, func(q *store.Queries) error { _, err := q.PutOrder(ctx, o); return err }); err != nil {
			return 0, err
		}
		if err := s.check(ctx, o.ID); err != nil {
			return 0, err
		}
	}
	return len(orders), nil
}

// merge adds an update's new events (a scan already known is skipped) and
// status to a parcel.
func merge(sh *kefu.Shipment, u Update) {
	if u.Carrier != "" {
		sh.Carrier = u.Carrier
	}
	for _, e := range u.Events {
		known := slices.ContainsFunc(sh.Events, func(k kefu.TrackingEvent) bool { return k.At.Equal(e.At) && k.Description == e.Description })
		if !known {
			sh.Events = append(sh.Events, e)
		}
	}
	slices.SortStableFunc(sh.Events, func(a, b kefu.TrackingEvent) int { return a.At.Compare(b.At) })
	switch {
	case u.Status != "":
		sh.Status = u.Status
	case len(sh.Events) > 0 && slices.Contains(Statuses, sh.Events[len(sh.Events)-1].Status):
		sh.Status = sh.Events[len(sh.Events)-1].Status
	}
	if sh.Status == StatusDelivered && sh.SignedAt == nil {
		at := u.SignedAt
		if at == nil && len(sh.Events) > 0 {
			at = &sh.Events[len(sh.Events)-1].At
		}
		sh.SignedAt = at
	}
}

// Exceptions returns what is wrong with a parcel at now.
func Exceptions(sh kefu.Shipment, staleDays int, now time.Time) []string {
	var out []string
	switch sh.Status {
	case StatusLost:
		out = append(out, ExceptionLost)
	case StatusReturned:
		out = append(out, ExceptionReturned)
	}
	if sh.SignedAt != nil || sh.Status == StatusDelivered {
		return out
	}
	if last := lastNews(sh); !last.IsZero() && !now.Before(last.Add(time.Duration(staleDays)*24*time.Hour)) {
		out = append(out, ExceptionStale)
	}
	if sh.PromisedAt != nil && !now.Before(*sh.PromisedAt) {
		out = append(out, ExceptionLate)
	}
	return out
}

// lastNews is the parcel's latest scan, or when it shipped.
func lastNews(sh kefu.Shipment) time.Time {
	if n := len(sh.Events); n > 0 {
		return sh.Events[n-1].At
	}
	if sh.ShippedAt != nil {
		return *sh.ShippedAt
	}
	return time.Time{}
}

// nextCheck is when a parcel on its way may next become an exception.
func nextCheck(sh kefu.Shipment, staleDays int) (time.Time, bool) {
	if sh.SignedAt != nil || sh.Status == StatusDelivered || sh.Status == StatusLost || sh.Status == StatusReturned {
		return time.Time{}, false
	}
	var at time.Time
	if last := lastNews(sh); !last.IsZero() && !slices.Contains(sh.Exceptions, ExceptionStale) {
		at = last.Add(time.Duration(staleDays) * 24 * time.Hour)
	}
	if sh.PromisedAt != nil && !slices.Contains(sh.Exceptions, ExceptionLate) && (at.IsZero() || sh.PromisedAt.Before(at)) {
		at = *sh.PromisedAt
	}
	return at, !at.IsZero()
}

// check raises an order's new exceptions and sets its timer.
func (s *Service) check(ctx context.Context, orderID string) error {
	o, err := s.DB.Order(ctx, orderID)
	if err != nil {
		return err
	}
	cfg, err := s.Settings.Current(ctx)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	type raised struct {
		sh   kefu.Shipment
		kind string
	}
	var found []raised
	for i := range o.Shipments {
		sh := &o.Shipments[i]
		for _, kind := range Exceptions(*sh, cfg.LogisticsStaleDays, now) {
			if !slices.Contains(sh.Exceptions, kind) {
				sh.Exceptions = append(sh.Exceptions, kind)
				found = append(found, raised{*sh, kind})
			}
		}
	}
	if len(found) > 0 {
		if err := s.DB.InTx(ctx, func(q *store.Queries) error { _, err := q.PutOrder(ctx, o); return err }); err != nil {
			return err
		}
		for _, f := range found {
			s.Inbox.NotifySupervisors(ctx, "logistics_exception", map[string]any{"order_id": o.ID, "shop_order_id": o.ShopOrderID,
				"carrier": f.sh.Carrier, "tracking_no": f.sh.TrackingNo, "exception": f.kind})
			if cfg.LogisticsNotifyCustomers {
				s.tellCustomer(ctx, o, f.sh, f.kind)
			}
		}
	}
	s.schedule(o, cfg.LogisticsStaleDays)
	return nil
}

// tellCustomer writes to the customer in their latest conversation that
// kefu noticed a problem with their parcel and is on it.
func (s *Service) tellCustomer(ctx context.Context, o kefu.Order, sh kefu.Shipment, kind string) {
	if o.ContactID == "" {
		return
	}
	c, err := s.DB.LatestConversationOf(ctx, o.ContactID)
	if err != nil {
		return // no conversation to write in; the agents have the notice
	}
	text := map[string]string{
		ExceptionStale:    "您的订单 %s 的包裹（%s %s）已有几天没有物流更新，我们已联系快递核实，有进展会第一时间告诉您。",
		ExceptionLate:     "您的订单 %s 的包裹（%s %s）已超过承诺的送达时间，我们正在催促快递，给您带来不便非常抱歉。",
		ExceptionLost:     "您的订单 %s 的包裹（%s %s）被快递标记为丢失，我们会为您补发或退款，客服会马上联系您。",
		ExceptionReturned: "您的订单 %s 的包裹（%s %s）正在被退回，客服会马上联系您确认地址或退款。",
	}[kind]
	if c.Language == "en" {
		text = map[string]string{
			ExceptionStale:    "Your parcel for order %s (%s %s) has had no tracking news for a few days; we are checking with the carrier.",
			ExceptionLate:     "Your parcel for order %s (%s %s) is past its promised delivery date; we are chasing the carrier. Sorry for the wait.",
			ExceptionLost:     "The carrier marked your parcel for order %s (%s %s) as lost; we will resend it or refund you, and an agent will contact you.",
			ExceptionReturned: "Your parcel for order %s (%s %s) is being sent back; an agent will contact you about the address or a refund.",
		}[kind]
	}
	if _, err := s.Inbox.SystemMessage(ctx, c.ID, sprintf(text, o.ShopOrderID, sh.Carrier, sh.TrackingNo)); err != nil {
		s.Log.Error("telling the customer about their parcel", "order", o.ID, "err", err)
	}
}

// ---- timers ----

// Start sets a timer for every parcel on its way and starts them.
func (s *Service) Start(ctx context.Context) error {
	s.timers = deadline.New(s.Clock.Now, func(id string, _ time.Time) {
		if err := s.check(kefu.NewContext(context.WithoutCancel(ctx), kefu.SystemActor("logistics")), id); err != nil {
			s.Log.Error("logistics check failed", "order", id, "err", err)
		}
	})
	cfg, err := s.Settings.Current(ctx)
	if err != nil {
		return err
	}
	open, err := s.DB.OrdersInTransit(ctx)
	if err != nil {
		return err
	}
	for _, o := range open {
		s.schedule(o, cfg.LogisticsStaleDays)
	}
	s.timers.Start()
	return nil
}

// Stop stops the timers.
func (s *Service) Stop() { s.timers.Stop() }

// RunDue checks the orders whose time has come: for tests with a fixed clock.
func (s *Service) RunDue() int { return s.timers.RunDue() }

func (s *Service) schedule(o kefu.Order, staleDays int) {
	if s.timers == nil {
		return
	}
	var next time.Time
	for _, sh := range o.Shipments {
		if at, ok := nextCheck(sh, staleDays); ok && (next.IsZero() || at.Before(next)) {
			next = at
		}
	}
	if next.IsZero() {
		s.timers.Cancel(o.ID)
	} else {
		s.timers.Set(o.ID, next)
	}
}

// Open lists the orders with a parcel in trouble, for the agents. Requires orders.view.
func (s *Service) Open(ctx context.Context) ([]kefu.Order, error) {
	if _, err := kefu.Require(ctx, kefu.PermOrdersView); err != nil {
		return nil, err
	}
	list, err := s.DB.OrdersInTransit(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(list, func(o kefu.Order) bool {
		return !slices.ContainsFunc(o.Shipments, func(sh kefu.Shipment) bool { return len(sh.Exceptions) > 0 && sh.SignedAt == nil })
	}), nil
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
