package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"kefu"
	"kefu/auth"
	"kefu/store"
	"kefu/store/storetest"
)

func auditCount(t *testing.T, e *env, action string) int {
	t.Helper()
	page, err := e.app.Audit.List(e.system(), kefu.AuditFilter{Action: action, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Items)
}

func TestLoginLogoutAndSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		email, pw := e.user(kefu.RoleAgent)
		c := e.client("192.0.2.1")

		if r := c.do("GET", "/api/v1/me", nil); r.status != 401 || r.errorCode() != kefu.EUNAUTHORIZED {
			t.Fatalf("me before sign-in: %d %s", r.status, r.raw)
		}
		if r := c.do("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": "wrong password!"}); r.status != 401 {
			t.Fatalf("wrong password: %d %s", r.status, r.raw)
		}
		if r := c.do("POST", "/api/v1/auth/login", map[string]any{"email": "nobody@example.com", "password": "x"}); r.status != 401 {
			t.Fatalf("unknown email: %d %s", r.status, r.raw)
		}
		if r := c.do("POST", "/api/v1/auth/login", map[string]any{"password": "x"}); r.status != 400 || r.errorField() != "email" {
			t.Fatalf("missing email: %d %s", r.status, r.raw)
		}
		if n := auditCount(t, e, kefu.AuditLoginFailed); n != 2 {
			t.Fatalf("%d failed-login audit entries, want 2", n)
		}

		r := c.login(email, pw)
		if str(r.body, "user", "email") != email || r.body["csrf_token"] == "" {
			t.Fatalf("login response: %s", r.raw)
		}
		// The session cookie is HttpOnly and SameSite.
		setCookie := ""
		resp, _ := http.Post(e.srv.URL+"/api/v1/auth/login", "application/json",
			strings.NewReader(`{"email":"`+email+`","password":"`+pw+`"}`))
		for _, v := range resp.Header.Values("Set-Cookie") {
			if strings.HasPrefix(v, "kefu_session=") {
				setCookie = v
			}
		}
		resp.Body.Close()
		if !strings.Contains(setCookie, "HttpOnly") || !strings.Contains(setCookie, "SameSite=Lax") {
			t.Fatalf("session cookie %q lacks HttpOnly/SameSite", setCookie)
		}

		// Two sessions now; the other one can be revoked from this one.
		r = c.do("GET", "/api/v1/me/sessions", nil)
		list, _ := r.body["items"].([]any)
		if r.status != 200 {
			t.Fatalf("sessions: %d %s", r.status, r.raw)
		}
		if len(list) != 2 {
			t.Fatalf("%d sessions, want 2: %s", len(list), r.raw)
		}
		var other string
		for _, s := range list {
			if s := s.(map[string]any); s["current"] != true {
				other = s["id"].(string)
			}
		}
		if r := c.do("DELETE", "/api/v1/me/sessions/"+other, nil); r.status != 204 {
			t.Fatalf("revoke: %d %s", r.status, r.raw)
		}
		if r := c.do("GET", "/api/v1/me/sessions", nil); len(r.body["items"].([]any)) != 1 {
			t.Fatalf("after revoke: %s", r.raw)
		}

		if r := c.do("POST", "/api/v1/auth/logout", nil); r.status != 204 {
			t.Fatalf("logout: %d %s", r.status, r.raw)
		}
		if r := c.do("GET", "/api/v1/me", nil); r.status != 401 {
			t.Fatalf("me after logout: %d", r.status)
		}
	})
}

func TestCSRFProtectsCookieWrites(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newEnv(t, db)
	email, pw := e.user(kefu.RoleSupervisor)
	c := e.client("192.0.2.1")
	c.login(email, pw)
	token := c.csrf

	c.csrf = ""
	if r := c.do("POST", "/api/v1/contacts", map[string]any{"name": "张三"}); r.status != 403 {
		t.Fatalf("write without CSRF token: %d %s", r.status, r.raw)
	}
	c.csrf = "forged"
	if r := c.do("POST", "/api/v1/contacts", map[string]any{"name": "张三"}); r.status != 403 {
		t.Fatalf("write with a wrong CSRF token: %d %s", r.status, r.raw)
	}
	c.csrf = token
	if r := c.do("POST", "/api/v1/contacts", map[string]any{"name": "张三"}, "Sec-Fetch-Site", "cross-site"); r.status != 403 {
		t.Fatalf("cross-site write: %d %s", r.status, r.raw)
	}
	if r := c.do("POST", "/api/v1/contacts", map[string]any{"name": "张三"}); r.status != 201 {
		t.Fatalf("write with the token: %d %s", r.status, r.raw)
	}
	// Reads need no token.
	c.csrf = ""
	if r := c.do("GET", "/api/v1/contacts", nil); r.status != 200 {
		t.Fatalf("read: %d", r.status)
	}
}

func TestAPITokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		email, _ := e.user(kefu.RoleSupervisor)
		raw, tok, err := e.app.Auth.CreateAPITokenFor(e.system(), email, "shop")
		if err != nil {
			t.Fatal(err)
		}
		c := e.client("")
		bearer := []string{"Authorization", "Bearer " + raw}
		// Token callers need no CSRF token: there is no cookie to ride on.
		if r := c.do("POST", "/api/v1/contacts", map[string]any{"name": "李四", "phone": "13600001111"}, bearer...); r.status != 201 {
			t.Fatalf("create with token: %d %s", r.status, r.raw)
		}
		if r := c.do("GET", "/api/v1/contacts", nil, "Authorization", "Bearer kf_wrong"); r.status != 401 {
			t.Fatalf("bad token: %d", r.status)
		}
		stored, err := e.app.DB.UserAPITokens(e.system(), tok.UserID)
		if err != nil || len(stored) != 1 || strings.Contains(string(stored[0].Hash), raw) {
			t.Fatalf("token stored as %+v", stored)
		}
		// Revoke through the API, as the token's owner.
		if r := c.do("DELETE", "/api/v1/me/tokens/"+tok.ID, nil, bearer...); r.status != 204 {
			t.Fatalf("revoke: %d %s", r.status, r.raw)
		}
		if r := c.do("GET", "/api/v1/contacts", nil, bearer...); r.status != 401 {
			t.Fatalf("revoked token still works: %d", r.status)
		}
	})
}

func TestLockoutAfterRepeatedFailures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		email, pw := e.user(kefu.RoleAgent)
		c := e.client("192.0.2.1")
		max := kefu.DefaultSettings().LoginMaxFailures
		for i := 0; i < max; i++ {
			if r := c.do("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": "not the password"}); r.status != 401 {
				t.Fatalf("failure %d: %d %s", i, r.status, r.raw)
			}
		}
		// Locked: even the right password is refused until the lockout ends.
		if r := c.do("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": pw}); r.status != 429 {
			t.Fatalf("while locked: %d %s", r.status, r.raw)
		}
		if n := auditCount(t, e, kefu.AuditLockout); n != 1 {
			t.Fatalf("%d lockout entries", n)
		}
		e.clock.Advance(time.Duration(kefu.DefaultSettings().LockoutMinutes)*time.Minute + time.Second)
		c.login(email, pw)
	})
}

func TestLoginRateLimitPerAddress(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newEnv(t, db)
	c := e.client("198.51.100.7")
	limited := false
	for i := 0; i < auth.LoginRatePerMinute+1; i++ {
		r := c.do("POST", "/api/v1/auth/login", map[string]any{"email": "nobody" + string(rune('a'+i)) + "@example.com", "password": "x"})
		limited = limited || r.status == 429
	}
	if !limited {
		t.Fatal("one address tried many accounts without being limited")
	}
	// Another address is not affected.
	if r := e.client("198.51.100.8").do("POST", "/api/v1/auth/login", map[string]any{"email": "a@example.com", "password": "x"}); r.status != 401 {
		t.Fatalf("other address: %d", r.status)
	}
}

