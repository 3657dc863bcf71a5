-- +goose Up
-- Each conversation's KPI facts (package kpi), recomputed when the
-- conversation changes; reports aggregate these instead of re-reading
-- timelines. The filter columns are copied out of the JSON.
CREATE TABLE conversation_facts (
    conversation_id   TEXT PRIMARY KEY REFERENCES conversations(id),
    contact_id        TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    channel           TEXT NOT NULL,
    team_id           TEXT NOT NULL DEFAULT '',
    assignee_id       TEXT NOT NULL DEFAULT '',
    intent            TEXT NOT NULL DEFAULT '',
    contact_tier      TEXT NOT NULL DEFAULT '',
    data              TEXT NOT NULL,
    source_updated_at BIGINT NOT NULL, -- the conversation's updated_at the facts were computed from; 0: stale
    computed_at       BIGINT NOT NULL
);
CREATE INDEX conversation_facts_created ON conversation_facts(created_at);
CREATE INDEX conversation_facts_contact ON conversation_facts(contact_id, created_at);

-- +goose Down
DROP TABLE conversation_facts;
