package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// DefaultWritebackReauthWait is how long writes for a tenant that must
// re-authorize sleep before they look again. Snoozing uses no attempts, so
// they wait as long as the admin takes; a re-authorization wakes them at
// once (Writeback.Wake).
const DefaultWritebackReauthWait = 5 * time.Minute

// maxStepsPerRun bounds one run of a stream; a stream with more to do (a
// storm of retries and transitions) goes on in a fresh run.
const maxStepsPerRun = 12

// WritebackWorker works one invitation's stream of writes to iCIMS: it
// reads the invitation's current state, writes what iCIMS has not seen yet
// (the row, then the scorecard, then a workflow move), records each write
// as an outbound delivery with one attempt per HTTP try, and lets go of
// the stream only when nothing newer came in meanwhile.
type WritebackWorker struct {
	river.WorkerDefaults[jobargs.WritebackArgs]
	Tenants assessments.TenantStore
	Store   assessments.WritebackStore
	// Clients hands out the tenant's paced client: every call waits for
	// the tenant's shared pacer, so the write-back never goes over the
	// minute bucket or the daily quota.
	Clients Clients
	// Signer and BaseURL make the report link sent as assessmenturl.
	Signer     assessments.Signer
	BaseURL    *url.URL
	Clock      assessments.Clock
	Log        *slog.Logger
	ReauthWait time.Duration
	// Health says when the tenant's admins are told its writes are
	// failing (and then recovered); zero means the default policy.
	Health assessments.WriteHealthPolicy
	// Jobs reads the state of the job that owns a stream; any River client
	// on the database is one (the store's insert-only client will do).
	Jobs interface {
		JobGet(ctx context.Context, id int64) (*rivertype.JobRow, error)
	}
	// PaceSnoozeAfter is the longest wait for the customer's pace that a
	// write sits out holding its worker; a longer one is reserved and
	// snoozed. Zero means DefaultPaceSnoozeAfter; tests on a fake clock,
	// whose snoozes would take real time, set it above the pacer's
	// MaxWait.
	PaceSnoozeAfter time.Duration
}

// Work implements river.Worker. A write whose turn at the customer's pace
// is further off than PaceSnoozeAfter reserves its turn and snoozes until
// then (the slot kept in the job's metadata), so that the worker serves
// other customers meanwhile: one customer's backlog never takes the
// queue's workers from the others, and snoozing uses up no attempt.
func (w *WritebackWorker) Work(ctx context.Context, job *river.Job[jobargs.WritebackArgs]) error {
	slot := jobSlot(job.Metadata, w.PaceSnoozeAfter, false)
	had := slot.At
	err := w.work(icims.WithSlot(ctx, slot), job, slot)
	keepSlot(ctx, slot, had)
	return err
}

func (w *WritebackWorker) work(ctx context.Context, job *river.Job[jobargs.WritebackArgs], slot *icims.Slot) error {
	a := job.Args
	snap, owner, err := w.Store.Claim(ctx, a.TenantID, a.InvitationID, job.ID)
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		return nil // the invitation is gone (retention): nothing to write for
	} else if err != nil {
		return err
	}
	if owner != job.ID {
		if snap, owner, err = w.takeOver(ctx, a, owner, job.ID); err != nil || owner != job.ID {
			return err
		}
	}
	t, err := w.Tenants.Tenant(ctx, a.TenantID)
	if err != nil {
		return err
	}
	run := &writebackRun{w: w, t: t, job: job, slot: slot}
	for range maxStepsPerRun {
		plan, ok := assessments.NextWrite(snap.Invitation, snap.Writeback, snap.Package, snap.Settings)
		stop := false
		if ok {
			if stop, err = run.ready(ctx, snap); err != nil {
				return err
			}
		}
		if ok && !stop {
			if stop, err = run.step(ctx, snap, plan); err != nil {
				return err
			}
		}
		if !ok || stop {
			released, err := w.Store.Release(ctx, t.ID, a.InvitationID, job.ID, snap.Writeback.Version)
			if err != nil || released {
				return err
			}
			// A transition came in while this run worked: it found the
			// stream owned and queued nothing, so this run writes it.
		}
		if snap, err = w.Store.Snapshot(ctx, t.ID, a.InvitationID); err != nil {
			return err
		}
		if snap.Writeback.JobID != job.ID {
			return nil // another job took the stream over
		}
	}
	w.Log.InfoContext(ctx, "write-back: more to do, continuing in a new run", "customer_id", t.CustomerID, "invitation_id", a.InvitationID)
	return river.JobSnooze(0)
}

// ownerPoll is how soon a job looks again at a stream whose owner is
// still running.
const ownerPoll = time.Second

