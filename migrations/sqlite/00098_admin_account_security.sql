-- +goose Up
-- session_epoch ends an admin's other sessions: a session remembers the
-- epoch it signed in under, and a password change or reset moves it on, so
-- every older session no longer matches and is signed out on its next
-- request. Sessions are opaque scs blobs, so finding them by admin is not
-- possible; comparing a number is.
ALTER TABLE admins ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;

-- Password reset links. Only the token's hash is kept; a link works once
-- and expires. It is keyed by e-mail, not admin: whoever reads that mailbox
-- may set the password of every admin account that signs in with it.
CREATE TABLE admin_password_resets (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX admin_password_resets_email ON admin_password_resets (email);

-- +goose Down
DROP TABLE admin_password_resets;
ALTER TABLE admins DROP COLUMN session_epoch;
