-- +goose Up
-- One value sealed with the secret key, written on the first start, so
-- that an instance started with a key that cannot open what the database
-- holds refuses to start instead of failing later on every sealed
-- credential and signed link. One row: the CHECK keeps it one.
CREATE TABLE secret_check (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    sealed     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE secret_check;
