// Package httpapi serves kefu over HTTP: the JSON REST API under /api/v1,
// health and metrics endpoints, and the embedded console. Handlers parse and
// render; the services decide, including who may do what.
package httpapi

import (
	"bufio"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"kefu"
	"kefu/app"
)

// Cookie names.
const (
	SessionCookie = "kefu_session"
	DeviceCookie  = "kefu_device"
	CSRFHeader    = "X-CSRF-Token"
)

// Assets are the built front ends served beside the API; nil ones answer
// with a notice that the binary was built without them.
type Assets struct {
	Console  fs.FS  // the agent console (web/console/dist)
	Widget   fs.FS  // widget.js (web/widget/dist)
	DemoShop []byte // the demo product page
}

// startTime stamps embedded files for caching.
var startTime = time.Now()

// Server is kefu's HTTP server.
type Server struct {
	App    *app.App
	Assets Assets
	TLS    bool // set when serving HTTPS: cookies are Secure and HSTS is sent

	handler  http.Handler
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// Route is one API endpoint. Public routes need no sign-in.
type Route struct {
	Method  string
	Path    string
	Public  bool
	handler func(w http.ResponseWriter, r *http.Request) error
}

// New builds the server's handler.
func New(a *app.App, assets Assets, tls bool) *Server {
	s := &Server{App: a, Assets: assets, TLS: tls, registry: prometheus.NewRegistry()}
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "kefu_http_requests_total", Help: "HTTP requests by route and status code.",
	}, []string{"method", "route", "code"})
	s.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "kefu_http_request_duration_seconds", Help: "HTTP request duration by route.",
		Buckets: prometheus.DefBuckets,
	}, []string{"method", "route"})
	s.registry.MustRegister(s.requests, s.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	mux := http.NewServeMux()
	for _, rt := range s.Routes() {
		mux.Handle(rt.Method+" "+rt.Path, s.api(rt))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /widget.js", s.widgetScript)
	mux.HandleFunc("GET /demo/shop", s.demoShop)
	mux.HandleFunc("GET /survey/{token}", s.surveyForm)
	mux.HandleFunc("POST /survey/{token}", s.surveyForm)
	mux.HandleFunc("GET /help", s.helpHome)
	mux.HandleFunc("GET /help/search", s.helpSearch)
	mux.HandleFunc("GET /help/{slug}", s.helpArticle)
	mux.Handle("GET /files/{id}", a.Uploads)
	mux.Handle("/api/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, kefu.Errorf(kefu.ENOTFOUND, "There is no %s %s in the API.", r.Method, r.URL.Path))
	}))
	mux.Handle("/", s.console())

	// CrossOriginProtection refuses state-changing requests that a browser
	// marks as cross-site (Sec-Fetch-Site / Origin), including sign-in; the
	// per-session CSRF token below covers browsers without those headers.
	// The widget API is called from shop pages on other origins with a
	// visitor token, never a cookie, so it is exempt.
	cop := http.NewCrossOriginProtection()
	cop.AddInsecureBypassPattern("/widget/v1/")
	s.handler = s.instrument(securityHeaders(tls, widgetCORS(cop.Handler(mux))))
	return s
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.App.DB.SQL().PingContext(ctx); err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}

// securityHeaders sets headers that keep the console from being framed,
// sniffed or made to run foreign scripts.
func securityHeaders(tls bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "+
			"img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; object-src 'none'; "+
			"frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		if tls {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) { w.code = code; w.ResponseWriter.WriteHeader(code) }

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Hijack hands the connection over for WebSockets.
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, fmt.Errorf("the response writer cannot be hijacked")
	}
	w.code = http.StatusSwitchingProtocols
	return h.Hijack()
}

// instrument records metrics and a JSON log line for each request.
func (s *Server) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		d := time.Since(start)
		s.requests.WithLabelValues(r.Method, route, fmt.Sprint(sw.code)).Inc()
		s.duration.WithLabelValues(r.Method, route).Observe(d.Seconds())
		if strings.HasPrefix(r.URL.Path, "/api/") {
			s.App.Log.Info("request", "method", r.Method, "route", route, "status", sw.code,
				"duration_ms", d.Milliseconds(), "ip", s.clientIP(r))
		}
	})
}

// api wraps a route: it authenticates the caller, checks the CSRF token of
// cookie-authenticated writes, and renders the handler's error.
func (s *Server) api(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if !rt.Public {
			actor, err := s.authenticate(r)
			if err != nil {
				writeError(w, r, err)
				return
			}
			r = r.WithContext(kefu.NewContext(r.Context(), actor))
		}
		if err := rt.handler(w, r); err != nil {
			writeError(w, r, err)
		}
	})
}

func (s *Server) authenticate(r *http.Request) (*kefu.Actor, error) {
	ip := s.clientIP(r)
	if h := r.Header.Get("Authorization"); h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, kefu.Errorf(kefu.EUNAUTHORIZED, "Use 'Authorization: Bearer <token>'.")
		}
		return s.App.Auth.AuthenticateToken(r.Context(), strings.TrimSpace(token), ip)
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return nil, kefu.Errorf(kefu.EUNAUTHORIZED, "Sign in first.")
	}
	actor, sess, err := s.App.Auth.Authenticate(r.Context(), c.Value, ip)
	if err != nil {
		return nil, err
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		got := r.Header.Get(CSRFHeader)
		if subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRFToken)) != 1 {
			return nil, kefu.Errorf(kefu.EFORBIDDEN, "The request has no valid %s header; reload the page.", CSRFHeader)
		}
	}
	return actor, nil
}

// clientIP is the caller's address: the connection's peer, or with
// KEFU_TRUST_PROXY the last address the proxy appended to X-Forwarded-For.
func (s *Server) clientIP(r *http.Request) string {
	if s.App.Config.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// errorStatus maps kefu's error codes to HTTP statuses, in this one place.
var errorStatus = map[string]int{
	kefu.EINVALID:         http.StatusBadRequest,
	kefu.ENOTFOUND:        http.StatusNotFound,
	kefu.EFORBIDDEN:       http.StatusForbidden,
	kefu.EUNAUTHORIZED:    http.StatusUnauthorized,
	kefu.ETOTPREQUIRED:    http.StatusUnauthorized,
	kefu.ECONFLICT:        http.StatusConflict,
	kefu.ETOOMANYREQUESTS: http.StatusTooManyRequests,
	kefu.EINTERNAL:        http.StatusInternalServerError,
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field,omitempty"`
	} `json:"error"`
}

func writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := kefu.ErrorCode(err)
	if code == kefu.EINTERNAL {
		slog.Default().Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	var body errorBody
	body.Error.Code, body.Error.Message, body.Error.Field = code, kefu.ErrorMessage(err), kefu.ErrorField(err)
	writeJSON(w, errorStatus[code], body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// maxBody bounds request bodies of the JSON API.
const maxBody = 1 << 20

// decode reads a JSON body into v, refusing unknown fields and naming the
// field whose value has the wrong type.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr):
			return kefu.Invalid(typeErr.Field, "%s must be a %s.", typeErr.Field, typeErr.Type.String())
		case errors.Is(err, io.EOF):
			return kefu.Invalid("", "The request body is empty; send a JSON object.")
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return kefu.Invalid(field, "Unknown field %q.", field)
		default:
			return kefu.Invalid("", "The request body is not valid JSON: %v.", err)
		}
	}
	return nil
}

// list is the JSON shape of every list response.
type list[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

func items[T any](xs []T) list[T] {
	if xs == nil {
		xs = []T{}
	}
	return list[T]{Items: xs}
}
