-- +goose Up
-- Full-text search over messages.search: the text is already split into CJK
-- bigrams and words, so the 'simple' configuration indexes it as it is.
CREATE INDEX messages_search ON messages USING GIN (to_tsvector('simple', search));

-- +goose Down
DROP INDEX messages_search;
