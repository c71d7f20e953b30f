-- +goose Up
-- What iCIMS has been told about each invitation: one ordered stream of
-- writes per invitation (the assessment results row, then the scorecard
-- fields, then a custom-workflow move). Every transition bumps version in
-- its own transaction; the write-back job writes the invitation's current
-- state and records what it wrote, so retries and reorderings converge and a
-- stale job writes nothing.
CREATE TABLE writebacks (
    invitation_id    BIGINT PRIMARY KEY REFERENCES invitations (id) ON DELETE CASCADE,
    tenant_id        BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    version          BIGINT NOT NULL DEFAULT 0,
    -- The row's URL from iCIMS's 201 Location; iCIMS offers no other way
    -- to address it.
    location         TEXT NOT NULL DEFAULT '',
    -- The invitation status the row shows: '' (no row yet), sent,
    -- in_progress, completed, expired, cancelled or failed.
    written          TEXT NOT NULL DEFAULT '',
    written_at       TIMESTAMPTZ,
    scorecard        TEXT NOT NULL DEFAULT '' CHECK (scorecard IN ('', 'done', 'failed')),
    -- A custom-workflow follow-up: move the application to this status.
    move_to          TEXT NOT NULL DEFAULT '',
    move_rule_id     BIGINT,
    move             TEXT NOT NULL DEFAULT '' CHECK (move IN ('', 'done', 'failed')),
    -- The River job that owns the stream while it has work; NULL when
    -- none does, so the next transition queues one.
    job_id           BIGINT,
    state            TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'done', 'retrying', 'waiting', 'failed', 'dead')),
    -- The step in flight or in trouble, its delivery for the logs page,
    -- and what it was writing (step_key), so retries add attempts to the
    -- same delivery.
    step             TEXT NOT NULL DEFAULT '',
    step_key         TEXT NOT NULL DEFAULT '',
    step_delivery_id BIGINT,
    problem          TEXT NOT NULL DEFAULT '',
    fix              TEXT NOT NULL DEFAULT '',
    http_status      BIGINT NOT NULL DEFAULT 0,
    icims_code       BIGINT,
    attempts         BIGINT NOT NULL DEFAULT 0,
    failing_since    TIMESTAMPTZ,
    next_attempt_at  TIMESTAMPTZ,
    dead_at          TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
-- The admin's "Write-back problems" list and the wake-up after a
-- re-authorization.
CREATE INDEX writebacks_tenant_state ON writebacks (tenant_id, state, updated_at DESC);

-- Per-tenant write-back settings; a tenant without a row has the defaults.
CREATE TABLE writeback_settings (
    tenant_id   BIGINT PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    -- Whether In-Progress is written when a candidate starts (default on).
    in_progress BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE writeback_settings;
DROP TABLE writebacks;
