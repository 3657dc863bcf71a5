// Dated tests of the return rules: every time is a fixed date in
// Asia/Shanghai, never the clock.

package returns

import (
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Shanghai without a system tz database

	"kefu"
)

var shanghai = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// sh returns a time in Shanghai.
func sh(month time.Month, day, hour, min int) time.Time {
	return time.Date(2026, month, day, hour, min, 0, 0, shanghai)
}

func ptr[T any](v T) *T { return &v }

// signedOrder is an order of two SKUs, signed for at signed (nil: still on
// its way).
func signedOrder(signed *time.Time, items ...kefu.OrderItem) kefu.Order {
	if len(items) == 0 {
		items = []kefu.OrderItem{
			{SKU: "TEA-1", Name: "龙井 250g", Quantity: 2, Price: 6000},
			{SKU: "CUP-1", Name: "茶杯", Quantity: 1, Price: 3000},
		}
	}
	return kefu.Order{
		ID:            "o1",
		PaymentMethod: "alipay",
		Items:         items,
		Shipments:     []kefu.Shipment{{Carrier: "SF", TrackingNo: "SF1", SignedAt: signed}},
	}
}

func codes(d Decision) []string {
	var cs []string
	for _, r := range d.Refusals {
		cs = append(cs, r.Code)
	}
	return cs
}

func TestWindow(t *testing.T) {
	for _, c := range []struct {
		name       string
		signed     time.Time
		loc        *time.Location
		start, end time.Time
	}{
		{"morning", sh(11, 20, 10, 0), shanghai, sh(11, 21, 0, 0), sh(11, 28, 0, 0)},
		{"23:59 still counts from the next day", sh(11, 20, 23, 59), shanghai, sh(11, 21, 0, 0), sh(11, 28, 0, 0)},
		{"midnight", sh(11, 20, 0, 0), shanghai, sh(11, 21, 0, 0), sh(11, 28, 0, 0)},
		// 16:30 UTC is 00:30 the next day in Shanghai: the shop's day counts.
		{"UTC instant, Shanghai day", time.Date(2026, 11, 20, 16, 30, 0, 0, time.UTC), shanghai, sh(11, 22, 0, 0), sh(11, 29, 0, 0)},
		{"month end", sh(11, 30, 12, 0), shanghai, sh(12, 1, 0, 0), sh(12, 8, 0, 0)},
		{"year end", sh(12, 28, 12, 0), shanghai, time.Date(2026, 12, 29, 0, 0, 0, 0, shanghai), time.Date(2027, 1, 5, 0, 0, 0, 0, shanghai)},
		{"nil location is China time", sh(11, 20, 23, 59), nil, sh(11, 21, 0, 0), sh(11, 28, 0, 0)},
	} {
		t.Run(c.name, func(t *testing.T) {
			start, end := Window(c.signed, c.loc)
			if !start.Equal(c.start) || !end.Equal(c.end) {
				t.Errorf("Window(%v) = %v – %v, want %v – %v", c.signed, start, end, c.start, c.end)
			}
		})
	}
}

func TestAssessWindow(t *testing.T) {
	line := []Line{{SKU: "TEA-1", Quantity: 1}}
	for _, c := range []struct {
		name   string
		signed *time.Time
		now    time.Time
		want   []string
	}{
		{"signing day itself", ptr(sh(11, 20, 10, 0)), sh(11, 20, 15, 0), nil},
		{"first day", ptr(sh(11, 20, 10, 0)), sh(11, 21, 0, 0), nil},
		{"last minute of the 7th day", ptr(sh(11, 20, 10, 0)), sh(11, 27, 23, 59), nil},
		{"last second of the 7th day", ptr(sh(11, 20, 10, 0)), sh(11, 27, 23, 59).Add(59 * time.Second), nil},
		{"24:00 of the 7th day", ptr(sh(11, 20, 10, 0)), sh(11, 28, 0, 0), []string{CodeWindowClosed}},
		{"signed at 23:59, last minute", ptr(sh(11, 20, 23, 59)), sh(11, 27, 23, 59), nil},
		{"signed at 23:59, 8th day", ptr(sh(11, 20, 23, 59)), sh(11, 28, 0, 0), []string{CodeWindowClosed}},
		{"not signed yet", nil, sh(11, 21, 10, 0), []string{CodeNotSigned}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := Assess(signedOrder(c.signed), KindReturnRefund, ReasonNoReason, line, c.now, shanghai)
			if got := codes(d); !slices.Equal(got, c.want) {
				t.Fatalf("refusals %v, want %v (%+v)", got, c.want, d.Refusals)
			}
			if d.Allowed != (len(c.want) == 0) || d.Path != PathNoReason {
				t.Errorf("Allowed %v, Path %q", d.Allowed, d.Path)
			}
			if c.signed == nil {
				if d.WindowEnds != nil {
					t.Errorf("WindowEnds %v before signing", d.WindowEnds)
				}
			} else if _, end := Window(*c.signed, shanghai); d.WindowEnds == nil || !d.WindowEnds.Equal(end) {
				t.Errorf("WindowEnds %v, want %v", d.WindowEnds, end)
			}
		})
	}
}

