package e2e_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"kefu"
	"kefu/app"
	"kefu/auth"
	"kefu/config"
	"kefu/httpapi"
)

// chromium finds Debian's Chromium. Outside CI a missing browser skips the
// test with the reason; in CI it fails.
func chromium(t *testing.T) string {
	for _, p := range []string{os.Getenv("KEFU_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p != "" {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is not installed (apt-get install chromium); CI must run the browser test")
	}
	t.Skip("skipping the browser test: install Debian's chromium or set KEFU_CHROMIUM")
	return ""
}

func consoleDist(t *testing.T) string {
	dist, _ := filepath.Abs("../web/console/dist")
	if _, err := os.Stat(filepath.Join(dist, "index.html")); err != nil {
		t.Fatalf("the console is not built (%v): run `make web` first", err)
	}
	return dist
}

// TestAdminJourney: an admin signs in with a TOTP code, creates an agent,
// reveals a customer's phone number and finds the reveal in the audit log.
func TestAdminJourney(t *testing.T) {
	bctx := startChromium(t, 3*time.Minute)
	shots := t.ArtifactDir()
	ctx := context.Background()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	clock := &kefu.FixedClock{T: time.Now().UTC()}
	a, err := app.Open(ctx, cfg, clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	srv := httptest.NewServer(httpapi.New(a, httpapi.Assets{Console: os.DirFS(consoleDist(t))}, false))
	defer srv.Close()

	// An admin with two-step verification, and a customer.
	sys := app.System(ctx, "e2e")
	admin, err := a.Auth.CreateUser(sys, auth.NewUser{Email: "boss@example.com", Name: "赵经理", Role: kefu.RoleAdmin, Password: "boss password 1"})
	if err != nil {
		t.Fatal(err)
	}
	self := kefu.NewContext(ctx, &kefu.Actor{UserID: admin.ID, Name: admin.Name, SessionID: "setup"})
	enrol, err := a.Auth.EnrollTOTP(self)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(enrol.Secret, clock.Now())
	if _, err := a.Auth.ConfirmTOTP(self, code); err != nil {
		t.Fatal(err)
	}
	clock.Advance(30 * time.Second) // the next code; the confirming one is spent
	customer, err := a.Contacts.Create(sys, kefu.Contact{Name: "张三", Phone: "13800138001", Email: "zhangsan@example.com", Address: "上海市浦东新区张江路88号"})
	if err != nil {
		t.Fatal(err)
	}

	step := 0
	// shot saves a screenshot of the page as it is now.
	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			step++
			buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(shots, fmt.Sprintf("%02d-%s.png", step, name)), buf, 0o644)
		})
	}
	tid := func(id string) string { return `[data-testid="` + id + `"]` }
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(bctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, steps...); err != nil {
			html, _ := chromedp.Run(bctx, chromedp.OuterHTML("body"))
			_ = chromedp.Do(bctx, shot("failed-"+strings.ReplaceAll(what, " ", "-")))
			t.Fatalf("%s: %v\npage: %.3000s", what, err, html)
		}
	}
	// open clicks a menu entry until the page shows ready; a click that lands
	// while a closing dialog still covers the page is lost, so it tries again.
	open := func(menu, ready string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			var err error
			for try := 0; try < 5; try++ {
				if err = chromedp.Do(ctx, chromedp.Click(menu)); err != nil {
					return err
				}
				wctx, cancel := context.WithTimeout(ctx, 3*time.Second)
				err = chromedp.Do(wctx, chromedp.WaitVisible(ready))
				cancel()
				if err == nil {
					return nil
				}
			}
			return fmt.Errorf("%s did not open %s: %w", menu, ready, err)
		})
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(bctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return v
	}

	// Sign in: password, then the 6-digit code.
	code, _ = totp.GenerateCode(enrol.Secret, clock.Now())
	run("open the console",
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible(tid("login-email")),
		shot("login"),
		chromedp.SendKeys(tid("login-email"), "boss@example.com"),
		chromedp.SendKeys(tid("login-password"), "boss password 1"),
		chromedp.Click(tid("login-submit")),
		chromedp.WaitVisible(tid("login-totp")+" input"),
		shot("login-2fa"),
		chromedp.SendKeys(tid("login-totp")+" input", code),
	)
	run("signed in", chromedp.WaitVisible(tid("menu-users")), shot("home"))

	// Create an agent.
	run("create an agent",
		open(tid("menu-users"), tid("users-create")),
		shot("users"),
		chromedp.Click(tid("users-create")),
		chromedp.WaitVisible(tid("user-form-email")),
		chromedp.SendKeys(tid("user-form-email"), "new.agent@example.com"),
		chromedp.SendKeys(tid("user-form-name"), "新客服小李"),
		chromedp.SendKeys(tid("user-form-password"), "agent password 1"),
		shot("user-form-filled"),
	)
	// The role picker offers the agent role first, as most new users are agents.
	if role := text(tid("user-form-role")); !strings.Contains(role, "客服") {
		t.Fatalf("the role picker shows %q, want the agent role", role)
	}
	run("submit the agent", chromedp.Click(tid("user-form-submit")),
		chromedp.WaitVisible(`//td[contains(., "new.agent@example.com")]`), shot("users-created"))
	if u, err := a.DB.UserByEmail(ctx, "new.agent@example.com"); err != nil || u.Role != kefu.RoleAgent {
		t.Fatalf("the agent was not created as an agent: %+v %v", u, err)
	}

	// Reveal the customer's phone.
	run("reveal a phone",
		open(tid("menu-contacts"), tid("contact-row")),
		shot("contacts"),
		open(tid("contact-row"), tid("reveal-phone")),
		shot("contact"),
		chromedp.Click(tid("reveal-phone")),
		chromedp.WaitVisible(tid("revealed-phone")),
		shot("contact-revealed"),
	)
	if revealed := text(tid("revealed-phone")); !strings.Contains(revealed, "13800138001") {
		t.Fatalf("revealed %q", revealed)
	}

	// Find the reveal in the audit log.
	run("audit log",
		open(tid("menu-audit"), tid("audit-table")),
		chromedp.WaitVisible(`//tr[contains(., "赵经理")]`),
		shot("audit"),
	)
	page, err := a.Audit.List(sys, kefu.AuditFilter{Action: kefu.AuditPIIReveal})
	if err != nil || len(page.Items) != 1 || page.Items[0].TargetID != customer.ID || page.Items[0].ActorID != admin.ID {
		t.Fatalf("reveal audit entry: %+v %v", page, err)
	}
	rows, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('[data-testid="audit-table"] tbody tr')].map(r => r.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		found = found || (strings.Contains(r, "赵经理") && strings.Contains(r, customer.ID))
	}
	if !found {
		t.Fatalf("no audit row shows 赵经理 revealing contact %s:\n%s", customer.ID, strings.Join(rows, "\n"))
	}
	t.Logf("screenshots in %s", shots)
}
