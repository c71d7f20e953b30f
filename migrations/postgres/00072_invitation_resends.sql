-- +goose Up
-- When an admin last resent each invitation: a resend within
-- assessments.ResendInterval of the last is refused. Kept in the database,
-- so the limit holds across instances and restarts.
CREATE TABLE invitation_resends (
    invitation_id BIGINT PRIMARY KEY REFERENCES invitations (id) ON DELETE CASCADE,
    tenant_id     BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    last_at       TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE invitation_resends;
