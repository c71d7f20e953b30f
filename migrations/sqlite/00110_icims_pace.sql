-- +goose Up
-- Each tenant's iCIMS pacer (icims.Pacer): the customer's limit is one for
-- every instance of the service, so its pace, its daily count and any hold
-- after a 429 are kept here rather than in each process. Written with a
-- version check (optimistic): an instance that lost a race reads again.
CREATE TABLE icims_pace (
    tenant_id       INTEGER PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    version         INTEGER NOT NULL,
    per_minute      REAL NOT NULL,
    pace            REAL NOT NULL,
    daily_quota     INTEGER NOT NULL,
    -- The next free call slot (GCRA's theoretical arrival time).
    next_at         TIMESTAMP,
    held_until      TIMESTAMP,
    last_cut_at     TIMESTAMP,
    quiet_from      TIMESTAMP,
    last_limited_at TIMESTAMP,
    -- The UTC day used_today counts.
    day             TIMESTAMP,
    used_today      INTEGER NOT NULL
);

-- +goose Down
DROP TABLE icims_pace;
