package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
)

// ApplySteps writes an assessment-first application into iCIMS, one River
// job per step: find or create the person, create the application on the
// job with its source (and the invitation, whose results row the
// write-back keeps), upload the CV. Each step records the id it learnt or
// made with its outcome, and the store queues the next step in that same
// transaction; each step looks in iCIMS (search) before it creates, so a
// crash between a create and its record finds it instead of making a second.
type ApplySteps struct {
	Tenants assessments.TenantStore
	Store   assessments.ApplicationStore
	Clients Clients
	Clock   assessments.Clock
	Log     *slog.Logger
	// PaceSnoozeAfter is the longest wait for the customer's pace that a
	// step sits out holding its worker; a longer one is reserved and
	// snoozed. Zero means DefaultPaceSnoozeAfter.
	PaceSnoozeAfter time.Duration
}

// stepResult is what a step learnt or made.
type stepResult struct {
	personID      string
	personCreated bool
	workflowID    string
	warnings      []icims.Warning
	next          assessments.ApplyStep
	message       string
	clearCV       bool
	invitation    *assessments.NewInvitation
}

type stepFunc func(ctx context.Context, c *icims.Client, t assessments.Tenant, app assessments.Application, l assessments.ApplyLink) (stepResult, error)

// work runs one try of a step in its River job. A step whose turn at the
// customer's pace is further off than PaceSnoozeAfter reserves its turn
// and snoozes until then, the slot kept in the job's metadata, so that
// the worker serves other customers' writes meanwhile. A step searches
// before it creates and keeps nothing of a try that snoozes, so its slot
// holds every call the try made (Repeats).
func (s *ApplySteps) work(ctx context.Context, job *rivertypeJob, tenantID, id int64, step assessments.ApplyStep, fn stepFunc) error {
	slot := jobSlot(job.metadata, s.PaceSnoozeAfter, true)
	if wait := slot.At.Sub(s.Clock.Now()); !slot.At.IsZero() && wait > slot.SnoozeAfter {
		return river.JobSnooze(snoozeFor(wait)) // woken early for its turn
	}
	had := slot.At
	job.slot = slot
	err := s.run(icims.WithSlot(ctx, slot), job, tenantID, id, step, fn)
	keepSlot(ctx, slot, had)
	return err
}

// run works one step of one application.
func (s *ApplySteps) run(ctx context.Context, job *rivertypeJob, tenantID, id int64, step assessments.ApplyStep, fn stepFunc) error {
	app, deliveryID, err := s.Store.BeginApplyStep(ctx, tenantID, id, step)
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		return nil // deleted (retention): nothing to write
	} else if err != nil {
		return err
	}
	if deliveryID == 0 {
		return nil // the step is done already: a stale or repeated job
	}
	t, err := s.Tenants.Tenant(ctx, tenantID)
	if err != nil {
		return err
	}
	link, err := s.Store.Link(ctx, app.LinkID)
	if err != nil {
		return err
	}
	client, err := s.Clients.Client(ctx, t)
	if err != nil {
		return err
	}
	rctx, rec := recordCalls(ctx)
	res, stepErr := fn(rctx, client, t, app, link)
	o := assessments.ApplyStepOutcome{TenantID: tenantID, ApplicationID: id, DeliveryID: deliveryID, Attempts: rec.attempts(s.Clock),
		ICIMSCode: assessments.NoICIMSCode}
	if stepErr != nil {
		if icims.NeedsReauthorization(stepErr) {
			// The tenant must connect again: mark it, keep the step, and
			// look again later (connecting again does not wake this job).
			_ = s.Clients.Failed(ctx, t, stepErr)
			o.Delivery, o.Message, o.Problem = assessments.DeliveryFailed, "iCIMS refused JobCannon's credentials; an admin must connect again.", stepErr.Error()
			if _, err := s.Store.RecordApplyStep(ctx, o); err != nil {
				return err
			}
			return river.JobSnooze(DefaultReauthWait)
		}
		var ie *icims.Error
		if errors.As(stepErr, &ie) && (ie.Kind == icims.RateLimited || ie.Kind == icims.QuotaExhausted) {
			return s.waitForPace(ctx, job, o, ie)
		}
		return s.failed(ctx, job, o, stepErr, step)
	}
	o.Delivery, o.Message, o.Next = assessments.DeliveryProcessed, res.message, res.next
	o.PersonID, o.PersonCreated, o.WorkflowID, o.ClearCV, o.Invitation = res.personID, res.personCreated, res.workflowID, res.clearCV, res.invitation
	o.Warning = warningText(res.warnings)
	if o.Warning != "" {
		o.Message += " " + o.Warning
	}
	_, err = s.Store.RecordApplyStep(ctx, o)
	if code := assessments.ErrorCode(err); code == assessments.ECONFLICT || code == assessments.EINVALID {
		// The invitation cannot be made (a live one for this application
		// and package exists, the package is off): an admin must act.
		o.Attempts, o.Delivery, o.Message = nil, assessments.DeliveryFailed, err.Error()
		o.Next, o.Problem, o.Invitation = assessments.ApplyStepFailed, err.Error(), nil
		_, err = s.Store.RecordApplyStep(ctx, o)
	}
	if err == nil {
		s.Log.InfoContext(ctx, "apply: step done", "customer_id", t.CustomerID, "application_id", id, "step", string(step), "attempt", job.attempt)
	}
	return err
}

