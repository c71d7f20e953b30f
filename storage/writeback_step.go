package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
)

// BeginStep returns the outbound delivery that logs the step, creating it
// unless the step is a retry of the write in flight.
func (s *WritebackStore) BeginStep(ctx context.Context, st assessments.WritebackStepStart) (int64, error) {
	var id int64
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		wb, err := s.getTx(ctx, tx, st.TenantID, st.InvitationID)
		if err != nil {
			return err
		}
		if wb.Step == st.Step && wb.StepKey == st.Key && wb.StepDeliveryID != 0 {
			id = wb.StepDeliveryID
			return nil
		}
		publicID, err := assessments.NewDeliveryID(s.random, s.clock.Now())
		if err != nil {
			return err
		}
		now := s.clock.Now()
		err = tx.QueryRowContext(ctx, `INSERT INTO deliveries (tenant_id, public_id, direction, kind, status, workflow_id,
				person_id, job_id, invitation_id, rule_id, created_at, updated_at)
			VALUES (?, ?, 'outbound', ?, 'received', ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			st.TenantID, publicID, string(st.Step), st.WorkflowID, st.PersonID, st.JobID, st.InvitationID, nullInt(st.RuleID),
			now, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert delivery: %w", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE writebacks SET step = ?, step_key = ?, step_delivery_id = ?, attempts = 0,
				updated_at = ? WHERE tenant_id = ? AND invitation_id = ?`,
			string(st.Step), st.Key, id, now, st.TenantID, st.InvitationID)
		return err
	})
	return id, wrapInternal("begin write-back step", err)
}

// RecordStep records a step's attempts and outcome in one transaction: the
// delivery and its attempts for the logs page, and the write-back state.
// A created row's Location is stored in the same transaction that records
// the success.
func (s *WritebackStore) RecordStep(ctx context.Context, o assessments.WritebackStepOutcome) error {
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		now := s.clock.Now()
		if err := recordDeliveryStepTx(ctx, tx, deliveryStep{TenantID: o.TenantID, DeliveryID: o.DeliveryID,
			Attempts: o.Attempts, Delivery: o.Delivery, Message: o.Message, HTTPStatus: o.HTTPStatus, ICIMSCode: o.ICIMSCode},
			now); err != nil {
			return err
		}
		// A write counts for the tenant's health when it reached iCIMS
		// (or tried to): a step held without a try says nothing new.
		if ok := o.Delivery == assessments.DeliveryProcessed; ok || len(o.Attempts) > 0 {
			if err := s.recordHealthTx(ctx, tx, o.TenantID, o.Health, ok, now); err != nil {
				return err
			}
		}
		return s.recordWritebackTx(ctx, tx, o, now)
	})
	return wrapInternal("record write-back step", err)
}

func (s *WritebackStore) recordWritebackTx(ctx context.Context, tx *sql.Tx, o assessments.WritebackStepOutcome, now time.Time) error {
	var dead any
	// failing: not pending, so the write is failing since now unless it
	// already was (a bool, since PostgreSQL cannot type a bare "? IS NULL").
	failing := o.State != assessments.WritebackPending
	if o.State == assessments.WritebackDead {
		dead = now
	}
	code := any(nil)
	if o.ICIMSCode != assessments.NoICIMSCode {
		code = o.ICIMSCode
	}
	_, err := tx.ExecContext(ctx, `UPDATE writebacks SET
			location = CASE WHEN ?1 <> '' THEN ?1 ELSE location END,
			written = CASE WHEN ?2 <> '' THEN ?2 ELSE written END,
			written_at = CASE WHEN ?2 <> '' THEN ?3 ELSE written_at END,
			scorecard = CASE WHEN ?4 <> '' THEN ?4 ELSE scorecard END,
			move = CASE WHEN ?5 <> '' THEN ?5 ELSE move END,
			state = ?6, problem = ?7, fix = ?8, http_status = ?9, icims_code = ?10,
			attempts = (SELECT attempts FROM deliveries WHERE id = ?11),
			failing_since = CASE WHEN ?12 THEN COALESCE(failing_since, ?3) ELSE NULL END,
			next_attempt_at = ?13, dead_at = ?14,
			step = CASE WHEN ?15 THEN '' ELSE step END,
			step_key = CASE WHEN ?15 THEN '' ELSE step_key END,
			step_delivery_id = CASE WHEN ?15 THEN NULL ELSE step_delivery_id END,
			job_id = CASE WHEN ?16 THEN NULL ELSE job_id END,
			updated_at = ?3
		WHERE tenant_id = ?17 AND invitation_id = ?18`,
		o.Location, string(o.Written), now, o.Scorecard, o.Move,
		string(o.State), o.Problem, o.Fix, o.HTTPStatus, code, o.DeliveryID,
		failing, timeOrNull(o.NextAttemptAt), dead, o.Done, o.Release, o.TenantID, o.InvitationID)
	if err != nil {
		return fmt.Errorf("update write-back: %w", err)
	}
	return nil
}

