package httpapi

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"kefu"
	"kefu/auth"
)

// Routes lists every API endpoint. The OpenAPI document and the permission
// test table must name each one; tests fail when they drift apart.
func (s *Server) Routes() []Route {
	return slices.Concat(s.foundationRoutes(), s.conversationRoutes(), s.kbRoutes(), s.reportRoutes(), s.routingRoutes(), s.slaRoutes(), s.orderRoutes(), s.returnRoutes(), s.taskRoutes(), s.logisticsRoutes(), s.kpiRoutes(), s.widgetRoutes())
}

func (s *Server) foundationRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/openapi.json", Public: true, handler: s.openAPI},
		{Method: "POST", Path: "/api/v1/auth/login", Public: true, handler: s.login},
		{Method: "POST", Path: "/api/v1/auth/logout", handler: s.logout},

		{Method: "GET", Path: "/api/v1/me", handler: s.me},
		{Method: "POST", Path: "/api/v1/me/password", handler: s.changePassword},
		{Method: "GET", Path: "/api/v1/me/sessions", handler: s.sessions},
		{Method: "DELETE", Path: "/api/v1/me/sessions/{id}", handler: s.revokeSession},
		{Method: "POST", Path: "/api/v1/me/2fa/enroll", handler: s.enrollTOTP},
		{Method: "POST", Path: "/api/v1/me/2fa/confirm", handler: s.confirmTOTP},
		{Method: "POST", Path: "/api/v1/me/2fa/disable", handler: s.disableTOTP},
		{Method: "GET", Path: "/api/v1/me/notices", handler: s.notices},
		{Method: "POST", Path: "/api/v1/me/notices/{id}/read", handler: s.readNotice},
		{Method: "GET", Path: "/api/v1/me/tokens", handler: s.tokens},
		{Method: "POST", Path: "/api/v1/me/tokens", handler: s.createToken},
		{Method: "DELETE", Path: "/api/v1/me/tokens/{id}", handler: s.revokeToken},

		{Method: "GET", Path: "/api/v1/users", handler: s.users},
		{Method: "POST", Path: "/api/v1/users", handler: s.createUser},
		{Method: "GET", Path: "/api/v1/users/{id}", handler: s.user},
		{Method: "PATCH", Path: "/api/v1/users/{id}", handler: s.updateUser},
		{Method: "POST", Path: "/api/v1/users/{id}/password", handler: s.resetPassword},

		{Method: "GET", Path: "/api/v1/permissions", handler: s.permissions},
		{Method: "GET", Path: "/api/v1/roles", handler: s.roles},
		{Method: "POST", Path: "/api/v1/roles", handler: s.createRole},
		{Method: "PATCH", Path: "/api/v1/roles/{name}", handler: s.updateRole},
		{Method: "DELETE", Path: "/api/v1/roles/{name}", handler: s.deleteRole},

		{Method: "GET", Path: "/api/v1/contacts", handler: s.contacts},
		{Method: "POST", Path: "/api/v1/contacts", handler: s.createContact},
		{Method: "GET", Path: "/api/v1/contacts/{id}", handler: s.contact},
		{Method: "POST", Path: "/api/v1/contacts/{id}/reveal", handler: s.reveal},

		{Method: "GET", Path: "/api/v1/audit", handler: s.audit},
		{Method: "POST", Path: "/api/v1/audit/verify", handler: s.verifyAudit},

		{Method: "GET", Path: "/api/v1/settings", handler: s.settings},
		{Method: "PUT", Path: "/api/v1/settings", handler: s.updateSettings},
	}
}

// ---- sign-in and the signed-in user ----

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	TOTP     string `json:"totp"`
}

type sessionInfo struct {
	ID         string `json:"id"`
	Anomaly    string `json:"anomaly"`
	MustEnroll bool   `json:"must_enroll_2fa"`
}

