-- +goose Up
-- The bot: whether it still handles a conversation, and a record of each of
-- its turns (answered or handed off, why, and whether it helped) for reports
-- and for filling gaps in the knowledge base.
ALTER TABLE conversations ADD COLUMN bot INTEGER NOT NULL DEFAULT 0;

CREATE TABLE bot_turns (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    message_id      TEXT NOT NULL,
    reply_id        TEXT NOT NULL DEFAULT '',
    outcome         TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    question        TEXT NOT NULL,
    intent          TEXT NOT NULL DEFAULT '',
    angry           INTEGER NOT NULL DEFAULT 0,
    confidence      DOUBLE PRECISION NOT NULL DEFAULT 0,
    faq_id          TEXT NOT NULL DEFAULT '',
    helpful         INTEGER,
    created_at      BIGINT NOT NULL
);
CREATE INDEX bot_turns_conv ON bot_turns(conversation_id, created_at);
CREATE INDEX bot_turns_outcome ON bot_turns(outcome, created_at);

-- +goose Down
DROP TABLE bot_turns;
ALTER TABLE conversations DROP COLUMN bot;
