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
    -- The facts as numbers, so that a report over a million conversations is
    -- one scan in the database (store.SummarizeFacts). Durations that feed
    -- medians are in whole seconds; sums are in milliseconds.
    frt_owed          INTEGER NOT NULL DEFAULT 0,
    frt_s             BIGINT,
    frt_30s           INTEGER NOT NULL DEFAULT 0,
    frt_3m            INTEGER NOT NULL DEFAULT 0,
    handoff_s         BIGINT,
    reopen_owed       INTEGER NOT NULL DEFAULT 0,
    resolved          INTEGER NOT NULL DEFAULT 0,
    resolution_s      BIGINT,
    handle_ms         BIGINT NOT NULL DEFAULT 0,
    fcr               INTEGER,
    repeat_contact    INTEGER,
    transferred       INTEGER NOT NULL DEFAULT 0,
    escalated         INTEGER NOT NULL DEFAULT 0,
    sla_targets       INTEGER NOT NULL DEFAULT 0,
    sla_met           INTEGER NOT NULL DEFAULT 0,
    csat              INTEGER,
    nps               INTEGER,
    bot_started       INTEGER NOT NULL DEFAULT 0,
    bot_contained     INTEGER NOT NULL DEFAULT 0,
    turns             INTEGER NOT NULL DEFAULT 0,
    unanswered_turns  INTEGER NOT NULL DEFAULT 0,
    response_sum_ms   BIGINT NOT NULL DEFAULT 0,
    response_n        INTEGER NOT NULL DEFAULT 0,
    capped_sum_ms     BIGINT NOT NULL DEFAULT 0,
    capped_n          INTEGER NOT NULL DEFAULT 0,
    turns_30s         INTEGER NOT NULL DEFAULT 0,
    turns_3m          INTEGER NOT NULL DEFAULT 0,
    customer_messages INTEGER NOT NULL DEFAULT 0,
    covered_3m        INTEGER NOT NULL DEFAULT 0,
    source_updated_at BIGINT NOT NULL, -- the conversation's updated_at the facts were computed from; 0: stale
    computed_at       BIGINT NOT NULL
);
CREATE INDEX conversation_facts_created ON conversation_facts(created_at);
CREATE INDEX conversation_facts_contact ON conversation_facts(contact_id, created_at);
-- What changed since the last refresh is found by these, not by a scan.
CREATE INDEX conversations_updated ON conversations(updated_at);
CREATE INDEX conversation_facts_stale ON conversation_facts(source_updated_at) WHERE source_updated_at = 0;

-- +goose Down
DROP INDEX conversations_updated;
DROP TABLE conversation_facts;
