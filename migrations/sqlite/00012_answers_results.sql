-- +goose Up
-- A candidate's attempt at each instrument of a package: when its clock
-- started (time limits run from here) and when they last left it.
CREATE TABLE attempts (
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    invitation_id INTEGER NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    instrument_id TEXT NOT NULL,
    started_at    TIMESTAMP,
    finished_at   TIMESTAMP,
    PRIMARY KEY (invitation_id, instrument_id)
);

-- Every answer as the candidate gives it. Which columns are used depends on
-- the instrument's kind: value (Likert), most/least (forced choice), choice
-- (ability).
CREATE TABLE answers (
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    invitation_id INTEGER NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    instrument_id TEXT NOT NULL,
    item_id       TEXT NOT NULL,
    value         INTEGER NOT NULL DEFAULT 0,
    most          TEXT NOT NULL DEFAULT '',
    least         TEXT NOT NULL DEFAULT '',
    choice        TEXT NOT NULL DEFAULT '',
    elapsed_ms    INTEGER NOT NULL DEFAULT 0,
    answered_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (invitation_id, instrument_id, item_id)
);

-- One result per completed invitation: what goes to iCIMS and the report.
CREATE TABLE results (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    invitation_id INTEGER NOT NULL UNIQUE REFERENCES invitations (id) ON DELETE CASCADE,
    package_id    INTEGER NOT NULL,
    overall       REAL NOT NULL,
    verdict       TEXT NOT NULL,
    summary       TEXT NOT NULL,
    flags         TEXT NOT NULL DEFAULT '[]',
    started_at    TIMESTAMP,
    completed_at  TIMESTAMP NOT NULL,
    -- Set when the report link is withdrawn; checked on every view.
    revoked_at    TIMESTAMP
);

-- Each instrument's scored result (assessments.Result as JSON) and its
-- percentiles at completion. Norms read it by tenant and instrument.
CREATE TABLE result_instruments (
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    result_id     INTEGER NOT NULL REFERENCES results (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    instrument_id TEXT NOT NULL,
    result        TEXT NOT NULL,
    percentiles   TEXT NOT NULL DEFAULT '[]',
    completed_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (result_id, instrument_id)
);
CREATE INDEX result_instruments_norms ON result_instruments (tenant_id, instrument_id, completed_at);

-- +goose Down
DROP TABLE result_instruments;
DROP TABLE results;
DROP TABLE answers;
DROP TABLE attempts;