// Hold records a problem found without an HTTP try: the tenant must
// re-authorize, the daily quota is spent, the tenant was uninstalled.
// release gives up the stream, as assessments.WritebackStepOutcome.Release does.
func (s *WritebackStore) Hold(ctx context.Context, tenantID, invitationID int64, state assessments.WritebackState,
	problem, fix string, until time.Time, release bool) error {
	now := s.clock.Now()
	_, err := s.db.W.ExecContext(ctx, `UPDATE writebacks SET state = ?, problem = ?, fix = ?, next_attempt_at = ?,
			failing_since = COALESCE(failing_since, ?), job_id = CASE WHEN ? THEN NULL ELSE job_id END, updated_at = ?
		WHERE tenant_id = ? AND invitation_id = ?`,
		string(state), problem, fix, timeOrNull(until), now, release, now, tenantID, invitationID)
	if err != nil {
		return fmt.Errorf("storage: hold write-back: %w", err)
	}
	return nil
}

// deliveryStep is one step of an outbound delivery (a write to iCIMS): the
// tries it made and how it settled, for the logs page.
type deliveryStep struct {
	TenantID, DeliveryID int64
	Attempts             []assessments.DeliveryAttempt
	Delivery             assessments.DeliveryStatus
	Message              string
	HTTPStatus           int
	ICIMSCode            int
	// WorkflowID and PersonID, when set, name what the step found or
	// made, so the logs can be searched by them.
	WorkflowID, PersonID string
}

// recordDeliveryStepTx appends a step's tries to its delivery and settles
// the delivery. The delivery's code is its newest answer: a success
// carries no failure status, and keeping the earlier one would read
// "Processed HTTP 400".
func recordDeliveryStepTx(ctx context.Context, tx *sql.Tx, o deliveryStep, now time.Time) error {
	var done int
	if err := tx.QueryRowContext(ctx, `SELECT attempts FROM deliveries WHERE tenant_id = ? AND id = ?`,
		o.TenantID, o.DeliveryID).Scan(&done); err != nil {
		return fmt.Errorf("delivery %d: %w", o.DeliveryID, err)
	}
	var latency int64
	for i, a := range o.Attempts {
		latency = a.LatencyMS
		if _, err := tx.ExecContext(ctx, `INSERT INTO delivery_attempts (tenant_id, delivery_id, attempt, method, url,
				request_body, response_status, response_body, error, latency_ms, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			o.TenantID, o.DeliveryID, done+i+1, a.Method, a.URL, a.RequestBody, a.ResponseStatus, a.ResponseBody,
			a.Error, a.LatencyMS, a.CreatedAt); err != nil {
			return fmt.Errorf("insert attempt: %w", err)
		}
	}
	code := any(nil)
	if o.ICIMSCode != assessments.NoICIMSCode && o.Delivery != assessments.DeliveryProcessed {
		code = o.ICIMSCode
	}
	status := o.HTTPStatus
	if n := len(o.Attempts); n > 0 && o.Attempts[n-1].ResponseStatus > 0 {
		status = o.Attempts[n-1].ResponseStatus
	}
	if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET status = ?, http_status = CASE WHEN ? > 0 THEN ? ELSE http_status END,
			icims_code = ?, message = ?, attempts = attempts + ?, latency_ms = CASE WHEN ? > 0 THEN ? ELSE latency_ms END,
			workflow_id = CASE WHEN ? <> '' THEN ? ELSE workflow_id END, person_id = CASE WHEN ? <> '' THEN ? ELSE person_id END,
			updated_at = ?
		WHERE tenant_id = ? AND id = ?`,
		string(o.Delivery), status, status, code, o.Message, len(o.Attempts), len(o.Attempts), latency,
		o.WorkflowID, o.WorkflowID, o.PersonID, o.PersonID, now, o.TenantID, o.DeliveryID); err != nil {
		return fmt.Errorf("update delivery: %w", err)
	}
	return nil
}
