-- +goose Up
-- Each tenant's run of failed writes to iCIMS, for the failing and
-- recovered e-mails to its admins (assessments.WriteHealthPolicy). Kept
-- here, and changed in the transaction that records each write and queues
-- any notice, so that a restart neither repeats a notice nor loses one.
CREATE TABLE writeback_health (
    tenant_id        BIGINT PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    failures         BIGINT NOT NULL DEFAULT 0,
    first_failure_at TIMESTAMPTZ,
    -- When the failing notice was queued; NULL while writes work.
    failing_at       TIMESTAMPTZ,
    updated_at       TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE writeback_health;
