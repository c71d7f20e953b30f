package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
)

// normWindow caps how many of a tenant's latest results feed its norms:
// enough for stable percentiles, and a bounded read per completion.
const normWindow = 5000

// ResultStore keeps results. Completing goes through the invitation store
// in the same transaction, so the write-back the transition queues sees the result.
type ResultStore struct {
	db          *DB
	clock       assessments.Clock
	invitations *InvitationStore
}

// NewResultStore returns a ResultStore.
func NewResultStore(db *DB, clock assessments.Clock, invitations *InvitationStore) *ResultStore {
	return &ResultStore{db: db, clock: clock, invitations: invitations}
}

var _ assessments.ResultStore = (*ResultStore)(nil)

// Complete implements assessments.ResultStore.
func (s *ResultStore) Complete(ctx context.Context, r assessments.PackageResult) (assessments.PackageResult, error) {
	var out assessments.PackageResult
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		inv, err := s.invitations.getTx(ctx, tx, r.TenantID, r.InvitationID)
		if err != nil {
			return err
		}
		if inv.Status == assessments.StatusCompleted {
			out, err = resultByInvitation(ctx, tx, r.TenantID, r.InvitationID)
			return err
		}
		if err := assessments.CheckTransition(inv.Status, assessments.StatusCompleted); err != nil {
			return err
		}
		flags, _ := json.Marshal(nonNil(r.Flags))
		err = tx.QueryRowContext(ctx, `INSERT INTO results (tenant_id, invitation_id, package_id, overall, verdict, summary,
				flags, started_at, completed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.TenantID, r.InvitationID, inv.PackageID, r.Overall, r.Verdict, r.Summary, string(flags),
			timeOrNull(r.StartedAt), r.CompletedAt).Scan(&r.ID)
		if err != nil {
			return err
		}
		for i, ir := range r.Instruments {
			res, err := json.Marshal(ir.Result)
			if err != nil {
				return err
			}
			pct, _ := json.Marshal(nonNil(ir.Percentiles))
			if _, err := tx.ExecContext(ctx, `INSERT INTO result_instruments (tenant_id, result_id, position, instrument_id,
					result, percentiles, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				r.TenantID, r.ID, i, ir.InstrumentID, string(res), string(pct), r.CompletedAt); err != nil {
				return err
			}
		}
		if _, err := s.invitations.transitionTx(ctx, tx, inv, assessments.StatusCompleted,
			"score "+assessments.FormatScore(r.Overall)+", "+r.Verdict); err != nil {
			return err
		}
		out, err = resultByInvitation(ctx, tx, r.TenantID, r.InvitationID)
		return err
	})
	return out, wrapInternal("complete", err)
}

// queryer is what both the read pool and a transaction offer.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// ResultByInvitation implements assessments.ResultStore.
func (s *ResultStore) ResultByInvitation(ctx context.Context, tenantID, invitationID int64) (assessments.PackageResult, error) {
	r, err := resultByInvitation(ctx, s.db.R, tenantID, invitationID)
	return r, wrapInternal("get result", err)
}

func resultByInvitation(ctx context.Context, q queryer, tenantID, invitationID int64) (assessments.PackageResult, error) {
	var r assessments.PackageResult
	var flags string
	var started, revoked sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT id, tenant_id, invitation_id, package_id, overall, verdict, summary, flags,
			started_at, completed_at, revoked_at
		FROM results WHERE tenant_id = ? AND invitation_id = ?`, tenantID, invitationID).
		Scan(&r.ID, &r.TenantID, &r.InvitationID, &r.PackageID, &r.Overall, &r.Verdict, &r.Summary, &flags,
			&started, &r.CompletedAt, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return r, assessments.Errorf(assessments.ENOTFOUND, "Result not found.")
	} else if err != nil {
		return r, err
	}
	r.StartedAt, r.RevokedAt, r.CompletedAt = utc(started.Time), utc(revoked.Time), utc(r.CompletedAt)
	if err := json.Unmarshal([]byte(flags), &r.Flags); err != nil {
		return r, fmt.Errorf("decode flags: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT instrument_id, result, percentiles FROM result_instruments
		WHERE tenant_id = ? AND result_id = ? ORDER BY position`, tenantID, r.ID)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	for rows.Next() {
		var ir assessments.InstrumentResult
		var res, pct string
		if err := rows.Scan(&ir.InstrumentID, &res, &pct); err != nil {
			return r, err
		}
		if err := json.Unmarshal([]byte(res), &ir.Result); err != nil {
			return r, fmt.Errorf("decode result: %w", err)
		}
		if err := json.Unmarshal([]byte(pct), &ir.Percentiles); err != nil {
			return r, fmt.Errorf("decode percentiles: %w", err)
		}
		r.Instruments = append(r.Instruments, ir)
	}
	return r, rows.Err()
}

// Norms implements assessments.ResultStore.
func (s *ResultStore) Norms(ctx context.Context, tenantID int64, instrumentID string, minGroup int) (assessments.Norms, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT result FROM result_instruments
		WHERE tenant_id = ? AND instrument_id = ? ORDER BY completed_at DESC LIMIT ?`, tenantID, instrumentID, normWindow)
	if err != nil {
		return assessments.Norms{}, fmt.Errorf("storage: norms: %w", err)
	}
	defer rows.Close()
	var results []assessments.Result
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return assessments.Norms{}, fmt.Errorf("storage: norms: %w", err)
		}
		var r assessments.Result
		if err := json.Unmarshal([]byte(raw), &r); err != nil {
			return assessments.Norms{}, fmt.Errorf("storage: norms: decode: %w", err)
		}
		results = append(results, r)
	}
	if err := rows.Err(); err != nil {
		return assessments.Norms{}, fmt.Errorf("storage: norms: %w", err)
	}
	return assessments.BuildNorms(results, minGroup), nil
}

// RevokeReport implements assessments.ResultStore.
func (s *ResultStore) RevokeReport(ctx context.Context, tenantID, resultID int64) error {
	res, err := s.db.W.ExecContext(ctx, `UPDATE results SET revoked_at = COALESCE(revoked_at, ?) WHERE tenant_id = ? AND id = ?`,
		s.clock.Now(), tenantID, resultID)
	if err != nil {
		return fmt.Errorf("storage: revoke report: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return assessments.Errorf(assessments.ENOTFOUND, "Result not found.")
	}
	return nil
}

// timeOrNull stores a zero time as NULL.
func timeOrNull(t time.Time) sql.NullTime {
	return sql.NullTime{Time: t, Valid: !t.IsZero()}
}
