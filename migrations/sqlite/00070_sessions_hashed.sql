-- +goose Up
-- Sessions are now stored under the SHA-256 of their token (see
-- web.HashedSessionStore). Rows written before hold the token itself, which
-- a copy of the database would turn into a working cookie, and which no
-- browser could use any more anyway: drop them. Every admin signs in once
-- again after the upgrade.
DELETE FROM sessions;

-- +goose Down
-- Nothing to undo: the rows are gone, and an empty table suits both stores.
SELECT 1;
