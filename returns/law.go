// Return rules of Chinese law, as pure functions of an order and the times
// given: whether a return may be accepted (网络购买商品七日无理由退货暂行办法,
// 消费者权益保护法 Art. 24–25), the seller's deadlines and their penalty points
// (办法 Art. 11, 13, 31), and what a refund comes to (办法 Art. 12, 14, 18).
// Nothing here reads the clock, a database or the network: callers pass
// "now" and the shop's time zone, so every rule can be tested by date.

package returns

import (
	"fmt"
	"math/bits"
	"slices"
	"time"

	"kefu"
)

// Kinds of return request.
const (
	KindReturnRefund = "return_refund" // send the goods back, get the money back
	KindExchange     = "exchange"      // send the goods back, get the same goods again
	KindRefundOnly   = "refund_only"   // money back, nothing to send (e.g. parcel refused at the door)
	KindRepair       = "repair"        // send the goods back, get them back repaired
)

// Kinds lists every kind, for validation and menus.
var Kinds = []string{KindReturnRefund, KindExchange, KindRefundOnly, KindRepair}

// Reasons the customer gives.
const (
	ReasonNoReason       = "no_reason"
	ReasonQuality        = "quality"
	ReasonDamaged        = "damaged"
	ReasonWrongItem      = "wrong_item"
	ReasonNotAsDescribed = "not_as_described"
	ReasonOther          = "other"
)

// Reasons lists every reason, for validation and menus.
var Reasons = []string{ReasonNoReason, ReasonQuality, ReasonDamaged, ReasonWrongItem, ReasonNotAsDescribed, ReasonOther}

// Paths: which law a return goes under.
const (
	PathNoReason = "no_reason" // 消费者权益保护法 Art. 25 and the 七日无理由 办法
	PathQuality  = "quality"   // 消费者权益保护法 Art. 24
)

// Articles cited in refusals.
const (
	ArticleWindow    = "网络购买商品七日无理由退货暂行办法 Art. 10"
	ArticleExcluded  = "网络购买商品七日无理由退货暂行办法 Art. 6"
	ArticleConfirmed = "网络购买商品七日无理由退货暂行办法 Art. 7"
	ArticleNoReason  = "消费者权益保护法 Art. 25"
	ArticleQuality   = "消费者权益保护法 Art. 24"
)

// Refusal codes.
const (
	CodeNotSigned           = "not_signed"            // the customer has not signed for the order yet
	CodeWindowClosed        = "window_closed"         // the 7 no-reason days are over
	CodeQualityWindowClosed = "quality_window_closed" // quality fault after 7 days: exchange or repair only
	CodeCustomMade          = "custom_made"
	CodePerishable          = "perishable"
	CodeDigitalUnsealed     = "digital_unsealed"
	CodePeriodical          = "periodical"
	CodeConfirmedNoReturns  = "confirmed_no_returns" // Art. 7 goods the customer agreed at purchase not to return
	CodeKindNeedsFault      = "kind_needs_fault"     // refund_only or repair asked for without a quality reason
	CodeUnknownSKU          = "unknown_sku"
	CodeQuantity            = "quantity"
	CodeNoLines             = "no_lines"
	CodeUnknownKind         = "unknown_kind"
	CodeUnknownReason       = "unknown_reason"
)

// SellerAtFault reports whether a reason is a quality problem, so that the
// return goes under 消费者权益保护法 Art. 24 (the seller pays freight, no Art.
// 6–7 exclusions) rather than the no-reason rules. "other" is not: a customer
// needs no reason to return within 7 days, and a fault the shop has not been
// told about cannot be held against it.
func SellerAtFault(reason string) bool {
	switch reason {
	case ReasonQuality, ReasonDamaged, ReasonWrongItem, ReasonNotAsDescribed:
		return true
	}
	return false
}

// Line is one SKU and how many of it the customer wants to return.
type Line struct {
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
}

// chinaTime is China Standard Time, used when no location is given. China
// has had no daylight saving since 1991, so a fixed zone is exact and needs
// no tz database.
var chinaTime = time.FixedZone("CST", 8*60*60)