type meResponse struct {
	User        kefu.User         `json:"user"`
	Permissions []kefu.Permission `json:"permissions"`
	CSRFToken   string            `json:"csrf_token,omitempty"`
	Session     *sessionInfo      `json:"session,omitempty"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var in loginRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Email == "" {
		return kefu.Invalid("email", "Enter your email.")
	} else if in.Password == "" {
		return kefu.Invalid("password", "Enter your password.")
	}
	device := ""
	if c, err := r.Cookie(DeviceCookie); err == nil && len(c.Value) <= 64 {
		device = c.Value
	}
	if device == "" {
		device = kefu.NewID()
	}
	res, err := s.App.Auth.Login(r.Context(), auth.LoginInput{Email: in.Email, Password: in.Password, TOTP: in.TOTP,
		IP: s.clientIP(r), UserAgent: r.UserAgent(), DeviceID: device})
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: DeviceCookie, Value: device, Path: "/", HttpOnly: true, Secure: s.TLS,
		SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 3600})
	// Max-Age rather than Expires: it is relative, so a browser whose clock
	// disagrees with the server's keeps the cookie exactly as long as the session lives.
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: res.Token, Path: "/", HttpOnly: true, Secure: s.TLS,
		SameSite: http.SameSiteLaxMode, MaxAge: int(res.Session.ExpiresAt.Sub(res.Session.CreatedAt).Seconds())})
	writeJSON(w, http.StatusOK, meResponse{User: res.User, Permissions: nonNil(res.Permissions), CSRFToken: res.Session.CSRFToken,
		Session: &sessionInfo{ID: res.Session.ID, Anomaly: res.Session.Anomaly, MustEnroll: res.Session.MustEnroll}})
	return nil
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.App.Auth.Logout(r.Context()); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.TLS, MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	u, err := s.App.Auth.Me(r.Context())
	if err != nil {
		return err
	}
	a := kefu.ActorFrom(r.Context())
	resp := meResponse{User: u, Permissions: nonNil(a.Permissions)}
	if a.SessionID != "" {
		sess, err := s.App.Auth.Session(r.Context())
		if err != nil {
			return err
		}
		resp.CSRFToken = sess.CSRFToken
		resp.Session = &sessionInfo{ID: sess.ID, Anomaly: sess.Anomaly, MustEnroll: sess.MustEnroll}
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Current string `json:"current_password"`
		New     string `json:"new_password"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := s.App.Auth.ChangePassword(r.Context(), in.Current, in.New); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) sessions(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Auth.Sessions(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items(list))
	return nil
}

func (s *Server) revokeSession(w http.ResponseWriter, r *http.Request) error {
	return noContent(w, s.App.Auth.RevokeSession(r.Context(), r.PathValue("id")))
}

