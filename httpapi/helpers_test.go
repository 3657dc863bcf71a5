package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"kefu"
	"kefu/app"
	"kefu/auth"
	"kefu/config"
	"kefu/httpapi"
	"kefu/store"
)

// env is a kefu server on a real database, with a fixed clock.
type env struct {
	t     *testing.T
	app   *app.App
	srv   *httptest.Server
	clock *kefu.FixedClock
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.TrustProxy = true // lets tests sign in "from" fixed addresses via X-Forwarded-For
	clock := &kefu.FixedClock{T: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	a, err := app.OpenDB(context.Background(), cfg, clock, slog.New(slog.NewTextHandler(io.Discard, nil)), db)
	if err != nil {
		t.Fatal(err)
	}
	// Cheaper hashing keeps the many sign-ins of these tests fast; the
	// parameters themselves are covered by the auth package's tests.
	a.Auth.Argon2 = auth.Argon2Params{Memory: 8 * 1024, Time: 1, Threads: 1}
	srv := httptest.NewServer(httpapi.New(a, httpapi.Assets{}, false))
	t.Cleanup(srv.Close)
	return &env{t: t, app: a, srv: srv, clock: clock}
}

func (e *env) system() context.Context { return app.System(context.Background(), "test") }

// user creates a user with the role and returns its email and password.
func (e *env) user(role string) (string, string) {
	e.t.Helper()
	email := role + "-" + kefu.NewID()[24:] + "@example.com"
	pw := "correct horse battery"
	if _, err := e.app.Auth.CreateUser(e.system(), auth.NewUser{Email: email, Name: "用户 " + role, Role: role, Password: pw}); err != nil {
		e.t.Fatal(err)
	}
	return email, pw
}

// client is a browser-like API client: it keeps cookies and sends the CSRF token.
type client struct {
	e    *env
	http *http.Client
	csrf string
	ip   string
}

func (e *env) client(ip string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, http: &http.Client{Jar: jar}, ip: ip}
}

type response struct {
	status int
	body   map[string]any
	raw    []byte
}

func (r response) errorCode() string {
	if e, ok := r.body["error"].(map[string]any); ok {
		return e["code"].(string)
	}
	return ""
}

func (r response) errorField() string {
	if e, ok := r.body["error"].(map[string]any); ok {
		f, _ := e["field"].(string)
		return f
	}
	return ""
}

func (c *client) do(method, path string, body any, headers ...string) response {
	c.e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.e.srv.URL+path, rd)
	if err != nil {
		c.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.csrf != "" {
		req.Header.Set(httpapi.CSRFHeader, c.csrf)
	}
	if c.ip != "" {
		req.Header.Set("X-Forwarded-For", c.ip)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := response{status: resp.StatusCode, raw: raw}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") && len(raw) > 0 {
		_ = json.Unmarshal(raw, &out.body)
	}
	return out
}

// login signs in and keeps the CSRF token; it fails the test unless it succeeds.
func (c *client) login(email, password string, totp ...string) response {
	c.e.t.Helper()
	body := map[string]any{"email": email, "password": password}
	if len(totp) > 0 {
		body["totp"] = totp[0]
	}
	r := c.do("POST", "/api/v1/auth/login", body)
	if r.status != http.StatusOK {
		c.e.t.Fatalf("login %s: %d %s", email, r.status, r.raw)
	}
	c.csrf = r.body["csrf_token"].(string)
	return r
}

func str(m map[string]any, path ...string) string {
	var cur any = m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = mm[p]
	}
	s, _ := cur.(string)
	return s
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
