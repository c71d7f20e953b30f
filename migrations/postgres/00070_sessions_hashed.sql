-- +goose Up
-- On SQLite this dropped the sessions stored under their plain token
-- before web.HashedSessionStore. On PostgreSQL the table has only ever held
-- hashes and is still empty when this runs with 00002 on a fresh database;
-- the file keeps the numbers of both folders in step.
DELETE FROM sessions;

-- +goose Down
-- Nothing to undo: the rows are gone, and an empty table suits both stores.
SELECT 1;