func TestAssessWindowClosedMessage(t *testing.T) {
	d := Assess(signedOrder(ptr(sh(11, 20, 10, 0))), KindReturnRefund, ReasonNoReason,
		[]Line{{SKU: "TEA-1", Quantity: 1}}, sh(11, 29, 9, 0), shanghai)
	want := Refusal{Code: CodeWindowClosed, Article: ArticleWindow,
		Message: "The 7 days for returns without reason ended at 2026-11-27 24:00."}
	if len(d.Refusals) != 1 || d.Refusals[0] != want {
		t.Errorf("refusals %+v, want %+v", d.Refusals, want)
	}
}

// An order of several parcels is signed for when the last one is.
func TestAssessPartlySigned(t *testing.T) {
	o := signedOrder(ptr(sh(11, 20, 10, 0)))
	o.Shipments = append(o.Shipments, kefu.Shipment{Carrier: "SF", TrackingNo: "SF2"})
	d := Assess(o, KindReturnRefund, ReasonNoReason, []Line{{SKU: "TEA-1", Quantity: 1}}, sh(11, 21, 10, 0), shanghai)
	if got := codes(d); !slices.Equal(got, []string{CodeNotSigned}) {
		t.Errorf("refusals %v, want not_signed", got)
	}
	o.Shipments[1].SignedAt = ptr(sh(11, 23, 18, 0))
	d = Assess(o, KindReturnRefund, ReasonNoReason, []Line{{SKU: "TEA-1", Quantity: 1}}, sh(11, 30, 23, 0), shanghai)
	if !d.Allowed || !d.WindowEnds.Equal(sh(12, 1, 0, 0)) {
		t.Errorf("Allowed %v, WindowEnds %v; want allowed until the last parcel's window ends 12-01 00:00", d.Allowed, d.WindowEnds)
	}
}

func TestAssessExclusions(t *testing.T) {
	signed := ptr(sh(11, 20, 10, 0))
	now := sh(11, 22, 10, 0)
	for _, c := range []struct {
		name    string
		item    kefu.OrderItem
		code    string
		article string
	}{
		{"custom made", kefu.OrderItem{CustomMade: true}, CodeCustomMade, ArticleExcluded},
		{"perishable", kefu.OrderItem{Perishable: true}, CodePerishable, ArticleExcluded},
		{"digital unsealed", kefu.OrderItem{Digital: true}, CodeDigitalUnsealed, ArticleExcluded},
		{"periodical", kefu.OrderItem{Periodical: true}, CodePeriodical, ArticleExcluded},
		{"needs confirmation, confirmed", kefu.OrderItem{NeedsConfirmation: true, ConfirmedNoReturns: true}, CodeConfirmedNoReturns, ArticleConfirmed},
		// 实施条例 Art. 19: "not returnable" may not be a default.
		{"needs confirmation, not confirmed", kefu.OrderItem{NeedsConfirmation: true}, "", ""},
		// A confirmation cannot exclude goods Art. 7 does not cover.
		{"confirmed without Art. 7 goods", kefu.OrderItem{ConfirmedNoReturns: true}, "", ""},
		{"ordinary goods", kefu.OrderItem{}, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			it := c.item
			it.SKU, it.Name, it.Quantity, it.Price = "X-1", "商品", 1, 1000
			o := signedOrder(signed, it, kefu.OrderItem{SKU: "OK-1", Quantity: 1, Price: 1000})
			d := Assess(o, KindReturnRefund, ReasonNoReason, []Line{{SKU: "X-1", Quantity: 1}}, now, shanghai)
			if c.code == "" {
				if !d.Allowed || len(d.Refusals) != 0 {
					t.Errorf("refused: %+v", d.Refusals)
				}
			} else if d.Allowed || len(d.Refusals) != 1 || d.Refusals[0].Code != c.code || d.Refusals[0].Article != c.article || d.Refusals[0].SKU != "X-1" {
				t.Errorf("refusals %+v, want one %s under %s for X-1", d.Refusals, c.code, c.article)
			}

			// Only the returned lines count: returning the other item is fine.
			if d := Assess(o, KindReturnRefund, ReasonNoReason, []Line{{SKU: "OK-1", Quantity: 1}}, now, shanghai); !d.Allowed {
				t.Errorf("returning an ordinary item of the same order refused: %+v", d.Refusals)
			}
			// A quality fault is not subject to the no-reason exclusions (Art. 24).
			if d := Assess(o, KindReturnRefund, ReasonQuality, []Line{{SKU: "X-1", Quantity: 1}}, now, shanghai); !d.Allowed || d.Path != PathQuality {
				t.Errorf("quality return refused: %+v", d)
			}
		})
	}
}

