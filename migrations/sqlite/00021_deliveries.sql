-- +goose Up
-- One row per inbound event from iCIMS and (later) per outbound call to
-- it: what the logs page lists. Inbound rows are written in the same
-- transaction as the job that processes them, before iCIMS gets its answer.
CREATE TABLE deliveries (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- Random; names the delivery in recruiter confirm links.
    public_id     TEXT NOT NULL UNIQUE,
    direction     TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    -- The event type for inbound rows, the call for outbound ones.
    kind          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('received', 'processed', 'ignored', 'duplicate', 'failed')),
    workflow_id   TEXT NOT NULL DEFAULT '',
    person_id     TEXT NOT NULL DEFAULT '',
    job_id        TEXT NOT NULL DEFAULT '',
    -- No foreign keys: a delivery stays in the logs after retention has
    -- removed the invitation or an admin the rule.
    invitation_id INTEGER,
    rule_id       INTEGER,
    http_status   INTEGER NOT NULL DEFAULT 0,
    icims_code    INTEGER,
    message       TEXT NOT NULL DEFAULT '',
    attempts      INTEGER NOT NULL DEFAULT 0,
    latency_ms    INTEGER NOT NULL DEFAULT 0,
    -- SHA-256 of the inflated body: an exact redelivery within 24 hours is
    -- answered as the first one was. Cleared when the window has passed.
    dedupe_key    TEXT,
    redelivery_of INTEGER,
    -- The event as the domain reads it (assessments.InboundEvent).
    payload       TEXT NOT NULL DEFAULT '{}',
    -- The Location of a 303 answer, sealed: it may hold a candidate token.
    location_sealed TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX deliveries_dedupe ON deliveries (tenant_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
-- The logs page: newest first per tenant, and its filters.
CREATE INDEX deliveries_tenant_newest ON deliveries (tenant_id, id DESC);
CREATE INDEX deliveries_tenant_kind ON deliveries (tenant_id, direction, kind, id DESC);
CREATE INDEX deliveries_tenant_status ON deliveries (tenant_id, status, id DESC);
CREATE INDEX deliveries_tenant_workflow ON deliveries (tenant_id, workflow_id, id DESC);

-- Each HTTP exchange of a delivery: for an inbound event, the request as
-- received (secrets removed) and our answer; for an outbound call, each try.
CREATE TABLE delivery_attempts (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    delivery_id      INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    attempt          INTEGER NOT NULL,
    method           TEXT NOT NULL DEFAULT '',
    url              TEXT NOT NULL DEFAULT '',
    request_headers  TEXT NOT NULL DEFAULT '{}',
    request_body     TEXT NOT NULL DEFAULT '',
    response_status  INTEGER NOT NULL DEFAULT 0,
    response_body    TEXT NOT NULL DEFAULT '',
    error            TEXT NOT NULL DEFAULT '',
    latency_ms       INTEGER NOT NULL DEFAULT 0,
    created_at       TIMESTAMP NOT NULL
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, attempt);

-- Which rule and delivery made each invitation: follow-up actions and the
-- logs page start from here.
CREATE TABLE routed_invitations (
    invitation_id INTEGER PRIMARY KEY REFERENCES invitations (id) ON DELETE CASCADE,
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    rule_id       INTEGER NOT NULL DEFAULT 0,
    delivery_id   INTEGER,
    -- Set on the second package a follow-up action sent.
    follow_up_of  INTEGER
);

-- Job data read from iCIMS, cached per job so that each job costs one call
-- per TTL however many candidates move.
CREATE TABLE icims_job_cache (
    tenant_id  INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    job_id     TEXT NOT NULL,
    data       TEXT NOT NULL,
    fetched_at TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, job_id)
);

-- +goose Down
DROP TABLE icims_job_cache;
DROP TABLE routed_invitations;
DROP TABLE delivery_attempts;
DROP TABLE deliveries;
