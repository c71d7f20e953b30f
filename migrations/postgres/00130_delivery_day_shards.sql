-- +goose Up
-- delivery_days had one counter row per tenant and day, which every writer
-- of a delivery updated: concurrent transactions queued on that row and
-- SERIALIZABLE ones failed on it. The counts now spread over 16 shards by
-- delivery id (the same shard for a delivery's insert and its later status
-- changes); the logs page adds the shards up.
ALTER TABLE delivery_days ADD COLUMN shard BIGINT NOT NULL DEFAULT 0;
ALTER TABLE delivery_days DROP CONSTRAINT delivery_days_pkey, ADD PRIMARY KEY (tenant_id, day, shard);

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

-- A shard may go below zero (a delivery counted before the split fails
-- later in another shard); the sum per day stays right.
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

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION deliveries_count_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE delivery_days SET failed = failed + (CASE WHEN NEW.status = 'failed' THEN 1 ELSE -1 END)
    WHERE tenant_id = NEW.tenant_id AND day = to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD');
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION deliveries_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO delivery_days (tenant_id, day, total, failed)
    VALUES (NEW.tenant_id, to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 1,
        CASE WHEN NEW.status = 'failed' THEN 1 ELSE 0 END)
    ON CONFLICT (tenant_id, day) DO UPDATE
        SET total = delivery_days.total + 1, failed = delivery_days.failed + excluded.failed;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TEMPORARY TABLE delivery_days_sharded AS
    SELECT tenant_id, day, SUM(total) AS total, SUM(failed) AS failed FROM delivery_days GROUP BY tenant_id, day;
DELETE FROM delivery_days;
ALTER TABLE delivery_days DROP CONSTRAINT delivery_days_pkey, DROP COLUMN shard, ADD PRIMARY KEY (tenant_id, day);
INSERT INTO delivery_days (tenant_id, day, total, failed) SELECT tenant_id, day, total, failed FROM delivery_days_sharded;
DROP TABLE delivery_days_sharded;