// Window returns the 7 no-reason days for goods signed for at signedAt: they
// count from the day after the customer signed (办法 Art. 10), so they run
// from 00:00 of the next day in loc to 24:00 of the 7th day, which is end
// (exclusive: 00:00 of the 8th day). Signing at 23:59 still starts the count
// the next day. The signing day itself comes before start but is not
// outside the window: the law only says when the counting starts, and a
// return on the day of receipt is allowed. A nil loc means China Standard
// Time.
func Window(signedAt time.Time, loc *time.Location) (start, end time.Time) {
	loc = locOrChina(loc)
	s := signedAt.In(loc)
	// time.Date normalises day overflow (Nov 31 → Dec 1) and, in a zone with
	// daylight saving, keeps 00:00 local rather than adding 24h blocks.
	start = time.Date(s.Year(), s.Month(), s.Day()+1, 0, 0, 0, 0, loc)
	end = time.Date(s.Year(), s.Month(), s.Day()+8, 0, 0, 0, 0, loc)
	return start, end
}

// Refusal is one ground for refusing a return, with the article behind it.
// SKU is empty when the ground concerns the whole request.
type Refusal struct {
	SKU     string `json:"sku,omitempty"`
	Code    string `json:"code"`
	Article string `json:"article,omitempty"`
	Message string `json:"message"`
}

// Decision is Assess's answer.
type Decision struct {
	Allowed    bool       `json:"allowed"`
	Path       string     `json:"path"`                  // PathNoReason or PathQuality
	WindowEnds *time.Time `json:"window_ends,omitempty"` // end of the 7 days; nil before the customer signed
	Refusals   []Refusal  `json:"refusals,omitempty"`
}

// Assess decides whether a return request may be accepted at now, listing
// every ground for refusal (not just the first) so that an agent can tell
// the customer all of them at once.
//
// No-reason path (消费者权益保护法 Art. 25): the customer must have signed for
// the order (Order.SignedAt), now must fall before the end of Window, and no
// returned item may be excluded by Art. 6 (custom-made, perishable, unsealed
// digital, periodicals). Art. 7 goods are refused only when the item needs
// confirmation AND the customer confirmed at purchase: "not returnable" may
// not be a default (实施条例 Art. 19), so an unconfirmed flag is never a
// ground, and a confirmation on goods Art. 7 does not cover is not one
// either. Art. 25 is a right to send goods back: return_refund is allowed,
// and exchange too (it asks less of the shop); refund_only (keep the goods)
// and repair (nothing is broken) need a quality reason.
//
// Quality path (Art. 24): within the same 7 days any kind is allowed; after
// them only exchange or repair. The Art. 6–7 exclusions do not apply to
// faulty goods. An order not yet fully signed for is inside the 7 days (they
// have not started): a customer may refuse a damaged parcel at the door and
// ask for refund_only, or report a broken first parcel of several.
//
// Opening the package to inspect the goods, or testing them reasonably, is
// not a ground for refusal (办法 Art. 8–9), so there is nothing about it to
// check here; whether goods come back complete is for inspection.
//
// Lines must name SKUs on the order, each with a quantity from 1 to what was
// ordered (lines of the same SKU add up). What earlier returns of the same
// order took back is the caller's to subtract from the order first.
func Assess(o kefu.Order, kind, reason string, lines []Line, now time.Time, loc *time.Location) Decision {
	d := Decision{Path: PathNoReason}
	if SellerAtFault(reason) {
		d.Path = PathQuality
	}
	refuse := func(sku, code, article, format string, args ...any) {
		d.Refusals = append(d.Refusals, Refusal{SKU: sku, Code: code, Article: article, Message: fmt.Sprintf(format, args...)})
	}

	if !slices.Contains(Kinds, kind) {
		refuse("", CodeUnknownKind, "", "There is no kind of return %q.", kind)
	}
	if !slices.Contains(Reasons, reason) {
		refuse("", CodeUnknownReason, "", "There is no return reason %q.", reason)
	}

	// The request's lines against the order.
	items := checkLines(o, lines, refuse)

	// The window. Both paths use the same 7 days counted from the day after
	// signing (Art. 24 says "within seven days of receipt" too).
	inWindow := true
	signed := o.SignedAt()
	if signed != nil {
		_, end := Window(*signed, loc)
		d.WindowEnds = &end
		inWindow = now.Before(end)
	}

	switch d.Path {
	case PathNoReason:
		if kind == KindRefundOnly || kind == KindRepair {
			refuse("", CodeKindNeedsFault, ArticleNoReason,
				"A return without a quality fault must send the goods back; %s needs a quality reason.", kind)
		}
		switch {
		case signed == nil:
			refuse("", CodeNotSigned, ArticleWindow,
				"The order has not been signed for yet; the 7 days start the day after the customer signs.")
		case !inWindow:
			// end is 00:00 of the 8th day; say "24:00 of the 7th" as people do.
			last := d.WindowEnds.In(locOrChina(loc)).AddDate(0, 0, -1)
			refuse("", CodeWindowClosed, ArticleWindow,
				"The 7 days for returns without reason ended at %s 24:00.", last.Format("2006-01-02"))
		}
		for _, it := range items {
			excluded(it, refuse)
		}
	case PathQuality:
		if !inWindow && (kind == KindReturnRefund || kind == KindRefundOnly) {
			refuse("", CodeQualityWindowClosed, ArticleQuality,
				"More than 7 days after receipt a faulty item can be exchanged or repaired, not refunded.")
		}
	}

	d.Allowed = len(d.Refusals) == 0
	return d
}

