package httpapi

import (
	"bytes"
	"io/fs"
	"net/http"
	"strings"

	"kefu"
	"kefu/channel/webchat"
)

func (s *Server) widgetRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/widget/v1/session", Public: true, handler: s.widgetSession},
		{Method: "POST", Path: "/widget/v1/identify", Public: true, handler: s.widgetIdentify},
		{Method: "POST", Path: "/widget/v1/uploads", Public: true, handler: s.widgetUpload},
		{Method: "POST", Path: "/widget/v1/offline", Public: true, handler: s.widgetOffline},
		{Method: "GET", Path: "/widget/v1/ws", Public: true, handler: s.widgetSocket},
		{Method: "GET", Path: "/widget/v1/help", Public: true, handler: s.widgetHelp},
	}
}

// widgetCORS lets shop pages on any origin call the widget API. No cookies
// are involved: the visitor token in the body or query is the credential.
func widgetCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/widget/v1/") {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Content-Type")
			h.Set("Access-Control-Max-Age", "86400")
			if r.Method == http.MethodOptions {
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) widgetSession(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		WebsiteToken string `json:"website_token"`
		VisitorToken string `json:"visitor_token"`
		Locale       string `json:"locale"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	sess, err := s.App.Webchat.StartSession(r.Context(), in.WebsiteToken, in.VisitorToken)
	return ok(w, http.StatusOK, sess, err)
}

func (s *Server) widgetIdentify(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		VisitorToken string `json:"visitor_token"`
		webchat.Identity
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	id, err := s.App.Webchat.Identify(r.Context(), in.VisitorToken, in.Identity)
	return ok(w, http.StatusOK, map[string]string{"contact_id": id}, err)
}

func (s *Server) widgetUpload(w http.ResponseWriter, r *http.Request) error {
	v, err := s.App.Webchat.Visitor(r.Context(), r.URL.Query().Get("visitor_token"))
	if err != nil {
		return err
	}
	att, err := s.saveUpload(r, kefu.SenderCustomer, v.ID)
	return ok(w, http.StatusCreated, att, err)
}

func (s *Server) widgetOffline(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		VisitorToken string `json:"visitor_token"`
		Name         string `json:"name"`
		Phone        string `json:"phone"`
		Email        string `json:"email"`
		Text         string `json:"text"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.App.Webchat.Visitor(r.Context(), in.VisitorToken)
	if err != nil {
		return err
	}
	m, err := s.App.Webchat.Offline(r.Context(), v, in.Name, in.Phone, in.Email, in.Text)
	return ok(w, http.StatusCreated, m, err)
}

// widgetScript serves widget.js to any site.
func (s *Server) widgetScript(w http.ResponseWriter, r *http.Request) {
	if s.Assets.Widget == nil {
		http.Error(w, "The widget was not built into this binary. Run `make build`.", http.StatusNotFound)
		return
	}
	data, err := fs.ReadFile(s.Assets.Widget, "widget.js")
	if err != nil {
		http.Error(w, "The widget was not built into this binary. Run `make build`.", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	http.ServeContent(w, r, "widget.js", startTime, bytes.NewReader(data))
}

// demoShop serves a product page with the widget of the first web chat
// inbox, so a newcomer sees the customer side.
func (s *Server) demoShop(w http.ResponseWriter, r *http.Request) {
	inboxes, err := s.App.DB.Inboxes(r.Context())
	if err != nil || len(inboxes) == 0 || s.Assets.DemoShop == nil {
		http.Error(w, "No web chat inbox yet: create one in the console (接入渠道) or run `kefu demo`.", http.StatusNotFound)
		return
	}
	page := bytes.ReplaceAll(s.Assets.DemoShop, []byte("{{WEBSITE_TOKEN}}"), []byte(inboxes[0].WebsiteToken))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(page)
}
