package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
)

// Admin list page sizes: the default and the ceiling.
const (
	InvitationsPerPage    = 25
	MaxInvitationsPerPage = 200
)

// LifecycleStore serves the admin invitation pages: it lists a tenant's
// invitations and makes the changes that start jobs (an extension, a
// resend) in one transaction with those jobs.
type LifecycleStore struct {
	db          *DB
	invitations *InvitationStore
	emails      *EmailStore
}

// NewLifecycleStore returns a LifecycleStore.
func NewLifecycleStore(db *DB, invitations *InvitationStore, emails *EmailStore) *LifecycleStore {
	return &LifecycleStore{db: db, invitations: invitations, emails: emails}
}

var _ assessments.InvitationLister = (*LifecycleStore)(nil)

// ListInvitations implements assessments.InvitationLister: newest first,
// filtered by status and by a text found in the candidate's name or e-mail.
func (s *LifecycleStore) ListInvitations(ctx context.Context, f assessments.InvitationFilter) (assessments.InvitationPage, error) {
	if f.PerPage <= 0 {
		f.PerPage = InvitationsPerPage
	}
	f.PerPage = min(f.PerPage, MaxInvitationsPerPage)
	f.Page = max(f.Page, 1)
	where := `tenant_id = ?`
	args := []any{f.TenantID}
	if f.Status != "" {
		where += ` AND status = ?`
		args = append(args, string(f.Status))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + escapeLike(q) + "%"
		where += ` AND (candidate_email LIKE ? ESCAPE '\' OR (candidate_first_name || ' ' || candidate_last_name) LIKE ? ESCAPE '\')`
		args = append(args, like, like)
	}
	out := assessments.InvitationPage{Page: f.Page, PerPage: f.PerPage, PackageNames: map[int64]string{}}
	if err := s.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM invitations WHERE `+where, args...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("storage: count invitations: %w", err)
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE `+where+`
		ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, f.PerPage, (f.Page-1)*f.PerPage)...)
	if err != nil {
		return out, fmt.Errorf("storage: list invitations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return out, fmt.Errorf("storage: list invitations: %w", err)
		}
		out.Invitations = append(out.Invitations, inv)
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("storage: list invitations: %w", err)
	}
	names, err := s.db.R.QueryContext(ctx, `SELECT id, name FROM packages WHERE tenant_id = ?`, f.TenantID)
	if err != nil {
		return out, fmt.Errorf("storage: package names: %w", err)
	}
	defer names.Close()
	for names.Next() {
		var id int64
		var name string
		if err := names.Scan(&id, &name); err != nil {
			return out, fmt.Errorf("storage: package names: %w", err)
		}
		out.PackageNames[id] = name
	}
	return out, names.Err()
}

// escapeLike makes s match itself in a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Emails implements assessments.InvitationLister.
func (s *LifecycleStore) Emails(ctx context.Context, tenantID, invitationID int64) ([]assessments.InvitationEmail, error) {
	return s.emails.Emails(ctx, tenantID, invitationID)
}

// Extend moves a live invitation's expiry through the invitation store's
// transition (recorded, its write-back queued) and runs then in the same transaction,
// with the invitation and when its first e-mail went out (zero if none
// did), to queue what the new deadline needs.
func (s *LifecycleStore) Extend(ctx context.Context, tenantID, id int64, until time.Time,
	then func(ctx context.Context, tx *sql.Tx, inv assessments.Invitation, firstSent time.Time) error) (assessments.Invitation, error) {
	var inv assessments.Invitation
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if inv, err = s.invitations.extendTx(ctx, tx, tenantID, id, until); err != nil {
			return err
		}
		sent, _, err := firstSent(ctx, tx, tenantID, id)
		if err != nil || then == nil {
			return err
		}
		return then(ctx, tx, inv, sent)
	})
	return inv, wrapInternal("extend invitation", err)
}

// WithLive runs fn in a transaction with the tenant's invitation, if it is
// live: a resend is queued there, so that a job is never queued for an
// invitation that another tenant owns or that has just ended.
func (s *LifecycleStore) WithLive(ctx context.Context, tenantID, id int64, fn EmailHook) error {
	return wrapInternal("invitation", s.live(ctx, tenantID, id, fn))
}

// live is WithLive's transaction, its errors left for the caller to wrap.
func (s *LifecycleStore) live(ctx context.Context, tenantID, id int64, fn EmailHook) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		inv, err := s.invitations.getTx(ctx, tx, tenantID, id)
		if err != nil {
			return err
		}
		if err := assessments.CheckTransition(inv.Status, inv.Status); err != nil {
			return err
		}
		return fn(ctx, tx, inv)
	})
}