func TestAssessQuality(t *testing.T) {
	signed := ptr(sh(11, 20, 10, 0))
	lines := []Line{{SKU: "TEA-1", Quantity: 1}}
	for _, c := range []struct {
		name   string
		signed *time.Time
		reason string
		kind   string
		now    time.Time
		want   []string
	}{
		{"within 7 days: return_refund", signed, ReasonQuality, KindReturnRefund, sh(11, 27, 23, 59), nil},
		{"within 7 days: refund_only", signed, ReasonDamaged, KindRefundOnly, sh(11, 25, 9, 0), nil},
		{"within 7 days: exchange", signed, ReasonWrongItem, KindExchange, sh(11, 25, 9, 0), nil},
		{"within 7 days: repair", signed, ReasonNotAsDescribed, KindRepair, sh(11, 25, 9, 0), nil},
		{"after 7 days: exchange", signed, ReasonQuality, KindExchange, sh(11, 28, 0, 0), nil},
		{"after 7 days: repair", signed, ReasonQuality, KindRepair, sh(12, 20, 9, 0), nil},
		{"after 7 days: return_refund", signed, ReasonQuality, KindReturnRefund, sh(11, 28, 0, 0), []string{CodeQualityWindowClosed}},
		{"after 7 days: refund_only", signed, ReasonDamaged, KindRefundOnly, sh(12, 2, 9, 0), []string{CodeQualityWindowClosed}},
		// A parcel refused at the door for damage is never signed for.
		{"not signed: refund_only", nil, ReasonDamaged, KindRefundOnly, sh(11, 20, 9, 0), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := Assess(signedOrder(c.signed), c.kind, c.reason, lines, c.now, shanghai)
			if got := codes(d); !slices.Equal(got, c.want) {
				t.Errorf("refusals %v, want %v", got, c.want)
			}
			if d.Path != PathQuality || d.Allowed != (len(c.want) == 0) {
				t.Errorf("Path %q Allowed %v", d.Path, d.Allowed)
			}
			if len(c.want) > 0 && d.Refusals[0].Article != ArticleQuality {
				t.Errorf("article %q", d.Refusals[0].Article)
			}
		})
	}
}

func TestAssessKindsWithoutFault(t *testing.T) {
	o := signedOrder(ptr(sh(11, 20, 10, 0)))
	now := sh(11, 22, 10, 0)
	lines := []Line{{SKU: "TEA-1", Quantity: 1}}
	for kind, want := range map[string][]string{
		KindReturnRefund: nil,
		KindExchange:     nil,
		KindRefundOnly:   {CodeKindNeedsFault},
		KindRepair:       {CodeKindNeedsFault},
	} {
		for _, reason := range []string{ReasonNoReason, ReasonOther} {
			d := Assess(o, kind, reason, lines, now, shanghai)
			if got := codes(d); !slices.Equal(got, want) || d.Path != PathNoReason {
				t.Errorf("%s/%s: refusals %v path %q, want %v on the no-reason path", kind, reason, got, d.Path, want)
			}
		}
	}
}

