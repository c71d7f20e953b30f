package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// JobListingStore keeps each tenant's iCIMS jobs as the job sync read them,
// and where the sync stands. It implements assessments.JobListingStore.
type JobListingStore struct {
	db    *DB
	clock assessments.Clock
}

var _ assessments.JobListingStore = (*JobListingStore)(nil)

// NewJobListingStore returns a JobListingStore.
func NewJobListingStore(db *DB, clock assessments.Clock) *JobListingStore {
	return &JobListingStore{db: db, clock: clock}
}

// jobNode is how a job's Assessment Type node is stored.
type jobNode struct {
	ID    string `json:"id"`
	Value string `json:"value"`
}

// JobListings implements assessments.JobListingStore.
func (s *JobListingStore) JobListings(ctx context.Context, tenantID int64) ([]assessments.JobListing, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT job_id, title, job_code, location, folder_id, folder_name, assessment_types,
		synced_at, removed_at, removed_reason FROM job_listings WHERE tenant_id = ?
		ORDER BY removed_at IS NOT NULL, lower(title), length(job_id), job_id`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("storage: job listings: %w", err)
	}
	defer rows.Close()
	var out []assessments.JobListing
	for rows.Next() {
		j := assessments.JobListing{TenantID: tenantID}
		var types string
		var removed sql.NullTime
		if err := rows.Scan(&j.JobID, &j.Title, &j.JobCode, &j.Location, &j.FolderID, &j.FolderName, &types,
			&j.SyncedAt, &removed, &j.RemovedReason); err != nil {
			return nil, fmt.Errorf("storage: job listings: %w", err)
		}
		j.RemovedAt = removed.Time
		var nodes []jobNode
		if err := json.Unmarshal([]byte(types), &nodes); err != nil {
			return nil, fmt.Errorf("storage: job listings: job %s: %w", j.JobID, err)
		}
		for _, n := range nodes {
			j.AssessmentTypes = append(j.AssessmentTypes, assessments.AssessmentType{ID: n.ID, Value: n.Value})
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: job listings: %w", err)
	}
	return out, nil
}

// SaveJobListings implements assessments.JobListingStore, in one
// transaction.
func (s *JobListingStore) SaveJobListings(ctx context.Context, tenantID int64, jobs []assessments.JobListing) error {
	if len(jobs) == 0 {
		return nil
	}
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO job_listings (tenant_id, job_id, title, job_code, location, folder_id,
			folder_name, assessment_types, synced_at, removed_at, removed_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (tenant_id, job_id) DO UPDATE SET title = excluded.title, job_code = excluded.job_code,
				location = excluded.location, folder_id = excluded.folder_id, folder_name = excluded.folder_name,
				assessment_types = excluded.assessment_types, synced_at = excluded.synced_at,
				removed_at = COALESCE(job_listings.removed_at, excluded.removed_at),
				removed_reason = CASE WHEN job_listings.removed_at IS NULL THEN excluded.removed_reason ELSE job_listings.removed_reason END`)
		if err != nil {
			return fmt.Errorf("storage: save job listings: %w", err)
		}
		defer stmt.Close()
		reopen, err := tx.PrepareContext(ctx, `UPDATE job_listings SET removed_at = NULL, removed_reason = ''
			WHERE tenant_id = ? AND job_id = ?`)
		if err != nil {
			return fmt.Errorf("storage: save job listings: %w", err)
		}
		defer reopen.Close()
		for _, j := range jobs {
			nodes := make([]jobNode, 0, len(j.AssessmentTypes))
			for _, a := range j.AssessmentTypes {
				nodes = append(nodes, jobNode{ID: a.ID, Value: a.Value})
			}
			types, err := json.Marshal(nodes)
			if err != nil {
				return fmt.Errorf("storage: save job listings: %w", err)
			}
			if !j.Removed() {
				if _, err := reopen.ExecContext(ctx, tenantID, j.JobID); err != nil {
					return fmt.Errorf("storage: save job listings: %w", err)
				}
			}
			if _, err := stmt.ExecContext(ctx, tenantID, j.JobID, j.Title, j.JobCode, j.Location, j.FolderID, j.FolderName,
				string(types), j.SyncedAt.UTC(), timeOrNull(j.RemovedAt.UTC()), j.RemovedReason); err != nil {
				return fmt.Errorf("storage: save job listings: %w", err)
			}
		}
		return nil
	})
}

