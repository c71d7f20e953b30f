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

// RetentionStore keeps each tenant's retention policy and removes the
// personal data past it. A purge works in small batches, each its own
// short transaction, since the writer connection is shared with the event
// intake: a year of data is purged without holding iCIMS's events up.
type RetentionStore struct {
	db    *DB
	clock assessments.Clock
	// BatchSize is how many invitations or deliveries one transaction
	// purges.
	BatchSize int
}

// NewRetentionStore returns a RetentionStore.
func NewRetentionStore(db *DB, clock assessments.Clock) *RetentionStore {
	return &RetentionStore{db: db, clock: clock, BatchSize: 500}
}

var _ assessments.RetentionStore = (*RetentionStore)(nil)

// RetentionPolicy implements assessments.RetentionStore.
func (s *RetentionStore) RetentionPolicy(ctx context.Context, tenantID int64) (assessments.RetentionPolicy, error) {
	return retentionPolicy(ctx, s.db.R, tenantID)
}

func retentionPolicy(ctx context.Context, q rowQuerier, tenantID int64) (assessments.RetentionPolicy, error) {
	p := assessments.RetentionPolicy{Days: assessments.DefaultRetentionDays}
	err := q.QueryRowContext(ctx, `SELECT days, updated_at FROM retention_policies WHERE tenant_id = ?`, tenantID).
		Scan(&p.Days, &p.UpdatedAt)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return p, nil
	case err != nil:
		return p, fmt.Errorf("storage: retention policy: %w", err)
	}
	p.Custom, p.UpdatedAt = true, utc(p.UpdatedAt)
	return p, nil
}

// SaveRetentionPolicy implements assessments.RetentionStore.
func (s *RetentionStore) SaveRetentionPolicy(ctx context.Context, tenantID int64, days int, by assessments.Actor) error {
	_, err := s.db.W.ExecContext(ctx, `INSERT INTO retention_policies (tenant_id, days, updated_by, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET days = excluded.days, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		tenantID, days, nullInt(by.AdminID), s.clock.Now())
	if err != nil {
		return fmt.Errorf("storage: save retention policy: %w", err)
	}
	return nil
}

// RetentionState implements assessments.RetentionStore.
func (s *RetentionStore) RetentionState(ctx context.Context, tenantID int64, n int) (assessments.RetentionState, error) {
	var st assessments.RetentionState
	var err error
	if st.Policy, err = retentionPolicy(ctx, s.db.R, tenantID); err != nil {
		return st, err
	}
	err = s.db.R.QueryRowContext(ctx, `SELECT ran_at, cutoff FROM retention_runs WHERE tenant_id = ?`, tenantID).
		Scan(&st.LastRun, &st.LastCutoff)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return st, fmt.Errorf("storage: retention runs: %w", err)
	}
	st.LastRun, st.LastCutoff = utc(st.LastRun), utc(st.LastCutoff)
	rows, err := s.db.R.QueryContext(ctx, `SELECT at, cutoff, days, counts FROM retention_purges
		WHERE tenant_id = ? ORDER BY id DESC LIMIT ?`, tenantID, n)
	if err != nil {
		return st, fmt.Errorf("storage: retention purges: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p assessments.Purge
		var counts string
		if err := rows.Scan(&p.At, &p.Cutoff, &p.Days, &counts); err != nil {
			return st, fmt.Errorf("storage: retention purges: %w", err)
		}
		if err := json.Unmarshal([]byte(counts), &p.Counts); err != nil {
			return st, fmt.Errorf("storage: retention purge counts: %w", err)
		}
		p.At, p.Cutoff = utc(p.At), utc(p.Cutoff)
		st.Purges = append(st.Purges, p)
	}
	return st, rows.Err()
}

// Purge implements assessments.RetentionStore: invitations, then
// deliveries, then the mailbox and admin invitations, then the record of
// the run.
func (s *RetentionStore) Purge(ctx context.Context, tenantID int64, cutoff time.Time, days int) (assessments.PurgeCounts, error) {
	cutoff = cutoff.UTC()
	var total assessments.PurgeCounts
	for _, step := range []func(context.Context, *sql.Tx, int64, time.Time) (assessments.PurgeCounts, bool, error){
		s.purgeInvitations, s.purgeDeliveries, s.purgeMailbox,
	} {
		for {
			var c assessments.PurgeCounts
			var more bool
			err := s.db.tx(ctx, func(tx *sql.Tx) error {
				var err error
				c, more, err = step(ctx, tx, tenantID, cutoff)
				return err
			})
			if err != nil {
				return total, fmt.Errorf("storage: purge: %w", err)
			}
			total = total.Add(c)
			if !more {
				break
			}
		}
	}
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		now := s.clock.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO retention_runs (tenant_id, ran_at, cutoff) VALUES (?, ?, ?)
			ON CONFLICT (tenant_id) DO UPDATE SET ran_at = excluded.ran_at, cutoff = excluded.cutoff`, tenantID, now, cutoff); err != nil {
			return err
		}
		if total.Total() == 0 {
			return nil
		}
		counts, err := json.Marshal(total)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO retention_purges (tenant_id, at, cutoff, days, counts) VALUES (?, ?, ?, ?, ?)`,
			tenantID, now, cutoff, days, string(counts))
		return err
	})
	if err != nil {
		return total, fmt.Errorf("storage: record purge: %w", err)
	}
	return total, nil
}