// takeOver lets a job work a stream owned by another job that no longer
// runs: one snoozed or waiting for a retry (Retry now and a
// re-authorization queue such a job), or one that ended without letting
// go. While the owner runs, the job waits: two jobs never write one
// invitation's row at the same time. It returns the owner after the
// attempt; the job works the stream only if that is itself.
func (w *WritebackWorker) takeOver(ctx context.Context, a jobargs.WritebackArgs, owner, jobID int64) (assessments.WritebackSnapshot, int64, error) {
	if owner == 0 {
		return assessments.WritebackSnapshot{}, 0, nil
	}
	j, err := w.Jobs.JobGet(ctx, owner)
	switch {
	case err != nil && !errors.Is(err, rivertype.ErrNotFound):
		return assessments.WritebackSnapshot{}, 0, err
	case err == nil && j.State == rivertype.JobStateRunning:
		return assessments.WritebackSnapshot{}, 0, river.JobSnooze(ownerPoll)
	}
	return w.Store.TakeOver(ctx, a.TenantID, a.InvitationID, owner, jobID)
}

// writebackRun is one run of one invitation's stream.
type writebackRun struct {
	w   *WritebackWorker
	t   assessments.Tenant
	job *river.Job[jobargs.WritebackArgs]
	// slot is the run's place in the customer's pace, reserved by this
	// run or an earlier one.
	slot *icims.Slot
}

// ready holds the stream back while the tenant cannot be written to:
// stop when it needs an admin, a snooze while it waits.
func (r *writebackRun) ready(ctx context.Context, snap assessments.WritebackSnapshot) (bool, error) {
	switch r.t.Status {
	case assessments.TenantNeedsReauth:
		return false, r.waitForReauth(ctx, snap, r.t.StatusReason)
	case assessments.TenantUninstalled:
		return true, r.w.Store.Hold(ctx, r.t.ID, snap.Invitation.ID, assessments.WritebackFailed,
			"JobCannon is uninstalled for this iCIMS customer, so nothing was written.",
			"Install JobCannon again from the iCIMS Marketplace, then press Retry now.", time.Time{}, false)
	}
	return false, nil
}

// waitForReauth snoozes the job until an admin re-authorizes; it never
// fails the write, and Writeback.Wake runs it as soon as the tenant is
// connected again.
func (r *writebackRun) waitForReauth(ctx context.Context, snap assessments.WritebackSnapshot, reason string) error {
	wait := r.w.ReauthWait
	if wait <= 0 {
		wait = DefaultWritebackReauthWait
	}
	if reason == "" {
		reason = "iCIMS refused JobCannon's credentials (401)."
	}
	problem := "Waiting for re-authorization: " + reason
	if err := r.w.Store.Hold(ctx, r.t.ID, snap.Invitation.ID, assessments.WritebackWaiting, problem, reauthFix(r.t),
		r.w.Clock.Now().Add(wait), false); err != nil {
		return err
	}
	r.w.Log.InfoContext(ctx, "write-back: waiting for re-authorization", "customer_id", r.t.CustomerID, "invitation_id", snap.Invitation.ID)
	return river.JobSnooze(wait)
}

func reauthFix(t assessments.Tenant) string {
	if t.AuthMode == assessments.AuthOAuth {
		return "Re-authorize JobCannon from the iCIMS Marketplace. Waiting writes resume by themselves as soon as it is done."
	}
	return "Enter the iCIMS credentials again on the connection page. Waiting writes resume by themselves as soon as they work."
}

