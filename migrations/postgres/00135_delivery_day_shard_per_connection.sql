-- +goose Up
-- The day's counter shard came from the delivery's id, so a group commit
-- of a few dozen deliveries locked most of the 16 shard rows of its day
-- until it committed, and a transaction that failed a delivery meanwhile
-- waited on one of them, then (REPEATABLE READ) could not serialize and
-- tried again; the intake load spent most of its time in these waits. The
-- shard is now the writing connection's, so a transaction touches one
-- shard row however many deliveries it writes, and concurrent
-- transactions, on other connections, mostly touch others. A delivery's
-- insert and a later status change may count in different shards: only
-- the sum of a day's shards is read.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION deliveries_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO delivery_days (tenant_id, day, total, failed, shard)
    VALUES (NEW.tenant_id, to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 1,
        CASE WHEN NEW.status = 'failed' THEN 1 ELSE 0 END, pg_backend_pid() % 16)
    ON CONFLICT (tenant_id, day, shard) DO UPDATE
        SET total = delivery_days.total + 1, failed = delivery_days.failed + excluded.failed;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION deliveries_count_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO delivery_days (tenant_id, day, total, failed, shard)
    VALUES (NEW.tenant_id, to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 0,
        CASE WHEN NEW.status = 'failed' THEN 1 ELSE -1 END, pg_backend_pid() % 16)
    ON CONFLICT (tenant_id, day, shard) DO UPDATE SET failed = delivery_days.failed + excluded.failed;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION deliveries_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO delivery_days (tenant_id, day, total, failed, shard)
    VALUES (NEW.tenant_id, to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 1,
        CASE WHEN NEW.status = 'failed' THEN 1 ELSE 0 END, NEW.id % 16)
    ON CONFLICT (tenant_id, day, shard) DO UPDATE
        SET total = delivery_days.total + 1, failed = delivery_days.failed + excluded.failed;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION deliveries_count_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO delivery_days (tenant_id, day, total, failed, shard)
    VALUES (NEW.tenant_id, to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 0,
        CASE WHEN NEW.status = 'failed' THEN 1 ELSE -1 END, NEW.id % 16)
    ON CONFLICT (tenant_id, day, shard) DO UPDATE SET failed = delivery_days.failed + excluded.failed;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
