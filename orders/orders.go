// Package orders keeps the shop's orders beside its customers: the shop
// pushes them through the API (an idempotent upsert by its own order id) or
// imports a CSV, kefu links each to a contact by shop user id, phone or
// email, and agents see them next to the conversation and attach them to it.
package orders

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"kefu"
	"kefu/contact"
	"kefu/inbox"
	"kefu/store"
)

// Statuses an order can have.
var Statuses = []string{"pending_payment", "paid", "shipped", "delivered", "completed", "cancelled", "refunded"}

// Service keeps orders.
type Service struct {
	DB       *store.DB
	Contacts *contact.Service
	Inbox    *inbox.Service
	Clock    kefu.Clock
}

// Validate checks an order as the shop sends it, naming the field at fault.
func Validate(o kefu.Order) error {
	switch {
	case strings.TrimSpace(o.ShopOrderID) == "" || utf8.RuneCountInString(o.ShopOrderID) > 64:
		return kefu.Invalid("shop_order_id", "Give the shop's order id, at most 64 characters.")
	case !slices.Contains(Statuses, o.Status):
		return kefu.Invalid("status", "Use one of %s.", strings.Join(Statuses, ", "))
	case o.PlacedAt.IsZero():
		return kefu.Invalid("placed_at", "Say when the order was placed (RFC 3339).")
	case len(o.Items) == 0:
		return kefu.Invalid("items", "An order has at least one item.")
	case len(o.Items) > 500:
		return kefu.Invalid("items", "An order has at most 500 items.")
	case o.Total < 0 || o.Shipping < 0 || o.ShippingWaive < 0 || o.Discount < 0:
		return kefu.Invalid("total", "Amounts are in fen and not negative.")
	}
	for i, it := range o.Items {
		switch {
		case strings.TrimSpace(it.SKU) == "":
			return kefu.Invalid(itemField(i, "sku"), "Give the item's SKU.")
		case it.Quantity < 1:
			return kefu.Invalid(itemField(i, "quantity"), "The quantity is at least 1.")
		case it.Price < 0:
			return kefu.Invalid(itemField(i, "price"), "The price is in fen and not negative.")
		case it.ConfirmedNoReturns && !it.NeedsConfirmation:
			return kefu.Invalid(itemField(i, "confirmed_no_returns"),
				"Only goods that need the customer's confirmation (needs_confirmation) can be confirmed as not returnable.")
		}
	}
	for i, s := range o.Shipments {
		if s.TrackingNo != "" && strings.TrimSpace(s.Carrier) == "" {
			return kefu.Invalid("shipments["+strconv.Itoa(i)+"].carrier", "Name the carrier of the tracking number.")
		}
	}
	return nil
}

func itemField(i int, name string) string { return "items[" + strconv.Itoa(i) + "]." + name }

// Upsert stores an order the shop pushed: created, or replaced when its
// shop order id is known, so that a retry is harmless. The order goes to
// the contact given, else the one matching its shop user id, phone or
// email, else a new contact with those details. Requires orders.manage.
func (s *Service) Upsert(ctx context.Context, o kefu.Order) (kefu.Order, error) {
	if _, err := kefu.Require(ctx, kefu.PermOrdersManage); err != nil {
		return o, err
	}
	return s.upsert(ctx, o)
}

func (s *Service) upsert(ctx context.Context, o kefu.Order) (kefu.Order, error) {
	if err := Validate(o); err != nil {
		return o, err
	}
	if o.ContactID != "" {
		if _, err := s.DB.Contact(ctx, o.ContactID); kefu.ErrorCode(err) == kefu.ENOTFOUND {
			return o, kefu.Invalid("contact_id", "There is no contact %q.", o.ContactID)
		} else if err != nil {
			return o, err
		}
	} else if o.ShopUserID != "" || o.Phone != "" || o.Email != "" {
		id, err := s.Contacts.Match(ctx, o.ShopUserID, o.Phone, o.Email)
		if err != nil {
			return o, err
		}
		if id == "" {
			if id, err = s.Contacts.Upsert(ctx, kefu.Contact{ShopUserID: o.ShopUserID, Phone: o.Phone, Email: o.Email}); err != nil {
				return o, err
			}
		}
		o.ContactID = id
	}
	now := s.Clock.Now().Truncate(time.Millisecond)
	o.ID, o.CreatedAt, o.UpdatedAt = kefu.NewID(), now, now
	o.Items, o.Coupons, o.Gifts, o.Shipments = nonNil(o.Items), nonNil(o.Coupons), nonNil(o.Gifts), nonNil(o.Shipments)
	o.Phone, o.Email = "", "" // linked through the contact's blind index; never stored in clear
	var id string
	err := s.DB.InTx(ctx, func(q *store.Queries) error {
		var err error
		id, err = q.PutOrder(ctx, o)
		return err
	})
	if err != nil {
		return o, err
	}
	return s.DB.Order(ctx, id)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Get returns an order. Requires orders.view.
func (s *Service) Get(ctx context.Context, id string) (kefu.Order, error) {
	if _, err := kefu.Require(ctx, kefu.PermOrdersView); err != nil {
		return kefu.Order{}, err
	}
	return s.DB.Order(ctx, id)
}

// ContactOrders returns a contact's latest orders. Requires orders.view.
func (s *Service) ContactOrders(ctx context.Context, contactID string) ([]kefu.Order, error) {
	if _, err := kefu.Require(ctx, kefu.PermOrdersView); err != nil {
		return nil, err
	}
	return s.DB.ContactOrders(ctx, contactID, 50)
}

// ConversationOrders returns the orders attached to a conversation the
// caller can see. Requires orders.view.
func (s *Service) ConversationOrders(ctx context.Context, conversationID string) ([]kefu.Order, error) {
	if _, err := kefu.Require(ctx, kefu.PermOrdersView); err != nil {
		return nil, err
	}
	if _, err := s.Inbox.Get(ctx, conversationID); err != nil {
		return nil, err
	}
	return s.DB.ConversationOrders(ctx, conversationID)
}

// Attach links one of the customer's orders to a conversation the caller
// can see, and records it in the timeline. Requires orders.view.
func (s *Service) Attach(ctx context.Context, conversationID, orderID string) ([]kefu.Order, error) {
	a, err := kefu.Require(ctx, kefu.PermOrdersView)
	if err != nil {
		return nil, err
	}
	c, err := s.Inbox.Get(ctx, conversationID)
	if err != nil {
		return nil, err
	}
	o, err := s.DB.Order(ctx, orderID)
	if kefu.ErrorCode(err) == kefu.ENOTFOUND {
		return nil, kefu.Invalid("order_id", "There is no order %q.", orderID)
	} else if err != nil {
		return nil, err
	}
	if o.ContactID != c.ContactID {
		return nil, kefu.Invalid("order_id", "The order belongs to another customer.")
	}
	now := s.Clock.Now().Truncate(time.Millisecond)
	err = s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.AttachOrder(ctx, c.ID, o.ID, now); err != nil {
			return err
		}
		return q.InsertEvent(ctx, kefu.Event{ID: kefu.NewID(), ConversationID: c.ID, Type: kefu.EventOrderAttached, ActorType: kefu.SenderAgent,
			ActorID: a.UserID, ActorName: a.Name, Data: map[string]any{"order_id": o.ID, "shop_order_id": o.ShopOrderID}, CreatedAt: now})
	})
	if err != nil {
		return nil, err
	}
	return s.DB.ConversationOrders(ctx, c.ID)
}
