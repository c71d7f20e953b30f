package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
)

// AdminStore keeps admins and their invitations. Every query names the
// tenant, so one tenant's admin can never reach another's.
type AdminStore struct {
	db    *DB
	clock assessments.Clock
}

// NewAdminStore returns an AdminStore.
func NewAdminStore(db *DB, clock assessments.Clock) *AdminStore {
	return &AdminStore{db: db, clock: clock}
}

var _ assessments.AdminStore = (*AdminStore)(nil)

const adminColumns = `id, tenant_id, email, name, password_hash <> '', created_at, last_login_at, session_epoch`

func scanAdmin(row scanner) (assessments.Admin, error) {
	var a assessments.Admin
	var last sql.NullTime
	err := row.Scan(&a.ID, &a.TenantID, &a.Email, &a.Name, &a.HasPassword, &a.CreatedAt, &last, &a.SessionEpoch)
	if errors.Is(err, sql.ErrNoRows) {
		return a, assessments.Errorf(assessments.ENOTFOUND, "Admin not found.")
	}
	a.LastLoginAt = last.Time
	return a, err
}

// CreateAdmin implements assessments.AdminStore.
func (s *AdminStore) CreateAdmin(ctx context.Context, tenantID int64, email, name, passwordHash string) (assessments.Admin, error) {
	email, err := assessments.NormalizeEmail(email)
	if err != nil {
		return assessments.Admin{}, err
	}
	a, err := scanAdmin(s.db.W.QueryRowContext(ctx, `
		INSERT INTO admins (tenant_id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)
		RETURNING `+adminColumns, tenantID, email, strings.TrimSpace(name), passwordHash, s.clock.Now()))
	if isUniqueViolation(err) {
		return a, assessments.Errorf(assessments.ECONFLICT, "%s is already an admin of this account.", email)
	} else if err != nil {
		return a, fmt.Errorf("storage: create admin: %w", err)
	}
	return a, nil
}

// Admin implements assessments.AdminStore.
func (s *AdminStore) Admin(ctx context.Context, tenantID, adminID int64) (assessments.Admin, error) {
	a, err := scanAdmin(s.db.R.QueryRowContext(ctx,
		`SELECT `+adminColumns+` FROM admins WHERE tenant_id = ? AND id = ?`, tenantID, adminID))
	if err != nil && assessments.ErrorCode(err) != assessments.ENOTFOUND {
		return a, fmt.Errorf("storage: get admin: %w", err)
	}
	return a, err
}

