-- +goose Up
-- Each tenant's invitation e-mail, once an admin has written one; a tenant
-- without a row gets the default template (mail.DefaultTemplate).
CREATE TABLE email_templates (
    tenant_id   INTEGER PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    sender_name TEXT NOT NULL DEFAULT '',
    reply_to    TEXT NOT NULL DEFAULT '',
    logo_url    TEXT NOT NULL DEFAULT '',
    brand_color TEXT NOT NULL DEFAULT '',
    -- The admin who saved it last; no foreign key, so removing an admin
    -- keeps the template.
    updated_by  INTEGER,
    updated_at  TIMESTAMP NOT NULL
);

-- The candidate token of each invitation, sealed with the keyring and
-- bound to the invitation. The invitations table keeps only its hash, for
-- lookups; every e-mail about the invitation (the first, reminders,
-- resends) needs the token itself so that they all carry the same link.
CREATE TABLE invitation_links (
    invitation_id INTEGER PRIMARY KEY REFERENCES invitations (id) ON DELETE CASCADE,
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    token_sealed  TEXT NOT NULL
);

-- Each e-mail about an invitation. The row is written 'sending', with the
-- Message-ID, before the SMTP conversation starts, so that a retried job
-- sends the same Message-ID again; it becomes 'sent' in the transaction
-- that records the server's acceptance, or 'failed' when the server refused
-- it for good. send_key names the e-mail within its invitation
-- ('invitation', 'reminder:2', 'resend:<job id>'), so a duplicate job finds
-- the row of the first and sends nothing.
CREATE TABLE invitation_emails (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    invitation_id INTEGER NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder', 'resend')),
    send_key      TEXT NOT NULL,
    message_id    TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
    -- The outbound delivery (kind 'email') the logs page shows.
    delivery_id   INTEGER,
    attempts      INTEGER NOT NULL DEFAULT 0,
    error         TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    sent_at       TIMESTAMP,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (invitation_id, send_key)
);
CREATE INDEX invitation_emails_tenant ON invitation_emails (tenant_id, invitation_id, id);

-- The admin invitations page lists a tenant's invitations newest first.
CREATE INDEX invitations_tenant_newest ON invitations (tenant_id, id);

-- +goose Down
DROP INDEX invitations_tenant_newest;
DROP TABLE invitation_emails;
DROP TABLE invitation_links;
DROP TABLE email_templates;
