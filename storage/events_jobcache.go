package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
)

// JobCache keeps job data read from iCIMS per tenant and job, so that many
// candidates moving on one job cost one call per TTL.
type JobCache struct {
	db    *DB
	clock assessments.Clock
}

// NewJobCache returns a JobCache.
func NewJobCache(db *DB, clock assessments.Clock) *JobCache {
	return &JobCache{db: db, clock: clock}
}

// Get returns the cached data of a job if it was fetched less than ttl
// ago. The caller owns the encoding.
func (c *JobCache) Get(ctx context.Context, tenantID int64, jobID string, ttl time.Duration) ([]byte, bool, error) {
	var raw string
	var fetched time.Time
	err := c.db.R.QueryRowContext(ctx, `SELECT data, fetched_at FROM icims_job_cache WHERE tenant_id = ? AND job_id = ?`,
		tenantID, jobID).Scan(&raw, &fetched)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, fmt.Errorf("storage: job cache: %w", err)
	}
	if c.clock.Now().Sub(fetched) >= ttl {
		return nil, false, nil
	}
	return []byte(raw), true, nil
}

// Put stores the data of a job just read from iCIMS.
func (c *JobCache) Put(ctx context.Context, tenantID int64, jobID string, data []byte) error {
	_, err := c.db.W.ExecContext(ctx, `INSERT INTO icims_job_cache (tenant_id, job_id, data, fetched_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id, job_id) DO UPDATE SET data = excluded.data, fetched_at = excluded.fetched_at`,
		tenantID, jobID, string(data), c.clock.Now())
	if err != nil {
		return fmt.Errorf("storage: job cache: %w", err)
	}
	return nil
}
