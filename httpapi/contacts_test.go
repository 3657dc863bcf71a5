package httpapi_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"kefu"
	"kefu/store"
	"kefu/store/storetest"
)

var plainPII = []kefu.Contact{
	{Name: "欧阳娜娜", Phone: "13987654321", Email: "ouyang.nana@example.com", Address: "浙江省杭州市余杭区文一西路969号", WeChatOpenID: "oWx3k_7Gh2PlainOpenId"},
	{Name: "司马光", Phone: "+86 186-5555-0123", Email: "Sima.Guang@Example.org", Address: "河南省洛阳市西工区中州中路"},
}

func TestContactsAreMaskedFoundAndRevealed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		supEmail, supPW := e.user(kefu.RoleSupervisor)
		agentEmail, agentPW := e.user(kefu.RoleAgent)
		sup := e.client("192.0.2.1")
		sup.login(supEmail, supPW)

		if r := sup.do("POST", "/api/v1/contacts", map[string]any{"name": "x", "phone": "12"}); r.status != 400 || r.errorField() != "phone" {
			t.Fatalf("bad phone: %d %s", r.status, r.raw)
		}
		if r := sup.do("POST", "/api/v1/contacts", map[string]any{"name": "x", "email": "no-at-sign"}); r.status != 400 || r.errorField() != "email" {
			t.Fatalf("bad email: %d %s", r.status, r.raw)
		}
		var ids []string
		for _, c := range plainPII {
			r := sup.do("POST", "/api/v1/contacts", map[string]any{"name": c.Name, "phone": c.Phone, "email": c.Email,
				"address": c.Address, "wechat_openid": c.WeChatOpenID})
			if r.status != 201 {
				t.Fatalf("create: %d %s", r.status, r.raw)
			}
			ids = append(ids, str(r.body, "id"))
		}
		r := sup.do("GET", "/api/v1/contacts/"+ids[0], nil)
		want := map[string]string{"name": "欧***", "phone": "139****4321", "email": "o****@example.com",
			"address": "浙江省杭州市余杭区********", "wechat_openid": "oWx3****enId"}
		for f, v := range want {
			if got := str(r.body, f); got != v {
				t.Errorf("masked %s = %q, want %q", f, got, v)
			}
		}
		if bytes.Contains(r.raw, []byte("13987654321")) {
			t.Fatal("a full phone number in a response")
		}

		// Exact lookup through the blind index, whatever the input's format.
		for _, q := range []string{"phone=13987654321", "phone=%2B86+139+8765+4321", "email=OUYANG.NANA@example.com"} {
			r := sup.do("GET", "/api/v1/contacts?"+q, nil)
			items := r.body["items"].([]any)
			if len(items) != 1 || items[0].(map[string]any)["id"] != ids[0] {
				t.Fatalf("lookup %s: %s", q, r.raw)
			}
		}
		if r := sup.do("GET", "/api/v1/contacts?phone=18655550123", nil); len(r.body["items"].([]any)) != 1 {
			t.Fatalf("lookup of a number stored as +86 186-5555-0123: %s", r.raw)
		}
		if r := sup.do("GET", "/api/v1/contacts?phone=13900000000", nil); len(r.body["items"].([]any)) != 0 {
			t.Fatalf("lookup of an unknown number: %s", r.raw)
		}

		// Cursor pagination walks every contact once.
		seen := map[string]bool{}
		cursor := ""
		for page := 0; page < 5; page++ {
			r := sup.do("GET", "/api/v1/contacts?limit=1&cursor="+cursor, nil)
			for _, it := range r.body["items"].([]any) {
				seen[it.(map[string]any)["id"].(string)] = true
			}
			cursor = str(r.body, "next_cursor")
			if cursor == "" {
				break
			}
		}
		if len(seen) != 2 {
			t.Fatalf("pagination saw %d contacts", len(seen))
		}

		// Reveal: the full value, and an audit entry saying who, what, where.
		r = sup.do("POST", "/api/v1/contacts/"+ids[0]+"/reveal", map[string]any{"field": "phone"})
		if r.status != 200 || str(r.body, "value") != "13987654321" {
			t.Fatalf("reveal: %d %s", r.status, r.raw)
		}
		if r := sup.do("POST", "/api/v1/contacts/"+ids[0]+"/reveal", map[string]any{"field": "password"}); r.status != 400 || r.errorField() != "field" {
			t.Fatalf("reveal of an unknown field: %d %s", r.status, r.raw)
		}
		page, err := e.app.Audit.List(e.system(), kefu.AuditFilter{Action: kefu.AuditPIIReveal})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("reveal audit: %+v %v", page, err)
		}
		entry := page.Items[0]
		if entry.TargetID != ids[0] || entry.Detail["field"] != "phone" || entry.IP != "192.0.2.1" || entry.ActorName != "用户 supervisor" {
			t.Fatalf("reveal audit entry: %+v", entry)
		}

		// An agent sees masked data and cannot reveal.
		agent := e.client("192.0.2.2")
		agent.login(agentEmail, agentPW)
		if r := agent.do("POST", "/api/v1/contacts/"+ids[0]+"/reveal", map[string]any{"field": "phone"}); r.status != 403 {
			t.Fatalf("agent reveals: %d", r.status)
		}
	})
}

