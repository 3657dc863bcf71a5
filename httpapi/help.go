package httpapi

import (
	"bytes"
	_ "embed"
	"html/template"
	"net/http"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"kefu"
	"kefu/kb"
)

// The public help centre: the published knowledge base as plain HTML pages,
// readable without JavaScript and by search engines.

//go:embed templates/help.html
var helpHTML string

var helpPage = template.Must(template.New("help").Parse(helpHTML))

// markdown renders article bodies. Raw HTML in Markdown is left out (the
// default), so an article cannot carry scripts.
var markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Linkify))

// helpText is the help centre's own wording, per language.
type helpText struct {
	Title, Subtitle, Placeholder, Search, Switch, Results, NoResults, Common, Empty, Updated, Back, Footer string
}

var helpTexts = map[string]helpText{
	"zh-CN": {Title: "帮助中心", Subtitle: "常见问题与服务说明，找不到答案可随时联系在线客服", Placeholder: "输入问题，如：退货运费谁出",
		Search: "搜索", Switch: "English", Results: "搜索结果：", NoResults: "没有找到相关内容，换个说法试试，或联系在线客服。",
		Common: "常见问题", Empty: "帮助内容正在整理中。", Updated: "更新于", Back: "返回帮助中心", Footer: "本页内容由 kefu 知识库提供"},
	"en": {Title: "Help Centre", Subtitle: "Answers to common questions; our agents are here if you need more", Placeholder: "Ask a question, e.g. who pays return shipping",
		Search: "Search", Switch: "中文", Results: "Results for", NoResults: "Nothing found. Try other words, or chat with us.",
		Common: "Common questions", Empty: "Help articles are on their way.", Updated: "Updated", Back: "Back to the help centre", Footer: "Powered by the kefu knowledge base"},
}

type helpCategory struct {
	Name     string
	Articles []kefu.Article
}

type helpView struct {
	Lang, OtherLang, Query string
	T                      helpText
	Categories             []helpCategory
	FAQs                   []kefu.FAQ
	Article                *kefu.Article
	Body                   template.HTML
	Searched               bool
	Hits                   []kb.Hit
}

// helpLang picks the page's language: ?lang=, else the browser's.
func helpLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "zh-CN" {
		return l
	}
	if al := r.Header.Get("Accept-Language"); al != "" && !strings.HasPrefix(strings.ToLower(al), "zh") {
		return "en"
	}
	return "zh-CN"
}

func newHelpView(r *http.Request) helpView {
	v := helpView{Lang: helpLang(r), OtherLang: "en", Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	if v.Lang == "en" {
		v.OtherLang = "zh-CN"
	}
	v.T = helpTexts[v.Lang]
	return v
}

// shopVariables fills {{shop.*}} in what a customer is shown.
func (s *Server) shopVariables(r *http.Request) func(string) string {
	cfg, err := s.App.Settings.Current(r.Context())
	if err != nil {
		cfg = kefu.DefaultSettings()
	}
	return cfg.ShopVariables
}

// fillFAQs returns copies of the entries with their variables filled.
func fillFAQs(faqs []kefu.FAQ, fill func(string) string) []kefu.FAQ {
	out := make([]kefu.FAQ, len(faqs))
	for i, f := range faqs {
		f.Answer = fill(f.Answer)
		out[i] = f
	}
	return out
}

// fillHits fills the variables of search results.
func fillHits(hits []kb.Hit, fill func(string) string) []kb.Hit {
	out := make([]kb.Hit, len(hits))
	for i, h := range hits {
		if h.FAQ != nil {
			f := fillFAQs([]kefu.FAQ{*h.FAQ}, fill)[0]
			h.FAQ = &f
		}
		out[i] = h
	}
	return out
}

func (s *Server) renderHelp(w http.ResponseWriter, status int, v helpView) {
	var buf bytes.Buffer
	if err := helpPage.Execute(&buf, v); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// helpHome lists the published articles by category and the common questions.
func (s *Server) helpHome(w http.ResponseWriter, r *http.Request) {
	v := newHelpView(r)
	articles, err := s.App.KB.PublishedArticles(r.Context(), v.Lang)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	for _, a := range articles {
		name := a.Category
		if n := len(v.Categories); n > 0 && v.Categories[n-1].Name == name {
			v.Categories[n-1].Articles = append(v.Categories[n-1].Articles, a)
		} else {
			v.Categories = append(v.Categories, helpCategory{Name: name, Articles: []kefu.Article{a}})
		}
	}
	faqs, err := s.App.KB.PublishedFAQs(r.Context(), v.Lang)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if len(faqs) > 12 {
		faqs = faqs[:12]
	}
	v.FAQs = fillFAQs(faqs, s.shopVariables(r))
	s.renderHelp(w, http.StatusOK, v)
}

// helpArticle shows one published article, in the page's language or,
// when it has no translation, in the other.
func (s *Server) helpArticle(w http.ResponseWriter, r *http.Request) {
	v := newHelpView(r)
	for _, locale := range []string{v.Lang, v.OtherLang} {
		articles, err := s.App.KB.PublishedArticles(r.Context(), locale)
		if err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		for i := range articles {
			if articles[i].Slug != r.PathValue("slug") {
				continue
			}
			var body bytes.Buffer
			if err := markdown.Convert([]byte(s.shopVariables(r)(articles[i].Body)), &body); err != nil {
				http.Error(w, "internal error", http.StatusInternalServerError)
				return
			}
			v.Article, v.Body = &articles[i], template.HTML(body.String())
			s.renderHelp(w, http.StatusOK, v)
			return
		}
	}
	v.Searched = true
	s.renderHelp(w, http.StatusNotFound, v)
}

// helpSearch shows the best answers for a question.
func (s *Server) helpSearch(w http.ResponseWriter, r *http.Request) {
	v := newHelpView(r)
	v.Searched = true
	if v.Query != "" {
		hits, err := s.App.KB.Search(r.Context(), v.Lang, v.Query, 10)
		if err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		v.Hits = fillHits(hits, s.shopVariables(r))
	}
	s.renderHelp(w, http.StatusOK, v)
}

// widgetHelp answers the widget's help search with JSON.
func (s *Server) widgetHelp(w http.ResponseWriter, r *http.Request) error {
	locale := r.URL.Query().Get("locale")
	if locale != "en" {
		locale = "zh-CN"
	}
	hits, err := s.App.KB.Search(r.Context(), locale, r.URL.Query().Get("q"), 5)
	return ok(w, http.StatusOK, map[string]any{"items": nonNil(fillHits(hits, s.shopVariables(r)))}, err)
}
