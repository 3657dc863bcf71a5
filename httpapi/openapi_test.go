package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"kefu/httpapi"
	"kefu/store"
	"kefu/store/storetest"
)

// TestOpenAPIDocumentsEveryRoute keeps the hand-written document and the
// router in step: each route is documented and each documented operation exists.
// A path is served under the document's server (/api/v1) unless its path item
// names its own server, as the widget API's do ("/" meaning no prefix).
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	type server struct {
		URL string `yaml:"url"`
	}
	var doc struct {
		Servers []server                        `yaml:"servers"`
		Paths   map[string]map[string]yaml.Node `yaml:"paths"`
	}
	if err := yaml.Unmarshal(httpapi.OpenAPIYAML, &doc); err != nil {
		t.Fatal(err)
	}
	// prefix turns a server list into the prefix of the paths it serves.
	prefix := func(where string, servers []server) string {
		if len(servers) != 1 || !strings.HasPrefix(servers[0].URL, "/") {
			t.Fatalf("%s: want one server with a URL starting with /, got %+v", where, servers)
		}
		return strings.TrimSuffix(servers[0].URL, "/")
	}
	base := prefix("document", doc.Servers)
	methods := map[string]bool{"get": true, "put": true, "post": true, "delete": true, "options": true,
		"head": true, "patch": true, "trace": true}
	documented := map[string]bool{}
	for path, item := range doc.Paths {
		p := base
		if node, ok := item["servers"]; ok {
			var servers []server
			if err := node.Decode(&servers); err != nil {
				t.Fatalf("%s servers: %v", path, err)
			}
			p = prefix(path, servers)
		}
		for key := range item {
			switch {
			case methods[key]:
				documented[strings.ToUpper(key)+" "+p+path] = true
			case key == "parameters" || key == "servers" || key == "summary" || key == "description":
			default:
				t.Errorf("openapi.yaml: path %s has an unexpected key %q", path, key)
			}
		}
	}
	routes := map[string]bool{}
	for _, r := range (&httpapi.Server{}).Routes() {
		k := r.Method + " " + r.Path
		routes[k] = true
		if !documented[k] {
			t.Errorf("%s is not in openapi.yaml", k)
		}
	}
	for k := range documented {
		if !routes[k] {
			t.Errorf("openapi.yaml documents %s, which is not a route", k)
		}
	}
}

func TestOpenAPIServedAsJSON(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	r := e.client("").do("GET", "/api/v1/openapi.json", nil)
	var doc map[string]any
	if r.status != 200 || json.Unmarshal(r.raw, &doc) != nil || doc["openapi"] != "3.1.0" {
		t.Fatalf("%d %.200s", r.status, r.raw)
	}
}

func TestErrorsAndHeaders(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	c := e.client("")
	r := c.do("GET", "/api/v1/nothing-here", nil)
	if r.status != 404 || r.errorCode() != "not_found" {
		t.Fatalf("unknown endpoint: %d %s", r.status, r.raw)
	}
	r = c.do("POST", "/api/v1/auth/login", nil)
	if r.status != 400 || r.errorCode() != "invalid" {
		t.Fatalf("empty body: %d %s", r.status, r.raw)
	}
	resp, err := c.http.Get(e.srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}
	if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("CSP: %s", resp.Header.Get("Content-Security-Policy"))
	}
	for _, path := range []string{"/readyz", "/metrics"} {
		resp, err := c.http.Get(e.srv.URL + path)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %v %v", path, resp.StatusCode, err)
		}
		resp.Body.Close()
	}
}
