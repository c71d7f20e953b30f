package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// maxExtraMinutes bounds the extra time one accommodation grants.
const maxExtraMinutes = 240

var _ assessments.AccommodationNotices = (*InvitationStore)(nil)

// RequestAccommodation implements assessments.InvitationStore. In one
// transaction it records the request, adds it to the invitation's history
// and queues one e-mail to each of the tenant's admins (see
// jobargs.AccommodationNoticeArgs), so that the admins hear of each
// request once.
func (s *InvitationStore) RequestAccommodation(ctx context.Context, tenantID, id int64, message string) (assessments.AccommodationRequest, error) {
	r := assessments.AccommodationRequest{TenantID: tenantID, InvitationID: id, Message: message, CreatedAt: s.clock.Now()}
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		var status string
		err := tx.QueryRowContext(ctx, `
			INSERT INTO accommodation_requests (tenant_id, invitation_id, message, created_at)
			SELECT tenant_id, id, ?, ? FROM invitations WHERE tenant_id = ? AND id = ?
			RETURNING id, (SELECT status FROM invitations WHERE tenant_id = ? AND id = ?)`,
			message, r.CreatedAt, tenantID, id, tenantID, id).Scan(&r.ID, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return assessments.Errorf(assessments.ENOTFOUND, "Invitation not found.")
		} else if err != nil {
			return err
		}
		// The history says that a request came, not what it says: the
		// words stay on the request, which retention removes.
		if _, err := tx.ExecContext(ctx, `INSERT INTO invitation_events (tenant_id, invitation_id, from_status, status, at, detail)
			VALUES (?, ?, ?, ?, ?, ?)`, tenantID, id, status, status, r.CreatedAt,
			fmt.Sprintf("the candidate asked for an accommodation (request %d)", r.ID)); err != nil {
			return fmt.Errorf("record event: %w", err)
		}
		return s.queueAccommodationNoticesTx(ctx, tx, tenantID, r.ID)
	})
	return r, wrapInternal("request accommodation", err)
}