func locOrChina(loc *time.Location) *time.Location {
	if loc == nil {
		return chinaTime
	}
	return loc
}

// checkLines refuses lines naming SKUs not on the order or quantities out of
// range, and returns the order items the valid lines concern.
func checkLines(o kefu.Order, lines []Line, refuse func(sku, code, article, format string, args ...any)) []kefu.OrderItem {
	if len(lines) == 0 {
		refuse("", CodeNoLines, "", "Name at least one item to return.")
		return nil
	}
	ordered := map[string]int{}
	for _, it := range o.Items {
		ordered[it.SKU] += it.Quantity
	}
	asked := map[string]int{}
	var skus []string // SKUs in the order of the request, once each
	for _, l := range lines {
		if !slices.Contains(skus, l.SKU) {
			skus = append(skus, l.SKU)
		}
		if l.Quantity <= 0 {
			refuse(l.SKU, CodeQuantity, "", "The quantity of %s must be at least 1.", l.SKU)
			continue
		}
		asked[l.SKU] += l.Quantity
	}
	var items []kefu.OrderItem
	for _, sku := range skus {
		n, ok := ordered[sku]
		switch {
		case !ok:
			refuse(sku, CodeUnknownSKU, "", "%s is not on this order.", sku)
			continue
		case asked[sku] > n:
			refuse(sku, CodeQuantity, "", "%d of %s asked for, but the order has %d.", asked[sku], sku, n)
		}
		for _, it := range o.Items {
			if it.SKU == sku {
				items = append(items, it)
			}
		}
	}
	return items
}

// excluded refuses an item the no-reason rules exclude.
func excluded(it kefu.OrderItem, refuse func(sku, code, article, format string, args ...any)) {
	name := it.Name
	if name == "" {
		name = it.SKU
	}
	// Art. 6: excluded whatever the customer agreed.
	if it.CustomMade {
		refuse(it.SKU, CodeCustomMade, ArticleExcluded, "%s was made to order and cannot be returned without reason.", name)
	}
	if it.Perishable {
		refuse(it.SKU, CodePerishable, ArticleExcluded, "%s is fresh or perishable and cannot be returned without reason.", name)
	}
	if it.Digital {
		refuse(it.SKU, CodeDigitalUnsealed, ArticleExcluded, "%s is digital goods already unsealed or downloaded and cannot be returned without reason.", name)
	}
	if it.Periodical {
		refuse(it.SKU, CodePeriodical, ArticleExcluded, "%s is a delivered newspaper or periodical and cannot be returned without reason.", name)
	}
	// Art. 7: only with the customer's confirmation at purchase. The flag
	// alone is never a ground (实施条例 Art. 19: not a default).
	if it.NeedsConfirmation && it.ConfirmedNoReturns {
		refuse(it.SKU, CodeConfirmedNoReturns, ArticleConfirmed, "The customer confirmed at purchase that %s cannot be returned without reason.", name)
	}
}

// Policy holds the shop's deadlines and freight choice. The legal values are
// the defaults; a shop may be quicker, and tests may shorten them.
type Policy struct {
	AddressWithin         time.Duration `json:"address_within"`           // give the return address "promptly" (办法 Art. 11); convention: 48h
	RefundWithin          time.Duration `json:"refund_within"`            // refund within 7 days of receiving the goods (办法 Art. 13)
	PenaltyAfter          time.Duration `json:"penalty_after"`            // more than 15 days is a penalty trigger (办法 Art. 31)
	WarnBefore            time.Duration `json:"warn_before"`              // warn this long before a due time; 0: no warnings
	ShopPaysReturnFreight bool          `json:"shop_pays_return_freight"` // for no-reason returns (办法 Art. 18: the customer pays unless agreed)
}