// Admins implements assessments.AdminStore.
func (s *AdminStore) Admins(ctx context.Context, tenantID int64) ([]assessments.Admin, error) {
	rows, err := s.db.R.QueryContext(ctx,
		`SELECT `+adminColumns+` FROM admins WHERE tenant_id = ? ORDER BY email`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("storage: list admins: %w", err)
	}
	defer rows.Close()
	var out []assessments.Admin
	for rows.Next() {
		a, err := scanAdmin(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: list admins: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// LoginCandidates implements assessments.AdminStore.
func (s *AdminStore) LoginCandidates(ctx context.Context, email string) ([]assessments.Admin, []string, error) {
	rows, err := s.db.R.QueryContext(ctx, `
		SELECT `+adminColumns+`, password_hash FROM admins a
		WHERE email = ? AND EXISTS (SELECT 1 FROM tenants t WHERE t.id = a.tenant_id AND t.status <> 'uninstalled')
		ORDER BY last_login_at DESC`, strings.ToLower(strings.TrimSpace(email)))
	if err != nil {
		return nil, nil, fmt.Errorf("storage: login candidates: %w", err)
	}
	defer rows.Close()
	var admins []assessments.Admin
	var hashes []string
	for rows.Next() {
		var a assessments.Admin
		var last sql.NullTime
		var hash string
		if err := rows.Scan(&a.ID, &a.TenantID, &a.Email, &a.Name, &a.HasPassword, &a.CreatedAt, &last, &a.SessionEpoch, &hash); err != nil {
			return nil, nil, fmt.Errorf("storage: login candidates: %w", err)
		}
		a.LastLoginAt = last.Time
		admins, hashes = append(admins, a), append(hashes, hash)
	}
	return admins, hashes, rows.Err()
}

// SetPassword implements assessments.AdminStore. It moves the admin's
// session epoch on in the same statement, so no session signed in under
// the old password outlives it.
func (s *AdminStore) SetPassword(ctx context.Context, tenantID, adminID int64, passwordHash string) (int64, error) {
	var epoch int64
	err := s.db.W.QueryRowContext(ctx, `
		UPDATE admins SET password_hash = ?, session_epoch = session_epoch + 1
		WHERE tenant_id = ? AND id = ? RETURNING session_epoch`,
		passwordHash, tenantID, adminID).Scan(&epoch)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, assessments.Errorf(assessments.ENOTFOUND, "Admin not found.")
	} else if err != nil {
		return 0, fmt.Errorf("storage: set password: %w", err)
	}
	return epoch, nil
}

// RecordLogin implements assessments.AdminStore.
func (s *AdminStore) RecordLogin(ctx context.Context, adminID int64, at time.Time) error {
	if _, err := s.db.W.ExecContext(ctx, `UPDATE admins SET last_login_at = ? WHERE id = ?`, at, adminID); err != nil {
		return fmt.Errorf("storage: record login: %w", err)
	}
	return nil
}

const inviteColumns = `id, tenant_id, email, expires_at, used_at`

func scanInvite(row scanner) (assessments.AdminInvite, error) {
	var inv assessments.AdminInvite
	var used sql.NullTime
	err := row.Scan(&inv.ID, &inv.TenantID, &inv.Email, &inv.ExpiresAt, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return inv, assessments.Errorf(assessments.ENOTFOUND, "This invitation link is not valid.")
	}
	inv.UsedAt = used.Time
	return inv, err
}

// CreateInvite implements assessments.AdminStore.
func (s *AdminStore) CreateInvite(ctx context.Context, tenantID int64, email string, invitedBy int64, tokenHash string, expires time.Time) (assessments.AdminInvite, error) {
	email, err := assessments.NormalizeEmail(email)
	if err != nil {
		return assessments.AdminInvite{}, err
	}
	var by sql.NullInt64
	if invitedBy != 0 {
		by = sql.NullInt64{Int64: invitedBy, Valid: true}
	}
	inv, err := scanInvite(s.db.W.QueryRowContext(ctx, `
		INSERT INTO admin_invites (tenant_id, email, token_hash, invited_by, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING `+inviteColumns,
		tenantID, email, tokenHash, by, s.clock.Now(), expires))
	if err != nil {
		return inv, fmt.Errorf("storage: create invite: %w", err)
	}
	return inv, nil
}

// InviteByToken implements assessments.AdminStore.
func (s *AdminStore) InviteByToken(ctx context.Context, tokenHash string) (assessments.AdminInvite, error) {
	inv, err := scanInvite(s.db.R.QueryRowContext(ctx,
		`SELECT `+inviteColumns+` FROM admin_invites WHERE token_hash = ?`, tokenHash))
	if err != nil && assessments.ErrorCode(err) != assessments.ENOTFOUND {
		return inv, fmt.Errorf("storage: get invite: %w", err)
	}
	return inv, err
}

// UseInvite implements assessments.AdminStore.
func (s *AdminStore) UseInvite(ctx context.Context, tokenHash string, now time.Time) (assessments.AdminInvite, error) {
	inv, err := scanInvite(s.db.W.QueryRowContext(ctx, `
		UPDATE admin_invites SET used_at = ?
		WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
		RETURNING `+inviteColumns, now, tokenHash, now))
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		return inv, assessments.Errorf(assessments.ENOTFOUND, "This invitation link has expired or was already used. Ask an admin to invite you again.")
	} else if err != nil {
		return inv, fmt.Errorf("storage: use invite: %w", err)
	}
	return inv, nil
}
