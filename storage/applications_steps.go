package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// BeginApplyStep returns the application and the outbound delivery that
// logs its step on the logs page, creating the delivery unless a retry of
// the same step already has one. A zero delivery id means the application
// has moved past step: the job is stale and has nothing to do.
func (s *ApplicationStore) BeginApplyStep(ctx context.Context, tenantID, id int64, step assessments.ApplyStep) (assessments.Application, int64, error) {
	var app assessments.Application
	var deliveryID int64
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		app, err = scanApplication(tx.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications
			WHERE tenant_id = ? AND id = ?`, tenantID, id))
		if err != nil || app.Step != step {
			return err
		}
		var current sql.NullInt64
		var jobID string
		if err := tx.QueryRowContext(ctx, `SELECT a.step_delivery_id, l.job_id FROM applications a
				JOIN apply_links l ON l.id = a.link_id WHERE a.id = ?`, id).Scan(&current, &jobID); err != nil {
			return err
		}
		if current.Valid {
			deliveryID = current.Int64
			return nil
		}
		publicID, err := assessments.NewDeliveryID(s.random, s.clock.Now())
		if err != nil {
			return err
		}
		now := s.clock.Now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO deliveries (tenant_id, public_id, direction, kind, status, workflow_id,
				person_id, job_id, invitation_id, created_at, updated_at)
			VALUES (?, ?, 'outbound', ?, 'received', ?, ?, ?, ?, ?, ?) RETURNING id`,
			tenantID, publicID, step.DeliveryKind(), app.WorkflowID, app.PersonID, jobID, nullInt(app.InvitationID),
			now, now).Scan(&deliveryID); err != nil {
			return fmt.Errorf("insert delivery: %w", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE applications SET step_delivery_id = ?, updated_at = ? WHERE id = ?`, deliveryID, now, id)
		return err
	})
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		return app, 0, err
	}
	return app, deliveryID, wrapInternal("begin apply step", err)
}

// RecordApplyStep implements assessments.ApplicationStore: the step's
// tries, its outcome, the invitation it carries (with its e-mail) and the
// next step's job commit together.
func (s *ApplicationStore) RecordApplyStep(ctx context.Context, o assessments.ApplyStepOutcome) (assessments.Application, error) {
	var app assessments.Application
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		now := s.clock.Now()
		if err := recordDeliveryStepTx(ctx, tx, deliveryStep{TenantID: o.TenantID, DeliveryID: o.DeliveryID,
			Attempts: o.Attempts, Delivery: o.Delivery, Message: o.Message, HTTPStatus: o.HTTPStatus, ICIMSCode: o.ICIMSCode,
			WorkflowID: o.WorkflowID, PersonID: o.PersonID}, now); err != nil {
			return err
		}
		var err error
		app, err = scanApplication(tx.QueryRowContext(ctx, `UPDATE applications SET
				person_id = CASE WHEN ?1 <> '' THEN ?1 ELSE person_id END,
				person_created = person_created OR ?2,
				workflow_id = CASE WHEN ?3 <> '' THEN ?3 ELSE workflow_id END,
				warning = CASE WHEN ?4 = '' THEN warning WHEN warning = '' THEN ?4 ELSE warning || ?11 || ?4 END,
				problem = ?5,
				step = CASE WHEN ?6 <> '' THEN ?6 ELSE step END,
				step_delivery_id = CASE WHEN ?6 <> '' THEN NULL ELSE step_delivery_id END,
				cv = CASE WHEN ?7 THEN NULL ELSE cv END,
				updated_at = ?8
			WHERE tenant_id = ?9 AND id = ?10 RETURNING `+applicationColumns,
			o.PersonID, o.PersonCreated, o.WorkflowID, strings.TrimSpace(o.Warning), o.Problem, string(o.Next), o.ClearCV, now,
			o.TenantID, o.ApplicationID, "\n"))
		if err != nil {
			return err
		}
		if o.Invitation != nil && app.InvitationID == 0 {
			inv, _, err := s.invitations.CreateTx(ctx, tx, *o.Invitation)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE applications SET invitation_id = ? WHERE id = ?`, inv.ID, app.ID); err != nil {
				return err
			}
			app.InvitationID = inv.ID
			// The applicant also gets the link by e-mail.
			if err := s.db.queueInvitationEmailTx(ctx, tx, inv.TenantID, inv.ID, s.clock.Now()); err != nil {
				return err
			}
		}
		return s.db.insertJobsTx(ctx, tx, nextApplyStep(app, o.Next)...)
	})
	if code := assessments.ErrorCode(err); code == assessments.ECONFLICT || code == assessments.EINVALID {
		return app, err
	}
	return app, wrapInternal("record apply step", err)
}

// nextApplyStep is the job of the step an application moved to; none when
// it stays (a retry), is done or failed.
func nextApplyStep(app assessments.Application, next assessments.ApplyStep) []river.InsertManyParams {
	var args river.JobArgs
	switch next {
	case assessments.ApplyStepApplication:
		args = jobargs.ApplyApplicationArgs{TenantID: app.TenantID, ApplicationID: app.ID}
	case assessments.ApplyStepCV:
		args = jobargs.ApplyCVArgs{TenantID: app.TenantID, ApplicationID: app.ID}
	default:
		return nil
	}
	return []river.InsertManyParams{{Args: args}}
}
