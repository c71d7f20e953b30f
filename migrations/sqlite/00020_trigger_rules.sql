-- +goose Up
-- Each tenant's trigger rules, in the order they are tried: the first
-- enabled rule that matches an event fires. Conditions and follow-up
-- actions are JSON documents read and written whole. package_id has no
-- foreign key on purpose: a package removed from the catalog must leave its
-- rules in place so the list page can flag them instead of losing them.
CREATE TABLE trigger_rules (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    mode        TEXT NOT NULL CHECK (mode IN ('auto', 'manual', 'workflow', 'inline')),
    position    INTEGER NOT NULL,
    enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    conditions  TEXT NOT NULL DEFAULT '{}',
    -- 0: the packages the job's Assessment Type field names.
    package_id  INTEGER NOT NULL DEFAULT 0,
    follow_up   TEXT NOT NULL DEFAULT '{}',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX trigger_rules_tenant_position ON trigger_rules (tenant_id, position, id);

-- Every change to a rule: who, when, and the rule before and after as
-- JSON. No foreign key to the rule: the trail outlives a deleted rule.
CREATE TABLE trigger_rule_audit (
    id        INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    rule_id   INTEGER NOT NULL,
    admin_id  INTEGER,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    before    TEXT NOT NULL DEFAULT '',
    after     TEXT NOT NULL DEFAULT '',
    at        TIMESTAMP NOT NULL
);
CREATE INDEX trigger_rule_audit_rule ON trigger_rule_audit (tenant_id, rule_id, id);

-- +goose Down
DROP TABLE trigger_rule_audit;
DROP TABLE trigger_rules;