func TestAssessLines(t *testing.T) {
	o := signedOrder(ptr(sh(11, 20, 10, 0)))
	now := sh(11, 22, 10, 0)
	for _, c := range []struct {
		name  string
		lines []Line
		want  []string
	}{
		{"all of it", []Line{{"TEA-1", 2}, {"CUP-1", 1}}, nil},
		{"more than ordered", []Line{{"TEA-1", 3}}, []string{CodeQuantity}},
		{"split lines add up past the order", []Line{{"TEA-1", 1}, {"TEA-1", 2}}, []string{CodeQuantity}},
		{"zero", []Line{{"TEA-1", 0}}, []string{CodeQuantity}},
		{"negative", []Line{{"CUP-1", -1}}, []string{CodeQuantity}},
		{"unknown SKU", []Line{{"NOPE", 1}}, []string{CodeUnknownSKU}},
		{"no lines", nil, []string{CodeNoLines}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := Assess(o, KindReturnRefund, ReasonNoReason, c.lines, now, shanghai)
			if got := codes(d); !slices.Equal(got, c.want) {
				t.Errorf("refusals %v, want %v (%+v)", got, c.want, d.Refusals)
			}
		})
	}
	// The same SKU on two order lines: their quantities add up.
	o.Items = append(o.Items, kefu.OrderItem{SKU: "TEA-1", Quantity: 1, Price: 5000})
	if d := Assess(o, KindReturnRefund, ReasonNoReason, []Line{{"TEA-1", 3}}, now, shanghai); !d.Allowed {
		t.Errorf("3 of 2+1 refused: %+v", d.Refusals)
	}
}

func TestAssessEveryGround(t *testing.T) {
	o := signedOrder(ptr(sh(11, 20, 10, 0)),
		kefu.OrderItem{SKU: "FISH", Quantity: 1, Price: 8800, Perishable: true},
		kefu.OrderItem{SKU: "CAKE", Quantity: 1, Price: 8800, Perishable: true, CustomMade: true})
	d := Assess(o, "swap", "bored", []Line{{"FISH", 2}, {"CAKE", 1}, {"NOPE", 1}}, sh(12, 1, 0, 0), shanghai)
	want := []string{CodeUnknownKind, CodeUnknownReason, CodeUnknownSKU, CodeQuantity, CodeWindowClosed,
		CodePerishable, CodeCustomMade, CodePerishable}
	slices.Sort(want)
	got := codes(d)
	slices.Sort(got)
	if d.Allowed || !slices.Equal(got, want) {
		t.Errorf("refusals %v, want %v", got, want)
	}
}

func TestDeadlines(t *testing.T) {
	p := DefaultPolicy()
	requested := sh(12, 1, 9, 0)
	received := sh(12, 5, 14, 0)

	d := p.Deadlines(requested, nil, nil, nil)
	want := Deadlines{AddressDue: ptr(sh(12, 3, 9, 0)), AddressPenalty: ptr(sh(12, 16, 9, 0))}
	checkDeadlines(t, "requested", d, want)

	d = p.Deadlines(requested, ptr(sh(12, 1, 10, 0)), ptr(received), nil)
	want = Deadlines{RefundDue: ptr(sh(12, 12, 14, 0)), RefundPenalty: ptr(sh(12, 20, 14, 0))}
	checkDeadlines(t, "received", d, want)

	d = p.Deadlines(requested, ptr(sh(12, 1, 10, 0)), ptr(received), ptr(sh(12, 6, 10, 0)))
	checkDeadlines(t, "refunded", d, Deadlines{})

	// Received before the address was booked as sent: both clocks run.
	d = p.Deadlines(requested, nil, ptr(received), nil)
	want = Deadlines{AddressDue: ptr(sh(12, 3, 9, 0)), AddressPenalty: ptr(sh(12, 16, 9, 0)),
		RefundDue: ptr(sh(12, 12, 14, 0)), RefundPenalty: ptr(sh(12, 20, 14, 0))}
	checkDeadlines(t, "both", d, want)
}

func checkDeadlines(t *testing.T, name string, got, want Deadlines) {
	t.Helper()
	eq := func(a, b *time.Time) bool { return (a == nil) == (b == nil) && (a == nil || a.Equal(*b)) }
	if !eq(got.AddressDue, want.AddressDue) || !eq(got.AddressPenalty, want.AddressPenalty) ||
		!eq(got.RefundDue, want.RefundDue) || !eq(got.RefundPenalty, want.RefundPenalty) {
		t.Errorf("%s: got %s, want %s", name, fmtDeadlines(got), fmtDeadlines(want))
	}
}

