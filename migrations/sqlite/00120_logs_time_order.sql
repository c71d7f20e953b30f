-- +goose Up
-- The logs page lists deliveries newest first by created_at, then id. Ids
-- no longer follow time once several instances share a PostgreSQL
-- database: a sequence hands ids out at INSERT, rows commit in another
-- order, and each instance stamps created_at with its own clock. Every
-- index the page walks now ends in (created_at, id), so a page, a keyset
-- cursor and a date range are one index range, in the order the page
-- shows, with no sort. The names stay: they say which filter each serves.
DROP INDEX deliveries_tenant_newest;
DROP INDEX deliveries_tenant_kind;
DROP INDEX deliveries_tenant_status;
DROP INDEX deliveries_tenant_workflow;
DROP INDEX deliveries_tenant_direction;
DROP INDEX deliveries_tenant_person;
CREATE INDEX deliveries_tenant_newest ON deliveries (tenant_id, created_at DESC, id DESC);
CREATE INDEX deliveries_tenant_kind ON deliveries (tenant_id, direction, kind, created_at DESC, id DESC);
CREATE INDEX deliveries_tenant_status ON deliveries (tenant_id, status, created_at DESC, id DESC);
CREATE INDEX deliveries_tenant_workflow ON deliveries (tenant_id, workflow_id, created_at DESC, id DESC);
CREATE INDEX deliveries_tenant_direction ON deliveries (tenant_id, direction, created_at DESC, id DESC);
CREATE INDEX deliveries_tenant_person ON deliveries (tenant_id, person_id, created_at DESC, id DESC);

-- +goose Down
DROP INDEX deliveries_tenant_person;
DROP INDEX deliveries_tenant_direction;
DROP INDEX deliveries_tenant_workflow;
DROP INDEX deliveries_tenant_status;
DROP INDEX deliveries_tenant_kind;
DROP INDEX deliveries_tenant_newest;
CREATE INDEX deliveries_tenant_newest ON deliveries (tenant_id, id DESC);
CREATE INDEX deliveries_tenant_kind ON deliveries (tenant_id, direction, kind, id DESC);
CREATE INDEX deliveries_tenant_status ON deliveries (tenant_id, status, id DESC);
CREATE INDEX deliveries_tenant_workflow ON deliveries (tenant_id, workflow_id, id DESC);
CREATE INDEX deliveries_tenant_direction ON deliveries (tenant_id, direction, id DESC);
CREATE INDEX deliveries_tenant_person ON deliveries (tenant_id, person_id, id DESC);
