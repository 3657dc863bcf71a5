-- +goose Up
-- The knowledge base: help-centre articles with their revisions, and FAQ
-- entries the bot answers from.

CREATE TABLE kb_articles (
    id         TEXT PRIMARY KEY,
    locale     TEXT NOT NULL,
    slug       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    category   TEXT NOT NULL DEFAULT '',
    intent     TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    author_id  TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (locale, slug)
);

CREATE TABLE kb_article_revisions (
    article_id TEXT NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    revision   INTEGER NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    author_id  TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (article_id, revision)
);

CREATE TABLE kb_faqs (
    id           TEXT PRIMARY KEY,
    locale       TEXT NOT NULL,
    category     TEXT NOT NULL DEFAULT '',
    intent       TEXT NOT NULL DEFAULT '',
    question     TEXT NOT NULL,
    alternatives TEXT NOT NULL DEFAULT '[]',
    answer       TEXT NOT NULL,
    status       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX kb_faqs_locale ON kb_faqs(locale, status);

-- +goose Down
DROP TABLE kb_faqs;
DROP TABLE kb_article_revisions;
DROP TABLE kb_articles;
