package httpapi

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"kefu"
	"kefu/kb"
)

func (s *Server) kbRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/kb/articles", handler: s.kbArticles},
		{Method: "POST", Path: "/api/v1/kb/articles", handler: s.kbCreateArticle},
		{Method: "GET", Path: "/api/v1/kb/articles/{id}", handler: s.kbArticle},
		{Method: "PATCH", Path: "/api/v1/kb/articles/{id}", handler: s.kbUpdateArticle},
		{Method: "DELETE", Path: "/api/v1/kb/articles/{id}", handler: s.kbDeleteArticle},
		{Method: "GET", Path: "/api/v1/kb/articles/{id}/revisions", handler: s.kbRevisions},
		{Method: "GET", Path: "/api/v1/kb/faqs", handler: s.kbFAQs},
		{Method: "POST", Path: "/api/v1/kb/faqs", handler: s.kbCreateFAQ},
		{Method: "PATCH", Path: "/api/v1/kb/faqs/{id}", handler: s.kbUpdateFAQ},
		{Method: "DELETE", Path: "/api/v1/kb/faqs/{id}", handler: s.kbDeleteFAQ},
		{Method: "POST", Path: "/api/v1/kb/import", handler: s.kbImport},
		{Method: "GET", Path: "/api/v1/kb/export", handler: s.kbExport},
		{Method: "GET", Path: "/api/v1/kb/unanswered", handler: s.kbUnanswered},
	}
}

func (s *Server) kbArticles(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.KB.Articles(r.Context(), r.URL.Query().Get("locale"))
	return ok(w, http.StatusOK, items(list), err)
}

func (s *Server) kbCreateArticle(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Locale   string `json:"locale"`
		Slug     string `json:"slug"`
		Title    string `json:"title"`
		Body     string `json:"body"`
		Category string `json:"category"`
		Intent   string `json:"intent"`
		Status   string `json:"status"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	a, err := s.App.KB.CreateArticle(r.Context(), kefu.Article{Locale: in.Locale, Slug: in.Slug, Title: in.Title, Body: in.Body,
		Category: in.Category, Intent: in.Intent, Status: in.Status})
	return ok(w, http.StatusCreated, a, err)
}

func (s *Server) kbArticle(w http.ResponseWriter, r *http.Request) error {
	a, err := s.App.KB.Article(r.Context(), r.PathValue("id"))
	return ok(w, http.StatusOK, a, err)
}

func (s *Server) kbUpdateArticle(w http.ResponseWriter, r *http.Request) error {
	var in kb.ArticlePatch
	if err := decode(r, &in); err != nil {
		return err
	}
	a, err := s.App.KB.UpdateArticle(r.Context(), r.PathValue("id"), in)
	return ok(w, http.StatusOK, a, err)
}

func (s *Server) kbDeleteArticle(w http.ResponseWriter, r *http.Request) error {
	return noContent(w, s.App.KB.DeleteArticle(r.Context(), r.PathValue("id")))
}

func (s *Server) kbRevisions(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.KB.Revisions(r.Context(), r.PathValue("id"))
	return ok(w, http.StatusOK, items(list), err)
}

func (s *Server) kbFAQs(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.KB.FAQs(r.Context(), r.URL.Query().Get("locale"))
	return ok(w, http.StatusOK, items(list), err)
}

func (s *Server) kbCreateFAQ(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Locale       string   `json:"locale"`
		Category     string   `json:"category"`
		Intent       string   `json:"intent"`
		Question     string   `json:"question"`
		Alternatives []string `json:"alternatives"`
		Answer       string   `json:"answer"`
		Status       string   `json:"status"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	f, err := s.App.KB.CreateFAQ(r.Context(), kefu.FAQ{Locale: in.Locale, Category: in.Category, Intent: in.Intent,
		Question: in.Question, Alternatives: in.Alternatives, Answer: in.Answer, Status: in.Status})
	return ok(w, http.StatusCreated, f, err)
}

func (s *Server) kbUpdateFAQ(w http.ResponseWriter, r *http.Request) error {
	var in kb.FAQPatch
	if err := decode(r, &in); err != nil {
		return err
	}
	f, err := s.App.KB.UpdateFAQ(r.Context(), r.PathValue("id"), in)
	return ok(w, http.StatusOK, f, err)
}

func (s *Server) kbDeleteFAQ(w http.ResponseWriter, r *http.Request) error {
	return noContent(w, s.App.KB.DeleteFAQ(r.Context(), r.PathValue("id")))
}

// kbImport takes a CSV of FAQ entries, or Markdown articles (one .md file or
// a .zip of them), as multipart field "file".
func (s *Server) kbImport(w http.ResponseWriter, r *http.Request) error {
	if _, err := kefu.Require(r.Context(), kefu.PermKBManage); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(nil, r.Body, 20<<20)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return kefu.Invalid("file", "Send a .csv (FAQ), .md or .zip (articles) file as multipart field \"file\", at most 20 MB.")
	}
	defer f.Close()
	name := strings.ToLower(hdr.Filename)
	var res kb.ImportResult
	switch {
	case strings.HasSuffix(name, ".csv"):
		res, err = s.App.KB.ImportFAQCSV(r.Context(), f)
	case strings.HasSuffix(name, ".md"), strings.HasSuffix(name, ".zip"):
		data, rerr := io.ReadAll(f)
		if rerr != nil {
			return rerr
		}
		res, err = s.App.KB.ImportArticles(r.Context(), hdr.Filename, data)
	default:
		return kefu.Invalid("file", "Send a .csv (FAQ), .md or .zip (articles) file.")
	}
	return ok(w, http.StatusOK, res, err)
}

// kbExport sends the FAQ as CSV (format=faq-csv) or the articles as a zip of
// Markdown files (format=articles-zip).
func (s *Server) kbExport(w http.ResponseWriter, r *http.Request) error {
	if _, err := kefu.Require(r.Context(), kefu.PermKBManage); err != nil {
		return err
	}
	switch r.URL.Query().Get("format") {
	case "faq-csv", "":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="kefu-faq.csv"`)
		w.Write([]byte("\ufeff")) // Excel reads UTF-8 only with a BOM
		return s.App.KB.ExportFAQCSV(r.Context(), w)
	case "articles-zip":
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Content-Disposition", `attachment; filename="kefu-articles.zip"`)
		return s.App.KB.ExportArticlesZip(r.Context(), w)
	}
	return kefu.Invalid("format", "Use faq-csv or articles-zip.")
}

// kbUnanswered lists the questions the bot could not answer (?days=30).
func (s *Server) kbUnanswered(w http.ResponseWriter, r *http.Request) error {
	days, _ := strconv.Atoi(r.URL.Query().Get("days"))
	list, err := s.App.Bot.Unanswered(r.Context(), days)
	return ok(w, http.StatusOK, items(list), err)
}
