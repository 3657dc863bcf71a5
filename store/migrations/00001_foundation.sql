-- +goose Up
-- Portable SQL: it runs unchanged on SQLite and PostgreSQL. Times are Unix
-- milliseconds (BIGINT); flags are INTEGER 0/1; binary data is BYTEA, which
-- SQLite stores as a blob.

CREATE TABLE roles (
    name        TEXT PRIMARY KEY,
    description TEXT NOT NULL DEFAULT '',
    permissions TEXT NOT NULL,
    builtin     INTEGER NOT NULL DEFAULT 0,
    require_2fa INTEGER NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL REFERENCES roles(name),
    password_hash  TEXT NOT NULL,
    disabled       INTEGER NOT NULL DEFAULT 0,
    totp_secret    TEXT NOT NULL DEFAULT '',
    totp_enabled   INTEGER NOT NULL DEFAULT 0,
    totp_last_step BIGINT NOT NULL DEFAULT 0,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   BIGINT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    last_login_at  BIGINT
);

CREATE TABLE recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash   BYTEA NOT NULL UNIQUE,
    csrf_token   TEXT NOT NULL,
    ip           TEXT NOT NULL,
    user_agent   TEXT NOT NULL,
    device_id    TEXT NOT NULL,
    anomaly      TEXT NOT NULL DEFAULT '',
    must_enroll  INTEGER NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    revoked_at   BIGINT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    token_hash   BYTEA NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Devices and networks a user has signed in from, to spot unusual logins.
-- value_hash is a SHA-256 of the device id or the IP prefix.
CREATE TABLE login_places (
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    value_hash TEXT NOT NULL,
    first_seen BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind, value_hash)
);

CREATE TABLE notices (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    data       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at    BIGINT
);
CREATE INDEX notices_user ON notices(user_id, created_at);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Teams group agents (售前 pre-sale, 售后 after-sale, 投诉 complaints …);
-- routing builds on them.
CREATE TABLE teams (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);

CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
);

-- Data keys, wrapped with the master key. Exactly one active data key.
CREATE TABLE vault_keys (
    id         INTEGER PRIMARY KEY,
    purpose    TEXT NOT NULL,
    wrapped    BYTEA NOT NULL,
    active     INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

-- Contacts: every PII column is vault ciphertext (_enc); _bidx columns hold
-- HMAC blind indexes for exact lookup. key_id is the data key of the row's
-- ciphertexts, so rotation finds the rows still on an old key.
CREATE TABLE contacts (
    id           TEXT PRIMARY KEY,
    name_enc     BYTEA,
    name_bidx    BYTEA,
    phone_enc    BYTEA,
    phone_bidx   BYTEA,
    email_enc    BYTEA,
    email_bidx   BYTEA,
    address_enc  BYTEA,
    wechat_enc   BYTEA,
    wechat_bidx  BYTEA,
    shop_user_id TEXT NOT NULL DEFAULT '',
    attributes   TEXT NOT NULL DEFAULT '{}',
    tags         TEXT NOT NULL DEFAULT '[]',
    key_id       INTEGER NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX contacts_name ON contacts(name_bidx);
CREATE INDEX contacts_phone ON contacts(phone_bidx);
CREATE INDEX contacts_email ON contacts(email_bidx);
CREATE INDEX contacts_wechat ON contacts(wechat_bidx);
CREATE INDEX contacts_shop_user ON contacts(shop_user_id);
CREATE INDEX contacts_key ON contacts(key_id);

-- The audit log is append-only and hash-chained. audit_head holds the last
-- sequence number and hash; updating it first serialises writers on both
-- databases. anchor_* record where the chain starts after retention pruning.
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    at          BIGINT NOT NULL,
    actor_id    TEXT NOT NULL,
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    ip          TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_at ON audit_log(at);
CREATE INDEX audit_actor ON audit_log(actor_id, action, at);
CREATE INDEX audit_target ON audit_log(target_type, target_id);

CREATE TABLE audit_head (
    id          INTEGER PRIMARY KEY,
    seq         BIGINT NOT NULL,
    hash        TEXT NOT NULL,
    anchor_seq  BIGINT NOT NULL,
    anchor_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash, anchor_seq, anchor_hash) VALUES (1, 0, '', 0, '');

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE contacts;
DROP TABLE vault_keys;
DROP TABLE settings;
DROP TABLE team_members;
DROP TABLE teams;
DROP TABLE notices;
DROP TABLE login_places;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE recovery_codes;
DROP TABLE users;
DROP TABLE roles;
