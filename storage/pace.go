package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jobcannon/jobcannon/icims"
)

// TenantPace returns the store of the tenant's iCIMS pacer state, shared
// by every instance of the service on this database (see icims.Pacer for
// why it is not kept in the process).
func (db *DB) TenantPace(tenantID int64) icims.PaceStore {
	return paceStore{db: db, tenantID: tenantID}
}

// paceStore is one tenant's row of icims_pace.
type paceStore struct {
	db       *DB
	tenantID int64
}

// LoadPace implements icims.PaceStore.
func (s paceStore) LoadPace(ctx context.Context) (icims.PaceRecord, error) {
	var r icims.PaceRecord
	var next, held, cut, quiet, last, day sql.NullTime
	err := s.db.R.QueryRowContext(ctx, `SELECT version, per_minute, pace, daily_quota, next_at, held_until, last_cut_at,
			quiet_from, last_limited_at, day, used_today
		FROM icims_pace WHERE tenant_id = ?`, s.tenantID).
		Scan(&r.Version, &r.Limit, &r.Pace, &r.Quota, &next, &held, &cut, &quiet, &last, &day, &r.Used)
	if errors.Is(err, sql.ErrNoRows) {
		return icims.PaceRecord{}, nil
	} else if err != nil {
		return r, fmt.Errorf("storage: load pace: %w", err)
	}
	r.NextAt, r.HeldUntil, r.LastCut = utc(next.Time), utc(held.Time), utc(cut.Time)
	r.QuietFrom, r.Last429, r.Day = utc(quiet.Time), utc(last.Time), utc(day.Time)
	return r, nil
}

// SavePace implements icims.PaceStore: one statement that writes only if
// the row is still at rec.Version, so of two instances changing the pace
// at once one wins and the other reads again.
func (s paceStore) SavePace(ctx context.Context, rec icims.PaceRecord) (bool, error) {
	args := []any{rec.Limit, rec.Pace, rec.Quota, timeOrNull(rec.NextAt), timeOrNull(rec.HeldUntil), timeOrNull(rec.LastCut),
		timeOrNull(rec.QuietFrom), timeOrNull(rec.Last429), timeOrNull(rec.Day), rec.Used}
	var res sql.Result
	var err error
	if rec.Version == 0 {
		res, err = s.db.W.ExecContext(ctx, `INSERT INTO icims_pace (per_minute, pace, daily_quota, next_at, held_until,
				last_cut_at, quiet_from, last_limited_at, day, used_today, tenant_id, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
			ON CONFLICT (tenant_id) DO NOTHING`, append(args, s.tenantID)...)
	} else {
		res, err = s.db.W.ExecContext(ctx, `UPDATE icims_pace SET per_minute = ?, pace = ?, daily_quota = ?, next_at = ?,
				held_until = ?, last_cut_at = ?, quiet_from = ?, last_limited_at = ?, day = ?, used_today = ?,
				version = version + 1
			WHERE tenant_id = ? AND version = ?`, append(args, s.tenantID, rec.Version)...)
	}
	if lostRace(err) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("storage: save pace: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("storage: save pace: %w", err)
	}
	return n == 1, nil
}

// lostRace reports whether err is PostgreSQL refusing a write that raced
// another (serialization failure or deadlock): for a versioned write that
// is the same as finding the version moved on.
func lostRace(err error) bool {
	var state interface{ SQLState() string }
	if !errors.As(err, &state) {
		return false
	}
	return state.SQLState() == "40001" || state.SQLState() == "40P01"
}
