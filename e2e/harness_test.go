package e2e_test

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kefu"
	"kefu/app"
	"kefu/auth"
	"kefu/channel/webchat"
	"kefu/config"
	"kefu/demo"
	"kefu/httpapi"
	"kefu/web/widget"
)

// shadowJS finds elements in the page and inside every shadow root (the
// widget renders in one), so tests can reach them like a customer does.
const shadowJS = `(window.__kq = (sel) => {
	const out = [];
	const walk = (root) => {
		root.querySelectorAll(sel).forEach(e => out.push(e));
		root.querySelectorAll('*').forEach(e => { if (e.shadowRoot) walk(e.shadowRoot); });
	};
	walk(document);
	return out;
})`

// harness is a kefu server with the console and the widget, and a Chromium
// whose tabs play the customer and the agents. Screenshots go to the test's
// artifact directory, numbered in the order taken.
type harness struct {
	t       *testing.T
	app     *app.App
	sys     context.Context // acts as kefu itself, for setup through the Go API
	url     string
	shots   string
	step    int
	browser context.Context
}

func newHarness(t *testing.T, clock kefu.Clock) *harness {
	bctx := startChromium(t, 4*time.Minute)
	ctx := context.Background()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	a, err := app.Open(ctx, cfg, clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	widgetFS, err := fs.Sub(widget.Dist, "dist")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.New(a, httpapi.Assets{Console: os.DirFS(consoleDist(t)), Widget: widgetFS, DemoShop: widget.DemoShop}, false))
	t.Cleanup(srv.Close)
	h := &harness{t: t, app: a, sys: app.System(ctx, "e2e"), url: srv.URL, shots: t.ArtifactDir(), browser: bctx}
	t.Cleanup(func() { t.Logf("screenshots in %s", h.shots) })
	return h
}

// startChromium starts Chromium (skipping the test without one) and returns
// its first tab, which lives for d at most and closes when the test ends.
func startChromium(t *testing.T, d time.Duration) context.Context {
	browser := chromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("lang", "zh-CN"),
		chromedp.WindowSize(1440, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	bctx, cancelTime := context.WithTimeout(bctx, d)
	t.Cleanup(func() { cancelTime(); cancelBrowser(); cancelAlloc() })
	// Start the browser on the long-lived context; steps get shorter
	// timeouts of their own, and cancelling those must not close the tab.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return bctx
}

// newDemoHarness is newHarness on the seeded demo workspace.
func newDemoHarness(t *testing.T, clock kefu.Clock) (*harness, demo.Result) {
	h := newHarness(t, clock)
	seeded, err := demo.Seed(context.Background(), h.app)
	if err != nil {
		t.Fatal(err)
	}
	return h, seeded
}

// createUser adds a console user with a role and a password.
func (h *harness) createUser(email, name, role, password string) {
	h.t.Helper()
	if _, err := h.app.Auth.CreateUser(h.sys, auth.NewUser{Email: email, Name: name, Role: role, Password: password}); err != nil {
		h.t.Fatal(err)
	}
}

// actor is a user acting through the Go API, with their role's permissions.
func (h *harness) actor(email string) context.Context {
	h.t.Helper()
	ctx := context.Background()
	u, err := h.app.DB.UserByEmail(ctx, email)
	if err != nil {
		h.t.Fatalf("user %s: %v", email, err)
	}
	role, err := h.app.DB.Role(ctx, u.Role)
	if err != nil {
		h.t.Fatalf("role %s: %v", u.Role, err)
	}
	return kefu.NewContext(ctx, &kefu.Actor{UserID: u.ID, Name: u.Name, Role: u.Role, Permissions: role.Permissions})
}

// demoInbox is the demo's web chat inbox.
func (h *harness) demoInbox() kefu.Inbox {
	h.t.Helper()
	inboxes, err := h.app.Webchat.Inboxes(h.sys)
	if err != nil || len(inboxes) == 0 {
		h.t.Fatalf("inboxes: %v %v", inboxes, err)
	}
	return inboxes[0]
}

// updateDemoInbox changes the demo inbox's settings.
func (h *harness) updateDemoInbox(patch webchat.InboxPatch) {
	h.t.Helper()
	if _, err := h.app.Webchat.UpdateInbox(h.sys, h.demoInbox().ID, patch); err != nil {
		h.t.Fatal(err)
	}
}

// teamID is the ID of the demo team with this name.
func (h *harness) teamID(name string) string {
	h.t.Helper()
	teams, err := h.app.DB.Teams(h.sys)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, tm := range teams {
		if tm.Name == name {
			return tm.ID
		}
	}
	h.t.Fatalf("the demo has no %s team", name)
	return ""
}

// conversationWith is the conversation holding a message with exactly this
// text, waiting up to 20 s for it to be stored.
func (h *harness) conversationWith(text string) string {
	h.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		convs, err := h.app.DB.Conversations(h.sys, storeAll(), kefu.ConversationFilter{Limit: 50})
		if err != nil {
			h.t.Fatal(err)
		}
		for _, c := range convs {
			msgs, _ := h.app.DB.Messages(h.sys, c.ID, 0, 10, false)
			for _, m := range msgs {
				if m.Text == text {
					return c.ID
				}
			}
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("no conversation has the message %q", text)
		}
	}
}

