package store

import (
	"context"
	"encoding/json"
	"time"

	"kefu"
)

// orderData is the part of an order kept as JSON.
type orderData struct {
	PaymentMethod         string           `json:"payment_method"`
	Items                 []kefu.OrderItem `json:"items"`
	Shipping              kefu.Money       `json:"shipping"`
	ShippingWaive         kefu.Money       `json:"shipping_free"`
	FreeShippingThreshold kefu.Money       `json:"free_shipping_threshold"`
	Discount              kefu.Money       `json:"discount"`
	Coupons               []kefu.Coupon    `json:"coupons"`
	Gifts                 []kefu.Gift      `json:"gifts"`
	Shipments             []kefu.Shipment  `json:"shipments"`
	PaidAt                *time.Time       `json:"paid_at,omitempty"`
}

const orderColumns = `id, shop_order_id, COALESCE(contact_id, ''), shop_user_id, status, total, placed_at, data, created_at, updated_at`

func scanOrder(s interface{ Scan(...any) error }) (kefu.Order, error) {
	var o kefu.Order
	var placed, created, updated int64
	var data string
	if err := s.Scan(&o.ID, &o.ShopOrderID, &o.ContactID, &o.ShopUserID, &o.Status, &o.Total, &placed, &data, &created, &updated); err != nil {
		return o, mapError(err)
	}
	var d orderData
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		return o, err
	}
	o.PaymentMethod, o.Items, o.Shipping, o.ShippingWaive, o.FreeShippingThreshold = d.PaymentMethod, d.Items, d.Shipping, d.ShippingWaive, d.FreeShippingThreshold
	o.Discount, o.Coupons, o.Gifts, o.Shipments, o.PaidAt = d.Discount, d.Coupons, d.Gifts, d.Shipments, d.PaidAt
	o.PlacedAt, o.CreatedAt, o.UpdatedAt = fromMillis(placed), fromMillis(created), fromMillis(updated)
	return o, nil
}

// PutOrder inserts an order or, when the shop's order id is known, replaces
// it (keeping kefu's id and creation time), with its tracking numbers.
// It returns the stored order's id.
func (q *Queries) PutOrder(ctx context.Context, o kefu.Order) (string, error) {
	raw, _ := json.Marshal(orderData{PaymentMethod: o.PaymentMethod, Items: o.Items, Shipping: o.Shipping, ShippingWaive: o.ShippingWaive,
		FreeShippingThreshold: o.FreeShippingThreshold, Discount: o.Discount, Coupons: o.Coupons, Gifts: o.Gifts, Shipments: o.Shipments, PaidAt: o.PaidAt})
	var id string
	err := q.queryRow(ctx, `INSERT INTO orders (id, shop_order_id, contact_id, shop_user_id, status, total, placed_at, data, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (shop_order_id) DO UPDATE SET contact_id = COALESCE(excluded.contact_id, orders.contact_id),
		shop_user_id = excluded.shop_user_id, status = excluded.status, total = excluded.total, placed_at = excluded.placed_at,
		data = excluded.data, updated_at = excluded.updated_at
		RETURNING id`, o.ID, o.ShopOrderID, nullString(o.ContactID), o.ShopUserID, o.Status, o.Total, millis(o.PlacedAt), string(raw),
		millis(o.CreatedAt), millis(o.UpdatedAt)).Scan(&id)
	if err != nil {
		return "", mapError(err)
	}
	if _, err := q.exec(ctx, `DELETE FROM order_shipments WHERE order_id = ?`, id); err != nil {
		return "", err
	}
	for _, s := range o.Shipments {
		if s.TrackingNo == "" {
			continue
		}
		if _, err := q.exec(ctx, `INSERT INTO order_shipments (order_id, carrier, tracking_no) VALUES (?, ?, ?)
			ON CONFLICT (order_id, tracking_no) DO NOTHING`, id, s.Carrier, s.TrackingNo); err != nil {
			return "", err
		}
	}
	return id, nil
}

// Order returns an order by kefu's id, or ENOTFOUND.
func (q *Queries) Order(ctx context.Context, id string) (kefu.Order, error) {
	return scanOrder(q.queryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = ?`, id))
}

// OrderByShopID returns an order by the shop's id, or ENOTFOUND.
func (q *Queries) OrderByShopID(ctx context.Context, shopOrderID string) (kefu.Order, error) {
	return scanOrder(q.queryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE shop_order_id = ?`, shopOrderID))
}

// OrdersByTracking returns the orders with a parcel of a tracking number.
func (q *Queries) OrdersByTracking(ctx context.Context, trackingNo string) ([]kefu.Order, error) {
	return q.orders(ctx, `WHERE id IN (SELECT order_id FROM order_shipments WHERE tracking_no = ?) ORDER BY placed_at DESC`, trackingNo)
}

// ContactOrders returns a contact's orders, newest first.
func (q *Queries) ContactOrders(ctx context.Context, contactID string, limit int) ([]kefu.Order, error) {
	return q.orders(ctx, `WHERE contact_id = ? ORDER BY placed_at DESC, id DESC LIMIT ?`, contactID, limit)
}

// ConversationOrders returns the orders attached to a conversation.
func (q *Queries) ConversationOrders(ctx context.Context, conversationID string) ([]kefu.Order, error) {
	return q.orders(ctx, `WHERE id IN (SELECT order_id FROM conversation_orders WHERE conversation_id = ?) ORDER BY placed_at DESC`, conversationID)
}

func (q *Queries) orders(ctx context.Context, where string, args ...any) ([]kefu.Order, error) {
	rows, err := q.query(ctx, `SELECT `+orderColumns+` FROM orders `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []kefu.Order{}
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// AttachOrder links an order to a conversation; attaching twice is no error.
func (q *Queries) AttachOrder(ctx context.Context, conversationID, orderID string, at time.Time) error {
	_, err := q.exec(ctx, `INSERT INTO conversation_orders (conversation_id, order_id, attached_at) VALUES (?, ?, ?)
		ON CONFLICT (conversation_id, order_id) DO NOTHING`, conversationID, orderID, millis(at))
	return mapError(err)
}

// LinkOrders gives a contact the orders of a shop user id that have none yet.
func (q *Queries) LinkOrders(ctx context.Context, shopUserID, contactID string) error {
	_, err := q.exec(ctx, `UPDATE orders SET contact_id = ? WHERE shop_user_id = ? AND shop_user_id <> '' AND contact_id IS NULL`,
		contactID, shopUserID)
	return err
}

// OrdersInTransit returns the orders still shipped or paid: their parcels
// may yet become exceptions.
func (q *Queries) OrdersInTransit(ctx context.Context) ([]kefu.Order, error) {
	return q.orders(ctx, `WHERE status IN ('paid', 'shipped') ORDER BY placed_at`)
}
