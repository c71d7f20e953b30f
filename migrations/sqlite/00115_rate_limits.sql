-- +goose Up
-- Token buckets of the sign-in, password-reset, token-endpoint and apply
-- limits (assessments.RateLimit), kept here rather than in each process so
-- that several instances share one budget. A bucket is the one time at
-- which it is full again, in Unix nanoseconds computed by the service, so
-- a token is taken in one conditional upsert with no date arithmetic in
-- SQL. Keys are HMACs under the secret key, never addresses or IPs.
CREATE TABLE rate_limits (
    name     TEXT    NOT NULL,
    key_hash TEXT    NOT NULL,
    full_at  INTEGER NOT NULL,
    PRIMARY KEY (name, key_hash)
);
-- Full buckets are the same as none: the sweep deletes them by this index.
CREATE INDEX rate_limits_full_at ON rate_limits (full_at);

-- +goose Down
DROP TABLE rate_limits;