// queueAccommodationNoticesTx queues the e-mail of request requestID to
// each of the tenant's admins.
func (s *InvitationStore) queueAccommodationNoticesTx(ctx context.Context, tx *sql.Tx, tenantID, requestID int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM admins WHERE tenant_id = ? ORDER BY id`, tenantID)
	if err != nil {
		return fmt.Errorf("admins to notify: %w", err)
	}
	defer rows.Close()
	var params []river.InsertManyParams
	for rows.Next() {
		var adminID int64
		if err := rows.Scan(&adminID); err != nil {
			return fmt.Errorf("admins to notify: %w", err)
		}
		params = append(params, river.InsertManyParams{Args: jobargs.AccommodationNoticeArgs{
			TenantID: tenantID, RequestID: requestID, AdminID: adminID}})
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("admins to notify: %w", err)
	}
	return s.db.insertJobsTx(ctx, tx, params...)
}

// AccommodationNotice implements assessments.AccommodationNotices.
func (s *InvitationStore) AccommodationNotice(ctx context.Context, tenantID, requestID, adminID int64) (assessments.AccommodationNotice, bool, error) {
	var n assessments.AccommodationNotice
	var zone string
	r := &n.Request
	err := s.db.R.QueryRowContext(ctx, `
		SELECT r.id, r.tenant_id, r.invitation_id, r.created_at,
			TRIM(i.candidate_first_name || ' ' || i.candidate_last_name), i.candidate_email, p.name,
			a.email, a.name, t.name, t.time_zone
		FROM accommodation_requests r
		JOIN invitations i ON i.tenant_id = r.tenant_id AND i.id = r.invitation_id
		JOIN packages p ON p.tenant_id = i.tenant_id AND p.id = i.package_id
		JOIN admins a ON a.tenant_id = r.tenant_id AND a.id = ?
		JOIN tenants t ON t.id = r.tenant_id
		WHERE r.tenant_id = ? AND r.id = ?`, adminID, tenantID, requestID).Scan(
		&r.ID, &r.TenantID, &r.InvitationID, &r.CreatedAt, &r.Candidate, &r.Email, &r.PackageName,
		&n.AdminEmail, &n.AdminName, &n.CompanyName, &zone)
	if errors.Is(err, sql.ErrNoRows) {
		return n, false, nil
	} else if err != nil {
		return n, false, fmt.Errorf("storage: accommodation notice: %w", err)
	}
	r.CreatedAt = utc(r.CreatedAt)
	n.Zone = assessments.Tenant{TimeZone: zone}.Location()
	return n, true, nil
}

// AccommodationRequests implements assessments.InvitationStore: open
// requests first, newest first.
func (s *InvitationStore) AccommodationRequests(ctx context.Context, tenantID int64) ([]assessments.AccommodationRequest, error) {
	rows, err := s.db.R.QueryContext(ctx, `
		SELECT r.id, r.tenant_id, r.invitation_id, r.message, r.created_at, r.resolved_at, r.extra_minutes,
			TRIM(i.candidate_first_name || ' ' || i.candidate_last_name), i.candidate_email, p.name
		FROM accommodation_requests r
		JOIN invitations i ON i.tenant_id = r.tenant_id AND i.id = r.invitation_id
		JOIN packages p ON p.tenant_id = i.tenant_id AND p.id = i.package_id
		WHERE r.tenant_id = ?
		ORDER BY r.resolved_at IS NOT NULL, r.id DESC
		LIMIT 500`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("storage: accommodation requests: %w", err)
	}
	defer rows.Close()
	var out []assessments.AccommodationRequest
	for rows.Next() {
		var r assessments.AccommodationRequest
		var resolved sql.NullTime
		if err := rows.Scan(&r.ID, &r.TenantID, &r.InvitationID, &r.Message, &r.CreatedAt, &resolved, &r.ExtraMinutes,
			&r.Candidate, &r.Email, &r.PackageName); err != nil {
			return nil, fmt.Errorf("storage: accommodation requests: %w", err)
		}
		r.ResolvedAt = resolved.Time
		out = append(out, r)
	}
	return out, rows.Err()
}

// ResolveAccommodation implements assessments.InvitationStore. The extra
// time adds to any granted before, and is recorded in the invitation's
// history.
func (s *InvitationStore) ResolveAccommodation(ctx context.Context, tenantID, requestID int64, extraMinutes int) error {
	if extraMinutes < 0 || extraMinutes > maxExtraMinutes {
		return assessments.Errorf(assessments.EINVALID, "Extra time must be between 0 and %d minutes.", maxExtraMinutes)
	}
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		var invID int64
		var resolved sql.NullTime
		err := tx.QueryRowContext(ctx, `SELECT invitation_id, resolved_at FROM accommodation_requests WHERE tenant_id = ? AND id = ?`,
			tenantID, requestID).Scan(&invID, &resolved)
		if errors.Is(err, sql.ErrNoRows) {
			return assessments.Errorf(assessments.ENOTFOUND, "Accommodation request not found.")
		} else if err != nil {
			return err
		}
		if resolved.Valid {
			return assessments.Errorf(assessments.ECONFLICT, "This request has already been dealt with.")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accommodation_requests SET resolved_at = ?, extra_minutes = ? WHERE tenant_id = ? AND id = ?`,
			s.clock.Now(), extraMinutes, tenantID, requestID); err != nil {
			return err
		}
		if extraMinutes == 0 {
			return nil
		}
		inv, err := s.getTx(ctx, tx, tenantID, invID)
		if err != nil {
			return err
		}
		if inv.Status.Final() {
			return assessments.Errorf(assessments.EINVALID, "The candidate's invitation is already %s, so extra time would not help.", inv.Status.Label())
		}
		if _, err := tx.ExecContext(ctx, `UPDATE invitations SET extra_time_minutes = extra_time_minutes + ? WHERE tenant_id = ? AND id = ?`,
			extraMinutes, tenantID, invID); err != nil {
			return err
		}
		_, err = s.transitionTx(ctx, tx, inv, inv.Status, fmt.Sprintf("granted %d extra minutes", extraMinutes))
		return err
	})
	return wrapInternal("resolve accommodation", err)
}
