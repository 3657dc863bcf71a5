-- +goose Up
-- Returns, exchanges, refund-only and repair requests, with their timeline.
-- next_due is the earliest open deadline, so lists sort by what is due first.
CREATE TABLE returns (
    id              TEXT PRIMARY KEY,
    order_id        TEXT NOT NULL REFERENCES orders(id),
    contact_id      TEXT,
    conversation_id TEXT,
    kind            TEXT NOT NULL,
    reason          TEXT NOT NULL,
    state           TEXT NOT NULL,
    carrier         TEXT NOT NULL DEFAULT '',
    next_due        BIGINT,
    data            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX returns_due ON returns(next_due);
CREATE INDEX returns_order ON returns(order_id);
CREATE INDEX returns_contact ON returns(contact_id);

CREATE TABLE return_events (
    id         TEXT PRIMARY KEY,
    return_id  TEXT NOT NULL REFERENCES returns(id),
    type       TEXT NOT NULL, -- a state change (data: from, to, action) or a deadline moment
    actor_type TEXT NOT NULL,
    actor_id   TEXT NOT NULL DEFAULT '',
    actor_name TEXT NOT NULL DEFAULT '',
    data       TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL
);
CREATE INDEX return_events_return ON return_events(return_id, created_at);

-- +goose Down
DROP TABLE return_events;
DROP TABLE returns;
