-- +goose Up
-- Complaints: a conversation's complaint category and severity, and tasks
-- other departments (warehouse, logistics, finance, quality) owe on it.
ALTER TABLE conversations ADD COLUMN complaint_category TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN complaint_severity TEXT NOT NULL DEFAULT '';

CREATE TABLE tasks (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    department      TEXT NOT NULL,
    title           TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    owner_id        TEXT REFERENCES users(id),
    status          TEXT NOT NULL,
    due_at          BIGINT,
    created_by      TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    done_at         BIGINT
);
CREATE INDEX tasks_conversation ON tasks(conversation_id);
CREATE INDEX tasks_owner ON tasks(owner_id, status);

-- +goose Down
DROP TABLE tasks;
ALTER TABLE conversations DROP COLUMN complaint_severity;
ALTER TABLE conversations DROP COLUMN complaint_category;
