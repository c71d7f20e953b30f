-- +goose Up
-- The IANA time zone the tenant's admins read dates in (issue 16): the
-- admin pages and the e-mails show deadlines in it.
ALTER TABLE tenants ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';

-- +goose Down
ALTER TABLE tenants DROP COLUMN time_zone;
