package jobs

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/queue"
)

// failure is what a failed write means: the state it leaves the
// invitation's write-back in, the admin's explanation and fix, and what
// the job does next.
type failure struct {
	state       assessments.WritebackState
	problem     string
	fix         string
	httpStatus  int
	code        int
	nextAttempt time.Time
	// stop lets go of the stream (an admin must act); release does too,
	// for a write that is dead; reauth marks the tenant.
	stop    bool
	release bool
	reauth  bool
	// riverErr is returned to River: a snooze, or the error to retry
	// with backoff.
	riverErr error
}

// Fixes shown with the problems.
const (
	fixRetryLater = "Nothing to do: JobCannon tries again by itself, with growing pauses, for up to three days. Retry now tries at once."
	fixDead       = "Check that iCIMS is reachable (the connection page has a test), then press Retry now."
	fixScope      = "Re-authorize JobCannon from the iCIMS Marketplace and approve every permission, then press Retry now (re-authorizing also retries it by itself)."
)

// explain turns a failed write into its state, explanation and next move.
func (r *writebackRun) explain(step assessments.WritebackStep, res writeResult, wb assessments.Writeback) failure {
	now := r.w.Clock.Now()
	err := res.err
	var mf *missingFields
	if errors.As(err, &mf) {
		written := "The assessment result was written."
		if res.partial {
			written = "The assessment result and the other scorecard fields were written."
		}
		return failure{state: assessments.WritebackFailed, httpStatus: 400, code: icims.CodeInvalid,
			problem: fmt.Sprintf("Scorecard field not found: iCIMS has no %s (code 4). %s", fieldsPhrase(mf.fields), written),
			fix: fmt.Sprintf("Create the %s in iCIMS, or change the package's scorecard mapping in the catalog, then press Retry now.",
				fieldsPhrase(mf.fields))}
	}
	var ie *icims.Error
	if !errors.As(err, &ie) {
		if errors.Is(err, icims.ErrForeignLocation) {
			return failure{state: assessments.WritebackFailed, stop: true, code: assessments.NoICIMSCode,
				problem: "The stored address of the assessment row is not on this customer's iCIMS, so JobCannon did not send it anything.",
				fix:     "Contact JobCannon support with this candidate's name."}
		}
		// Our side (a cancelled wait for the pacer, a stopping server):
		// nothing reached iCIMS, so try again.
		return r.retryLater(wb, now, err, "JobCannon could not make the call: "+err.Error(), 0, assessments.NoICIMSCode)
	}
	f := failure{httpStatus: ie.HTTPStatus, code: ie.Code}
	switch ie.Kind {
	case icims.BadCredentials:
		wait := r.w.ReauthWait
		if wait <= 0 {
			wait = DefaultWritebackReauthWait
		}
		f.state, f.reauth, f.nextAttempt, f.riverErr = assessments.WritebackWaiting, true, now.Add(wait), river.JobSnooze(wait)
		f.problem = "iCIMS refused JobCannon's credentials (401, code 6); this write waits for re-authorization."
		if r.t.AuthMode == assessments.AuthOAuth {
			f.problem = "OAuth token expired: iCIMS refused JobCannon's token (401, code 6); this write waits for re-authorization."
		}
		f.fix = reauthFix(r.t)
		return f
	case icims.MissingScope:
		f.state, f.fix = assessments.WritebackFailed, fixScope
		f.problem = scopeProblem(step, ie.Scope)
	case icims.AccessDenied:
		f.state = assessments.WritebackFailed
		f.problem = fmt.Sprintf("iCIMS denied access (%d): %s", ie.HTTPStatus, ie.Message)
		f.fix = "Check that JobCannon's integration user may see and change this candidate in iCIMS, then press Retry now."
	case icims.NotFound:
		f.state = assessments.WritebackFailed
		f.problem = fmt.Sprintf("%s failed: iCIMS does not have it (404): %s", step.Label(), ie.Message)
		f.fix = "If the candidate or application was deleted in iCIMS, nothing can be written. Otherwise press Retry now."
	case icims.RequiredField:
		f.state = assessments.WritebackFailed
		field := nonEmptyField(ie.Field)
		f.problem = fmt.Sprintf("iCIMS requires the field %s before it accepts this write (code 1): %s", field, ie.Message)
		f.fix = fmt.Sprintf("Fill in %s on the candidate in iCIMS (or make it optional there), then press Retry now.", field)
	case icims.InvalidField:
		f.state = assessments.WritebackFailed
		f.problem = fmt.Sprintf("iCIMS refused the %s (code 4): %s", fieldOf(step, ie.Field), ie.Message)
		f.fix = "Check the package in the catalog (its Assessment Type and scorecard mapping) against iCIMS, then press Retry now."
	case icims.RateLimited, icims.QuotaExhausted:
		wait := ie.RetryAfter
		if wait <= 0 {
			wait = 30 * time.Second
		}
		if !wb.FailingSince.IsZero() && now.Sub(wb.FailingSince) > assessments.WritebackMaxAge {
			return r.dead(err, "iCIMS kept refusing for lack of quota.", f)
		}
		f.state, f.nextAttempt, f.riverErr = assessments.WritebackWaiting, now.Add(wait), river.JobSnooze(wait)
		f.problem = fmt.Sprintf("iCIMS's rate limit for this customer is reached (%d); this write waits %s.", ie.HTTPStatus, wait.Round(time.Second))
		switch {
		case ie.Kind == icims.RateLimited && ie.HTTPStatus == 0:
			// The tenant's pacer refused before calling: the write's turn
			// is further off (a backlog, a hold after a 429, a pace slowed
			// by them). The job snoozes rather than holding a worker that
			// other customers' writes need, until its reserved slot.
			if r.slot != nil && !r.slot.At.IsZero() {
				f.nextAttempt, f.riverErr = r.slot.At, river.JobSnooze(snoozeFor(r.slot.At.Sub(now)))
			}
			f.problem = paceMessage("write", ie, f.nextAttempt, now)
		case ie.Kind == icims.QuotaExhausted:
			f.problem = "Today's quota of iCIMS calls is used up; this write waits until 00:00 UTC."
		}
		f.fix = "Nothing to do: the write goes out by itself when iCIMS allows it."
		return f
	case icims.Temporary:
		msg := fmt.Sprintf("iCIMS answered %d: %s", ie.HTTPStatus, ie.Message)
		if ie.HTTPStatus == 0 {
			msg = "iCIMS could not be reached: " + ie.Message
		}
		return r.retryLater(wb, now, err, msg, ie.HTTPStatus, ie.Code)
	default:
		if ie.HTTPStatus >= 400 && ie.HTTPStatus < 500 {
			f.state = assessments.WritebackFailed
			f.problem = fmt.Sprintf("iCIMS refused the write (%d): %s", ie.HTTPStatus, ie.Message)
			f.fix = "Press Retry now; if it fails again, contact JobCannon support."
			break
		}
		return r.retryLater(wb, now, err, "iCIMS answered unexpectedly: "+ie.Message, ie.HTTPStatus, ie.Code)
	}
	// A failed row write stops the stream; a failed scorecard or move does
	// not hold up what comes after it.
	f.stop = step == assessments.StepCreateRow || step == assessments.StepUpdateRow
	return f
}

