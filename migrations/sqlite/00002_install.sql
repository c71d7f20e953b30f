-- +goose Up
-- How each tenant reaches iCIMS. The secrets (tokens, passwords, keys) are
-- one sealed JSON document, never plain text.
ALTER TABLE tenants ADD COLUMN api_url TEXT NOT NULL DEFAULT '';
ALTER TABLE tenants ADD COLUMN auth_mode TEXT NOT NULL DEFAULT ''
    CHECK (auth_mode IN ('', 'oauth', 'client_credentials', 'basic', 'hmac'));
ALTER TABLE tenants ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
ALTER TABLE tenants ADD COLUMN credentials_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE tenants ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'needs_reauth', 'uninstalled'));
ALTER TABLE tenants ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE tenants ADD COLUMN installed_at TIMESTAMP;

-- Admins sign in with e-mail and password; one admin belongs to one tenant.
CREATE TABLE admins (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email         TEXT NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP,
    UNIQUE (tenant_id, email)
);
CREATE INDEX admins_email ON admins (email);

-- Invitations for more admins and the link that lets the installing admin
-- set a password. Only the token's hash is kept.
CREATE TABLE admin_invites (
    id         INTEGER PRIMARY KEY,
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email      TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    invited_by INTEGER REFERENCES admins(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);

-- OAuth install attempts: the state (hashed), the browser it is bound to
-- (hashed cookie value) and the sealed PKCE verifier. Single use.
CREATE TABLE oauth_states (
    id               INTEGER PRIMARY KEY,
    state_hash       TEXT NOT NULL UNIQUE,
    browser_hash     TEXT NOT NULL,
    customer_id      TEXT NOT NULL,
    region           TEXT NOT NULL DEFAULT 'us',
    verifier_sealed  TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    expires_at       TIMESTAMP NOT NULL,
    used_at          TIMESTAMP
);

-- Credentials iCIMS uses to post events to us. Client secrets are random
-- and kept as SHA-256 hashes; Basic passwords and HMAC keys must be read
-- back to verify a request, so they are sealed. A rotated credential stays
-- valid until expires_at (the grace period).
CREATE TABLE inbound_credentials (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    mode          TEXT NOT NULL CHECK (mode IN ('basic', 'hmac', 'oauth')),
    identifier    TEXT NOT NULL UNIQUE,
    secret_hash   TEXT NOT NULL DEFAULT '',
    secret_sealed TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP
);
CREATE INDEX inbound_credentials_tenant ON inbound_credentials (tenant_id, mode);

-- Bearer tokens issued by our POST /oauth/token to iCIMS (hashed).
CREATE TABLE inbound_tokens (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    credential_id INTEGER NOT NULL REFERENCES inbound_credentials(id) ON DELETE CASCADE,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL
);

-- Server-side admin sessions (alexedwards/scs sqlite3store's schema).
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry REAL NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- +goose Down
DROP TABLE sessions;
DROP TABLE inbound_tokens;
DROP TABLE inbound_credentials;
DROP TABLE oauth_states;
DROP TABLE admin_invites;
DROP TABLE admins;
-- The columns added to tenants stay: SQLite cannot drop a column that a
-- CHECK constraint names, and empty values are harmless to 00001.