// DefaultPolicy returns the legal deadlines, a 48h address convention, a
// warning 24h ahead and customer-paid return freight for no-reason returns.
func DefaultPolicy() Policy {
	return Policy{
		AddressWithin: 48 * time.Hour,
		RefundWithin:  7 * 24 * time.Hour,
		PenaltyAfter:  15 * 24 * time.Hour,
		WarnBefore:    24 * time.Hour,
	}
}

// Deadlines are a return's open obligations. A field is nil once its step is
// done (or before its clock starts).
type Deadlines struct {
	AddressDue     *time.Time `json:"address_due,omitempty"`     // requested + AddressWithin, until the address is sent
	AddressPenalty *time.Time `json:"address_penalty,omitempty"` // requested + 15 days: later without an address is a penalty risk (Art. 31)
	RefundDue      *time.Time `json:"refund_due,omitempty"`      // received + 7 days, until refunded (Art. 13)
	RefundPenalty  *time.Time `json:"refund_penalty,omitempty"`  // received + 15 days (Art. 31)
}

// Deadlines computes the deadlines of a return requested at requestedAt.
// addressSentAt, receivedAt and refundedAt are nil until those steps happen.
// The durations are exact (7×24h); China has no daylight saving, so that is
// the same as calendar days there. A refund_only return receives no goods:
// the caller may pass the approval time as receivedAt so that its refund is
// timed too, and pass an addressSentAt since it needs no address.
func (p Policy) Deadlines(requestedAt time.Time, addressSentAt, receivedAt, refundedAt *time.Time) Deadlines {
	var d Deadlines
	if addressSentAt == nil {
		d.AddressDue = timePtr(requestedAt.Add(p.AddressWithin))
		d.AddressPenalty = timePtr(requestedAt.Add(p.PenaltyAfter))
	}
	if receivedAt != nil && refundedAt == nil {
		d.RefundDue = timePtr(receivedAt.Add(p.RefundWithin))
		d.RefundPenalty = timePtr(receivedAt.Add(p.PenaltyAfter))
	}
	return d
}

func timePtr(t time.Time) *time.Time { return &t }

// Moment names and kinds.
const (
	DueAddress = "address"
	DueRefund  = "refund"

	MomentWarning     = "warning"
	MomentDue         = "due"
	MomentPenaltyRisk = "penalty_risk"
)

// Due is one moment something happens to a deadline: at At, the step Name
// (address or refund), due at Due, reaches Kind (warning, due or
// penalty_risk). For a penalty_risk moment Due is the penalty time, = At.
type Due struct {
	Name string    `json:"name"`
	Due  time.Time `json:"due"`
	Kind string    `json:"kind"`
	At   time.Time `json:"at"`
}

// Moments lists the warning, due and penalty_risk moments of the open
// deadlines, earliest first (address before refund, warning before due
// before penalty_risk when they coincide): a timer waits for the first one
// after now, and a list of returns sorts by the first. Moments already past
// are included; the caller knows now. A warning is left out when WarnBefore
// is 0.
func (d Deadlines) Moments(p Policy) []Due {
	var ms []Due
	add := func(name string, due, penalty *time.Time) {
		if due != nil {
			if p.WarnBefore > 0 {
				ms = append(ms, Due{Name: name, Due: *due, Kind: MomentWarning, At: due.Add(-p.WarnBefore)})
			}
			ms = append(ms, Due{Name: name, Due: *due, Kind: MomentDue, At: *due})
		}
		if penalty != nil {
			ms = append(ms, Due{Name: name, Due: *penalty, Kind: MomentPenaltyRisk, At: *penalty})
		}
	}
	add(DueAddress, d.AddressDue, d.AddressPenalty)
	add(DueRefund, d.RefundDue, d.RefundPenalty)
	// Stable: ties keep the order they were added in.
	slices.SortStableFunc(ms, func(a, b Due) int { return a.At.Compare(b.At) })
	return ms
}

// PenaltyRisk reports whether at now the 15 days of a deadline have run out
// without its step being done (办法 Art. 31: the address, or the refund). It
// counts from the penalty instant itself, the moment Moments gives, so that a
// timer firing then sees the risk.
func (d Deadlines) PenaltyRisk(now time.Time) bool {
	for _, t := range []*time.Time{d.AddressPenalty, d.RefundPenalty} {
		if t != nil && !now.Before(*t) {
			return true
		}
	}
	return false
}