func TestRevealIsRateLimited(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newEnv(t, db)
	email, pw := e.user(kefu.RoleSupervisor)
	c := e.client("192.0.2.1")
	c.login(email, pw)
	s := kefu.DefaultSettings()
	s.RevealLimitPerHour = 3
	if _, err := e.app.Settings.Update(e.system(), s); err != nil {
		t.Fatal(err)
	}
	ct, err := e.app.Contacts.Create(e.system(), plainPII[0])
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if r := c.do("POST", "/api/v1/contacts/"+ct.ID+"/reveal", map[string]any{"field": "email"}); r.status != 200 {
			t.Fatalf("reveal %d: %d", i, r.status)
		}
	}
	if r := c.do("POST", "/api/v1/contacts/"+ct.ID+"/reveal", map[string]any{"field": "email"}); r.status != 429 {
		t.Fatalf("fourth reveal in an hour: %d %s", r.status, r.raw)
	}
	e.clock.Advance(61 * 60 * 1e9)
	if r := c.do("POST", "/api/v1/contacts/"+ct.ID+"/reveal", map[string]any{"field": "email"}); r.status != 200 {
		t.Fatalf("reveal an hour later: %d", r.status)
	}
}

// secrets are the plaintexts that must never reach the disk.
func secrets() []string {
	var out []string
	for _, c := range plainPII {
		out = append(out, c.Phone, c.Email, c.WeChatOpenID, c.Name, c.Address)
	}
	// The normalised forms are what gets encrypted; test them too.
	return append(out, "18655550123", "sima.guang@example.org")
}

func checkNoPlaintext(t *testing.T, where string, data []byte) {
	t.Helper()
	for _, s := range secrets() {
		if s != "" && bytes.Contains(data, []byte(s)) {
			t.Errorf("%s contains %q in plain text", where, s)
		}
	}
}

func TestNoPlaintextPIIAtRestSQLite(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newEnv(t, db)
	for _, c := range plainPII {
		if _, err := e.app.Contacts.Create(e.system(), c); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(db.Path() + "*")
	found := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f, "-wal") && len(data) > 0 {
			found++ // the WAL holds the new rows before a checkpoint: it must be checked too
		}
		checkNoPlaintext(t, filepath.Base(f), data)
	}
	if found == 0 {
		t.Fatalf("no WAL content among %v; the test would not cover it", files)
	}
	// After a checkpoint the rows are in the main file.
	if _, err := db.SQL().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(db.Path())
	checkNoPlaintext(t, "kefu.db after checkpoint", data)
	// The test can fail: the masked display form is there only in memory, but
	// the shop user id (not PII) is stored in clear and must be found.
	if _, err := e.app.Contacts.Create(e.system(), kefu.Contact{Name: "x", ShopUserID: "shop-user-4711"}); err != nil {
		t.Fatal(err)
	}
	db.SQL().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	data, _ = os.ReadFile(db.Path())
	if !bytes.Contains(data, []byte("shop-user-4711")) {
		t.Fatal("a clear-text control value is not found in the file: the scan is broken")
	}
}

func TestNoPlaintextPIIAtRestPostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	db, err := store.Open(context.Background(), url, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, db)
	for _, c := range plainPII {
		if _, err := e.app.Contacts.Create(e.system(), c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.app.Contacts.Create(e.system(), kefu.Contact{Name: "x", ShopUserID: "shop-user-4711"}); err != nil {
		t.Fatal(err)
	}
	dump, err := exec.Command("pg_dump", "--data-only", "--inserts", url).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	if !bytes.Contains(dump, []byte("shop-user-4711")) {
		t.Fatalf("the dump has no control value; %d bytes", len(dump))
	}
	checkNoPlaintext(t, "pg_dump", dump)
}
