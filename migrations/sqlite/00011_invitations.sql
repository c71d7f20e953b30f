-- +goose Up
-- One candidate's invitation to one package for one iCIMS application. The
-- candidate token and the report id are the only ways in from outside: the
-- token is kept as its SHA-256, the report id is random and only ever shown
-- signed.
CREATE TABLE invitations (
    id                   INTEGER PRIMARY KEY,
    tenant_id            INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    package_id           INTEGER NOT NULL,
    workflow_id          TEXT NOT NULL,
    person_id            TEXT NOT NULL DEFAULT '',
    job_id               TEXT NOT NULL DEFAULT '',
    candidate_first_name TEXT NOT NULL DEFAULT '',
    candidate_last_name  TEXT NOT NULL DEFAULT '',
    candidate_email      TEXT NOT NULL DEFAULT '',
    job_title            TEXT NOT NULL DEFAULT '',
    company_name         TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL CHECK (status IN
        ('created', 'sent', 'opened', 'in_progress', 'completed', 'expired', 'cancelled', 'failed')),
    token_hash           TEXT NOT NULL UNIQUE,
    report_id            TEXT NOT NULL UNIQUE,
    return_url           TEXT NOT NULL DEFAULT '',
    expires_at           TIMESTAMP NOT NULL,
    sent_count           INTEGER NOT NULL DEFAULT 0,
    extra_time_minutes   INTEGER NOT NULL DEFAULT 0,
    -- The furthest step of the candidate flow reached, to resume there.
    resume_step          INTEGER NOT NULL DEFAULT 0,
    created_at           TIMESTAMP NOT NULL,
    sent_at              TIMESTAMP,
    opened_at            TIMESTAMP,
    started_at           TIMESTAMP,
    completed_at         TIMESTAMP,
    ended_at             TIMESTAMP,
    updated_at           TIMESTAMP NOT NULL,
    FOREIGN KEY (tenant_id, package_id) REFERENCES packages (tenant_id, id) ON DELETE CASCADE
);

-- At most one live invitation per tenant, applicant workflow and package.
CREATE UNIQUE INDEX invitations_one_live ON invitations (tenant_id, workflow_id, package_id)
    WHERE status NOT IN ('completed', 'expired', 'cancelled');
-- Reminder and expiry jobs look for live invitations by deadline.
CREATE INDEX invitations_tenant_status ON invitations (tenant_id, status, expires_at);

-- Every step of an invitation's life, with its time. from_status equal to
-- status records activity without a change (answers saved, a resend).
CREATE TABLE invitation_events (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    invitation_id INTEGER NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    from_status   TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    at            TIMESTAMP NOT NULL,
    detail        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX invitation_events_invitation ON invitation_events (invitation_id, id);

-- Candidates' requests for an adjustment, for the tenant's admins.
CREATE TABLE accommodation_requests (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    invitation_id INTEGER NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    message       TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    resolved_at   TIMESTAMP,
    extra_minutes INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX accommodation_requests_tenant ON accommodation_requests (tenant_id, resolved_at, id);

-- +goose Down
DROP TABLE accommodation_requests;
DROP TABLE invitation_events;
DROP TABLE invitations;
