-- +goose Up
-- The dev mailbox keeps every e-mail the sandbox would have sent, so a
-- newcomer can read the invitation without an SMTP server. Production sends
-- through SMTP and leaves this table empty.
CREATE TABLE dev_mailbox (
    id            INTEGER PRIMARY KEY,
    -- NULL for mail that belongs to no tenant; removing a tenant removes
    -- its mail with it.
    tenant_id     INTEGER REFERENCES tenants (id) ON DELETE CASCADE,
    -- No foreign key: the mailbox is a debugging aid and must keep a message
    -- even when retention has already removed its invitation.
    invitation_id INTEGER,
    message_id    TEXT NOT NULL,
    to_address    TEXT NOT NULL,
    to_name       TEXT NOT NULL DEFAULT '',
    from_address  TEXT NOT NULL,
    from_name     TEXT NOT NULL DEFAULT '',
    reply_to      TEXT NOT NULL DEFAULT '',
    subject       TEXT NOT NULL,
    html          TEXT NOT NULL DEFAULT '',
    text          TEXT NOT NULL DEFAULT '',
    -- Extra headers as a JSON object of name to value.
    headers       TEXT NOT NULL DEFAULT '{}',
    created_at    TIMESTAMP NOT NULL
);

-- Retention deletes by age.
CREATE INDEX dev_mailbox_created_at ON dev_mailbox (created_at);
CREATE INDEX dev_mailbox_tenant_id ON dev_mailbox (tenant_id, id);

-- +goose Down
DROP TABLE dev_mailbox;
