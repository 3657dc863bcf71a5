-- +goose Up
-- Satisfaction surveys: one per conversation, asked on resolve, answered
-- once through the widget or a link. Teams and agents are copied from the
-- conversation at the time, so reports credit who served the customer.
CREATE TABLE surveys (
    id                TEXT PRIMARY KEY,
    conversation_id   TEXT NOT NULL UNIQUE REFERENCES conversations(id),
    inbox_id          TEXT NOT NULL,
    contact_id        TEXT NOT NULL,
    team_id           TEXT NOT NULL DEFAULT '',
    assignee_id       TEXT NOT NULL DEFAULT '',
    kind              TEXT NOT NULL, -- csat, nps or both
    token_hash        BYTEA NOT NULL UNIQUE,
    sent_at           BIGINT NOT NULL,
    expires_at        BIGINT NOT NULL,
    answered_at       BIGINT,
    csat              INTEGER,
    nps               INTEGER,
    comment           TEXT NOT NULL DEFAULT '',
    follow_up_task_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX surveys_answered ON surveys(answered_at);

-- +goose Down
DROP TABLE surveys;
