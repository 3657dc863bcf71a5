package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"kefu"
)

const articleColumns = `id, locale, slug, title, body, category, intent, status, revision, author_id, created_at, updated_at`

func scanArticles(rows *sql.Rows) ([]kefu.Article, error) {
	defer rows.Close()
	var out []kefu.Article
	for rows.Next() {
		var a kefu.Article
		var created, updated int64
		if err := rows.Scan(&a.ID, &a.Locale, &a.Slug, &a.Title, &a.Body, &a.Category, &a.Intent, &a.Status, &a.Revision,
			&a.AuthorID, &created, &updated); err != nil {
			return nil, err
		}
		a.CreatedAt, a.UpdatedAt = fromMillis(created), fromMillis(updated)
		out = append(out, a)
	}
	return out, rows.Err()
}

// SaveArticle inserts or replaces an article and records its text as revision a.Revision.
func (q *Queries) SaveArticle(ctx context.Context, a kefu.Article) error {
	_, err := q.exec(ctx, `INSERT INTO kb_articles (`+articleColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET locale = excluded.locale, slug = excluded.slug, title = excluded.title, body = excluded.body,
			category = excluded.category, intent = excluded.intent, status = excluded.status, revision = excluded.revision,
			author_id = excluded.author_id, updated_at = excluded.updated_at`,
		a.ID, a.Locale, a.Slug, a.Title, a.Body, a.Category, a.Intent, a.Status, a.Revision, a.AuthorID, millis(a.CreatedAt), millis(a.UpdatedAt))
	if err != nil {
		return err
	}
	_, err = q.exec(ctx, `INSERT INTO kb_article_revisions (article_id, revision, title, body, author_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		a.ID, a.Revision, a.Title, a.Body, a.AuthorID, millis(a.UpdatedAt))
	return err
}

// Article returns one article, or ENOTFOUND.
func (q *Queries) Article(ctx context.Context, id string) (kefu.Article, error) {
	rows, err := q.query(ctx, `SELECT `+articleColumns+` FROM kb_articles WHERE id = ?`, id)
	if err != nil {
		return kefu.Article{}, err
	}
	list, err := scanArticles(rows)
	if err != nil {
		return kefu.Article{}, err
	} else if len(list) == 0 {
		return kefu.Article{}, kefu.Errorf(kefu.ENOTFOUND, "Article not found.")
	}
	return list[0], nil
}

// Articles lists articles, of one locale and status when given, by category and title.
func (q *Queries) Articles(ctx context.Context, locale, status string) ([]kefu.Article, error) {
	rows, err := q.query(ctx, `SELECT `+articleColumns+` FROM kb_articles
		WHERE (? = '' OR locale = ?) AND (? = '' OR status = ?) ORDER BY category, title, id`, locale, locale, status, status)
	if err != nil {
		return nil, err
	}
	return scanArticles(rows)
}

// DeleteArticle removes an article and its revisions.
func (q *Queries) DeleteArticle(ctx context.Context, id string) error {
	res, err := q.exec(ctx, `DELETE FROM kb_articles WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return kefu.Errorf(kefu.ENOTFOUND, "Article not found.")
	}
	return nil
}

// ArticleRevisions lists an article's revisions, newest first.
func (q *Queries) ArticleRevisions(ctx context.Context, id string) ([]kefu.ArticleRevision, error) {
	rows, err := q.query(ctx, `SELECT article_id, revision, title, body, author_id, created_at FROM kb_article_revisions
		WHERE article_id = ? ORDER BY revision DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []kefu.ArticleRevision
	for rows.Next() {
		var r kefu.ArticleRevision
		var created int64
		if err := rows.Scan(&r.ArticleID, &r.Revision, &r.Title, &r.Body, &r.AuthorID, &created); err != nil {
			return nil, err
		}
		r.CreatedAt = fromMillis(created)
		out = append(out, r)
	}
	return out, rows.Err()
}

const faqColumns = `id, locale, category, intent, question, alternatives, answer, status, created_at, updated_at`

// SaveFAQ inserts or replaces a FAQ entry.
func (q *Queries) SaveFAQ(ctx context.Context, f kefu.FAQ) error {
	alts, _ := json.Marshal(nonNilSlice(f.Alternatives))
	_, err := q.exec(ctx, `INSERT INTO kb_faqs (`+faqColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET locale = excluded.locale, category = excluded.category, intent = excluded.intent,
			question = excluded.question, alternatives = excluded.alternatives, answer = excluded.answer,
			status = excluded.status, updated_at = excluded.updated_at`,
		f.ID, f.Locale, f.Category, f.Intent, f.Question, string(alts), f.Answer, f.Status, millis(f.CreatedAt), millis(f.UpdatedAt))
	return err
}

// FAQ returns one entry, or ENOTFOUND.
func (q *Queries) FAQ(ctx context.Context, id string) (kefu.FAQ, error) {
	list, err := q.faqs(ctx, `WHERE id = ?`, id)
	if err != nil {
		return kefu.FAQ{}, err
	} else if len(list) == 0 {
		return kefu.FAQ{}, kefu.Errorf(kefu.ENOTFOUND, "FAQ entry not found.")
	}
	return list[0], nil
}

// FAQs lists entries, of one locale and status when given.
func (q *Queries) FAQs(ctx context.Context, locale, status string) ([]kefu.FAQ, error) {
	return q.faqs(ctx, `WHERE (? = '' OR locale = ?) AND (? = '' OR status = ?) ORDER BY category, question, id`,
		locale, locale, status, status)
}

func (q *Queries) faqs(ctx context.Context, where string, args ...any) ([]kefu.FAQ, error) {
	rows, err := q.query(ctx, `SELECT `+faqColumns+` FROM kb_faqs `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []kefu.FAQ
	for rows.Next() {
		var f kefu.FAQ
		var alts string
		var created, updated int64
		if err := rows.Scan(&f.ID, &f.Locale, &f.Category, &f.Intent, &f.Question, &alts, &f.Answer, &f.Status, &created, &updated); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(alts), &f.Alternatives)
		if f.Alternatives == nil {
			f.Alternatives = []string{}
		}
		f.CreatedAt, f.UpdatedAt = fromMillis(created), fromMillis(updated)
		out = append(out, f)
	}
	return out, rows.Err()
}

// DeleteFAQ removes an entry.
func (q *Queries) DeleteFAQ(ctx context.Context, id string) error {
	res, err := q.exec(ctx, `DELETE FROM kb_faqs WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return kefu.Errorf(kefu.ENOTFOUND, "FAQ entry not found.")
	}
	return nil
}