func fmtDeadlines(d Deadlines) string {
	f := func(t *time.Time) string {
		if t == nil {
			return "-"
		}
		return t.In(shanghai).Format("01-02 15:04")
	}
	return "address " + f(d.AddressDue) + "/" + f(d.AddressPenalty) + " refund " + f(d.RefundDue) + "/" + f(d.RefundPenalty)
}

func TestDeadlineMoments(t *testing.T) {
	p := DefaultPolicy()
	d := p.Deadlines(sh(12, 1, 9, 0), nil, ptr(sh(12, 5, 14, 0)), nil)
	want := []Due{
		{DueAddress, sh(12, 3, 9, 0), MomentWarning, sh(12, 2, 9, 0)},
		{DueAddress, sh(12, 3, 9, 0), MomentDue, sh(12, 3, 9, 0)},
		{DueRefund, sh(12, 12, 14, 0), MomentWarning, sh(12, 11, 14, 0)},
		{DueRefund, sh(12, 12, 14, 0), MomentDue, sh(12, 12, 14, 0)},
		{DueAddress, sh(12, 16, 9, 0), MomentPenaltyRisk, sh(12, 16, 9, 0)},
		{DueRefund, sh(12, 20, 14, 0), MomentPenaltyRisk, sh(12, 20, 14, 0)},
	}
	if got := d.Moments(p); !equalMoments(got, want) {
		t.Errorf("Moments:\n got %v\nwant %v", got, want)
	}

	// No warnings when WarnBefore is 0.
	p.WarnBefore = 0
	d = p.Deadlines(sh(12, 1, 9, 0), nil, nil, nil)
	want = []Due{
		{DueAddress, sh(12, 3, 9, 0), MomentDue, sh(12, 3, 9, 0)},
		{DueAddress, sh(12, 16, 9, 0), MomentPenaltyRisk, sh(12, 16, 9, 0)},
	}
	if got := d.Moments(p); !equalMoments(got, want) {
		t.Errorf("Moments without warnings:\n got %v\nwant %v", got, want)
	}

	// Coinciding moments keep address before refund, warning before due.
	p = Policy{AddressWithin: 48 * time.Hour, RefundWithin: 24 * time.Hour, PenaltyAfter: 15 * 24 * time.Hour, WarnBefore: 24 * time.Hour}
	d = p.Deadlines(sh(12, 1, 9, 0), nil, ptr(sh(12, 2, 9, 0)), nil)
	got := d.Moments(p)
	want = []Due{
		{DueAddress, sh(12, 3, 9, 0), MomentWarning, sh(12, 2, 9, 0)},
		{DueRefund, sh(12, 3, 9, 0), MomentWarning, sh(12, 2, 9, 0)},
		{DueAddress, sh(12, 3, 9, 0), MomentDue, sh(12, 3, 9, 0)},
		{DueRefund, sh(12, 3, 9, 0), MomentDue, sh(12, 3, 9, 0)},
		{DueAddress, sh(12, 16, 9, 0), MomentPenaltyRisk, sh(12, 16, 9, 0)},
		{DueRefund, sh(12, 17, 9, 0), MomentPenaltyRisk, sh(12, 17, 9, 0)},
	}
	if !equalMoments(got, want) {
		t.Errorf("coinciding Moments:\n got %v\nwant %v", got, want)
	}

	if got := (Deadlines{}).Moments(DefaultPolicy()); len(got) != 0 {
		t.Errorf("nothing open, Moments %v", got)
	}
}

func equalMoments(a, b []Due) bool {
	return slices.EqualFunc(a, b, func(x, y Due) bool {
		return x.Name == y.Name && x.Kind == y.Kind && x.Due.Equal(y.Due) && x.At.Equal(y.At)
	})
}

