package storage

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/secrets"
)

// InboundStore keeps the credentials iCIMS uses to post events to us.
// Secrets and tokens are 256-bit random (assessments.NewToken). Basic
// passwords and HMAC keys must be read back to verify a request, so they
// are sealed, bound to their identifier; client secrets and Bearer tokens
// are only compared, so only their SHA-256 is kept (assessments.HashToken).
type InboundStore struct {
	db     *DB
	keys   *secrets.Keyring
	clock  assessments.Clock
	random io.Reader
	grace  time.Duration
}

// NewInboundStore returns an InboundStore. random supplies identifiers,
// secrets and tokens and must be safe for concurrent use (crypto/rand.Reader
// is); grace is how long rotated credentials keep working, and zero or less
// means assessments.DefaultInboundGrace.
func NewInboundStore(db *DB, keys *secrets.Keyring, clock assessments.Clock, random io.Reader, grace time.Duration) *InboundStore {
	if grace <= 0 {
		grace = assessments.DefaultInboundGrace
	}
	return &InboundStore{db: db, keys: keys, clock: clock, random: random, grace: grace}
}

var _ assessments.InboundStore = (*InboundStore)(nil)

// identifierAttempts bounds the retries when a new identifier is taken;
// with 31^6 possibilities per customer one retry is already rare.
const identifierAttempts = 5

// liveCredential is the SQL condition for a credential that still verifies
// at the time bound to the placeholder.
const liveCredential = `(expires_at IS NULL OR expires_at > ?)`

func inboundContext(identifier string) string { return "inbound:" + identifier + ":secret" }

// Issue implements assessments.InboundStore. Expiring the previous
// credentials and adding the new one is one transaction, so iCIMS is never
// left with neither.
func (s *InboundStore) Issue(ctx context.Context, tenantID int64, mode assessments.InboundMode) (assessments.IssuedCredential, error) {
	if _, err := assessments.ParseInboundMode(string(mode)); err != nil {
		return assessments.IssuedCredential{}, err
	}
	var out assessments.IssuedCredential
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		var customerID string
		err := tx.QueryRowContext(ctx, `SELECT customer_id FROM tenants WHERE id = ?`, tenantID).Scan(&customerID)
		if errors.Is(err, sql.ErrNoRows) {
			return assessments.Errorf(assessments.ENOTFOUND, "Tenant not found.")
		} else if err != nil {
			return err
		}
		now := s.clock.Now()
		graceUntil, err := s.expirePrevious(ctx, tx, tenantID, mode, now)
		if err != nil {
			return err
		}
		out, err = s.insertCredential(ctx, tx, tenantID, customerID, mode, now)
		out.GraceUntil = graceUntil
		return err
	})
	if err != nil && assessments.ErrorCode(err) == assessments.EINTERNAL {
		return assessments.IssuedCredential{}, fmt.Errorf("storage: issue inbound credential: %w", err)
	} else if err != nil {
		return assessments.IssuedCredential{}, err
	}
	return out, nil
}

// expirePrevious gives the tenant's live credentials of mode the grace
// period and returns when the last of them stops working (zero for none).
func (s *InboundStore) expirePrevious(ctx context.Context, tx *sql.Tx, tenantID int64, mode assessments.InboundMode, now time.Time) (time.Time, error) {
	graceEnd := now.Add(s.grace)
	// Expired credentials can never verify again; dropping them here keeps
	// their sealed secrets from lingering.
	if _, err := tx.ExecContext(ctx, `DELETE FROM inbound_credentials
		WHERE tenant_id = ? AND mode = ? AND expires_at IS NOT NULL AND expires_at <= ?`,
		tenantID, string(mode), now); err != nil {
		return time.Time{}, err
	}
	// A credential already expiring sooner keeps its earlier end: a second
	// rotation must not extend the first one's grace.
	if _, err := tx.ExecContext(ctx, `UPDATE inbound_credentials SET expires_at = ?
		WHERE tenant_id = ? AND mode = ? AND (expires_at IS NULL OR expires_at > ?)`,
		graceEnd, tenantID, string(mode), graceEnd); err != nil {
		return time.Time{}, err
	}
	var last sql.NullTime
	err := tx.QueryRowContext(ctx, `SELECT expires_at FROM inbound_credentials
		WHERE tenant_id = ? AND mode = ? ORDER BY expires_at DESC LIMIT 1`, tenantID, string(mode)).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, err
	}
	return last.Time, nil
}