// step makes one write and records it. stop is true when the write needs
// an admin: the stream lets go, and the next transition or Retry now
// picks it up. A non-nil error is River's to handle (a snooze, or a retry
// with backoff).
func (r *writebackRun) step(ctx context.Context, snap assessments.WritebackSnapshot, plan assessments.WritebackPlan) (bool, error) {
	inv, wb := snap.Invitation, snap.Writeback
	key := string(plan.Status)
	switch plan.Step {
	case assessments.StepScorecard:
		key = string(assessments.StatusCompleted)
	case assessments.StepMove:
		key = wb.MoveTo
	}
	deliveryID, err := r.w.Store.BeginStep(ctx, assessments.WritebackStepStart{TenantID: r.t.ID, InvitationID: inv.ID, Step: plan.Step,
		Key: key, WorkflowID: inv.WorkflowID, PersonID: inv.PersonID, JobID: inv.JobID, RuleID: wb.MoveRuleID})
	if err != nil {
		return false, err
	}
	log := r.w.Log.With("customer_id", r.t.CustomerID, "invitation_id", inv.ID, "delivery_id", deliveryID, "attempt", r.job.Attempt)

	client, err := r.w.Clients.Client(ctx, r.t)
	if err != nil {
		if assessments.ErrorCode(err) == assessments.EINTERNAL {
			return false, fmt.Errorf("write-back: client: %w", err)
		}
		return true, r.w.Store.Hold(ctx, r.t.ID, inv.ID, assessments.WritebackFailed, assessments.ErrorMessage(err),
			"Connect JobCannon to iCIMS again, then press Retry now.", time.Time{}, false)
	}
	cctx, rec := recordCalls(ctx)
	res := r.write(cctx, client, snap, plan)
	// What was sent is recorded even when the job's time ran out during
	// the call: the record must not be lost with the context.
	ctx = context.WithoutCancel(ctx)
	out := assessments.WritebackStepOutcome{TenantID: r.t.ID, InvitationID: inv.ID, DeliveryID: deliveryID, Attempts: rec.attempts(r.w.Clock),
		ICIMSCode: assessments.NoICIMSCode, Health: r.w.Health}
	if res.err == nil {
		// Only a write iCIMS took counts as written: a failed PATCH of
		// Complete recorded as written was never tried again, and the row
		// stayed Sent.
		out.Location, out.Written, out.Scorecard, out.Move = res.location, res.written, res.scorecard, res.move
		out.Delivery, out.Done, out.State, out.Message = assessments.DeliveryProcessed, true, assessments.WritebackPending, res.message
		keepEarlierProblem(&out, wb, plan.Step)
		log.InfoContext(ctx, "write-back: written", "step", string(plan.Step), "status_code", res.status)
		return false, r.w.Store.RecordStep(ctx, out)
	}
	f := r.explain(plan.Step, res, wb)
	out.State, out.Problem, out.Fix, out.HTTPStatus, out.ICIMSCode = f.state, f.problem, f.fix, f.httpStatus, f.code
	out.Message, out.NextAttemptAt, out.Release = f.problem, f.nextAttempt, f.release
	out.Delivery = assessments.DeliveryReceived
	if f.state == assessments.WritebackFailed || f.state == assessments.WritebackDead {
		out.Delivery = assessments.DeliveryFailed
	}
	if f.state == assessments.WritebackFailed {
		// A scorecard or a move that needs an admin does not hold up what
		// comes after it; Retry now clears the mark.
		switch plan.Step {
		case assessments.StepScorecard:
			out.Scorecard = "failed"
		case assessments.StepMove:
			out.Move = "failed"
		}
	}
	log.WarnContext(ctx, "write-back: not written", "step", string(plan.Step), "status_code", f.httpStatus,
		"state", string(f.state), "err", res.err)
	if f.reauth {
		_ = r.w.Clients.Failed(ctx, r.t, res.err)
	}
	if err := r.w.Store.RecordStep(ctx, out); err != nil {
		return false, err
	}
	return f.stop, f.riverErr
}

// keepEarlierProblem leaves a problem of another step showing (a scorecard
// field that is still missing) when a later step succeeds.
func keepEarlierProblem(out *assessments.WritebackStepOutcome, wb assessments.Writeback, step assessments.WritebackStep) {
	if wb.State == assessments.WritebackFailed && wb.Scorecard == "failed" && step != assessments.StepScorecard {
		out.State, out.Problem, out.Fix, out.HTTPStatus, out.ICIMSCode = wb.State, wb.Problem, wb.Fix, wb.HTTPStatus, wb.ICIMSCode
	}
}

// writeResult is what one write did.
type writeResult struct {
	location  string
	written   assessments.InvitationStatus
	scorecard string
	move      string
	message   string
	status    int // HTTP status of the success
	err       error
	// partial is set when some scorecard fields were written and field,
	// a mapped field iCIMS does not have, was left out.
	partial bool
	field   string
}

// write makes the call(s) of one step. Every id comes from the invitation:
// the write-back reads nothing from iCIMS.
func (r *writebackRun) write(ctx context.Context, client *icims.Client, snap assessments.WritebackSnapshot, plan assessments.WritebackPlan) writeResult {
	inv, wb := snap.Invitation, snap.Writeback
	reportURL := assessments.ReportURL(r.w.BaseURL, r.w.Signer, inv.ReportID)
	switch plan.Step {
	case assessments.StepCreateRow:
		// The body depends only on the invitation, never on when the job
		// runs: if an earlier try's POST succeeded but the process stopped
		// before its Location was stored, this POST repeats it exactly, and
		// iCIMS does not create a duplicate row; it answers 201 with the
		// existing row's Location (contract §4: "collection rows that
		// duplicate an existing row are silently not created"; the
		// simulator does the same). So a crash never leaves two rows.
		row := icims.AssessmentResult{
			Name:   &icims.ListNode{ID: snap.Package.AssessmentTypeID},
			Status: &icims.ListNode{ID: icims.StatusSent},
			Date:   icims.NewDateTime(firstTime(inv.SentAt, inv.CreatedAt)),
			URL:    reportURL,
		}
		loc, _, err := client.AddAssessmentResult(ctx, inv.WorkflowID, row)
		return writeResult{location: loc, written: assessments.StatusSent, message: "Sent", status: 201, err: err}
	case assessments.StepUpdateRow:
		row := updateRow(inv, snap.Result, reportURL)
		_, err := client.UpdateAssessmentResult(ctx, wb.Location, row)
		return writeResult{written: plan.Status, message: row.Status.Value, status: 204, err: err}
	case assessments.StepScorecard:
		return r.scorecard(ctx, client, snap, reportURL)
	case assessments.StepMove:
		_, err := client.PatchWorkflowStatus(ctx, inv.WorkflowID, wb.MoveTo)
		return writeResult{move: "done", message: "Moved to " + wb.MoveTo, status: 204, err: err}
	}
	return writeResult{err: errors.New("write-back: unknown step " + string(plan.Step))}
}