// retryLater hands a passing failure to River's backoff, or marks the
// write dead on its last attempt.
func (r *writebackRun) retryLater(wb assessments.Writeback, now time.Time, err error, msg string, status, code int) failure {
	f := failure{httpStatus: status, code: code}
	if r.job.Attempt >= r.job.MaxAttempts ||
		(!wb.FailingSince.IsZero() && now.Sub(wb.FailingSince) > assessments.WritebackMaxAge) {
		return r.dead(err, msg, f)
	}
	f.state, f.problem, f.fix, f.riverErr = assessments.WritebackRetrying, msg, fixRetryLater, err
	f.nextAttempt = now.Add(queue.BackoffDelay(len(r.job.Errors)+1, 0.5))
	return f
}

// dead gives up after the retry window: the write shows as dead with its
// last reason, and waits for Retry now.
func (r *writebackRun) dead(err error, msg string, f failure) failure {
	f.state, f.release, f.riverErr = assessments.WritebackDead, true, err
	f.problem = fmt.Sprintf("Gave up after %d tries over about three days. Last problem: %s", r.job.Attempt, msg)
	f.fix, f.nextAttempt = fixDead, time.Time{}
	return f
}

// scopeProblem words a 403 for a missing permission as the vendor's guide
// does.
func scopeProblem(step assessments.WritebackStep, scope string) string {
	switch {
	case scope == assessments.ScopeProfileWrite:
		return "Candidate profile write failed (403): JobCannon's authorization lacks the candidate_profile:write permission."
	case scope != "":
		return fmt.Sprintf("%s failed (403): JobCannon's authorization lacks the %s permission.", step.Label(), scope)
	}
	return step.Label() + " failed (403): JobCannon's authorization lacks a permission."
}

func fieldOf(step assessments.WritebackStep, field string) string {
	if field == "" {
		return "write (" + step.Label() + ")"
	}
	if step == assessments.StepScorecard {
		return "value of scorecard field " + field
	}
	return "value of " + field
}

func nonEmptyField(f string) string {
	if f == "" {
		return "a required field"
	}
	return f
}

// fieldsPhrase names one or more fields: "field rcf1", "fields rcf1 and
// rcf2".
func fieldsPhrase(fs []string) string {
	switch len(fs) {
	case 0:
		return "field"
	case 1:
		return "field " + fs[0]
	}
	return "fields " + strings.Join(fs[:len(fs)-1], ", ") + " and " + fs[len(fs)-1]
}
