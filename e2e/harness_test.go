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
	"kefu/config"
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
	url     string
	shots   string
	step    int
	browser context.Context
}

func newHarness(t *testing.T, clock kefu.Clock) *harness {
	browser := chromium(t)
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
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("lang", "zh-CN"),
		chromedp.WindowSize(1440, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	bctx, cancelTime := context.WithTimeout(bctx, 4*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelBrowser(); cancelAlloc() })
	// Start the browser on the long-lived context; steps get shorter
	// timeouts of their own, and cancelling those must not close the tab.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return &harness{t: t, app: a, url: srv.URL, shots: t.ArtifactDir(), browser: bctx}
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
		h.shot(tab, "failed-"+strings.ReplaceAll(what, " ", "-"))
		h.t.Fatalf("%s: %v", what, err)
	}
}

// poll evaluates a JS expression (with __kq) until it is truthy.
func (h *harness) poll(tab context.Context, what, expr string) {
	h.t.Helper()
	sctx, cancel := context.WithTimeout(tab, 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(sctx, chromedp.Poll[bool](`(`+shadowJS+`, !!(`+expr+`))`)); err != nil {
		h.shot(tab, "failed-"+strings.ReplaceAll(what, " ", "-"))
		h.t.Fatalf("%s: %v", what, err)
	}
}

// eval runs a JS expression (with __kq).
func (h *harness) eval(tab context.Context, expr string) {
	h.t.Helper()
	if _, err := chromedp.Run(tab, chromedp.Evaluate[any](`(`+shadowJS+`, `+expr+`)`)); err != nil {
		h.t.Fatalf("%s: %v", expr, err)
	}
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
