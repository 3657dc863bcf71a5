-- +goose Up
-- Conversations imported from history (kefu import): the source's id of
-- each, so that importing a file again adds nothing twice.
CREATE TABLE imports (
    source          TEXT NOT NULL, -- jddc, kefu, zendesk, chatwoot
    external_id     TEXT NOT NULL,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    imported_at     BIGINT NOT NULL,
    PRIMARY KEY (source, external_id)
);

-- +goose Down
DROP TABLE imports;