func TestTwoStepVerification(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		email, pw := e.user(kefu.RoleAdmin)
		c := e.client("192.0.2.1")
		c.login(email, pw)

		r := c.do("POST", "/api/v1/me/2fa/enroll", nil)
		secret := str(r.body, "secret")
		if secret == "" || !strings.HasPrefix(str(r.body, "qr_png"), "data:image/png;base64,") ||
			!strings.HasPrefix(str(r.body, "otpauth_url"), "otpauth://totp/") {
			t.Fatalf("enroll: %s", r.raw)
		}
		if r := c.do("POST", "/api/v1/me/2fa/confirm", map[string]any{"code": "000000"}); r.status != 400 || r.errorField() != "code" {
			t.Fatalf("confirm with a wrong code: %d %s", r.status, r.raw)
		}
		code, _ := totp.GenerateCode(secret, e.clock.Now())
		r = c.do("POST", "/api/v1/me/2fa/confirm", map[string]any{"code": code})
		codes, _ := r.body["recovery_codes"].([]any)
		if len(codes) != 10 {
			t.Fatalf("confirm: %s", r.raw)
		}

		// Password alone is not enough now.
		c2 := e.client("192.0.2.1")
		if r := c2.do("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": pw}); r.status != 401 || r.errorCode() != kefu.ETOTPREQUIRED {
			t.Fatalf("login without code: %d %s", r.status, r.raw)
		}
		// The code used to confirm cannot be used again (replay), even within its 30 s.
		if r := c2.do("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": pw, "totp": code}); r.status != 401 {
			t.Fatalf("replayed confirm code: %d %s", r.status, r.raw)
		}
		e.clock.Advance(30 * time.Second)
		next, _ := totp.GenerateCode(secret, e.clock.Now())
		c2.login(email, pw, next)
		if r := e.client("192.0.2.1").do("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": pw, "totp": next}); r.status != 401 {
			t.Fatalf("replayed login code: %d %s", r.status, r.raw)
		}

		// A recovery code works once.
		rc := codes[0].(string)
		e.client("192.0.2.1").login(email, pw, rc)
		if r := e.client("192.0.2.1").do("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": pw, "totp": rc}); r.status != 401 {
			t.Fatalf("reused recovery code: %d %s", r.status, r.raw)
		}
		for _, action := range []string{kefu.Audit2FAEnable, kefu.AuditRecoveryUsed} {
			if auditCount(t, e, action) != 1 {
				t.Fatalf("no %s audit entry", action)
			}
		}

		// Turning it off needs the password.
		if r := c.do("POST", "/api/v1/me/2fa/disable", map[string]any{"password": "wrong"}); r.status != 400 {
			t.Fatalf("disable with a wrong password: %d", r.status)
		}
		if r := c.do("POST", "/api/v1/me/2fa/disable", map[string]any{"password": pw}); r.status != 204 {
			t.Fatalf("disable: %d %s", r.status, r.raw)
		}
		e.client("192.0.2.1").login(email, pw)
	})
}

func TestRoleCanRequireTwoStepVerification(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		adminEmail, adminPW := e.user(kefu.RoleAdmin)
		agentEmail, agentPW := e.user(kefu.RoleAgent)
		admin := e.client("192.0.2.1")
		admin.login(adminEmail, adminPW)
		agent := e.client("192.0.2.2")
		agent.login(agentEmail, agentPW)

		if r := admin.do("PATCH", "/api/v1/roles/agent", map[string]any{"require_2fa": true}); r.status != 200 {
			t.Fatalf("require 2FA: %d %s", r.status, r.raw)
		}
		// The agent's live session is held to enrolment: profile yes, work no.
		if r := agent.do("GET", "/api/v1/contacts", nil); r.status != 403 {
			t.Fatalf("agent without 2FA reads contacts: %d", r.status)
		}
		r := agent.do("GET", "/api/v1/me", nil)
		if r.status != 200 || r.body["session"].(map[string]any)["must_enroll_2fa"] != true {
			t.Fatalf("me: %s", r.raw)
		}
		secret := str(agent.do("POST", "/api/v1/me/2fa/enroll", nil).body, "secret")
		code, _ := totp.GenerateCode(secret, e.clock.Now())
		if r := agent.do("POST", "/api/v1/me/2fa/confirm", map[string]any{"code": code}); r.status != 200 {
			t.Fatalf("confirm: %d %s", r.status, r.raw)
		}
		if r := agent.do("GET", "/api/v1/contacts", nil); r.status != 200 {
			t.Fatalf("agent after enrolling: %d %s", r.status, r.raw)
		}
		// And cannot turn it off while the role requires it.
		if r := agent.do("POST", "/api/v1/me/2fa/disable", map[string]any{"password": agentPW}); r.status != 409 {
			t.Fatalf("disable under a requiring role: %d %s", r.status, r.raw)
		}
	})
}

func TestUnusualLoginIsFlaggedAndAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		adminEmail, adminPW := e.user(kefu.RoleAdmin)
		email, pw := e.user(kefu.RoleAgent)

		office := e.client("203.0.113.5")
		if r := office.login(email, pw); str(r.body, "session", "anomaly") != "" {
			t.Fatalf("first ever sign-in flagged: %s", r.raw)
		}
		// Same browser, another address in the same /24: normal.
		office.ip = "203.0.113.77"
		if r := office.login(email, pw); str(r.body, "session", "anomaly") != "" {
			t.Fatalf("same device and network flagged: %s", r.raw)
		}
		// Same browser, a new network.
		office.ip = "198.51.100.9"
		if r := office.login(email, pw); str(r.body, "session", "anomaly") != "new_network" {
			t.Fatalf("new network: %s", r.raw)
		}
		// A new browser on the known network.
		phone := e.client("203.0.113.5")
		if r := phone.login(email, pw); str(r.body, "session", "anomaly") != "new_device" {
			t.Fatalf("new device: %s", r.raw)
		}
		if n := auditCount(t, e, kefu.AuditLoginAnomalous); n != 2 {
			t.Fatalf("%d anomalous-login audit entries, want 2", n)
		}
		// The user and the admins see notices.
		for _, who := range []struct{ c *client }{{phone}} {
			r := who.c.do("GET", "/api/v1/me/notices", nil)
			if n := len(r.body["items"].([]any)); n != 2 {
				t.Fatalf("user has %d notices, want 2: %s", n, r.raw)
			}
		}
		admin := e.client("203.0.113.5")
		admin.login(adminEmail, adminPW)
		r := admin.do("GET", "/api/v1/me/notices", nil)
		items := r.body["items"].([]any)
		if len(items) != 2 || items[0].(map[string]any)["kind"] != auth.NoticeLoginAnomalous {
			t.Fatalf("admin notices: %s", r.raw)
		}
		id := items[0].(map[string]any)["id"].(string)
		if r := admin.do("POST", "/api/v1/me/notices/"+id+"/read", nil); r.status != 204 {
			t.Fatalf("mark read: %d", r.status)
		}
	})
}

func TestAdminManagesUsersAndRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		adminEmail, adminPW := e.user(kefu.RoleAdmin)
		admin := e.client("192.0.2.1")
		admin.login(adminEmail, adminPW)

		bad := admin.do("POST", "/api/v1/users", map[string]any{"email": "not-an-email", "name": "x", "role": "agent", "password": "long enough pw"})
		if bad.status != 400 || bad.errorField() != "email" {
			t.Fatalf("bad email: %d %s", bad.status, bad.raw)
		}
		short := admin.do("POST", "/api/v1/users", map[string]any{"email": "a@example.com", "name": "x", "role": "agent", "password": "short"})
		if short.status != 400 || short.errorField() != "password" {
			t.Fatalf("short password: %d %s", short.status, short.raw)
		}
		r := admin.do("POST", "/api/v1/users", map[string]any{"email": "Xiao.Ming@Example.com", "name": "小明", "role": "agent", "password": "first password"})
		if r.status != 201 || str(r.body, "email") != "xiao.ming@example.com" {
			t.Fatalf("create: %d %s", r.status, r.raw)
		}
		id := str(r.body, "id")
		if dup := admin.do("POST", "/api/v1/users", map[string]any{"email": "xiao.ming@example.com", "name": "y", "role": "agent", "password": "first password"}); dup.status != 409 {
			t.Fatalf("duplicate: %d", dup.status)
		}

		// A custom role, given to the new user.
		r = admin.do("POST", "/api/v1/roles", map[string]any{"name": "quality", "description": "质检", "permissions": []string{"contacts.view", "audit.read"}})
		if r.status != 201 {
			t.Fatalf("create role: %d %s", r.status, r.raw)
		}
		if r := admin.do("POST", "/api/v1/roles", map[string]any{"name": "x", "permissions": []string{"nuke"}}); r.status != 400 {
			t.Fatalf("bad role: %d %s", r.status, r.raw)
		}
		if r := admin.do("PATCH", "/api/v1/users/"+id, map[string]any{"role": "quality"}); r.status != 200 || str(r.body, "role") != "quality" {
			t.Fatalf("assign role: %d %s", r.status, r.raw)
		}
		ming := e.client("192.0.2.3")
		ming.login("xiao.ming@example.com", "first password")
		if r := ming.do("GET", "/api/v1/audit", nil); r.status != 200 {
			t.Fatalf("custom role reads audit: %d", r.status)
		}
		if r := ming.do("POST", "/api/v1/contacts", map[string]any{"name": "x"}); r.status != 403 {
			t.Fatalf("custom role creates contact: %d", r.status)
		}
		if r := admin.do("DELETE", "/api/v1/roles/quality", nil); r.status != 409 {
			t.Fatalf("delete a role in use: %d", r.status)
		}
		if r := admin.do("PATCH", "/api/v1/roles/agent", map[string]any{"permissions": []string{"audit.read"}}); r.status != 400 {
			t.Fatalf("change built-in permissions: %d", r.status)
		}

		// Password reset ends the user's sessions.
		if r := admin.do("POST", "/api/v1/users/"+id+"/password", map[string]any{"password": "second password"}); r.status != 204 {
			t.Fatalf("reset: %d %s", r.status, r.raw)
		}
		if r := ming.do("GET", "/api/v1/me", nil); r.status != 401 {
			t.Fatalf("session after reset: %d", r.status)
		}
		ming.login("xiao.ming@example.com", "second password")
		// Disabling ends them too and blocks sign-in.
		if r := admin.do("PATCH", "/api/v1/users/"+id, map[string]any{"disabled": true}); r.status != 200 {
			t.Fatalf("disable: %d", r.status)
		}
		if r := ming.do("GET", "/api/v1/me", nil); r.status != 401 {
			t.Fatalf("session after disable: %d", r.status)
		}
		if r := e.client("192.0.2.3").do("POST", "/api/v1/auth/login", map[string]any{"email": "xiao.ming@example.com", "password": "second password"}); r.status != 401 {
			t.Fatalf("disabled user signs in: %d", r.status)
		}
		for _, action := range []string{kefu.AuditUserCreate, kefu.AuditRoleCreate, kefu.AuditPasswordReset} {
			if auditCount(t, e, action) < 1 {
				t.Fatalf("no %s audit entry", action)
			}
		}
	})
}

func TestSettingsValidationAndAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		email, pw := e.user(kefu.RoleAdmin)
		c := e.client("192.0.2.1")
		c.login(email, pw)
		s := kefu.DefaultSettings()
		s.AuditRetentionDays = 90
		if r := c.do("PUT", "/api/v1/settings", s); r.status != 400 || r.errorField() != "audit_retention_days" {
			t.Fatalf("retention below the floor: %d %s", r.status, r.raw)
		}
		s.AuditRetentionDays, s.BackupTime = 400, "02:30"
		if r := c.do("PUT", "/api/v1/settings", s); r.status != 200 {
			t.Fatalf("update: %d %s", r.status, r.raw)
		}
		if r := c.do("GET", "/api/v1/settings", nil); r.body["backup_time"] != "02:30" {
			t.Fatalf("get: %s", r.raw)
		}
		if r := c.do("PUT", "/api/v1/settings", map[string]any{"audit_retention_days": "long"}); r.status != 400 || r.errorField() != "audit_retention_days" {
			t.Fatalf("wrong type: %d %s", r.status, r.raw)
		}
		if auditCount(t, e, kefu.AuditSettingsChange) != 1 {
			t.Fatal("no settings.change audit entry")
		}
	})
}

func TestLLMKeyIsWriteOnlyAndSealed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		email, pw := e.user(kefu.RoleAdmin)
		c := e.client("192.0.2.1")
		c.login(email, pw)
		s := kefu.DefaultSettings()
		s.LLMEnabled, s.LLMModel = true, "qwen-plus"
		if r := c.do("PUT", "/api/v1/settings", s); r.status != 400 || r.errorField() != "llm_base_url" {
			t.Fatalf("enabled without a URL: %d %s", r.status, r.raw)
		}
		const secret = "sk-test-0123456789abcdef"
		s.LLMBaseURL, s.LLMAPIKey = "http://127.0.0.1:9/v1", secret
		if r := c.do("PUT", "/api/v1/settings", s); r.status != 200 || strings.Contains(string(r.raw), secret) || r.body["llm_api_key_set"] != true {
			t.Fatalf("update: %d %s", r.status, r.raw)
		}
		// Saving other fields without the key keeps it.
		s.LLMAPIKey, s.ShopName = "", "新店名"
		c.do("PUT", "/api/v1/settings", s)
		if r := c.do("GET", "/api/v1/settings", nil); r.body["llm_api_key"] != "" || r.body["llm_api_key_set"] != true {
			t.Fatalf("get: %s", r.raw)
		}
		if key, err := e.app.Settings.LLMAPIKey(e.system()); err != nil || key != secret {
			t.Fatalf("stored key: %q %v", key, err)
		}
		var raw string
		if err := db.SQL().QueryRow(`SELECT value FROM settings WHERE key = 'llm_api_key'`).Scan(&raw); err != nil || strings.Contains(raw, secret) {
			t.Fatalf("the key is stored in clear: %q %v", raw, err)
		}
		page, _ := e.app.Audit.List(e.system(), kefu.AuditFilter{Action: kefu.AuditSettingsChange, Limit: 10})
		for _, a := range page.Items {
			if fmt.Sprint(a.Detail) == "" || strings.Contains(fmt.Sprint(a.Detail), secret) {
				t.Fatalf("the audit log holds the key: %v", a.Detail)
			}
		}
		s.LLMAPIKeyClear = true
		if r := c.do("PUT", "/api/v1/settings", s); r.body["llm_api_key_set"] != false {
			t.Fatalf("clear: %s", r.raw)
		}
		if key, _ := e.app.Settings.LLMAPIKey(e.system()); key != "" {
			t.Fatalf("cleared key still there: %q", key)
		}
	})
}
