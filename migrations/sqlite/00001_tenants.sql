-- +goose Up
-- One row per iCIMS customer that installed the app; every other table hangs
-- off a tenant so that each query can be scoped by it.
CREATE TABLE tenants (
    id          INTEGER PRIMARY KEY,
    customer_id TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL DEFAULT '',
    region      TEXT NOT NULL DEFAULT 'us' CHECK (region IN ('us', 'eu')),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE tenants;
