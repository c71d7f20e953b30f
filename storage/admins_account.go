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

// RemoveAdmin implements assessments.AdminStore. The count and the delete
// are one statement, so two admins removing each other at once cannot
// leave the tenant with none.
func (s *AdminStore) RemoveAdmin(ctx context.Context, tenantID, adminID int64) error {
	res, err := s.db.W.ExecContext(ctx, `
		DELETE FROM admins WHERE tenant_id = ? AND id = ?
		AND (SELECT COUNT(*) FROM admins WHERE tenant_id = ?) > 1`, tenantID, adminID, tenantID)
	if err != nil {
		return fmt.Errorf("storage: remove admin: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	if _, err := s.Admin(ctx, tenantID, adminID); err != nil {
		return err
	}
	return assessments.Errorf(assessments.ECONFLICT, "This is the account's last admin: invite another admin before removing this one.")
}

// CreatePasswordReset implements assessments.AdminStore.
func (s *AdminStore) CreatePasswordReset(ctx context.Context, email, tokenHash string, expires time.Time) error {
	if _, err := s.db.W.ExecContext(ctx, `
		INSERT INTO admin_password_resets (email, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		strings.ToLower(strings.TrimSpace(email)), tokenHash, s.clock.Now(), expires); err != nil {
		return fmt.Errorf("storage: create password reset: %w", err)
	}
	return nil
}

var errResetUsed = assessments.Errorf(assessments.ENOTFOUND,
	"This password reset link has expired or was already used. Ask for a new one.")

// PasswordResetEmail implements assessments.AdminStore.
func (s *AdminStore) PasswordResetEmail(ctx context.Context, tokenHash string, now time.Time) (string, error) {
	var email string
	err := s.db.R.QueryRowContext(ctx, `
		SELECT email FROM admin_password_resets
		WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`, tokenHash, now).Scan(&email)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errResetUsed
	} else if err != nil {
		return "", fmt.Errorf("storage: get password reset: %w", err)
	}
	return email, nil
}

// UsePasswordReset implements assessments.AdminStore. Every other open
// link for the same e-mail is spent too: the mailbox owner has chosen a
// password, and an older link lying in the inbox should not undo it.
func (s *AdminStore) UsePasswordReset(ctx context.Context, tokenHash, passwordHash string, now time.Time) ([]assessments.Admin, error) {
	var out []assessments.Admin
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		out = nil // a transaction PostgreSQL refuses runs again
		var email string
		err := tx.QueryRowContext(ctx, `
			UPDATE admin_password_resets SET used_at = ?
			WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING email`,
			now, tokenHash, now).Scan(&email)
		if errors.Is(err, sql.ErrNoRows) {
			return errResetUsed
		} else if err != nil {
			return fmt.Errorf("storage: use password reset: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE admin_password_resets SET used_at = ? WHERE email = ? AND used_at IS NULL`,
			now, email); err != nil {
			return fmt.Errorf("storage: use password reset: %w", err)
		}
		rows, err := tx.QueryContext(ctx, `
			UPDATE admins SET password_hash = ?, session_epoch = session_epoch + 1
			WHERE email = ? AND EXISTS (SELECT 1 FROM tenants t WHERE t.id = admins.tenant_id AND t.status <> 'uninstalled')
			RETURNING `+adminColumns, passwordHash, email)
		if err != nil {
			return fmt.Errorf("storage: reset password: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAdmin(rows)
			if err != nil {
				return fmt.Errorf("storage: reset password: %w", err)
			}
			out = append(out, a)
		}
		return rows.Err()
	})
	return out, err
}
