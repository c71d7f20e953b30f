package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/secrets"
)

// TenantStore keeps tenants; their credentials are sealed with the keyring
// and bound to the customer id, so a sealed value copied to another row
// does not open.
type TenantStore struct {
	db    *DB
	keys  *secrets.Keyring
	clock assessments.Clock
}

// NewTenantStore returns a TenantStore.
func NewTenantStore(db *DB, keys *secrets.Keyring, clock assessments.Clock) *TenantStore {
	return &TenantStore{db: db, keys: keys, clock: clock}
}

var _ assessments.TenantStore = (*TenantStore)(nil)

const tenantColumns = `id, customer_id, name, region, api_url, auth_mode, scopes, status, status_reason,
	installed_at, created_at, updated_at, calls_per_minute, calls_per_day, time_zone`

type scanner interface{ Scan(dest ...any) error }

func scanTenant(row scanner) (assessments.Tenant, error) {
	var t assessments.Tenant
	var region, mode, scopes, status string
	var installed sql.NullTime
	err := row.Scan(&t.ID, &t.CustomerID, &t.Name, &region, &t.APIURL, &mode, &scopes, &status, &t.StatusReason,
		&installed, &t.CreatedAt, &t.UpdatedAt, &t.CallsPerMinute, &t.CallsPerDay, &t.TimeZone)
	if errors.Is(err, sql.ErrNoRows) {
		return t, assessments.Errorf(assessments.ENOTFOUND, "Tenant not found.")
	} else if err != nil {
		return t, err
	}
	t.Region, t.AuthMode, t.Status = assessments.Region(region), assessments.AuthMode(mode), assessments.TenantStatus(status)
	t.Scopes = strings.Fields(scopes)
	t.InstalledAt = installed.Time
	return t, nil
}

func credentialsContext(customerID string) string { return "tenant:" + customerID + ":credentials" }

func (s *TenantStore) seal(customerID string, c assessments.Credentials) (string, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	return s.keys.Seal(b, credentialsContext(customerID))
}

// Connect implements assessments.TenantStore.
func (s *TenantStore) Connect(ctx context.Context, c assessments.Connection) (assessments.Tenant, error) {
	if err := c.Validate(); err != nil {
		return assessments.Tenant{}, err
	}
	sealed, err := s.seal(c.CustomerID, c.Credentials)
	if err != nil {
		return assessments.Tenant{}, fmt.Errorf("storage: connect tenant: %w", err)
	}
	now := s.clock.Now()
	scopes := c.Scopes
	if c.AuthMode != assessments.AuthOAuth {
		scopes = assessments.RequiredScopes()
	}
	// An upsert keyed on the customer id: re-installing keeps the tenant's
	// id and with it every rule, invitation and log it has. It never changes
	// the region: a tenant's data stays where it is (no row comes back).
	row := s.db.W.QueryRowContext(ctx, `
		INSERT INTO tenants (customer_id, name, region, api_url, auth_mode, scopes, credentials_sealed,
			status, status_reason, installed_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'active', '', ?, ?, ?)
		ON CONFLICT (customer_id) DO UPDATE SET
			name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE tenants.name END,
			region = excluded.region, api_url = excluded.api_url, auth_mode = excluded.auth_mode,
			scopes = excluded.scopes, credentials_sealed = excluded.credentials_sealed,
			status = 'active', status_reason = '', installed_at = excluded.installed_at,
			updated_at = excluded.updated_at
		WHERE tenants.region = excluded.region
		RETURNING `+tenantColumns,
		c.CustomerID, c.Name, string(c.Region), c.APIURL, string(c.AuthMode), strings.Join(scopes, " "), sealed,
		now, now, now)
	t, err := scanTenant(row)
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		existing, gerr := s.TenantByCustomer(ctx, c.CustomerID)
		if gerr != nil {
			return t, fmt.Errorf("storage: connect tenant: %w", gerr)
		}
		if err := assessments.CheckRegionChange(existing, c.Region); err != nil {
			return t, err
		}
		return t, fmt.Errorf("storage: connect tenant %s: the row changed while it was saved", c.CustomerID)
	} else if err != nil {
		return t, fmt.Errorf("storage: connect tenant: %w", err)
	}
	return t, nil
}

// Tenant implements assessments.TenantStore.
func (s *TenantStore) Tenant(ctx context.Context, id int64) (assessments.Tenant, error) {
	return s.one(ctx, `SELECT `+tenantColumns+` FROM tenants WHERE id = ?`, id)
}

// TenantByCustomer implements assessments.TenantStore.
func (s *TenantStore) TenantByCustomer(ctx context.Context, customerID string) (assessments.Tenant, error) {
	return s.one(ctx, `SELECT `+tenantColumns+` FROM tenants WHERE customer_id = ?`, customerID)
}

func (s *TenantStore) one(ctx context.Context, query string, arg any) (assessments.Tenant, error) {
	t, err := scanTenant(s.db.R.QueryRowContext(ctx, query, arg))
	if err != nil && assessments.ErrorCode(err) != assessments.ENOTFOUND {
		return t, fmt.Errorf("storage: get tenant: %w", err)
	}
	return t, err
}

