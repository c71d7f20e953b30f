-- +goose Up
-- Which iCIMS custom list a package's node is in: vendors load their
-- packages into both the Assessment Type and the Assessment Name lists, and
-- a package may be mapped to a node of either. Empty for a node id typed by
-- hand when no list could be read, and for packages saved before this.
ALTER TABLE packages ADD COLUMN assessment_list TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE packages DROP COLUMN assessment_list;