// updateRow is the PATCH that makes the row show the invitation's status.
// Empty subfields are left out, so what an earlier write set stays.
func updateRow(inv assessments.Invitation, res *assessments.PackageResult, reportURL string) icims.AssessmentResult {
	switch inv.Status {
	case assessments.StatusSent, assessments.StatusOpened:
		return icims.AssessmentResult{Status: &icims.ListNode{ID: icims.StatusSent, Value: "Sent"},
			Date: icims.NewDateTime(firstTime(inv.SentAt, inv.UpdatedAt)), Notes: "Invitation sent again."}
	case assessments.StatusInProgress:
		return icims.AssessmentResult{Status: &icims.ListNode{ID: icims.StatusInProgress, Value: "In-Progress"},
			Date: icims.NewDateTime(firstTime(inv.StartedAt, inv.UpdatedAt))}
	case assessments.StatusCompleted:
		row := icims.AssessmentResult{Status: &icims.ListNode{ID: icims.StatusComplete, Value: "Complete"},
			Date: icims.NewDateTime(firstTime(inv.CompletedAt, inv.UpdatedAt)), URL: reportURL}
		if res != nil {
			score := res.Overall
			row.Score = &score
			row.Result = cut(res.Verdict, icims.MaxAssessmentResultLen)
			row.Notes = cut(res.Summary, icims.MaxAssessmentNotesLen)
		}
		return row
	}
	return icims.AssessmentResult{Status: &icims.ListNode{ID: icims.StatusIncomplete, Value: "Incomplete"},
		Date:  icims.NewDateTime(firstTime(inv.EndedAt, inv.UpdatedAt)),
		Notes: cut(assessments.IncompleteNote(inv), icims.MaxAssessmentNotesLen)}
}

// scorecard PATCHes the mapped fields on the person in one call. A mapped
// field iCIMS does not have (code 4 naming it) is left out and the rest
// written in a second call, so one missing field costs the candidate
// nothing else; the step is then reported failed, naming the field.
func (r *writebackRun) scorecard(ctx context.Context, client *icims.Client, snap assessments.WritebackSnapshot, reportURL string) writeResult {
	if snap.Result == nil {
		return writeResult{err: errors.New("write-back: completed invitation without a result")}
	}
	values := assessments.ScorecardValues(snap.Package, *snap.Result, reportURL)
	if len(values) == 0 {
		return writeResult{scorecard: "done", message: "No scorecard value to write."}
	}
	var missing []string
	for len(values) > 0 {
		_, err := client.PatchPerson(ctx, snap.Invitation.PersonID, values)
		if err == nil {
			if len(missing) > 0 {
				return writeResult{partial: true, field: missing[0], err: missingFieldError(missing)}
			}
			return writeResult{scorecard: "done", message: strings.Join(slices.Sorted(maps.Keys(values)), ", "), status: 204}
		}
		var ie *icims.Error
		if !errors.As(err, &ie) || ie.Kind != icims.InvalidField || !notFoundMessage(ie.Message) {
			return writeResult{err: err, partial: len(missing) > 0}
		}
		if _, mapped := values[ie.Field]; !mapped {
			return writeResult{err: err, partial: len(missing) > 0}
		}
		missing = append(missing, ie.Field)
		delete(values, ie.Field)
	}
	return writeResult{field: missing[0], err: missingFieldError(missing)}
}

// missingFields is the error of a scorecard write whose mapped fields
// iCIMS does not have.
type missingFields struct{ fields []string }

func (e *missingFields) Error() string {
	return "scorecard fields not found in iCIMS: " + strings.Join(e.fields, ", ")
}

func missingFieldError(fields []string) error { return &missingFields{fields: fields} }

// notFoundMessage tells "this field does not exist" from "this value is
// not valid" among iCIMS's code-4 answers.
func notFoundMessage(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "field is not valid") || strings.Contains(m, "not found") || strings.Contains(m, "does not exist")
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// cut keeps s within n characters, marking a cut with "...".
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-3]) + "..."
}
