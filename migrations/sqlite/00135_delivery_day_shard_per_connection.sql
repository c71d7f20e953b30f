-- +goose Up
-- The twin of PostgreSQL's 00135, which takes the day's counter shard from
-- the writing connection so that concurrent writers do not wait on each
-- other's shard rows. SQLite has one writer, which never waits on another
-- transaction's rows: its shards stay by delivery id, and nothing changes.
SELECT 1;

-- +goose Down
SELECT 1;
