-- +goose Up
-- Each customer's iCIMS jobs as the job sync last read them, for the Jobs
-- page and the pickers of the rule form. A job gone from iCIMS keeps its
-- row, marked by removed_at and a reason, so rules naming it still read
-- as a job. assessment_types is a JSON array of {"id","value"} nodes.
CREATE TABLE job_listings (
    tenant_id        BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    job_id           TEXT NOT NULL,
    title            TEXT NOT NULL DEFAULT '',
    job_code         TEXT NOT NULL DEFAULT '',
    location         TEXT NOT NULL DEFAULT '',
    folder_id        TEXT NOT NULL DEFAULT '',
    folder_name      TEXT NOT NULL DEFAULT '',
    assessment_types TEXT NOT NULL DEFAULT '[]',
    synced_at        TIMESTAMPTZ NOT NULL,
    removed_at       TIMESTAMPTZ,
    removed_reason   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, job_id)
);

-- Where each tenant's job sync stands: the delta watermark, a run in
-- progress (to resume it), the last sweep of every open job, the outcome.
CREATE TABLE job_sync_state (
    tenant_id        BIGINT PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    since            TIMESTAMPTZ,
    run_started_at   TIMESTAMPTZ,
    last_sweep_at    TIMESTAMPTZ,
    sweep_requested  BOOLEAN NOT NULL DEFAULT FALSE,
    last_finished_at TIMESTAMPTZ,
    last_error       TEXT NOT NULL DEFAULT '',
    last_calls       BIGINT NOT NULL DEFAULT 0
);

-- +goose Down
DROP TABLE job_sync_state;
DROP TABLE job_listings;
