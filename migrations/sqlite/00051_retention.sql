-- +goose Up
-- Each tenant's retention period in days; a tenant without a row keeps
-- candidate data for the default (assessments.DefaultRetentionDays).
CREATE TABLE retention_policies (
    tenant_id  INTEGER PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    days       INTEGER NOT NULL CHECK (days BETWEEN 7 AND 3650),
    -- The admin who set it; no foreign key, so removing an admin keeps it.
    updated_by INTEGER,
    updated_at TIMESTAMP NOT NULL
);

-- When retention last looked at each tenant and the cutoff it used, so the
-- settings page can say the policy is being applied even when nothing was
-- old enough to delete.
CREATE TABLE retention_runs (
    tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    ran_at    TIMESTAMP NOT NULL,
    cutoff    TIMESTAMP NOT NULL
);

-- Each run that removed something: when, the cutoff, and how many of each
-- kind of record (a JSON object of counts, read and written whole).
CREATE TABLE retention_purges (
    id        INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    at        TIMESTAMP NOT NULL,
    cutoff    TIMESTAMP NOT NULL,
    days      INTEGER NOT NULL,
    counts    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX retention_purges_tenant ON retention_purges (tenant_id, id);

-- When retention removed a row's personal data. The row itself stays, with
-- its status and dates, so counts survive.
ALTER TABLE invitations ADD COLUMN purged_at TIMESTAMP;
ALTER TABLE deliveries ADD COLUMN purged_at TIMESTAMP;

-- Retention finds what is past the cutoff and not purged yet without
-- reading again everything it purged before.
CREATE INDEX invitations_unpurged ON invitations (tenant_id, updated_at) WHERE purged_at IS NULL;
CREATE INDEX deliveries_unpurged ON deliveries (tenant_id, created_at) WHERE purged_at IS NULL;

-- +goose Down
DROP INDEX deliveries_unpurged;
DROP INDEX invitations_unpurged;
ALTER TABLE deliveries DROP COLUMN purged_at;
ALTER TABLE invitations DROP COLUMN purged_at;
DROP TABLE retention_purges;
DROP TABLE retention_runs;
DROP TABLE retention_policies;