// insertCredential adds a credential with a fresh identifier and secret.
func (s *InboundStore) insertCredential(ctx context.Context, tx *sql.Tx, tenantID int64, customerID string, mode assessments.InboundMode, now time.Time) (assessments.IssuedCredential, error) {
	out := assessments.IssuedCredential{InboundCredential: assessments.InboundCredential{TenantID: tenantID, Mode: mode}}
	secret, err := assessments.NewToken(s.random)
	if err != nil {
		return out, err
	}
	for range identifierAttempts {
		identifier, err := assessments.NewInboundIdentifier(s.random, customerID)
		if err != nil {
			return out, err
		}
		var hash, sealed string
		if mode == assessments.InboundOAuth {
			hash = assessments.HashToken(secret)
		} else if sealed, err = s.keys.Seal([]byte(secret), inboundContext(identifier)); err != nil {
			return out, err
		}
		// ON CONFLICT DO NOTHING rather than catching the error: on
		// PostgreSQL a failed statement would abort the transaction.
		err = tx.QueryRowContext(ctx, `
			INSERT INTO inbound_credentials (tenant_id, mode, identifier, secret_hash, secret_sealed, created_at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (identifier) DO NOTHING
			RETURNING id, created_at`,
			tenantID, string(mode), identifier, hash, sealed, now).Scan(&out.ID, &out.CreatedAt)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return out, err
		}
		out.Identifier, out.Secret = identifier, secret
		return out, nil
	}
	return out, fmt.Errorf("no free identifier after %d attempts", identifierAttempts)
}

// List implements assessments.InboundStore.
func (s *InboundStore) List(ctx context.Context, tenantID int64) ([]assessments.InboundCredential, error) {
	rows, err := s.db.R.QueryContext(ctx, `
		SELECT id, tenant_id, mode, identifier, created_at, expires_at FROM inbound_credentials
		WHERE tenant_id = ? ORDER BY created_at DESC, id DESC`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("storage: list inbound credentials: %w", err)
	}
	defer rows.Close()
	var out []assessments.InboundCredential
	for rows.Next() {
		var c assessments.InboundCredential
		var mode string
		var expires sql.NullTime
		if err := rows.Scan(&c.ID, &c.TenantID, &mode, &c.Identifier, &c.CreatedAt, &expires); err != nil {
			return nil, fmt.Errorf("storage: list inbound credentials: %w", err)
		}
		c.Mode, c.ExpiresAt = assessments.InboundMode(mode), expires.Time
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: list inbound credentials: %w", err)
	}
	return out, nil
}

// Revoke implements assessments.InboundStore. The Bearer tokens go with the
// credential through ON DELETE CASCADE.
func (s *InboundStore) Revoke(ctx context.Context, tenantID int64, identifier string) error {
	res, err := s.db.W.ExecContext(ctx, `DELETE FROM inbound_credentials WHERE tenant_id = ? AND identifier = ?`,
		tenantID, identifier)
	if err != nil {
		return fmt.Errorf("storage: revoke inbound credential: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return assessments.Errorf(assessments.ENOTFOUND, "Credential not found.")
	}
	return nil
}

// Password implements assessments.InboundStore.
func (s *InboundStore) Password(ctx context.Context, user string) (string, bool, error) {
	secret, found, err := s.sealedSecret(ctx, assessments.InboundBasic, user)
	if err != nil {
		return "", false, fmt.Errorf("storage: inbound password: %w", err)
	}
	return secret, found, nil
}

// HMACKey implements assessments.InboundStore. The key is the text we
// issued; iCIMS signs with its bytes.
func (s *InboundStore) HMACKey(ctx context.Context, user string) ([]byte, bool, error) {
	secret, found, err := s.sealedSecret(ctx, assessments.InboundHMAC, user)
	if err != nil || !found {
		if err != nil {
			err = fmt.Errorf("storage: inbound hmac key: %w", err)
		}
		return nil, false, err
	}
	return []byte(secret), true, nil
}

func (s *InboundStore) sealedSecret(ctx context.Context, mode assessments.InboundMode, identifier string) (string, bool, error) {
	var sealed string
	err := s.db.R.QueryRowContext(ctx, `SELECT secret_sealed FROM inbound_credentials
		WHERE identifier = ? AND mode = ? AND `+liveCredential,
		identifier, string(mode), s.clock.Now()).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	} else if err != nil {
		return "", false, err
	}
	b, err := s.keys.Open(sealed, inboundContext(identifier))
	if err != nil {
		return "", false, fmt.Errorf("%w (was the secret key changed?)", err)
	}
	return string(b), true, nil
}

