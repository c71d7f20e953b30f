-- +goose Up
-- delivery_days had one counter row per tenant and day, which every writer
-- of a delivery updated: free on SQLite's single writer, but on PostgreSQL
-- concurrent transactions queued on that row and SERIALIZABLE ones failed
-- on it. The counts now spread over 16 shards by delivery id (the same
-- shard for a delivery's insert and its later status changes); the logs
-- page adds the shards up. Both databases keep the same table.
DROP TRIGGER deliveries_count_status;
DROP TRIGGER deliveries_count_insert;
ALTER TABLE delivery_days RENAME TO delivery_days_unsharded;
CREATE TABLE delivery_days (
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    day       TEXT NOT NULL,
    total     INTEGER NOT NULL DEFAULT 0,
    failed    INTEGER NOT NULL DEFAULT 0,
    shard     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, day, shard)
);
INSERT INTO delivery_days (tenant_id, day, total, failed, shard)
    SELECT tenant_id, day, total, failed, 0 FROM delivery_days_unsharded;
DROP TABLE delivery_days_unsharded;

-- +goose StatementBegin
CREATE TRIGGER deliveries_count_insert AFTER INSERT ON deliveries
BEGIN
    INSERT INTO delivery_days (tenant_id, day, total, failed, shard)
    VALUES (NEW.tenant_id, substr(NEW.created_at, 1, 10), 1, NEW.status = 'failed', NEW.id % 16)
    ON CONFLICT (tenant_id, day, shard) DO UPDATE SET total = total + 1, failed = failed + excluded.failed;
END;
-- +goose StatementEnd

-- A shard may go below zero (a delivery counted before the split fails
-- later in another shard); the sum per day stays right.
-- +goose StatementBegin
CREATE TRIGGER deliveries_count_status AFTER UPDATE OF status ON deliveries
WHEN (OLD.status = 'failed') != (NEW.status = 'failed')
BEGIN
    INSERT INTO delivery_days (tenant_id, day, total, failed, shard)
    VALUES (NEW.tenant_id, substr(NEW.created_at, 1, 10), 0, CASE WHEN NEW.status = 'failed' THEN 1 ELSE -1 END, NEW.id % 16)
    ON CONFLICT (tenant_id, day, shard) DO UPDATE SET failed = failed + excluded.failed;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER deliveries_count_status;
DROP TRIGGER deliveries_count_insert;
ALTER TABLE delivery_days RENAME TO delivery_days_sharded;
CREATE TABLE delivery_days (
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    day       TEXT NOT NULL,
    total     INTEGER NOT NULL DEFAULT 0,
    failed    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, day)
);
INSERT INTO delivery_days (tenant_id, day, total, failed)
    SELECT tenant_id, day, SUM(total), SUM(failed) FROM delivery_days_sharded GROUP BY tenant_id, day;
DROP TABLE delivery_days_sharded;
-- +goose StatementBegin
CREATE TRIGGER deliveries_count_insert AFTER INSERT ON deliveries
BEGIN
    INSERT INTO delivery_days (tenant_id, day, total, failed)
    VALUES (NEW.tenant_id, substr(NEW.created_at, 1, 10), 1, NEW.status = 'failed')
    ON CONFLICT (tenant_id, day) DO UPDATE SET total = total + 1, failed = failed + excluded.failed;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER deliveries_count_status AFTER UPDATE OF status ON deliveries
WHEN (OLD.status = 'failed') != (NEW.status = 'failed')
BEGIN
    UPDATE delivery_days SET failed = failed + (CASE WHEN NEW.status = 'failed' THEN 1 ELSE -1 END)
    WHERE tenant_id = NEW.tenant_id AND day = substr(NEW.created_at, 1, 10);
END;
-- +goose StatementEnd
