-- +goose Up
-- The language of a package's candidate pages, as a tag ("es"); empty lets
-- each candidate's browser decide.
ALTER TABLE packages ADD COLUMN language TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE packages DROP COLUMN language;
