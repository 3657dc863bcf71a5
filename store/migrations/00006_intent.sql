-- +goose Up
-- A conversation's request type: set by the bot's classifier, corrected by
-- agents. Corrections are training data: kefu train (and the nightly job)
-- learns the shop's own wording from them.
ALTER TABLE conversations ADD COLUMN intent TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN intent_source TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN intent_corrected_at BIGINT;
CREATE INDEX conversations_intent_corrected ON conversations(intent_corrected_at) WHERE intent_source = 'agent';

-- +goose Down
DROP INDEX conversations_intent_corrected;
ALTER TABLE conversations DROP COLUMN intent_corrected_at;
ALTER TABLE conversations DROP COLUMN intent_source;
ALTER TABLE conversations DROP COLUMN intent;
