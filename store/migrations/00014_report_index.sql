-- +goose Up
-- Reports keep the facts' numbers in memory (package reports) and read
-- what changed since their last look by computed_at. The complaint category
-- travels with the facts so that the dashboards need not scan conversations.
ALTER TABLE conversation_facts ADD COLUMN complaint_category TEXT NOT NULL DEFAULT '';
CREATE INDEX conversation_facts_computed ON conversation_facts(computed_at);
-- Recompute every conversation's facts, to fill the category in.
UPDATE conversation_facts SET source_updated_at = 0;

-- +goose Down
DROP INDEX conversation_facts_computed;
ALTER TABLE conversation_facts DROP COLUMN complaint_category;
