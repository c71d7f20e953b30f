-- +goose Up
-- When an admin last resent each invitation: a resend within
-- assessments.ResendInterval of the last is refused. Kept in the database,
-- so the limit holds across instances and restarts.
CREATE TABLE invitation_resends (
    invitation_id INTEGER PRIMARY KEY REFERENCES invitations (id) ON DELETE CASCADE,
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    last_at       TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE invitation_resends;
