-- +goose Up
-- Conversations, messages and their timeline; the web chat channel; canned
-- replies; uploads; outgoing webhooks with their delivery log (the outbox).

CREATE TABLE inboxes (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    channel         TEXT NOT NULL,
    website_token   TEXT NOT NULL UNIQUE,
    identity_secret BYTEA NOT NULL,
    team_id         TEXT REFERENCES teams(id),
    settings        TEXT NOT NULL DEFAULT '{}',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

-- A browser that talks to a web chat inbox; its token lives in a cookie on
-- the shop's site. Its contact is made when it first says something, so that
-- shop pages merely opened make no contacts.
CREATE TABLE visitors (
    id           TEXT PRIMARY KEY,
    inbox_id     TEXT NOT NULL REFERENCES inboxes(id),
    token_hash   BYTEA NOT NULL UNIQUE,
    contact_id   TEXT REFERENCES contacts(id),
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);

CREATE TABLE conversations (
    id                TEXT PRIMARY KEY,
    inbox_id          TEXT NOT NULL REFERENCES inboxes(id),
    contact_id        TEXT NOT NULL REFERENCES contacts(id),
    channel           TEXT NOT NULL,
    status            TEXT NOT NULL,
    priority          TEXT NOT NULL DEFAULT 'normal',
    assignee_id       TEXT REFERENCES users(id),
    team_id           TEXT REFERENCES teams(id),
    subject           TEXT NOT NULL DEFAULT '',
    labels            TEXT NOT NULL DEFAULT '[]',
    snoozed_until     BIGINT,
    created_at        BIGINT NOT NULL,
    first_reply_at    BIGINT,
    resolved_at       BIGINT,
    last_message_at   BIGINT NOT NULL,
    waiting_since     BIGINT,
    last_seq          BIGINT NOT NULL DEFAULT 0,
    customer_read_seq BIGINT NOT NULL DEFAULT 0,
    agent_read_seq    BIGINT NOT NULL DEFAULT 0,
    previous_id       TEXT,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX conversations_status ON conversations(status, waiting_since);
CREATE INDEX conversations_assignee ON conversations(assignee_id, status);
CREATE INDEX conversations_team ON conversations(team_id, status);
CREATE INDEX conversations_contact ON conversations(contact_id, created_at);

-- search holds the message text as CJK bigrams and lower-case words, indexed
-- by the dialect's full-text engine (see the sqlite/ and postgres/ migrations).
CREATE TABLE messages (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    seq             BIGINT NOT NULL,
    sender_type     TEXT NOT NULL,
    sender_id       TEXT NOT NULL DEFAULT '',
    sender_name     TEXT NOT NULL DEFAULT '',
    private         INTEGER NOT NULL DEFAULT 0,
    client_id       TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL,
    attachments     TEXT NOT NULL DEFAULT '[]',
    status          TEXT NOT NULL DEFAULT 'sent',
    search          TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    UNIQUE (conversation_id, seq)
);
-- A retried message (same client id) is stored once.
CREATE UNIQUE INDEX messages_client ON messages(conversation_id, sender_type, client_id) WHERE client_id <> '';

CREATE TABLE conversation_events (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    type            TEXT NOT NULL,
    actor_type      TEXT NOT NULL,
    actor_id        TEXT NOT NULL,
    actor_name      TEXT NOT NULL,
    data            TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX conversation_events_conv ON conversation_events(conversation_id, created_at);
CREATE INDEX conversation_events_type ON conversation_events(type, created_at);

-- How far each agent has read each conversation, for unread counts.
CREATE TABLE conversation_reads (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    user_id         TEXT NOT NULL REFERENCES users(id),
    seq             BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);

CREATE TABLE canned_replies (
    id         TEXT PRIMARY KEY,
    shortcut   TEXT NOT NULL,
    title      TEXT NOT NULL,
    content    TEXT NOT NULL,
    scope      TEXT NOT NULL,
    team_id    TEXT REFERENCES teams(id),
    owner_id   TEXT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE uploads (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    path          TEXT NOT NULL,
    uploader_type TEXT NOT NULL,
    uploader_id   TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE TABLE webhooks (
    id         TEXT PRIMARY KEY,
    url        TEXT NOT NULL,
    events     TEXT NOT NULL,
    secret     BYTEA NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The delivery log doubles as the outbox: rows are written in the same
-- transaction as the change they report, and a worker sends them.
CREATE TABLE webhook_deliveries (
    id               TEXT PRIMARY KEY,
    webhook_id       TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event            TEXT NOT NULL,
    payload          TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    locked_until     BIGINT NOT NULL DEFAULT 0,
    last_status_code INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    delivered_at     BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(webhook_id, created_at);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP TABLE uploads;
DROP TABLE canned_replies;
DROP TABLE conversation_reads;
DROP TABLE conversation_events;
DROP TABLE messages;
DROP TABLE conversations;
DROP TABLE visitors;
DROP TABLE inboxes;