// failed records a failed try. A refusal that a retry cannot cure, or the
// last attempt, ends the application's iCIMS work with the problem shown
// to the admin; anything else goes back to River's backoff, its tries
// added to the same delivery.
func (s *ApplySteps) failed(ctx context.Context, job *rivertypeJob, o assessments.ApplyStepOutcome, err error, step assessments.ApplyStep) error {
	var ie *icims.Error
	permanent := false
	msg := err.Error()
	if errors.As(err, &ie) {
		o.HTTPStatus, o.ICIMSCode = ie.HTTPStatus, ie.Code
		msg = "iCIMS: " + ie.Message
		switch ie.Kind {
		case icims.NotFound, icims.AccessDenied, icims.RequiredField, icims.InvalidField, icims.MissingScope:
			permanent = true
		}
	}
	o.Delivery, o.Message = assessments.DeliveryFailed, msg
	if permanent || job.attempt >= job.maxAttempts {
		o.Next, o.Problem = assessments.ApplyStepFailed, fmt.Sprintf("Step %q gave up after %d tries: %s", step, job.attempt, msg)
		if _, rerr := s.Store.RecordApplyStep(ctx, o); rerr != nil {
			return rerr
		}
		s.Log.WarnContext(ctx, "apply: step failed", "application_id", o.ApplicationID, "step", string(step), "attempt", job.attempt, "err", err)
		return nil
	}
	o.Problem = msg
	if _, rerr := s.Store.RecordApplyStep(ctx, o); rerr != nil {
		return rerr
	}
	if ie != nil && ie.RetryAfter > 0 {
		return river.JobSnooze(ie.RetryAfter)
	}
	return err
}

// waitForPace records that the step waits for the customer's iCIMS (its
// turn at the pace, a 429's Retry-After, the day's quota) and snoozes the
// job until then: the customer's state, not the step's failure, so it is
// no problem shown to the admin, costs no attempt, and holds no worker
// that other customers' writes need.
func (s *ApplySteps) waitForPace(ctx context.Context, job *rivertypeJob, o assessments.ApplyStepOutcome, ie *icims.Error) error {
	wait := ie.RetryAfter
	if wait <= 0 {
		wait = 30 * time.Second
	}
	snooze := wait
	if ie.Kind == icims.RateLimited && ie.HTTPStatus == 0 && job.slot != nil && !job.slot.At.IsZero() {
		wait = max(job.slot.At.Sub(s.Clock.Now()), 0)
		snooze = snoozeFor(wait)
	}
	o.HTTPStatus, o.ICIMSCode = ie.HTTPStatus, ie.Code
	o.Delivery = assessments.DeliveryReceived
	switch {
	case ie.Kind == icims.QuotaExhausted:
		o.Message = "Today's quota of iCIMS calls for this customer is used up; this step waits until 00:00 UTC."
	case ie.HTTPStatus == 0:
		o.Message = paceMessage("step", ie, s.Clock.Now().Add(wait), s.Clock.Now())
	default:
		o.Message = fmt.Sprintf("iCIMS asked JobCannon to slow down for this customer (%d); this step waits %s.",
			ie.HTTPStatus, wait.Round(time.Second))
	}
	if _, err := s.Store.RecordApplyStep(ctx, o); err != nil {
		return err
	}
	return river.JobSnooze(snooze)
}

// warningText words iCIMS's warnings for the admin, with the fix for the
// source warning.
func warningText(ws []icims.Warning) string {
	var parts []string
	for _, w := range ws {
		text := "iCIMS warning (code " + fmt.Sprint(w.Code) + "): " + w.Message
		if w.Code == icims.CodeInvalid && (w.Field == "sourcename" || strings.Contains(w.Message, "source")) {
			text += " Fix: " + assessments.SourceWarningFix
		}
		parts = append(parts, text)
	}
	return strings.Join(parts, "\n")
}

// rivertypeJob is what a step needs to know of its River job.
type rivertypeJob struct {
	attempt, maxAttempts int
	metadata             []byte
	// slot is the step's place in the customer's pace.
	slot *icims.Slot
}

func jobOf[T river.JobArgs](j *river.Job[T]) *rivertypeJob {
	return &rivertypeJob{attempt: j.Attempt, maxAttempts: j.MaxAttempts, metadata: j.Metadata}
}

// applyTimeout bounds one step: a few paced calls.
const applyTimeout = 2 * time.Minute
