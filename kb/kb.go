// Package kb is the knowledge base: help-centre articles (Markdown, zh-CN and
// English, with revisions) and FAQ entries with the other ways customers ask
// them. The bot answers from it and the public help centre shows it.
package kb

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"kefu"
	"kefu/store"
)

// Service manages the knowledge base.
type Service struct {
	DB    *store.DB
	Clock kefu.Clock

	// Changed, when set, is called after every change (after the search
	// index is dropped), for other indexes built on the knowledge base.
	Changed func()

	search searcher
}

// changed drops the search indexes; the next search rebuilds them. (A
// change on another node shows here when this node next changes or restarts.)
func (s *Service) changed() {
	s.search.mu.Lock()
	s.search.indexes = nil
	s.search.mu.Unlock()
	if s.Changed != nil {
		s.Changed()
	}
}

// requireReader: writers, and agents who insert answers into replies.
func requireReader(ctx context.Context) error {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return err
	}
	if !a.Can(kefu.PermKBManage) && !a.Can(kefu.PermConversationsReply) {
		return kefu.Errorf(kefu.EFORBIDDEN, "You need the %q permission for this.", kefu.PermKBManage)
	}
	return nil
}

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,79}$`)

func checkCommon(locale, status, intent string) error {
	switch {
	case !slices.Contains(kefu.Locales, locale):
		return kefu.Invalid("locale", "Use zh-CN or en.")
	case status != kefu.ArticleDraft && status != kefu.ArticlePublished:
		return kefu.Invalid("status", "Use draft or published.")
	case intent != "" && !slices.Contains(kefu.Intents, intent):
		return kefu.Invalid("intent", "Use one of %s, or leave it empty.", strings.Join(kefu.Intents, ", "))
	}
	return nil
}

func checkArticle(a *kefu.Article) error {
	a.Title, a.Body, a.Slug = strings.TrimSpace(a.Title), strings.TrimSpace(a.Body), strings.TrimSpace(a.Slug)
	if a.Status == "" {
		a.Status = kefu.ArticleDraft
	}
	switch {
	case !slugPattern.MatchString(a.Slug):
		return kefu.Invalid("slug", "Use lower-case letters, digits and -, such as returns-7-day.")
	case a.Title == "" || utf8.RuneCountInString(a.Title) > 200:
		return kefu.Invalid("title", "Enter a title of 1 to 200 characters.")
	case a.Body == "" || len(a.Body) > 200_000:
		return kefu.Invalid("body", "Write the article (at most 200 KB).")
	case utf8.RuneCountInString(a.Category) > 60:
		return kefu.Invalid("category", "Use at most 60 characters.")
	}
	return checkCommon(a.Locale, a.Status, a.Intent)
}

// CreateArticle adds an article as revision 1. Requires kb.manage.
func (s *Service) CreateArticle(ctx context.Context, a kefu.Article) (kefu.Article, error) {
	actor, err := kefu.Require(ctx, kefu.PermKBManage)
	if err != nil {
		return a, err
	}
	if err := checkArticle(&a); err != nil {
		return a, err
	}
	now := s.Clock.Now()
	a.ID, a.Revision, a.AuthorID, a.CreatedAt, a.UpdatedAt = kefu.NewID(), 1, actor.UserID, now, now
	err = s.DB.InTx(ctx, func(q *store.Queries) error { return q.SaveArticle(ctx, a) })
	if kefu.ErrorCode(err) == kefu.ECONFLICT {
		return a, &kefu.Error{Code: kefu.ECONFLICT, Message: "An article with this slug already exists in this language.", Field: "slug"}
	}
	s.changed()
	return a, err
}

// ArticlePatch changes some fields; nil fields stay.
type ArticlePatch struct {
	Slug     *string `json:"slug"`
	Title    *string `json:"title"`
	Body     *string `json:"body"`
	Category *string `json:"category"`
	Intent   *string `json:"intent"`
	Status   *string `json:"status"`
}

// UpdateArticle saves a new revision. Requires kb.manage.
func (s *Service) UpdateArticle(ctx context.Context, id string, p ArticlePatch) (kefu.Article, error) {
	actor, err := kefu.Require(ctx, kefu.PermKBManage)
	if err != nil {
		return kefu.Article{}, err
	}
	a, err := s.DB.Article(ctx, id)
	if err != nil {
		return a, err
	}
	kefu.Set(&a.Slug, p.Slug)
	kefu.Set(&a.Title, p.Title)
	kefu.Set(&a.Body, p.Body)
	kefu.Set(&a.Category, p.Category)
	kefu.Set(&a.Intent, p.Intent)
	kefu.Set(&a.Status, p.Status)
	if err := checkArticle(&a); err != nil {
		return a, err
	}
	a.Revision++
	a.AuthorID, a.UpdatedAt = actor.UserID, s.Clock.Now()
	err = s.DB.InTx(ctx, func(q *store.Queries) error { return q.SaveArticle(ctx, a) })
	s.changed()
	return a, err
}

// DeleteArticle removes an article. Requires kb.manage.
func (s *Service) DeleteArticle(ctx context.Context, id string) error {
	if _, err := kefu.Require(ctx, kefu.PermKBManage); err != nil {
		return err
	}
	defer s.changed()
	return s.DB.DeleteArticle(ctx, id)
}

// Article returns one article.
func (s *Service) Article(ctx context.Context, id string) (kefu.Article, error) {
	if err := requireReader(ctx); err != nil {
		return kefu.Article{}, err
	}
	return s.DB.Article(ctx, id)
}

// Articles lists articles, drafts included.
func (s *Service) Articles(ctx context.Context, locale string) ([]kefu.Article, error) {
	if err := requireReader(ctx); err != nil {
		return nil, err
	}
	return s.DB.Articles(ctx, locale, "")
}

// Revisions lists an article's earlier texts.
func (s *Service) Revisions(ctx context.Context, id string) ([]kefu.ArticleRevision, error) {
	if err := requireReader(ctx); err != nil {
		return nil, err
	}
	return s.DB.ArticleRevisions(ctx, id)
}

// PublishedArticles lists what the public help centre shows; no permission
// is needed.
func (s *Service) PublishedArticles(ctx context.Context, locale string) ([]kefu.Article, error) {
	return s.DB.Articles(ctx, locale, kefu.ArticlePublished)
}

// PublishedFAQs lists the FAQ the bot and the help centre answer from.
func (s *Service) PublishedFAQs(ctx context.Context, locale string) ([]kefu.FAQ, error) {
	return s.DB.FAQs(ctx, locale, kefu.ArticlePublished)
}

func checkFAQ(f *kefu.FAQ) error {
	f.Question, f.Answer = strings.TrimSpace(f.Question), strings.TrimSpace(f.Answer)
	if f.Status == "" {
		f.Status = kefu.ArticlePublished
	}
	var alts []string
	for _, a := range f.Alternatives {
		if a = strings.TrimSpace(a); a != "" && !slices.Contains(alts, a) {
			alts = append(alts, a)
		}
	}
	if alts == nil {
		alts = []string{}
	}
	f.Alternatives = alts
	switch {
	case f.Question == "" || utf8.RuneCountInString(f.Question) > 300:
		return kefu.Invalid("question", "Enter the question, at most 300 characters.")
	case f.Answer == "" || utf8.RuneCountInString(f.Answer) > 5000:
		return kefu.Invalid("answer", "Enter the answer, at most 5000 characters.")
	case len(f.Alternatives) > 50:
		return kefu.Invalid("alternatives", "Use at most 50 other phrasings.")
	}
	return checkCommon(f.Locale, f.Status, f.Intent)
}

// CreateFAQ adds an entry. Requires kb.manage.
func (s *Service) CreateFAQ(ctx context.Context, f kefu.FAQ) (kefu.FAQ, error) {
	if _, err := kefu.Require(ctx, kefu.PermKBManage); err != nil {
		return f, err
	}
	if err := checkFAQ(&f); err != nil {
		return f, err
	}
	f.ID, f.CreatedAt, f.UpdatedAt = kefu.NewID(), s.Clock.Now(), s.Clock.Now()
	defer s.changed()
	return f, s.DB.SaveFAQ(ctx, f)
}

// FAQPatch changes some fields; nil fields stay.
type FAQPatch struct {
	Locale       *string   `json:"locale"`
	Category     *string   `json:"category"`
	Intent       *string   `json:"intent"`
	Question     *string   `json:"question"`
	Alternatives *[]string `json:"alternatives"`
	Answer       *string   `json:"answer"`
	Status       *string   `json:"status"`
}

// UpdateFAQ changes an entry. Requires kb.manage.
func (s *Service) UpdateFAQ(ctx context.Context, id string, p FAQPatch) (kefu.FAQ, error) {
	if _, err := kefu.Require(ctx, kefu.PermKBManage); err != nil {
		return kefu.FAQ{}, err
	}
	f, err := s.DB.FAQ(ctx, id)
	if err != nil {
		return f, err
	}
	kefu.Set(&f.Locale, p.Locale)
	kefu.Set(&f.Category, p.Category)
	kefu.Set(&f.Intent, p.Intent)
	kefu.Set(&f.Question, p.Question)
	kefu.Set(&f.Answer, p.Answer)
	kefu.Set(&f.Status, p.Status)
	kefu.Set(&f.Alternatives, p.Alternatives)
	if err := checkFAQ(&f); err != nil {
		return f, err
	}
	f.UpdatedAt = s.Clock.Now()
	defer s.changed()
	return f, s.DB.SaveFAQ(ctx, f)
}

// DeleteFAQ removes an entry. Requires kb.manage.
func (s *Service) DeleteFAQ(ctx context.Context, id string) error {
	if _, err := kefu.Require(ctx, kefu.PermKBManage); err != nil {
		return err
	}
	defer s.changed()
	return s.DB.DeleteFAQ(ctx, id)
}

// FAQs lists entries, drafts included.
func (s *Service) FAQs(ctx context.Context, locale string) ([]kefu.FAQ, error) {
	if err := requireReader(ctx); err != nil {
		return nil, err
	}
	return s.DB.FAQs(ctx, locale, "")
}