// MarkJobsRemoved implements assessments.JobListingStore.
func (s *JobListingStore) MarkJobsRemoved(ctx context.Context, tenantID int64, jobIDs []string, reason string, at time.Time) error {
	if len(jobIDs) == 0 {
		return nil
	}
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `UPDATE job_listings SET removed_at = ?, removed_reason = ?
			WHERE tenant_id = ? AND job_id = ? AND removed_at IS NULL`)
		if err != nil {
			return fmt.Errorf("storage: mark jobs removed: %w", err)
		}
		defer stmt.Close()
		for _, id := range jobIDs {
			if _, err := stmt.ExecContext(ctx, at.UTC(), reason, tenantID, id); err != nil {
				return fmt.Errorf("storage: mark jobs removed: %w", err)
			}
		}
		return nil
	})
}

// JobsSyncedSince implements assessments.JobListingStore.
func (s *JobListingStore) JobsSyncedSince(ctx context.Context, tenantID int64, t time.Time) (map[string]bool, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT job_id FROM job_listings WHERE tenant_id = ? AND synced_at >= ?`, tenantID, t.UTC())
	if err != nil {
		return nil, fmt.Errorf("storage: jobs synced since: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("storage: jobs synced since: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// JobSyncState implements assessments.JobListingStore; a tenant never
// synced has the zero state.
func (s *JobListingStore) JobSyncState(ctx context.Context, tenantID int64) (assessments.JobSyncState, error) {
	st := assessments.JobSyncState{TenantID: tenantID}
	var since, run, sweep, finished sql.NullTime
	err := s.db.R.QueryRowContext(ctx, `SELECT since, run_started_at, last_sweep_at, sweep_requested, last_finished_at,
		last_error, last_calls FROM job_sync_state WHERE tenant_id = ?`, tenantID).
		Scan(&since, &run, &sweep, &st.SweepRequested, &finished, &st.LastError, &st.LastCalls)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	} else if err != nil {
		return st, fmt.Errorf("storage: job sync state: %w", err)
	}
	st.Since, st.RunStartedAt, st.LastSweepAt, st.LastFinishedAt = since.Time, run.Time, sweep.Time, finished.Time
	return st, nil
}

// SaveJobSyncState implements assessments.JobListingStore. A sweep
// requested while the run was going on stays requested.
func (s *JobListingStore) SaveJobSyncState(ctx context.Context, st assessments.JobSyncState) error {
	_, err := s.db.W.ExecContext(ctx, `INSERT INTO job_sync_state (tenant_id, since, run_started_at, last_sweep_at,
		sweep_requested, last_finished_at, last_error, last_calls) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET since = excluded.since, run_started_at = excluded.run_started_at,
			last_sweep_at = excluded.last_sweep_at,
			sweep_requested = CASE WHEN excluded.sweep_requested THEN TRUE
				WHEN job_sync_state.last_sweep_at IS NOT DISTINCT FROM excluded.last_sweep_at THEN job_sync_state.sweep_requested ELSE FALSE END,
			last_finished_at = excluded.last_finished_at, last_error = excluded.last_error, last_calls = excluded.last_calls`,
		st.TenantID, timeOrNull(st.Since.UTC()), timeOrNull(st.RunStartedAt.UTC()), timeOrNull(st.LastSweepAt.UTC()),
		st.SweepRequested, timeOrNull(st.LastFinishedAt.UTC()), st.LastError, st.LastCalls)
	if err != nil {
		return fmt.Errorf("storage: save job sync state: %w", err)
	}
	return nil
}

// RequestJobSweep implements assessments.JobListingStore: the request and
// the tenant's job sync commit together, so a sync always follows the
// request that asked for it.
func (s *JobListingStore) RequestJobSweep(ctx context.Context, tenantID int64) error {
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO job_sync_state (tenant_id, sweep_requested) VALUES (?, TRUE)
			ON CONFLICT (tenant_id) DO UPDATE SET sweep_requested = TRUE`, tenantID); err != nil {
			return err
		}
		return s.db.insertJobsTx(ctx, tx, river.InsertManyParams{Args: jobargs.JobSyncArgs{TenantID: tenantID}})
	})
	if err != nil {
		return fmt.Errorf("storage: request job sweep: %w", err)
	}
	return nil
}
