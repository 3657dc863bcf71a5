package orders

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"kefu"
)

// CSVColumns are the columns of an order import, one row per item; rows
// with the same shop_order_id make one order. Amounts are in yuan (199.00),
// times RFC 3339 or "2006-01-02 15:04" in the workspace's time zone, flags
// a "|"-separated list of custom_made, perishable, digital, periodical,
// needs_confirmation, confirmed_no_returns.
var CSVColumns = []string{"shop_order_id", "placed_at", "status", "payment_method", "total", "shipping", "discount",
	"shop_user_id", "phone", "email", "sku", "name", "quantity", "price", "flags", "carrier", "tracking_no", "promised_at", "signed_at"}

// Problem is a row that could not be imported.
type Problem struct {
	Line    int    `json:"line"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// ImportResult says what an import did.
type ImportResult struct {
	Orders   int       `json:"orders"` // created or updated
	Rows     int       `json:"rows"`
	Problems []Problem `json:"problems"`
}

// pending is an order being read from its rows.
type pending struct {
	order kefu.Order
	lines []int
	bad   bool
}

// ImportCSV upserts the orders of a CSV (see CSVColumns). An order with a
// bad row is skipped whole and reported by line; the others are stored.
// Requires orders.manage.
func (s *Service) ImportCSV(ctx context.Context, r io.Reader, loc *time.Location) (ImportResult, error) {
	res := ImportResult{Problems: []Problem{}}
	if _, err := kefu.Require(ctx, kefu.PermOrdersManage); err != nil {
		return res, err
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return res, kefu.Invalid("file", "The file is empty or not CSV.")
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, need := range []string{"shop_order_id", "placed_at", "status", "sku", "quantity", "price"} {
		if _, ok := col[need]; !ok {
			return res, kefu.Invalid("file", "The header lacks the %s column; the columns are %s.", need, strings.Join(CSVColumns, ","))
		}
	}
	var order []string
	byID := map[string]*pending{}
	line := 1
	for {
		rec, err := cr.Read()
		line++
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			res.Problems = append(res.Problems, Problem{Line: line, Message: err.Error()})
			continue
		}
		res.Rows++
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		id := get("shop_order_id")
		p, ok := byID[id]
		if !ok {
			p = &pending{order: kefu.Order{ShopOrderID: id}}
			byID[id] = p
			order = append(order, id)
		}
		p.lines = append(p.lines, line)
		if field, err := p.addRow(get, loc); err != nil {
			res.Problems = append(res.Problems, Problem{Line: line, Field: field, Message: err.Error()})
			p.bad = true
		}
	}
	for _, id := range order {
		p := byID[id]
		if p.bad {
			continue
		}
		if _, err := s.upsert(ctx, p.order); err != nil {
			if kefu.ErrorCode(err) == kefu.EINTERNAL {
				return res, err
			}
			res.Problems = append(res.Problems, Problem{Line: p.lines[0], Field: kefu.ErrorField(err), Message: kefu.ErrorMessage(err)})
			continue
		}
		res.Orders++
	}
	return res, nil
}

// addRow adds one CSV row to an order: the order's fields from its first
// row, an item from every row, a parcel from every new tracking number.
func (p *pending) addRow(get func(string) string, loc *time.Location) (string, error) {
	o := &p.order
	if len(o.Items) == 0 {
		var err error
		if o.PlacedAt, err = parseTime(get("placed_at"), loc); err != nil {
			return "placed_at", err
		}
		o.Status, o.PaymentMethod, o.ShopUserID, o.Phone, o.Email = get("status"), get("payment_method"), get("shop_user_id"), get("phone"), get("email")
		for _, f := range []struct {
			name string
			dst  *kefu.Money
		}{{"total", &o.Total}, {"shipping", &o.Shipping}, {"discount", &o.Discount}} {
			if *f.dst, err = parseYuan(get(f.name)); err != nil {
				return f.name, err
			}
		}
	}
	qty, err := strconv.Atoi(get("quantity"))
	if err != nil {
		return "quantity", fmt.Errorf("the quantity %q is not a whole number", get("quantity"))
	}
	price, err := parseYuan(get("price"))
	if err != nil {
		return "price", err
	}
	it := kefu.OrderItem{SKU: get("sku"), Name: get("name"), Quantity: qty, Price: price}
	for _, flag := range strings.Split(get("flags"), "|") {
		switch strings.TrimSpace(flag) {
		case "":
		case "custom_made":
			it.CustomMade = true
		case "perishable":
			it.Perishable = true
		case "digital":
			it.Digital = true
		case "periodical":
			it.Periodical = true
		case "needs_confirmation":
			it.NeedsConfirmation = true
		case "confirmed_no_returns":
			it.NeedsConfirmation, it.ConfirmedNoReturns = true, true
		default:
			return "flags", fmt.Errorf("unknown flag %q", flag)
		}
	}
	o.Items = append(o.Items, it)
	if no := get("tracking_no"); no != "" {
		for _, s := range o.Shipments {
			if s.TrackingNo == no {
				return "", nil
			}
		}
		sh := kefu.Shipment{Carrier: get("carrier"), TrackingNo: no, Status: "in_transit"}
		for _, f := range []struct {
			name string
			dst  **time.Time
		}{{"promised_at", &sh.PromisedAt}, {"signed_at", &sh.SignedAt}} {
			if v := get(f.name); v != "" {
				t, err := parseTime(v, loc)
				if err != nil {
					return f.name, err
				}
				*f.dst = &t
			}
		}
		if sh.SignedAt != nil {
			sh.Status = "delivered"
		}
		o.Shipments = append(o.Shipments, sh)
	}
	return "", nil
}

func parseTime(v string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time: use RFC 3339 or 2006-01-02 15:04", v)
}

// parseYuan reads an amount in yuan ("199", "199.5", "199.00") as fen.
func parseYuan(v string) (kefu.Money, error) {
	if v == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(strings.TrimPrefix(strings.TrimPrefix(v, "¥"), "￥"), 64)
	if err != nil || f < 0 || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not an amount in yuan", v)
	}
	return kefu.Money(math.Round(f * 100)), nil
}