// Token implements assessments.InboundStore.
func (s *InboundStore) Token(ctx context.Context, token string) (string, bool, error) {
	now := s.clock.Now()
	var clientID string
	err := s.db.R.QueryRowContext(ctx, `
		SELECT c.identifier FROM inbound_tokens t JOIN inbound_credentials c ON c.id = t.credential_id
		WHERE t.token_hash = ? AND t.expires_at > ? AND (c.expires_at IS NULL OR c.expires_at > ?)`,
		assessments.HashToken(token), now, now).Scan(&clientID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	} else if err != nil {
		return "", false, fmt.Errorf("storage: inbound token: %w", err)
	}
	return clientID, true, nil
}

// TenantOfIdentifier implements assessments.InboundStore.
func (s *InboundStore) TenantOfIdentifier(ctx context.Context, identifier string) (int64, bool, error) {
	var tenantID int64
	err := s.db.R.QueryRowContext(ctx, `SELECT tenant_id FROM inbound_credentials WHERE identifier = ? AND `+liveCredential,
		identifier, s.clock.Now()).Scan(&tenantID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	} else if err != nil {
		return 0, false, fmt.Errorf("storage: tenant of inbound credential: %w", err)
	}
	return tenantID, true, nil
}

// IssueToken implements assessments.InboundStore. The check reads from the
// read pool, so a flood of wrong secrets never queues behind the writer.
func (s *InboundStore) IssueToken(ctx context.Context, clientID, clientSecret string) (assessments.InboundToken, error) {
	var out assessments.InboundToken
	now := s.clock.Now()
	var credentialID int64
	var wantHash string
	err := s.db.R.QueryRowContext(ctx, `SELECT id, tenant_id, secret_hash FROM inbound_credentials
		WHERE identifier = ? AND mode = 'oauth' AND `+liveCredential, clientID, now).
		Scan(&credentialID, &out.TenantID, &wantHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return out, fmt.Errorf("storage: issue inbound token: %w", err)
	}
	gotHash := assessments.HashToken(clientSecret)
	if errors.Is(err, sql.ErrNoRows) || subtle.ConstantTimeCompare([]byte(gotHash), []byte(wantHash)) != 1 {
		return assessments.InboundToken{}, assessments.Errorf(assessments.EUNAUTHORIZED, "Unknown client or wrong client secret.")
	}
	token, err := assessments.NewToken(s.random)
	if err != nil {
		return assessments.InboundToken{}, fmt.Errorf("storage: issue inbound token: %w", err)
	}
	out.Token, out.ClientID, out.ExpiresAt = token, clientID, now.Add(assessments.InboundTokenLifetime)
	err = s.db.tx(ctx, func(tx *sql.Tx) error {
		// Expired tokens are useless; clearing the client's own here keeps
		// the table small without a periodic job.
		if _, err := tx.ExecContext(ctx, `DELETE FROM inbound_tokens WHERE credential_id = ? AND expires_at <= ?`,
			credentialID, now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO inbound_tokens (tenant_id, credential_id, token_hash, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?)`, out.TenantID, credentialID, assessments.HashToken(token), now, out.ExpiresAt)
		return err
	})
	if err != nil {
		return assessments.InboundToken{}, fmt.Errorf("storage: issue inbound token: %w", err)
	}
	return out, nil
}
