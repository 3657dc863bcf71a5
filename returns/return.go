package returns

import (
	"time"

	"kefu"
)

// Return is a customer's after-sales request on an order: a return for a
// refund, an exchange, a refund without sending goods back, or a repair.
// Its state moves through the machine (Next); every move is a
// kefu.ReturnEvent.
type Return struct {
	ID             string `json:"id"`
	OrderID        string `json:"order_id"`
	ShopOrderID    string `json:"shop_order_id"`
	ContactID      string `json:"contact_id"`
	ConversationID string `json:"conversation_id,omitempty"`
	Kind           string `json:"kind"`   // see Kinds
	Reason         string `json:"reason"` // see Reasons
	Path           string `json:"path"`   // no_reason or quality: whose freight, which rules
	Description    string `json:"description"`
	Lines          []Line `json:"lines"`
	GiftsReturned  bool   `json:"gifts_returned"`
	State          string `json:"state"`

	RejectReason     string            `json:"reject_reason,omitempty"`
	ReturnAddress    string            `json:"return_address,omitempty"` // sent to the customer with the approval
	Carrier          string            `json:"carrier,omitempty"`        // of the customer's parcel back
	TrackingNo       string            `json:"tracking_no,omitempty"`
	InspectionPassed *bool             `json:"inspection_passed,omitempty"`
	InspectionNotes  string            `json:"inspection_notes,omitempty"`
	InspectionPhotos []kefu.Attachment `json:"inspection_photos,omitempty"` // uploaded by the inspector
	NewShipment      *kefu.Shipment    `json:"new_shipment,omitempty"`      // the exchange, repaired or reshipped goods
	Breakdown        Breakdown         `json:"breakdown"`
	Refunded         kefu.Money        `json:"refunded,omitempty"`

	RequestedAt   time.Time  `json:"requested_at"`
	ApprovedAt    *time.Time `json:"approved_at,omitempty"`
	AddressSentAt *time.Time `json:"address_sent_at,omitempty"`
	ShippedAt     *time.Time `json:"shipped_at,omitempty"`
	ReceivedAt    *time.Time `json:"received_at,omitempty"`
	InspectedAt   *time.Time `json:"inspected_at,omitempty"`
	RefundedAt    *time.Time `json:"refunded_at,omitempty"`
	ClosedAt      *time.Time `json:"closed_at,omitempty"`

	// Computed when read: the open legal deadlines, the next moment, and
	// whether a 15-day penalty trigger has passed (办法 Art. 31).
	Deadlines   Deadlines `json:"deadlines"`
	Next        *Due      `json:"next,omitempty"`
	PenaltyRisk bool      `json:"penalty_risk"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}