// Tenants implements assessments.TenantStore.
func (s *TenantStore) Tenants(ctx context.Context) ([]assessments.Tenant, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+tenantColumns+` FROM tenants ORDER BY customer_id`)
	if err != nil {
		return nil, fmt.Errorf("storage: list tenants: %w", err)
	}
	defer rows.Close()
	var out []assessments.Tenant
	for rows.Next() {
		t, err := scanTenant(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: list tenants: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Credentials implements assessments.TenantStore.
func (s *TenantStore) Credentials(ctx context.Context, tenantID int64) (assessments.Credentials, error) {
	var c assessments.Credentials
	var customerID, sealed string
	err := s.db.R.QueryRowContext(ctx, `SELECT customer_id, credentials_sealed FROM tenants WHERE id = ?`, tenantID).
		Scan(&customerID, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return c, assessments.Errorf(assessments.ENOTFOUND, "Tenant not found.")
	} else if err != nil {
		return c, fmt.Errorf("storage: tenant credentials: %w", err)
	}
	if sealed == "" {
		return c, assessments.Errorf(assessments.EUNAVAILABLE, "This tenant is not connected to iCIMS.")
	}
	b, err := s.keys.Open(sealed, credentialsContext(customerID))
	if err != nil {
		return c, fmt.Errorf("storage: tenant credentials: %w (was the secret key changed?)", err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("storage: tenant credentials: %w", err)
	}
	return c, nil
}

// SaveToken implements assessments.TenantStore. It reads and rewrites the
// sealed document in one transaction so a concurrent credential change is
// not lost.
func (s *TenantStore) SaveToken(ctx context.Context, tenantID int64, access, refresh string, expiry time.Time) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		var customerID, sealed string
		if err := tx.QueryRowContext(ctx, `SELECT customer_id, credentials_sealed FROM tenants WHERE id = ?`, tenantID).
			Scan(&customerID, &sealed); err != nil {
			return fmt.Errorf("storage: save token: %w", err)
		}
		var c assessments.Credentials
		if sealed != "" {
			b, err := s.keys.Open(sealed, credentialsContext(customerID))
			if err != nil {
				return fmt.Errorf("storage: save token: %w", err)
			}
			if err := json.Unmarshal(b, &c); err != nil {
				return fmt.Errorf("storage: save token: %w", err)
			}
		}
		c.AccessToken, c.TokenExpiry = access, expiry.UTC()
		if refresh != "" {
			c.RefreshToken = refresh
		}
		resealed, err := s.seal(customerID, c)
		if err != nil {
			return fmt.Errorf("storage: save token: %w", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE tenants SET credentials_sealed = ?, updated_at = ? WHERE id = ?`,
			resealed, s.clock.Now(), tenantID)
		return err
	})
}

// SetStatus implements assessments.TenantStore.
func (s *TenantStore) SetStatus(ctx context.Context, tenantID int64, status assessments.TenantStatus, reason string) error {
	return s.exec(ctx, "set tenant status",
		`UPDATE tenants SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?`,
		string(status), reason, s.clock.Now(), tenantID)
}

// SetName implements assessments.TenantStore.
func (s *TenantStore) SetName(ctx context.Context, tenantID int64, name string) error {
	name, err := assessments.CheckCompanyName(name)
	if err != nil {
		return err
	}
	return s.exec(ctx, "set tenant name", `UPDATE tenants SET name = ?, updated_at = ? WHERE id = ?`,
		name, s.clock.Now(), tenantID)
}

// SetCallLimits implements assessments.TenantStore.
func (s *TenantStore) SetCallLimits(ctx context.Context, tenantID int64, perMinute, perDay int) error {
	if err := assessments.CheckCallLimits(perMinute, perDay); err != nil {
		return err
	}
	return s.exec(ctx, "set tenant call limits",
		`UPDATE tenants SET calls_per_minute = ?, calls_per_day = ?, updated_at = ? WHERE id = ?`,
		perMinute, perDay, s.clock.Now(), tenantID)
}

// Uninstall implements assessments.TenantStore. The credentials iCIMS
// used to call us go too, so an uninstalled tenant's events are refused.
func (s *TenantStore) Uninstall(ctx context.Context, tenantID int64) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE tenants SET status = 'uninstalled', status_reason = 'Uninstalled by an admin.',
				credentials_sealed = '', auth_mode = '', scopes = '', updated_at = ? WHERE id = ?`,
			s.clock.Now(), tenantID)
		if err != nil {
			return fmt.Errorf("storage: uninstall tenant: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return assessments.Errorf(assessments.ENOTFOUND, "Tenant not found.")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM inbound_credentials WHERE tenant_id = ?`, tenantID); err != nil {
			return fmt.Errorf("storage: uninstall tenant: %w", err)
		}
		return nil
	})
}

// Remove implements assessments.TenantStore.
func (s *TenantStore) Remove(ctx context.Context, tenantID int64) error {
	return s.exec(ctx, "remove tenant", `DELETE FROM tenants WHERE id = ?`, tenantID)
}

func (s *TenantStore) exec(ctx context.Context, op, query string, args ...any) error {
	res, err := s.db.W.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("storage: %s: %w", op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return assessments.Errorf(assessments.ENOTFOUND, "Tenant not found.")
	}
	return nil
}
