package kb

import (
	"archive/zip"
	"bytes"
	"context"
	"embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"kefu"
)

// Problem is one part of an import that was skipped, and why.
type Problem struct {
	Item    string `json:"item"` // "line 7" or a file name
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// ImportResult says what an import did. Valid items are kept even when
// others are skipped, so a bad line never loses the good ones.
type ImportResult struct {
	Created  int       `json:"created"`
	Updated  int       `json:"updated"`
	Problems []Problem `json:"problems"`
}

func (r *ImportResult) skip(item string, err error) {
	r.Problems = append(r.Problems, Problem{Item: item, Field: kefu.ErrorField(err), Message: kefu.ErrorMessage(err)})
}

// faqHeader is the CSV layout of FAQ import and export. Alternatives are
// separated by " | ".
var faqHeader = []string{"locale", "category", "intent", "question", "alternatives", "answer", "status"}

// ExportFAQCSV writes every FAQ entry as CSV. Requires kb.manage.
func (s *Service) ExportFAQCSV(ctx context.Context, w io.Writer) error {
	if _, err := kefu.Require(ctx, kefu.PermKBManage); err != nil {
		return err
	}
	list, err := s.DB.FAQs(ctx, "", "")
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write(faqHeader)
	for _, f := range list {
		cw.Write([]string{f.Locale, f.Category, f.Intent, f.Question, strings.Join(f.Alternatives, " | "), f.Answer, f.Status})
	}
	cw.Flush()
	return cw.Error()
}

// ImportFAQCSV adds the FAQ entries of a CSV file laid out as the export
// (header row first). A row whose question already exists in that language is
// updated. Requires kb.manage.
func (s *Service) ImportFAQCSV(ctx context.Context, r io.Reader) (ImportResult, error) {
	res := ImportResult{Problems: []Problem{}}
	if _, err := kefu.Require(ctx, kefu.PermKBManage); err != nil {
		return res, err
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return res, kefu.Invalid("file", "Send a CSV file with the header %s.", strings.Join(faqHeader, ","))
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"question", "answer"} {
		if _, ok := col[need]; !ok {
			return res, kefu.Invalid("file", "The CSV has no %q column; the header should be %s.", need, strings.Join(faqHeader, ","))
		}
	}
	existing, err := s.DB.FAQs(ctx, "", "")
	if err != nil {
		return res, err
	}
	byQuestion := map[string]kefu.FAQ{}
	for _, f := range existing {
		byQuestion[f.Locale+"\x00"+f.Question] = f
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			res.skip(fmt.Sprintf("line %d", line), kefu.Invalid("file", "%v", err))
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		f := kefu.FAQ{Locale: get("locale"), Category: get("category"), Intent: get("intent"), Question: get("question"),
			Answer: get("answer"), Status: get("status")}
		if f.Locale == "" {
			f.Locale = "zh-CN"
		}
		if alts := get("alternatives"); alts != "" {
			f.Alternatives = strings.Split(alts, "|")
		}
		if err := s.upsertFAQ(ctx, f, byQuestion, &res); err != nil {
			res.skip(fmt.Sprintf("line %d", line), err)
		}
	}
	return res, nil
}

func (s *Service) upsertFAQ(ctx context.Context, f kefu.FAQ, byQuestion map[string]kefu.FAQ, res *ImportResult) error {
	if prev, ok := byQuestion[f.Locale+"\x00"+strings.TrimSpace(f.Question)]; ok {
		_, err := s.UpdateFAQ(ctx, prev.ID, FAQPatch{Category: &f.Category, Intent: &f.Intent, Alternatives: &f.Alternatives,
			Answer: &f.Answer, Status: &f.Status})
		if err == nil {
			res.Updated++
		}
		return err
	}
	created, err := s.CreateFAQ(ctx, f)
	if err == nil {
		res.Created++
		byQuestion[created.Locale+"\x00"+created.Question] = created
	}
	return err
}

// frontMatter is the header of an article file.
type frontMatter struct {
	Title    string `yaml:"title"`
	Category string `yaml:"category"`
	Intent   string `yaml:"intent"`
	Status   string `yaml:"status"`
}

// articleFile renders an article as Markdown with front matter.
func articleFile(a kefu.Article) []byte {
	fm, _ := yaml.Marshal(frontMatter{Title: a.Title, Category: a.Category, Intent: a.Intent, Status: a.Status})
	return []byte("---\n" + string(fm) + "---\n\n" + a.Body + "\n")
}

// parseArticle reads "<slug>.<locale>.md" with front matter.
func parseArticle(name string, data []byte) (kefu.Article, error) {
	base := strings.TrimSuffix(path.Base(name), ".md")
	dot := strings.LastIndex(base, ".")
	if dot < 0 {
		return kefu.Article{}, kefu.Invalid("file", "Name the file <slug>.<locale>.md, such as returns-7-day.zh-CN.md.")
	}
	a := kefu.Article{Slug: base[:dot], Locale: base[dot+1:], Status: kefu.ArticlePublished}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	if rest, ok := strings.CutPrefix(text, "---\n"); ok {
		head, body, found := strings.Cut(rest, "\n---\n")
		if !found {
			return a, kefu.Invalid("file", "The front matter (between --- lines) is not closed.")
		}
		var fm frontMatter
		if err := yaml.Unmarshal([]byte(head), &fm); err != nil {
			return a, kefu.Invalid("file", "The front matter is not valid YAML: %v", err)
		}
		a.Title, a.Category, a.Intent, text = fm.Title, fm.Category, fm.Intent, body
		if fm.Status != "" {
			a.Status = fm.Status
		}
	}
	a.Body = strings.TrimSpace(text)
	if a.Title == "" {
		if line, _, _ := strings.Cut(a.Body, "\n"); strings.HasPrefix(line, "# ") {
			a.Title = strings.TrimPrefix(line, "# ")
		}
	}
	return a, nil
}

// ExportArticlesZip writes every article as <slug>.<locale>.md in a zip file.
// Requires kb.manage.
func (s *Service) ExportArticlesZip(ctx context.Context, w io.Writer) error {
	if _, err := kefu.Require(ctx, kefu.PermKBManage); err != nil {
		return err
	}
	list, err := s.DB.Articles(ctx, "", "")
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	for _, a := range list {
		fw, err := zw.Create(a.Slug + "." + a.Locale + ".md")
		if err != nil {
			return err
		}
		if _, err := fw.Write(articleFile(a)); err != nil {
			return err
		}
	}
	return zw.Close()
}

// ImportArticles adds or updates articles from one Markdown file or a zip of
// them, named <slug>.<locale>.md. Requires kb.manage.
func (s *Service) ImportArticles(ctx context.Context, name string, data []byte) (ImportResult, error) {
	res := ImportResult{Problems: []Problem{}}
	if _, err := kefu.Require(ctx, kefu.PermKBManage); err != nil {
		return res, err
	}
	files := map[string][]byte{}
	if strings.HasSuffix(strings.ToLower(name), ".zip") {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return res, kefu.Invalid("file", "The zip file cannot be read: %v", err)
		}
		for _, f := range zr.File {
			if f.FileInfo().IsDir() || !strings.HasSuffix(f.Name, ".md") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				res.skip(f.Name, kefu.Invalid("file", "%v", err))
				continue
			}
			b, err := io.ReadAll(io.LimitReader(rc, 1<<20))
			rc.Close()
			if err != nil {
				res.skip(f.Name, kefu.Invalid("file", "%v", err))
				continue
			}
			files[f.Name] = b
		}
	} else {
		files[name] = data
	}
	existing, err := s.DB.Articles(ctx, "", "")
	if err != nil {
		return res, err
	}
	for fname, b := range files {
		if err := s.upsertArticle(ctx, fname, b, existing, &res); err != nil {
			res.skip(fname, err)
		}
	}
	return res, nil
}

