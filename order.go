package kefu

import "time"

// Money is an amount in fen (0.01 yuan): exact, no floating point.
type Money int64

// Order is an order the shop pushed to kefu (or imported), so that agents
// and the bot see it beside the customer's conversations. ShopOrderID is
// the shop's own id; pushing the same one again updates the order.
type Order struct {
	ID          string `json:"id"`
	ShopOrderID string `json:"shop_order_id"`
	ContactID   string `json:"contact_id"`
	ShopUserID  string `json:"shop_user_id,omitempty"`
	// Phone and Email only link the order to a contact (blind index); they
	// are not stored in clear.
	Phone                 string      `json:"phone,omitempty"`
	Email                 string      `json:"email,omitempty"`
	Status                string      `json:"status"` // pending_payment, paid, shipped, delivered, completed, cancelled, refunded
	PaymentMethod         string      `json:"payment_method"`
	Items                 []OrderItem `json:"items"`
	Total                 Money       `json:"total"`         // what the customer paid, shipping included
	Shipping              Money       `json:"shipping"`      // outbound freight paid (0 when free)
	ShippingWaive         Money       `json:"shipping_free"` // outbound freight the shop waived because the order passed a free-shipping threshold
	FreeShippingThreshold Money       `json:"free_shipping_threshold,omitempty"`
	Discount              Money       `json:"discount"` // coupons and promotions taken off
	Coupons               []Coupon    `json:"coupons"`
	Gifts                 []Gift      `json:"gifts"`
	Shipments             []Shipment  `json:"shipments"`
	PlacedAt              time.Time   `json:"placed_at"`
	PaidAt                *time.Time  `json:"paid_at,omitempty"`
	CreatedAt             time.Time   `json:"created_at"`
	UpdatedAt             time.Time   `json:"updated_at"`
}

// OrderItem is one line of an order. The flags say which goods the 7-day
// no-reason rule excludes (网络购买商品七日无理由退货暂行办法 Art. 6–7).
type OrderItem struct {
	SKU      string `json:"sku"`
	Name     string `json:"name"`
	Category string `json:"category,omitempty"`
	Quantity int    `json:"quantity"`
	Price    Money  `json:"price"` // per unit, as paid after item discounts
	// Excluded by law whatever the customer agreed (Art. 6).
	CustomMade bool `json:"custom_made,omitempty"` // made to the customer's order
	Perishable bool `json:"perishable,omitempty"`  // fresh, live or perishable
	Digital    bool `json:"digital,omitempty"`     // audio-visual, software or digital goods, once unsealed or downloaded
	Periodical bool `json:"periodical,omitempty"`  // newspapers and periodicals delivered
	// Excludable only when the customer confirmed it at purchase (Art. 7):
	// health or hygiene goods that change once unsealed, goods that lose
	// value once activated, near-expiry or flawed goods sold as such.
	NeedsConfirmation  bool `json:"needs_confirmation,omitempty"`
	ConfirmedNoReturns bool `json:"confirmed_no_returns,omitempty"` // the customer's confirmation, recorded at purchase
}

// Coupon is a coupon used on the order.
type Coupon struct {
	Code  string `json:"code"`
	Value Money  `json:"value"`
}

// Gift is a free gift that came with the order; its stated value may be
// deducted from a refund when it is not returned (Art. 12).
type Gift struct {
	Name  string `json:"name"`
	Value Money  `json:"value"`
}

// Shipment is a parcel of an order.
type Shipment struct {
	Carrier    string          `json:"carrier"`
	TrackingNo string          `json:"tracking_no"`
	Status     string          `json:"status"` // in_transit, delivered, exception, lost, returned
	ShippedAt  *time.Time      `json:"shipped_at,omitempty"`
	PromisedAt *time.Time      `json:"promised_at,omitempty"` // the delivery date promised to the customer
	SignedAt   *time.Time      `json:"signed_at,omitempty"`   // when the customer signed for it: the 7 days count from the next day
	Events     []TrackingEvent `json:"events,omitempty"`
	// Exceptions kefu raised on the parcel (stale, late, lost, returned),
	// each once; see package logistics.
	Exceptions []string `json:"exceptions,omitempty"`
}

// TrackingEvent is one scan of a parcel.
type TrackingEvent struct {
	At          time.Time `json:"at"`
	Status      string    `json:"status"`
	Description string    `json:"description"`
	Location    string    `json:"location,omitempty"`
}

// SignedAt returns when the customer signed for the last parcel of the
// order, or nil while something is still on its way.
func (o Order) SignedAt() *time.Time {
	var last *time.Time
	for _, s := range o.Shipments {
		if s.SignedAt == nil {
			return nil
		}
		if last == nil || s.SignedAt.After(*last) {
			last = s.SignedAt
		}
	}
	return last
}
