package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"io"

	"github.com/jobcannon/jobcannon/assessments"
)

// CallStore logs reads from iCIMS as outbound deliveries.
type CallStore struct {
	db     *DB
	clock  assessments.Clock
	random io.Reader
}

// NewCallStore returns a CallStore; random (crypto/rand when nil) names
// the deliveries.
func NewCallStore(db *DB, clock assessments.Clock, random io.Reader) *CallStore {
	if random == nil {
		random = rand.Reader
	}
	return &CallStore{db: db, clock: clock, random: random}
}

var _ assessments.CallStore = (*CallStore)(nil)

// RecordCalls implements assessments.CallStore: every call with its one
// attempt, in one transaction, so a batch costs one commit.
func (s *CallStore) RecordCalls(ctx context.Context, calls []assessments.OutboundCall) error {
	if len(calls) == 0 {
		return nil
	}
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		now := s.clock.Now()
		for _, c := range calls {
			publicID, err := assessments.NewDeliveryID(s.random, s.clock.Now())
			if err != nil {
				return err
			}
			status, message, code := assessments.DeliveryProcessed, c.Op+".", any(nil)
			if c.Failed() {
				status = assessments.DeliveryFailed
				message = c.Op + " failed: " + c.Message
			}
			if c.ICIMSCode != assessments.NoICIMSCode {
				code = c.ICIMSCode
			}
			a := c.Attempt
			at := a.CreatedAt
			if at.IsZero() {
				at = now
			}
			var id int64
			err = tx.QueryRowContext(ctx, `INSERT INTO deliveries (tenant_id, public_id, direction, kind, status, workflow_id,
					person_id, job_id, http_status, icims_code, message, attempts, latency_ms, created_at, updated_at)
				VALUES (?, ?, 'outbound', ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id`,
				c.TenantID, publicID, assessments.DeliveryKindRead, string(status), c.WorkflowID, c.PersonID, c.JobID,
				a.ResponseStatus, code, message, a.LatencyMS, at, at).Scan(&id)
			if err != nil {
				return fmt.Errorf("insert delivery: %w", err)
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO delivery_attempts (tenant_id, delivery_id, attempt, method, url, request_body,
					response_status, response_body, error, latency_ms, created_at)
				VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)`,
				c.TenantID, id, a.Method, a.URL, a.RequestBody, a.ResponseStatus, a.ResponseBody, a.Error, a.LatencyMS, at)
			if err != nil {
				return fmt.Errorf("insert attempt: %w", err)
			}
		}
		return nil
	})
	return wrapInternal("record calls", err)
}
