-- +goose Up
-- The logs page lists deliveries newest first by created_at, then id: a
-- sequence hands ids out at INSERT, rows commit in another order, and each
-- instance stamps created_at with its own clock, so ids follow neither
-- commit nor time. Every index the page walks ends in (created_at, id), so
-- a page, a keyset cursor (a row comparison on both) and a date range are
-- one index range in the order the page shows. IF EXISTS: the same file
-- fits whether the earlier migrations built these indexes by id or not.
DROP INDEX IF EXISTS deliveries_tenant_newest;
DROP INDEX IF EXISTS deliveries_tenant_kind;
DROP INDEX IF EXISTS deliveries_tenant_status;
DROP INDEX IF EXISTS deliveries_tenant_workflow;
DROP INDEX IF EXISTS deliveries_tenant_direction;
DROP INDEX IF EXISTS deliveries_tenant_person;
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
