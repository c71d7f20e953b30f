-- +goose Up
-- SMTP offers no exactly-once. in_flight is set just before an e-mail is
-- handed to the server and cleared when the outcome is recorded: an attempt
-- that finds it set follows one whose outcome is unknown (the process died
-- mid-send), so the e-mail is marked a possible duplicate.
ALTER TABLE invitation_emails ADD COLUMN in_flight BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE invitation_emails ADD COLUMN possible_duplicate BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE invitation_emails DROP COLUMN possible_duplicate;
ALTER TABLE invitation_emails DROP COLUMN in_flight;