// Who pays return freight.
const (
	PaidByCustomer = "customer"
	PaidByShop     = "shop"
)

// Breakdown is how a refund is made up. Money is in fen.
type Breakdown struct {
	Items               kefu.Money `json:"items"`                // price × quantity of the returned lines
	CouponShare         kefu.Money `json:"coupon_share"`         // the returned items' share of the order discount, deducted
	BrokenFreeShipping  kefu.Money `json:"broken_free_shipping"` // waived outbound freight, deducted when the return breaks the threshold (Art. 18)
	GiftsNotReturned    kefu.Money `json:"gifts_not_returned"`   // stated value of gifts the customer keeps (Art. 12)
	ReturnFreightPaidBy string     `json:"return_freight_paid_by"`
	Refund              kefu.Money `json:"refund"` // Items − CouponShare − BrokenFreeShipping − GiftsNotReturned, at least 0
	Method              string     `json:"method"` // the order's payment method: refunds go back the original way (Art. 14)
}

// Breakdown works out the refund for returning lines of o for reason.
//
// Items: each line's quantity at the order's unit price; a SKU on several
// order lines takes their quantities in order. SKUs not on the order and
// quantities beyond it count for nothing (Assess refuses them).
//
// CouponShare: coupons and order promotions are not refunded as cash; the
// returned items carry the order discount (Order.Discount, or the coupons'
// values when the shop sent only those) in proportion to their share of the
// item total: discount × Items ÷ item total, rounded down to the fen. Down
// favours the customer by under one fen, and returning everything deducts
// exactly the whole discount.
//
// BrokenFreeShipping: when the order got free shipping (ShippingWaive > 0
// with a threshold) and the items kept, at their unit prices, fall below the
// threshold, the waived outbound freight may be deducted (办法 Art. 18).
// Unit prices are before the order discount, the lenient reading, since it is
// unknown whether the shop measured the threshold before or after coupons.
// Never for quality returns: the seller pays transport then (Art. 24).
//
// GiftsNotReturned: the gifts' stated value when the order had gifts and the
// customer keeps them (办法 Art. 12); the caller says which.
//
// Return freight is the shop's for quality returns (Art. 24) or when its
// policy says so, else the customer's (办法 Art. 18).
func (p Policy) Breakdown(o kefu.Order, reason string, lines []Line, giftsReturned bool) Breakdown {
	b := Breakdown{ReturnFreightPaidBy: PaidByCustomer, Method: o.PaymentMethod}
	quality := SellerAtFault(reason)
	if quality || p.ShopPaysReturnFreight {
		b.ReturnFreightPaidBy = PaidByShop
	}

	var itemTotal kefu.Money
	for _, it := range o.Items {
		itemTotal += it.Price * kefu.Money(it.Quantity)
	}
	asked := map[string]int{}
	for _, l := range lines {
		if l.Quantity > 0 {
			asked[l.SKU] += l.Quantity
		}
	}
	for _, it := range o.Items {
		n := min(asked[it.SKU], it.Quantity)
		if n <= 0 {
			continue
		}
		asked[it.SKU] -= n
		b.Items += it.Price * kefu.Money(n)
	}

	discount := o.Discount
	if discount == 0 {
		for _, c := range o.Coupons {
			discount += c.Value
		}
	}
	b.CouponShare = mulDivFloor(discount, b.Items, itemTotal)

	if !quality && o.ShippingWaive > 0 && o.FreeShippingThreshold > 0 && itemTotal-b.Items < o.FreeShippingThreshold {
		b.BrokenFreeShipping = o.ShippingWaive
	}

	if !giftsReturned {
		for _, g := range o.Gifts {
			b.GiftsNotReturned += g.Value
		}
	}

	b.Refund = max(0, b.Items-b.CouponShare-b.BrokenFreeShipping-b.GiftsNotReturned)
	return b
}

// mulDivFloor returns a × b ÷ c rounded down, for 0 ≤ b ≤ c, without
// overflowing on the way (a × b may pass int64 for large fen amounts).
func mulDivFloor(a, b, c kefu.Money) kefu.Money {
	if a <= 0 || b <= 0 || c <= 0 {
		return 0
	}
	if b >= c {
		return a
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, _ := bits.Div64(hi, lo, uint64(c)) // hi < c since b < c and a < 2^63
	return kefu.Money(q)
}