func TestDeadlinePenaltyRisk(t *testing.T) {
	p := DefaultPolicy()
	requested := sh(12, 1, 9, 0)
	for _, c := range []struct {
		name                            string
		addressSent, received, refunded *time.Time
		now                             time.Time
		want                            bool
	}{
		{"address late but within 15 days", nil, nil, nil, sh(12, 16, 8, 59), false},
		{"no address after 15 days", nil, nil, nil, sh(12, 16, 9, 0), true},
		{"address sent", ptr(sh(12, 2, 9, 0)), nil, nil, sh(12, 30, 9, 0), false},
		{"refund within 15 days", ptr(sh(12, 2, 9, 0)), ptr(sh(12, 5, 14, 0)), nil, sh(12, 20, 13, 59), false},
		{"no refund after 15 days", ptr(sh(12, 2, 9, 0)), ptr(sh(12, 5, 14, 0)), nil, sh(12, 20, 14, 0), true},
		{"refunded", ptr(sh(12, 2, 9, 0)), ptr(sh(12, 5, 14, 0)), ptr(sh(12, 6, 9, 0)), sh(12, 30, 9, 0), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := p.Deadlines(requested, c.addressSent, c.received, c.refunded)
			if got := d.PenaltyRisk(c.now); got != c.want {
				t.Errorf("PenaltyRisk = %v, want %v", got, c.want)
			}
		})
	}
}

