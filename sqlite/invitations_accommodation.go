package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jobcannon/jobcannon/assessments"
)

// maxExtraMinutes bounds the extra time one accommodation grants.
const maxExtraMinutes = 240

// RequestAccommodation implements assessments.InvitationStore.
func (s *InvitationStore) RequestAccommodation(ctx context.Context, tenantID, id int64, message string) (assessments.AccommodationRequest, error) {
	r := assessments.AccommodationRequest{TenantID: tenantID, InvitationID: id, Message: message, CreatedAt: s.clock.Now()}
	err := s.db.W.QueryRowContext(ctx, `
		INSERT INTO accommodation_requests (tenant_id, invitation_id, message, created_at)
		SELECT tenant_id, id, ?, ? FROM invitations WHERE tenant_id = ? AND id = ?
		RETURNING id`, message, r.CreatedAt, tenantID, id).Scan(&r.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return r, assessments.Errorf(assessments.ENOTFOUND, "Invitation not found.")
	} else if err != nil {
		return r, fmt.Errorf("sqlite: request accommodation: %w", err)
	}
	return r, nil
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
		return nil, fmt.Errorf("sqlite: accommodation requests: %w", err)
	}
	defer rows.Close()
	var out []assessments.AccommodationRequest
	for rows.Next() {
		var r assessments.AccommodationRequest
		var resolved sql.NullTime
		if err := rows.Scan(&r.ID, &r.TenantID, &r.InvitationID, &r.Message, &r.CreatedAt, &resolved, &r.ExtraMinutes,
			&r.Candidate, &r.Email, &r.PackageName); err != nil {
			return nil, fmt.Errorf("sqlite: accommodation requests: %w", err)
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
