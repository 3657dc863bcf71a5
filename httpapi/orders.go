package httpapi

import (
	"net/http"

	"kefu"
)

func (s *Server) orderRoutes() []Route {
	return []Route{
		{Method: "PUT", Path: "/api/v1/shop-orders/{shop_order_id}", handler: s.putOrder},
		{Method: "POST", Path: "/api/v1/orders/import", handler: s.importOrders},
		{Method: "GET", Path: "/api/v1/orders/{id}", handler: s.order},
		{Method: "GET", Path: "/api/v1/contacts/{id}/orders", handler: s.contactOrders},
		{Method: "GET", Path: "/api/v1/conversations/{id}/orders", handler: s.conversationOrders},
		{Method: "POST", Path: "/api/v1/conversations/{id}/orders", handler: s.attachOrder},
	}
}

// putOrder is the shop's idempotent upsert: the same order sent twice is
// stored once, and a later version replaces the earlier.
func (s *Server) putOrder(w http.ResponseWriter, r *http.Request) error {
	var in kefu.Order
	if err := decode(r, &in); err != nil {
		return err
	}
	in.ShopOrderID = r.PathValue("shop_order_id")
	o, err := s.App.Orders.Upsert(r.Context(), in)
	return ok(w, http.StatusOK, o, err)
}

// importOrders reads a CSV of orders (multipart field "file").
func (s *Server) importOrders(w http.ResponseWriter, r *http.Request) error {
	if _, err := kefu.Require(r.Context(), kefu.PermOrdersManage); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(nil, r.Body, 50<<20)
	f, _, err := r.FormFile("file")
	if err != nil {
		return kefu.Invalid("file", "Send a .csv file as multipart field \"file\", at most 50 MB.")
	}
	defer f.Close()
	_, loc, err := s.App.Settings.Workspace(r.Context())
	if err != nil {
		return err
	}
	res, err := s.App.Orders.ImportCSV(r.Context(), f, loc)
	return ok(w, http.StatusOK, res, err)
}

func (s *Server) order(w http.ResponseWriter, r *http.Request) error {
	o, err := s.App.Orders.Get(r.Context(), r.PathValue("id"))
	return ok(w, http.StatusOK, o, err)
}

func (s *Server) contactOrders(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Orders.ContactOrders(r.Context(), r.PathValue("id"))
	return ok(w, http.StatusOK, items(list), err)
}

func (s *Server) conversationOrders(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Orders.ConversationOrders(r.Context(), r.PathValue("id"))
	return ok(w, http.StatusOK, items(list), err)
}

func (s *Server) attachOrder(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		OrderID string `json:"order_id"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	list, err := s.App.Orders.Attach(r.Context(), r.PathValue("id"), in.OrderID)
	return ok(w, http.StatusOK, items(list), err)
}