func TestBreakdown(t *testing.T) {
	// Item total 15000 fen (¥150): TEA-1 2 × 6000, CUP-1 1 × 3000; ¥10 off;
	// free shipping from ¥99 waived ¥8; a ¥5 gift.
	base := signedOrder(ptr(sh(11, 20, 10, 0)))
	base.Discount = 1000
	base.FreeShippingThreshold = 9900
	base.ShippingWaive = 800
	base.Gifts = []kefu.Gift{{Name: "茶匙", Value: 500}}

	for _, c := range []struct {
		name          string
		policy        Policy
		order         func(o *kefu.Order)
		reason        string
		lines         []Line
		giftsReturned bool
		want          Breakdown
	}{
		{
			name: "cup: share exact, threshold kept", reason: ReasonNoReason, lines: []Line{{"CUP-1", 1}}, giftsReturned: true,
			want: Breakdown{Items: 3000, CouponShare: 200, ReturnFreightPaidBy: PaidByCustomer, Refund: 2800, Method: "alipay"},
		},
		{
			name: "one tea: free shipping broken (12000−6000 → 9000 < 9900)", reason: ReasonNoReason, lines: []Line{{"TEA-1", 1}}, giftsReturned: true,
			want: Breakdown{Items: 6000, CouponShare: 400, BrokenFreeShipping: 800, ReturnFreightPaidBy: PaidByCustomer, Refund: 4800, Method: "alipay"},
		},
		{
			name: "everything: whole discount, free shipping broken, gift kept", reason: ReasonOther, lines: []Line{{"TEA-1", 2}, {"CUP-1", 1}},
			want: Breakdown{Items: 15000, CouponShare: 1000, BrokenFreeShipping: 800, GiftsNotReturned: 500, ReturnFreightPaidBy: PaidByCustomer, Refund: 12700, Method: "alipay"},
		},
		{
			name: "quality: no freight deduction, shop pays return freight", reason: ReasonQuality, lines: []Line{{"TEA-1", 1}}, giftsReturned: true,
			want: Breakdown{Items: 6000, CouponShare: 400, ReturnFreightPaidBy: PaidByShop, Refund: 5600, Method: "alipay"},
		},
		{
			name: "shop pays return freight by policy", policy: Policy{ShopPaysReturnFreight: true}, reason: ReasonNoReason, lines: []Line{{"CUP-1", 1}}, giftsReturned: true,
			want: Breakdown{Items: 3000, CouponShare: 200, ReturnFreightPaidBy: PaidByShop, Refund: 2800, Method: "alipay"},
		},
		{
			name: "gift kept", reason: ReasonNoReason, lines: []Line{{"CUP-1", 1}},
			want: Breakdown{Items: 3000, CouponShare: 200, GiftsNotReturned: 500, ReturnFreightPaidBy: PaidByCustomer, Refund: 2300, Method: "alipay"},
		},
		{
			name: "never below zero", reason: ReasonNoReason, lines: []Line{{"CUP-1", 1}},
			order: func(o *kefu.Order) { o.Gifts = []kefu.Gift{{Name: "音箱", Value: 50000}} },
			want:  Breakdown{Items: 3000, CouponShare: 200, GiftsNotReturned: 50000, ReturnFreightPaidBy: PaidByCustomer, Refund: 0, Method: "alipay"},
		},
		{
			// 1000 × 700 ÷ 3000 = 233.3… → 233, rounded down.
			name: "share rounds down to the fen", reason: ReasonNoReason, lines: []Line{{"A", 1}}, giftsReturned: true,
			order: func(o *kefu.Order) {
				o.Items = []kefu.OrderItem{{SKU: "A", Quantity: 1, Price: 700}, {SKU: "B", Quantity: 1, Price: 2300}}
				o.FreeShippingThreshold, o.ShippingWaive = 0, 0
			},
			want: Breakdown{Items: 700, CouponShare: 233, ReturnFreightPaidBy: PaidByCustomer, Refund: 467, Method: "alipay"},
		},
		{
			name: "coupons when no discount is given", reason: ReasonNoReason, lines: []Line{{"CUP-1", 1}}, giftsReturned: true,
			order: func(o *kefu.Order) { o.Discount, o.Coupons = 0, []kefu.Coupon{{Code: "C1", Value: 1500}} },
			want:  Breakdown{Items: 3000, CouponShare: 300, ReturnFreightPaidBy: PaidByCustomer, Refund: 2700, Method: "alipay"},
		},
		{
			name: "no free shipping on the order", reason: ReasonNoReason, lines: []Line{{"TEA-1", 2}}, giftsReturned: true,
			order: func(o *kefu.Order) { o.ShippingWaive, o.PaymentMethod = 0, "wechat_pay" },
			want:  Breakdown{Items: 12000, CouponShare: 800, ReturnFreightPaidBy: PaidByCustomer, Refund: 11200, Method: "wechat_pay"},
		},
		{
			name: "unknown SKUs and excess quantities count for nothing", reason: ReasonNoReason, lines: []Line{{"CUP-1", 5}, {"NOPE", 1}, {"TEA-1", -1}}, giftsReturned: true,
			want: Breakdown{Items: 3000, CouponShare: 200, ReturnFreightPaidBy: PaidByCustomer, Refund: 2800, Method: "alipay"},
		},
		{
			name: "a SKU on two order lines takes them in order", reason: ReasonNoReason, lines: []Line{{"TEA-1", 3}}, giftsReturned: true,
			order: func(o *kefu.Order) {
				o.Items = append(o.Items, kefu.OrderItem{SKU: "TEA-1", Quantity: 2, Price: 5000}) // total 25000
				o.FreeShippingThreshold, o.ShippingWaive = 0, 0
			},
			// 2 × 6000 + 1 × 5000 = 17000; 1000 × 17000 ÷ 25000 = 680.
			want: Breakdown{Items: 17000, CouponShare: 680, ReturnFreightPaidBy: PaidByCustomer, Refund: 16320, Method: "alipay"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := base
			o.Items = slices.Clone(base.Items)
			if c.order != nil {
				c.order(&o)
			}
			if got := c.policy.Breakdown(o, c.reason, c.lines, c.giftsReturned); got != c.want {
				t.Errorf("Breakdown\n got %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestBreakdownLargeAmounts(t *testing.T) {
	// ¥10 billion of items: discount × items passes int64.
	if got := mulDivFloor(1e15, 1e12, 2e12); got != 5e14 {
		t.Errorf("mulDivFloor = %d, want 5e14", got)
	}
	if got := mulDivFloor(1000, 0, 3000); got != 0 {
		t.Errorf("mulDivFloor with nothing returned = %d", got)
	}
	if got := mulDivFloor(1000, 700, 0); got != 0 {
		t.Errorf("mulDivFloor with no item total = %d", got)
	}
}

func TestLawSellerAtFault(t *testing.T) {
	for _, r := range Reasons {
		want := r == ReasonQuality || r == ReasonDamaged || r == ReasonWrongItem || r == ReasonNotAsDescribed
		if SellerAtFault(r) != want {
			t.Errorf("SellerAtFault(%q) = %v", r, !want)
		}
	}
}

func TestLawDefaultPolicy(t *testing.T) {
	want := Policy{AddressWithin: 48 * time.Hour, RefundWithin: 7 * 24 * time.Hour, PenaltyAfter: 15 * 24 * time.Hour, WarnBefore: 24 * time.Hour}
	if got := DefaultPolicy(); got != want {
		t.Errorf("DefaultPolicy() = %+v", got)
	}
}
