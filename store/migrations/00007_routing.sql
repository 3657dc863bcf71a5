-- +goose Up
-- Routing, queues and SLA: agents' presence, capacity and skills; teams'
-- assignment settings; business-hours calendars; SLA policies and each
-- conversation's SLA clock.

ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'offline'; -- online, busy, away, offline
ALTER TABLE users ADD COLUMN status_at BIGINT;
ALTER TABLE users ADD COLUMN capacity TEXT NOT NULL DEFAULT '{"chat":5,"email":20}'; -- open conversations per channel kind
ALTER TABLE users ADD COLUMN skills TEXT NOT NULL DEFAULT '[]';
ALTER TABLE users ADD COLUMN last_assigned_at BIGINT; -- least-loaded gives ties to who waited longest

CREATE TABLE calendars (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    definition TEXT NOT NULL, -- calendar.Calendar as JSON
    is_default INTEGER NOT NULL DEFAULT 0, -- the workspace's hours, for teams without their own
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

ALTER TABLE teams ADD COLUMN strategy TEXT NOT NULL DEFAULT 'least_loaded'; -- or round_robin
ALTER TABLE teams ADD COLUMN auto_assign INTEGER NOT NULL DEFAULT 1;        -- 0: paused by a supervisor
ALTER TABLE teams ADD COLUMN overflow_team_id TEXT REFERENCES teams(id) ON DELETE SET NULL;
ALTER TABLE teams ADD COLUMN overflow_minutes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE teams ADD COLUMN calendar_id TEXT REFERENCES calendars(id) ON DELETE SET NULL;
ALTER TABLE teams ADD COLUMN last_assigned_user TEXT NOT NULL DEFAULT ''; -- round robin's place, shared by all nodes

CREATE TABLE sla_policies (
    id                     TEXT PRIMARY KEY,
    name                   TEXT NOT NULL UNIQUE,
    priority               TEXT NOT NULL DEFAULT '', -- '' matches any
    team_id                TEXT NOT NULL DEFAULT '',
    channel                TEXT NOT NULL DEFAULT '',
    first_response_minutes INTEGER NOT NULL DEFAULT 0, -- 0: no target
    next_response_minutes  INTEGER NOT NULL DEFAULT 0,
    resolution_minutes     INTEGER NOT NULL DEFAULT 0,
    warn_percent           INTEGER NOT NULL DEFAULT 80,
    position               INTEGER NOT NULL DEFAULT 0,
    created_at             BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL
);

-- The SLA clock of a conversation. Due times are absolute; the business
-- time already used is kept so that a pause (pending) resumes where it was.
ALTER TABLE conversations ADD COLUMN sla_policy_id TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN sla_policy_pinned INTEGER NOT NULL DEFAULT 0; -- set by a rule: not re-chosen on changes
ALTER TABLE conversations ADD COLUMN first_response_due BIGINT;
ALTER TABLE conversations ADD COLUMN next_response_due BIGINT;
ALTER TABLE conversations ADD COLUMN resolution_due BIGINT;
ALTER TABLE conversations ADD COLUMN sla_used_ms BIGINT NOT NULL DEFAULT 0;    -- business time used before the running stretch
ALTER TABLE conversations ADD COLUMN sla_running_since BIGINT;                 -- null while paused or stopped
ALTER TABLE conversations ADD COLUMN sla_fired TEXT NOT NULL DEFAULT '';       -- warnings and breaches recorded, e.g. first_response.warning,first_response.breach
ALTER TABLE conversations ADD COLUMN queued_at BIGINT;                         -- waiting for auto-assignment since
ALTER TABLE conversations ADD COLUMN language TEXT NOT NULL DEFAULT '';        -- the customer's, for skill matching

-- Automation rules (rules.Rule as JSON), evaluated in position order.
CREATE TABLE rules (
    id         TEXT PRIMARY KEY,
    definition TEXT NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The queue in its order (store.Queue): SLA due first, then priority, then
-- the longest wait; the head of a team's queue is one index step away.
CREATE INDEX conversations_queue ON conversations(team_id, (CASE WHEN first_response_due IS NULL THEN 1 ELSE 0 END),
    first_response_due, (CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END), queued_at, id)
    WHERE queued_at IS NOT NULL;

-- +goose Down
DROP TABLE rules;
DROP INDEX conversations_queue;
ALTER TABLE conversations DROP COLUMN language;
ALTER TABLE conversations DROP COLUMN queued_at;
ALTER TABLE conversations DROP COLUMN sla_fired;
ALTER TABLE conversations DROP COLUMN sla_running_since;
ALTER TABLE conversations DROP COLUMN sla_used_ms;
ALTER TABLE conversations DROP COLUMN resolution_due;
ALTER TABLE conversations DROP COLUMN next_response_due;
ALTER TABLE conversations DROP COLUMN first_response_due;
ALTER TABLE conversations DROP COLUMN sla_policy_pinned;
ALTER TABLE conversations DROP COLUMN sla_policy_id;
DROP TABLE sla_policies;
ALTER TABLE teams DROP COLUMN last_assigned_user;
ALTER TABLE teams DROP COLUMN calendar_id;
ALTER TABLE teams DROP COLUMN overflow_minutes;
ALTER TABLE teams DROP COLUMN overflow_team_id;
ALTER TABLE teams DROP COLUMN auto_assign;
ALTER TABLE teams DROP COLUMN strategy;
DROP TABLE calendars;
ALTER TABLE users DROP COLUMN last_assigned_at;
ALTER TABLE users DROP COLUMN skills;
ALTER TABLE users DROP COLUMN capacity;
ALTER TABLE users DROP COLUMN status_at;
ALTER TABLE users DROP COLUMN status;
