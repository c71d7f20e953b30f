-- +goose Up
-- Each tenant's assessment packages. Lists and nested settings are JSON
-- documents: they are read and written whole, never queried inside.
CREATE TABLE packages (
    id                   INTEGER PRIMARY KEY,
    tenant_id            INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name                 TEXT NOT NULL,
    instrument_ids       TEXT NOT NULL DEFAULT '[]',
    -- The iCIMS Assessment Type list node the package answers to.
    assessment_type_id   TEXT NOT NULL,
    assessment_type_name TEXT NOT NULL DEFAULT '',
    enabled              INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    time_limit_minutes   INTEGER NOT NULL DEFAULT 0,
    expiry_days          INTEGER NOT NULL DEFAULT 7,
    reminder_days        TEXT NOT NULL DEFAULT '[]',
    profile              TEXT NOT NULL DEFAULT '{}',
    thresholds           TEXT NOT NULL DEFAULT '{}',
    scorecard            TEXT NOT NULL DEFAULT '[]',
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, name),
    -- An event names a package by its Assessment Type node, so a node maps
    -- to one package.
    UNIQUE (tenant_id, assessment_type_id),
    -- Lets invitations reference (tenant, package), so an invitation can
    -- never point at another tenant's package.
    UNIQUE (tenant_id, id)
);

-- +goose Down
DROP TABLE packages;
