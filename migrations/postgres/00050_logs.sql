-- +goose Up
-- The logs page lists a tenant's deliveries newest first by id (keyset
-- paging). 00021 serves no filter, kind (with its direction), status and
-- workflow; these serve direction alone and the candidate (person) filter.
-- On SQLite a date range becomes an id range (ids grow with created_at
-- there, with one writer connection). With several instances on
-- PostgreSQL ids are not in created_at order across transactions, so that
-- holds only approximately here.
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
    tenant_id BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    day       TEXT NOT NULL,
    total     BIGINT NOT NULL DEFAULT 0,
    failed    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, day)
);
-- day is the UTC date as text (YYYY-MM-DD), as on SQLite, whatever the
-- session's TimeZone.
INSERT INTO delivery_days (tenant_id, day, total, failed)
    SELECT tenant_id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), COUNT(*),
        COUNT(*) FILTER (WHERE status = 'failed')
    FROM deliveries GROUP BY 1, 2;

-- PostgreSQL triggers run a function; each function has its trigger's name.
-- +goose StatementBegin
CREATE FUNCTION deliveries_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER deliveries_count_insert AFTER INSERT ON deliveries
    FOR EACH ROW EXECUTE FUNCTION deliveries_count_insert();

-- +goose StatementBegin
CREATE FUNCTION deliveries_count_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE delivery_days SET failed = failed + (CASE WHEN NEW.status = 'failed' THEN 1 ELSE -1 END)
    WHERE tenant_id = NEW.tenant_id AND day = to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD');
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER deliveries_count_status AFTER UPDATE OF status ON deliveries
    FOR EACH ROW WHEN ((OLD.status = 'failed') <> (NEW.status = 'failed'))
    EXECUTE FUNCTION deliveries_count_status();

-- +goose Down
DROP TRIGGER deliveries_count_status ON deliveries;
DROP FUNCTION deliveries_count_status();
DROP TRIGGER deliveries_count_insert ON deliveries;
DROP FUNCTION deliveries_count_insert();
DROP TABLE delivery_days;
DROP INDEX delivery_attempts_tenant_created;
DROP INDEX deliveries_tenant_person;
DROP INDEX deliveries_tenant_direction;
