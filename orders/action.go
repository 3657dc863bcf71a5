package orders

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"kefu"
	"kefu/bot"
	"kefu/store"
)

// TrackActionName is the bot action that answers "where is my order".
const TrackActionName = "order_status"

var (
	orderNumber = regexp.MustCompile(`[A-Za-z0-9-]{6,40}`)
	lastFour    = regexp.MustCompile(`(?:尾号|后四位|后4位|last four|last 4)\D{0,6}(\d{4})|\b(\d{4})\b`)
)

// statusNames are how the bot names an order's status.
var statusNames = map[string][2]string{
	"pending_payment": {"待付款", "awaiting payment"}, "paid": {"已付款，待发货", "paid, not shipped yet"},
	"shipped": {"已发货", "shipped"}, "delivered": {"已签收", "delivered"}, "completed": {"已完成", "completed"},
	"cancelled": {"已取消", "cancelled"}, "refunded": {"已退款", "refunded"},
}

// TrackAction answers "where is my order / 我的快递到哪了" from order and
// shipment data. For a customer kefu knows (their contact has orders) it
// answers about their latest order; otherwise it asks for the order number
// and the last four digits of the phone on the order, and answers only when
// both match. The order is attached to the conversation for the agent.
func (s *Service) TrackAction(ctx context.Context, req bot.ActionRequest) (bot.ActionResult, error) {
	en := req.Lang == "en"
	if req.AskedLast(TrackActionName) {
		return s.verify(ctx, req)
	}
	list, err := s.DB.ContactOrders(ctx, req.Conversation.ContactID, 5)
	if err != nil {
		return bot.ActionResult{}, err
	}
	if len(list) == 0 {
		return bot.ActionResult{Reply: pick(en, "请告诉我您的订单号和下单手机号的后四位，我来为您查询物流。",
			"Please tell me your order number and the last four digits of the phone number on the order, and I'll look it up.")}, nil
	}
	o := latestOpen(list)
	if err := s.attach(ctx, req.Conversation.ID, o.ID); err != nil {
		return bot.ActionResult{}, err
	}
	return bot.ActionResult{Reply: describe(o, en)}, nil
}

// verify answers the customer's order number and phone digits, given after
// the action asked for them.
func (s *Service) verify(ctx context.Context, req bot.ActionRequest) (bot.ActionResult, error) {
	text := req.Message.Text
	digits := ""
	if m := lastFour.FindStringSubmatch(text); m != nil {
		digits = m[1] + m[2]
	}
	var found *kefu.Order
	for _, candidate := range orderNumber.FindAllString(text, -1) {
		if candidate == digits {
			continue
		}
		o, err := s.DB.OrderByShopID(ctx, candidate)
		if kefu.ErrorCode(err) == kefu.ENOTFOUND {
			continue
		} else if err != nil {
			return bot.ActionResult{}, err
		}
		found = &o
		break
	}
	if found == nil || digits == "" || found.ContactID == "" {
		// One more try is the agent's: the customer is not asked a third time.
		return bot.ActionResult{HandOff: TrackActionName}, nil
	}
	ok, err := s.Contacts.PhoneEndsWith(ctx, found.ContactID, digits)
	if err != nil {
		return bot.ActionResult{}, err
	}
	if !ok {
		return bot.ActionResult{HandOff: TrackActionName}, nil
	}
	if err := s.attach(ctx, req.Conversation.ID, found.ID); err != nil {
		return bot.ActionResult{}, err
	}
	return bot.ActionResult{Reply: describe(*found, req.Lang == "en")}, nil
}

// latestOpen is the newest order still on its way, else the newest.
func latestOpen(list []kefu.Order) kefu.Order {
	for _, o := range list {
		if o.Status == "paid" || o.Status == "shipped" {
			return o
		}
	}
	return list[0]
}

func (s *Service) attach(ctx context.Context, conversationID, orderID string) error {
	return s.DB.InTx(ctx, func(q *store.Queries) error {
		return q.AttachOrder(ctx, conversationID, orderID, s.Clock.Now())
	})
}

// describe is the bot's answer about an order: its status and, per
// parcel, the carrier, tracking number, latest scan and promised date.
func describe(o kefu.Order, en bool) string {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	name := statusNames[o.Status]
	var b strings.Builder
	if en {
		fmt.Fprintf(&b, "Order %s is %s.", o.ShopOrderID, name[1])
	} else {
		fmt.Fprintf(&b, "您的订单 %s %s。", o.ShopOrderID, name[0])
	}
	for _, sh := range o.Shipments {
		b.WriteString("\n")
		if en {
			fmt.Fprintf(&b, "%s %s", sh.Carrier, sh.TrackingNo)
		} else {
			fmt.Fprintf(&b, "%s 运单号 %s", sh.Carrier, sh.TrackingNo)
		}
		switch {
		case sh.SignedAt != nil:
			fmt.Fprintf(&b, pick(en, "：已于 %s 签收。", ": signed for on %s."), sh.SignedAt.In(loc).Format("2006-01-02 15:04"))
		case len(sh.Events) > 0:
			e := sh.Events[len(sh.Events)-1]
			fmt.Fprintf(&b, pick(en, "：%s %s", ": %s %s"), e.At.In(loc).Format("01-02 15:04"), e.Description)
			if sh.PromisedAt != nil {
				fmt.Fprintf(&b, pick(en, "，预计 %s 前送达。", ", due by %s."), sh.PromisedAt.In(loc).Format("01-02"))
			}
		case sh.PromisedAt != nil:
			fmt.Fprintf(&b, pick(en, "：运输中，预计 %s 前送达。", ": on its way, due by %s."), sh.PromisedAt.In(loc).Format("01-02"))
		default:
			b.WriteString(pick(en, "：运输中。", ": on its way."))
		}
	}
	return b.String()
}

func pick(en bool, zh, english string) string {
	if en {
		return english
	}
	return zh
}
