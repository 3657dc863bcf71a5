package httpapi

import (
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"slices"

	"kefu"
	"kefu/app"
	"kefu/logistics"
)

func (s *Server) logisticsRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/tracking", Public: true, handler: s.trackingWebhook},
		{Method: "POST", Path: "/api/v1/orders/{id}/tracking", handler: s.manualTracking},
		{Method: "GET", Path: "/api/v1/logistics/exceptions", handler: s.logisticsExceptions},
		{Method: "GET", Path: "/api/v1/logistics/webhook", handler: s.logisticsWebhookInfo},
	}
}

// trackingWebhook takes a carrier's update, signed with the webhook secret
// (headers X-Kefu-Timestamp and X-Kefu-Signature; see logistics.Sign).
func (s *Server) trackingWebhook(w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, 1<<20))
	if err != nil {
		return kefu.Invalid("body", "Send at most 1 MB of JSON.")
	}
	if err := s.App.Logistics.Verify(r.Header.Get("X-Kefu-Timestamp"), r.Header.Get("X-Kefu-Signature"), body); err != nil {
		return err
	}
	var u logistics.Update
	if err := json.Unmarshal(body, &u); err != nil {
		return kefu.Invalid("body", "Send a JSON tracking update: %v", err)
	}
	n, err := s.App.Logistics.Apply(app.System(r.Context(), "tracking webhook"), u)
	return ok(w, http.StatusOK, map[string]int{"orders": n}, err)
}

// manualTracking lets an agent enter a parcel's news by hand.
func (s *Server) manualTracking(w http.ResponseWriter, r *http.Request) error {
	a, err := kefu.RequireActor(r.Context())
	if err != nil {
		return err
	}
	if !a.Can(kefu.PermOrdersManage) && !a.Can(kefu.PermReturnsManage) {
		return kefu.Errorf(kefu.EFORBIDDEN, "You need the %q permission for this.", kefu.PermReturnsManage)
	}
	var u logistics.Update
	if err := decode(r, &u); err != nil {
		return err
	}
	o, err := s.App.DB.Order(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(o.Shipments, func(sh kefu.Shipment) bool { return sh.TrackingNo == u.TrackingNo }) {
		return kefu.Invalid("tracking_no", "The order has no parcel %q.", u.TrackingNo)
	}
	if _, err := s.App.Logistics.Apply(app.System(r.Context(), a.Name), u); err != nil {
		return err
	}
	o, err = s.App.DB.Order(r.Context(), o.ID)
	return ok(w, http.StatusOK, o, err)
}

func (s *Server) logisticsExceptions(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Logistics.Open(r.Context())
	return ok(w, http.StatusOK, items(list), err)
}

// logisticsWebhookInfo shows the admin how to sign tracking updates.
func (s *Server) logisticsWebhookInfo(w http.ResponseWriter, r *http.Request) error {
	if _, err := kefu.Require(r.Context(), kefu.PermSettingsManage); err != nil {
		return err
	}
	return ok(w, http.StatusOK, map[string]string{
		"path":      "/api/v1/tracking",
		"secret":    hex.EncodeToString(s.App.Logistics.Secret),
		"signature": "X-Kefu-Signature: sha256=hex(HMAC-SHA256(secret, X-Kefu-Timestamp + \".\" + body)); X-Kefu-Timestamp: Unix seconds, within 5 minutes",
	}, nil)
}
