-- +goose Up
-- The logs page lists a tenant's deliveries newest first by id (keyset
-- paging). 00021 serves no filter, kind (with its direction), status and
-- workflow; these serve direction alone and the candidate (person) filter.
-- A date range becomes an id range (ids grow with created_at, since every
-- writer stamps created_at inside its write transaction on the one writer
-- connection), so it needs no index of its own.
CREATE INDEX deliveries_tenant_direction ON deliveries (tenant_id, direction, id DESC);
CREATE INDEX deliveries_tenant_person ON deliveries (tenant_id, person_id, id DESC);

-- The dashboard counts the calls to iCIMS made today against the daily
-- quota.
CREATE INDEX delivery_attempts_tenant_created ON delivery_attempts (tenant_id, created_at);

-- Deliveries and failures per tenant and UTC day, for the logs page's
-- chart. Triggers keep it current whoever writes the delivery (the intake,
-- the write-back, the e-mail worker), so the chart costs 14 rows to read
-- however many deliveries there are. A failure counts on the day its
-- delivery was created.
CREATE TABLE delivery_days (
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    day       TEXT NOT NULL,
    total     INTEGER NOT NULL DEFAULT 0,
    failed    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, day)
);
INSERT INTO delivery_days (tenant_id, day, total, failed)
    SELECT tenant_id, substr(created_at, 1, 10), COUNT(*), SUM(status = 'failed')
    FROM deliveries GROUP BY tenant_id, substr(created_at, 1, 10);

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

-- +goose Down
DROP TRIGGER deliveries_count_status;
DROP TRIGGER deliveries_count_insert;
DROP TABLE delivery_days;
DROP INDEX delivery_attempts_tenant_created;
DROP INDEX deliveries_tenant_person;
DROP INDEX deliveries_tenant_direction;
