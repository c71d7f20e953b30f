-- +goose Up
-- A customer's own iCIMS limits, set by an admin when iCIMS gave the
-- customer less than the usual 500 calls a minute and 10,000 a day; 0 means
-- the usual. The pacer reads them with the tenant.
ALTER TABLE tenants ADD COLUMN calls_per_minute BIGINT NOT NULL DEFAULT 0
    CHECK (calls_per_minute BETWEEN 0 AND 500);
ALTER TABLE tenants ADD COLUMN calls_per_day BIGINT NOT NULL DEFAULT 0
    CHECK (calls_per_day >= 0);

-- +goose Down
ALTER TABLE tenants DROP COLUMN calls_per_day;
ALTER TABLE tenants DROP COLUMN calls_per_minute;
