package httpapi_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kefu"
	"kefu/store"
	"kefu/store/storetest"
)

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestHelpCentre(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	sys := e.system()
	body := "## 退货条件\n\n签收次日起 **7 天**内。\n\n<script>alert(1)</script>\n\n| 项目 | 说明 |\n|---|---|\n| 运费 | 买家承担 |"
	if _, err := e.app.KB.CreateArticle(sys, kefu.Article{Locale: "zh-CN", Slug: "returns-7-day", Title: "七天无理由退货规则",
		Body: body, Category: "售后服务", Status: "published"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.KB.CreateArticle(sys, kefu.Article{Locale: "zh-CN", Slug: "secret", Title: "内部草稿", Body: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.KB.CreateFAQ(sys, kefu.FAQ{Locale: "zh-CN", Question: "退货运费谁出", Alternatives: []string{"退货要自己付运费吗"},
		Answer: "七天无理由退货的运费由买家承担；质量问题由商家承担。客服电话 {{shop.phone}}。"}); err != nil {
		t.Fatal(err)
	}
	status, page := get(t, e.srv.URL+"/help")
	if status != 200 || !strings.Contains(page, "七天无理由退货规则") || strings.Contains(page, "内部草稿") || !strings.Contains(page, "退货运费谁出") ||
		!strings.Contains(page, "客服电话 400-000-0000") {
		t.Fatalf("home: %d\n%s", status, page)
	}
	status, page = get(t, e.srv.URL+"/help/returns-7-day")
	if status != 200 || !strings.Contains(page, "<h2") || !strings.Contains(page, "<strong>7 天</strong>") || !strings.Contains(page, "<table>") {
		t.Fatalf("article: %d\n%s", status, page)
	}
	if strings.Contains(page, "<script>alert") {
		t.Fatal("raw HTML from an article reached the page")
	}
	if status, _ := get(t, e.srv.URL+"/help/secret"); status != 404 {
		t.Fatalf("a draft is public: %d", status)
	}
	status, page = get(t, e.srv.URL+"/help/search?q="+url.QueryEscape("退货要付运费吗"))
	if status != 200 || !strings.Contains(page, "质量问题由商家承担") {
		t.Fatalf("search: %d\n%s", status, page)
	}
	status, page = get(t, e.srv.URL+"/help?lang=en")
	if status != 200 || !strings.Contains(page, "Help Centre") {
		t.Fatalf("english: %d", status)
	}
	r := e.client("").do("GET", "/widget/v1/help?q="+url.QueryEscape("运费谁出"), nil, "Origin", "https://shop.example.com")
	items, _ := r.body["items"].([]any)
	if r.status != 200 || len(items) == 0 || items[0].(map[string]any)["kind"] != "faq" {
		t.Fatalf("widget help: %d %s", r.status, r.raw)
	}
}