func (s *Service) upsertArticle(ctx context.Context, name string, data []byte, existing []kefu.Article, res *ImportResult) error {
	a, err := parseArticle(name, data)
	if err != nil {
		return err
	}
	for _, e := range existing {
		if e.Locale == a.Locale && e.Slug == a.Slug {
			_, err := s.UpdateArticle(ctx, e.ID, ArticlePatch{Title: &a.Title, Body: &a.Body, Category: &a.Category,
				Intent: &a.Intent, Status: &a.Status})
			if err == nil {
				res.Updated++
			}
			return err
		}
	}
	if _, err := s.CreateArticle(ctx, a); err != nil {
		return err
	}
	res.Created++
	return nil
}

//go:embed defaults
var defaults embed.FS

// LoadDefaults loads kefu's default e-commerce knowledge base (zh-CN and
// English) into the workspace; entries that exist are updated.
func (s *Service) LoadDefaults(ctx context.Context) (ImportResult, error) {
	res := ImportResult{Problems: []Problem{}}
	raw, err := defaults.ReadFile("defaults/faqs.json")
	if err != nil {
		return res, err
	}
	var faqs []kefu.FAQ
	if err := json.Unmarshal(raw, &faqs); err != nil {
		return res, fmt.Errorf("defaults/faqs.json: %w", err)
	}
	existing, err := s.DB.FAQs(ctx, "", "")
	if err != nil {
		return res, err
	}
	byQuestion := map[string]kefu.FAQ{}
	for _, f := range existing {
		byQuestion[f.Locale+"\x00"+f.Question] = f
	}
	for i, f := range faqs {
		f.Status = kefu.ArticlePublished
		if err := s.upsertFAQ(ctx, f, byQuestion, &res); err != nil {
			res.skip(fmt.Sprintf("faq %d", i), err)
		}
	}
	articles, err := s.DB.Articles(ctx, "", "")
	if err != nil {
		return res, err
	}
	names, _ := fs.Glob(defaults, "defaults/articles/*.md")
	for _, n := range names {
		b, err := defaults.ReadFile(n)
		if err == nil {
			err = s.upsertArticle(ctx, n, b, articles, &res)
		}
		if err != nil {
			res.skip(n, err)
		}
	}
	return res, nil
}