func noContent(w http.ResponseWriter, err error) error {
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) enrollTOTP(w http.ResponseWriter, r *http.Request) error {
	e, err := s.App.Auth.EnrollTOTP(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

func (s *Server) confirmTOTP(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Code string `json:"code"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	codes, err := s.App.Auth.ConfirmTOTP(r.Context(), in.Code)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"recovery_codes": codes})
	return nil
}

func (s *Server) disableTOTP(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	return noContent(w, s.App.Auth.DisableTOTP(r.Context(), in.Password))
}

func (s *Server) notices(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Auth.Notices(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items(list))
	return nil
}

func (s *Server) readNotice(w http.ResponseWriter, r *http.Request) error {
	return noContent(w, s.App.Auth.MarkNoticeRead(r.Context(), r.PathValue("id")))
}

func (s *Server) tokens(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Auth.APITokens(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items(list))
	return nil
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name string `json:"name"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	raw, t, err := s.App.Auth.CreateAPIToken(r.Context(), in.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": raw, "api_token": t})
	return nil
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	return noContent(w, s.App.Auth.RevokeAPIToken(r.Context(), r.PathValue("id")))
}

// ---- users and roles ----

func (s *Server) users(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Auth.Users(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items(list))
	return nil
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	var in auth.NewUser
	if err := decode(r, &in); err != nil {
		return err
	}
	u, err := s.App.Auth.CreateUser(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}

func (s *Server) user(w http.ResponseWriter, r *http.Request) error {
	u, err := s.App.Auth.User(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) error {
	var in auth.UserPatch
	if err := decode(r, &in); err != nil {
		return err
	}
	u, err := s.App.Auth.UpdateUser(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	return noContent(w, s.App.Auth.ResetPassword(r.Context(), r.PathValue("id"), in.Password))
}

func (s *Server) permissions(w http.ResponseWriter, r *http.Request) error {
	type perm struct {
		Name kefu.Permission `json:"name"`
	}
	var out []perm
	for _, p := range kefu.AllPermissions {
		out = append(out, perm{p})
	}
	writeJSON(w, http.StatusOK, items(out))
	return nil
}

func (s *Server) roles(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Auth.Roles(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items(list))
	return nil
}

func (s *Server) createRole(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name        string            `json:"name"`
		Description string            `json:"description"`
		Permissions []kefu.Permission `json:"permissions"`
		Require2FA  bool              `json:"require_2fa"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	role, err := s.App.Auth.CreateRole(r.Context(), kefu.Role{Name: in.Name, Description: in.Description,
		Permissions: in.Permissions, Require2FA: in.Require2FA})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, role)
	return nil
}

func (s *Server) updateRole(w http.ResponseWriter, r *http.Request) error {
	var in auth.RolePatch
	if err := decode(r, &in); err != nil {
		return err
	}
	role, err := s.App.Auth.UpdateRole(r.Context(), r.PathValue("name"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, role)
	return nil
}

func (s *Server) deleteRole(w http.ResponseWriter, r *http.Request) error {
	return noContent(w, s.App.Auth.DeleteRole(r.Context(), r.PathValue("name")))
}

// ---- contacts ----

func queryLimit(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 200 {
		return 0, kefu.Invalid("limit", "limit must be a number from 1 to 200.")
	}
	return n, nil
}

func (s *Server) contacts(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit, err := queryLimit(r)
	if err != nil {
		return err
	}
	page, err := s.App.Contacts.List(r.Context(), kefu.ContactFilter{Name: q.Get("name"), Phone: q.Get("phone"), Email: q.Get("email"),
		Tag: q.Get("tag"), Cursor: q.Get("cursor"), Limit: limit})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) createContact(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name         string            `json:"name"`
		Phone        string            `json:"phone"`
		Email        string            `json:"email"`
		Address      string            `json:"address"`
		WeChatOpenID string            `json:"wechat_openid"`
		ShopUserID   string            `json:"shop_user_id"`
		Attributes   map[string]string `json:"attributes"`
		Tags         []string          `json:"tags"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.App.Contacts.Create(r.Context(), kefu.Contact{Name: in.Name, Phone: in.Phone, Email: in.Email,
		Address: in.Address, WeChatOpenID: in.WeChatOpenID, ShopUserID: in.ShopUserID, Attributes: in.Attributes, Tags: in.Tags})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) contact(w http.ResponseWriter, r *http.Request) error {
	c, err := s.App.Contacts.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) reveal(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Field string `json:"field"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.App.Contacts.Reveal(r.Context(), r.PathValue("id"), in.Field)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"field": in.Field, "value": v})
	return nil
}

// ---- audit and settings ----

func parseTime(r *http.Request, name string) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return t, kefu.Invalid(name, "%s must be an RFC 3339 time such as 2026-11-23T09:00:00+08:00.", name)
	}
	return t, nil
}

func (s *Server) audit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := kefu.AuditFilter{ActorID: q.Get("actor_id"), Action: q.Get("action"), TargetType: q.Get("target_type"),
		TargetID: q.Get("target_id"), Cursor: q.Get("cursor")}
	var err error
	if f.Since, err = parseTime(r, "since"); err != nil {
		return err
	}
	if f.Until, err = parseTime(r, "until"); err != nil {
		return err
	}
	if f.Limit, err = queryLimit(r); err != nil {
		return err
	}
	page, err := s.App.Audit.List(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) verifyAudit(w http.ResponseWriter, r *http.Request) error {
	res, err := s.App.Audit.Verify(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) settings(w http.ResponseWriter, r *http.Request) error {
	cfg, err := s.App.Settings.Get(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cfg)
	return nil
}

func (s *Server) updateSettings(w http.ResponseWriter, r *http.Request) error {
	var in kefu.Settings
	if err := decode(r, &in); err != nil {
		return err
	}
	cfg, err := s.App.Settings.Update(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cfg)
	return nil
}