// tab opens another tab, as another person.
func (h *harness) tab() context.Context {
	tab, cancel := chromedp.NewContext(h.browser)
	h.t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		h.t.Fatal(err)
	}
	return tab
}

func (h *harness) shot(tab context.Context, name string) {
	h.step++
	buf, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
	if err == nil {
		err = os.WriteFile(filepath.Join(h.shots, fmt.Sprintf("%02d-%s.png", h.step, name)), buf, 0o644)
	}
	if err != nil {
		h.t.Logf("screenshot %s: %v", name, err)
	}
}

// do runs steps, failing the test with a screenshot when they do not finish in 20 s.
func (h *harness) do(tab context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	h.t.Helper()
	sctx, cancel := context.WithTimeout(tab, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		h.fail(tab, what, err)
	}
}

// fail takes a screenshot of the tab and fails the test.
func (h *harness) fail(tab context.Context, what string, err error) {
	h.t.Helper()
	h.shot(tab, "failed-"+strings.ReplaceAll(what, " ", "-"))
	h.t.Fatalf("%s: %v", what, err)
}

// poll evaluates a JS expression (with __kq) until it is truthy, for up to 20 s.
func (h *harness) poll(tab context.Context, what, expr string) {
	h.t.Helper()
	h.pollFor(tab, 20*time.Second, what, expr)
}

// wait is poll with a generous timeout: the steps go through the server,
// the socket and a refresh of the widget's lists.
func (h *harness) wait(tab context.Context, what, expr string) {
	h.t.Helper()
	h.pollFor(tab, 45*time.Second, what, expr)
}

func (h *harness) pollFor(tab context.Context, d time.Duration, what, expr string) {
	h.t.Helper()
	sctx, cancel := context.WithTimeout(tab, d)
	defer cancel()
	if _, err := chromedp.Run(sctx, chromedp.Poll[bool](`(`+shadowJS+`, !!(`+expr+`))`)); err != nil {
		h.fail(tab, what, err)
	}
}

// eval runs a JS expression (with __kq).
func (h *harness) eval(tab context.Context, expr string) {
	h.t.Helper()
	if _, err := chromedp.Run(tab, chromedp.Evaluate[any](`(`+shadowJS+`, `+expr+`)`)); err != nil {
		h.t.Fatalf("%s: %v", expr, err)
	}
}

// value evaluates a JS expression (with __kq) as a string.
func (h *harness) value(tab context.Context, expr string) string {
	h.t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[string](`(`+shadowJS+`, String(`+expr+`))`))
	if err != nil {
		h.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

func tid(id string) string { return `[data-testid="` + id + `"]` }

// signIn signs a user in on a tab and opens the inbox.
func (h *harness) signIn(tab context.Context, email, password string) {
	h.do(tab, "sign in as "+email,
		chromedp.Navigate(h.url+"/login"),
		chromedp.WaitVisible(tid("login-email")),
		chromedp.SendKeys(tid("login-email"), email),
		chromedp.SendKeys(tid("login-password"), password),
		chromedp.Click(tid("login-submit")),
		chromedp.WaitVisible(tid("menu-inbox")),
		chromedp.Navigate(h.url+"/inbox"),
		chromedp.WaitVisible(tid("inbox")),
	)
}

// agentOpens waits for the conversation whose row shows text in the inbox and opens it.
func (h *harness) agentOpens(tab context.Context, text string) {
	h.t.Helper()
	row := `[...document.querySelectorAll('[data-testid="conversation-row"]')].find(r => r.textContent.includes(` + jsString(text) + `))`
	h.wait(tab, "the conversation arrives", row)
	h.eval(tab, row+`.click()`)
}

// openShop opens the demo shop page and waits for the widget's launcher.
func (h *harness) openShop(tab context.Context) {
	h.t.Helper()
	h.do(tab, "open the shop", navigate(h.url+"/demo/shop"))
	h.poll(tab, "widget launcher", `__kq('[data-testid="widget-launcher"]').length`)
}

// customerWrites opens the widget if needed and sends a message.
func (h *harness) customerWrites(tab context.Context, text string) {
	h.t.Helper()
	h.poll(tab, "widget launcher", `__kq('[data-testid="widget-launcher"]').length`)
	h.eval(tab, `(() => { if (!__kq('[data-testid="widget-input"]').some(i => i.offsetParent !== null)) __kq('[data-testid="widget-launcher"]')[0].click(); })()`)
	h.poll(tab, "widget input", `__kq('[data-testid="widget-input"]').length`)
	h.eval(tab, `(() => { const i = __kq('[data-testid="widget-input"]')[0]; i.value = `+jsString(text)+`; i.dispatchEvent(new Event('input', {bubbles: true})); __kq('[data-testid="widget-send"]')[0].click(); })()`)
	h.poll(tab, "message acknowledged", `__kq('[data-testid="widget-message"][data-sender="customer"]').some(m => m.dataset.seq && m.textContent.includes(`+jsString(text)+`))`)
}

func jsString(s string) string { return fmt.Sprintf("%q", s) }

func navigate(url string) chromedp.Action[chromedp.Void] { return chromedp.Navigate(url) }
