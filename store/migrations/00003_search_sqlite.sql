-- +goose Up
-- Full-text search over messages.search with FTS5, kept in step by triggers.
-- The text is already split into CJK bigrams and words, so the plain
-- unicode61 tokenizer only has to split on spaces.
CREATE VIRTUAL TABLE messages_fts USING fts5(search, content='messages', content_rowid='rowid', tokenize='unicode61');

-- +goose StatementBegin
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, search) VALUES (new.rowid, new.search);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, search) VALUES ('delete', old.rowid, old.search);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER messages_fts_update AFTER UPDATE OF search ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, search) VALUES ('delete', old.rowid, old.search);
    INSERT INTO messages_fts(rowid, search) VALUES (new.rowid, new.search);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER messages_fts_update;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_insert;
DROP TABLE messages_fts;
