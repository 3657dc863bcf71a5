package httpapi

import (
	"net/http"
	"strings"
	"time"

	"kefu"
	"kefu/returns"
	"kefu/store"
)

func (s *Server) returnRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/returns", handler: s.returnsList},
		{Method: "POST", Path: "/api/v1/returns", handler: s.createReturn},
		{Method: "POST", Path: "/api/v1/returns/preview", handler: s.previewReturn},
		{Method: "GET", Path: "/api/v1/returns/{id}", handler: s.getReturn},
		{Method: "POST", Path: "/api/v1/returns/{id}/actions", handler: s.actOnReturn},
		{Method: "GET", Path: "/widget/v1/orders", Public: true, handler: s.widgetOrders},
		{Method: "GET", Path: "/widget/v1/returns", Public: true, handler: s.widgetReturns},
		{Method: "POST", Path: "/widget/v1/returns", Public: true, handler: s.widgetCreateReturn},
		{Method: "POST", Path: "/widget/v1/returns/{id}/actions", Public: true, handler: s.widgetActOnReturn},
		{Method: "POST", Path: "/widget/v1/survey", Public: true, handler: s.widgetSurvey},
	}
}

// returnsList filters by state (comma-separated), due_before (RFC 3339),
// carrier, reason, conversation_id and contact_id; what is due first.
func (s *Server) returnsList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.ReturnFilter{Carrier: q.Get("carrier"), Reason: q.Get("reason"), ConversationID: q.Get("conversation_id"),
		ContactID: q.Get("contact_id"), OrderID: q.Get("order_id")}
	if v := q.Get("state"); v != "" {
		f.States = strings.Split(v, ",")
	}
	if v := q.Get("due_before"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return kefu.Invalid("due_before", "Use an RFC 3339 time.")
		}
		f.DueBefore = &t
	}
	list, err := s.App.Returns.List(r.Context(), f)
	return ok(w, http.StatusOK, items(list), err)
}

func (s *Server) createReturn(w http.ResponseWriter, r *http.Request) error {
	var in returns.CreateInput
	if err := decode(r, &in); err != nil {
		return err
	}
	ret, err := s.App.Returns.Create(r.Context(), in)
	return ok(w, http.StatusCreated, ret, err)
}

func (s *Server) previewReturn(w http.ResponseWriter, r *http.Request) error {
	var in returns.CreateInput
	if err := decode(r, &in); err != nil {
		return err
	}
	d, b, err := s.App.Returns.Preview(r.Context(), in)
	return ok(w, http.StatusOK, map[string]any{"decision": d, "breakdown": b}, err)
}

func (s *Server) getReturn(w http.ResponseWriter, r *http.Request) error {
	ret, events, err := s.App.Returns.Get(r.Context(), r.PathValue("id"))
	return ok(w, http.StatusOK, map[string]any{"return": ret, "events": events}, err)
}

func (s *Server) actOnReturn(w http.ResponseWriter, r *http.Request) error {
	var in returns.ActInput
	if err := decode(r, &in); err != nil {
		return err
	}
	ret, err := s.App.Returns.Act(r.Context(), r.PathValue("id"), in)
	return ok(w, http.StatusOK, ret, err)
}

// ---- the customer's side, in the widget ----

// widgetCustomer returns the contact of a visitor the shop identified
// (signed identify): only they see orders and returns, since an anonymous
// visitor's details prove nothing.
func (s *Server) widgetCustomer(r *http.Request, token string) (contactID, conversationID string, err error) {
	v, err := s.App.Webchat.Visitor(r.Context(), token)
	if err != nil {
		return "", "", err
	}
	if v.ContactID == "" {
		return "", "", kefu.Errorf(kefu.EFORBIDDEN, "Sign in to the shop to see your orders.")
	}
	row, err := s.App.DB.Contact(r.Context(), v.ContactID)
	if err != nil {
		return "", "", err
	}
	if row.ShopUserID == "" {
		return "", "", kefu.Errorf(kefu.EFORBIDDEN, "Sign in to the shop to see your orders.")
	}
	if c, err := s.App.DB.LatestConversation(r.Context(), v.Inbox.ID, v.ContactID); err == nil {
		conversationID = c.ID
	}
	return v.ContactID, conversationID, nil
}

// widgetOrderView is what the widget shows of an order.
type widgetOrderView struct {
	ID          string           `json:"id"`
	ShopOrderID string           `json:"shop_order_id"`
	Status      string           `json:"status"`
	Total       kefu.Money       `json:"total"`
	PlacedAt    time.Time        `json:"placed_at"`
	SignedAt    *time.Time       `json:"signed_at,omitempty"`
	Items       []kefu.OrderItem `json:"items"`
}

func (s *Server) widgetOrders(w http.ResponseWriter, r *http.Request) error {
	contactID, _, err := s.widgetCustomer(r, r.URL.Query().Get("visitor_token"))
	if err != nil {
		return err
	}
	list, err := s.App.DB.ContactOrders(r.Context(), contactID, 20)
	out := make([]widgetOrderView, 0, len(list))
	for _, o := range list {
		out = append(out, widgetOrderView{ID: o.ID, ShopOrderID: o.ShopOrderID, Status: o.Status, Total: o.Total, PlacedAt: o.PlacedAt,
			SignedAt: o.SignedAt(), Items: o.Items})
	}
	return ok(w, http.StatusOK, items(out), err)
}

func (s *Server) widgetReturns(w http.ResponseWriter, r *http.Request) error {
	contactID, _, err := s.widgetCustomer(r, r.URL.Query().Get("visitor_token"))
	if err != nil {
		return err
	}
	list, err := s.App.Returns.ForCustomer(r.Context(), contactID)
	return ok(w, http.StatusOK, items(list), err)
}

func (s *Server) widgetCreateReturn(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		VisitorToken string `json:"visitor_token"`
		returns.CreateInput
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	contactID, conversationID, err := s.widgetCustomer(r, in.VisitorToken)
	if err != nil {
		return err
	}
	in.ConversationID = conversationID
	ret, err := s.App.Returns.CreateForCustomer(r.Context(), contactID, in.CreateInput)
	return ok(w, http.StatusCreated, ret, err)
}

func (s *Server) widgetActOnReturn(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		VisitorToken string `json:"visitor_token"`
		returns.ActInput
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	contactID, _, err := s.widgetCustomer(r, in.VisitorToken)
	if err != nil {
		return err
	}
	ret, err := s.App.Returns.ActForCustomer(r.Context(), contactID, r.PathValue("id"), in.ActInput)
	return ok(w, http.StatusOK, ret, err)
}
