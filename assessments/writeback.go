package assessments

import (
	"context"
	"fmt"
	"time"
)

// WritebackStep is one kind of write to iCIMS; it is also the kind of the
// outbound delivery that logs it.
type WritebackStep string

// The write-back's steps, in the order one invitation's stream runs them.
const (
	StepCreateRow WritebackStep = "assessment_result.create"
	StepUpdateRow WritebackStep = "assessment_result.update"
	StepScorecard WritebackStep = "scorecard.update"
	StepMove      WritebackStep = "workflow.move"
)

// Label names a step for admins.
func (s WritebackStep) Label() string {
	switch s {
	case StepCreateRow:
		return "Add the assessment row"
	case StepUpdateRow:
		return "Update the assessment row"
	case StepScorecard:
		return "Scorecard fields"
	case StepMove:
		return "Move the application"
	}
	return string(s)
}

// WritebackState is where an invitation's write-back stands.
type WritebackState string

// Write-back states. Pending has work queued; retrying failed and River
// retries it with backoff; waiting is held back without using attempts (a
// rate limit, the daily quota, or a tenant that must re-authorize); failed
// needs an admin (a missing field or permission) and dead gave up after the
// retry window. Failed and dead writes wait for Retry now.
const (
	WritebackPending  WritebackState = "pending"
	WritebackDone     WritebackState = "done"
	WritebackRetrying WritebackState = "retrying"
	WritebackWaiting  WritebackState = "waiting"
	WritebackFailed   WritebackState = "failed"
	WritebackDead     WritebackState = "dead"
)

// Label names the state for admins.
func (s WritebackState) Label() string {
	switch s {
	case WritebackPending:
		return "Queued"
	case WritebackDone:
		return "Written"
	case WritebackRetrying:
		return "Retrying"
	case WritebackWaiting:
		return "Waiting"
	case WritebackFailed:
		return "Needs action"
	case WritebackDead:
		return "Gave up"
	}
	return string(s)
}

// Problem reports whether the state belongs on the problems list.
func (s WritebackState) Problem() bool {
	return s == WritebackRetrying || s == WritebackWaiting || s == WritebackFailed || s == WritebackDead
}

// WritebackMaxAge is how long a write keeps trying, through backoff and
// waits, before it is marked dead: three days, as the queue's attempts.
const WritebackMaxAge = 72 * time.Hour

// Writeback is what JobCannon has told iCIMS about one invitation.
type Writeback struct {
	TenantID     int64
	InvitationID int64
	// Version counts the transitions that asked for a write.
	Version int64
	// Location is the assessment results row's URL ("" until created).
	Location string
	// Written is the invitation status the row shows ("" for no row); see
	// RowStatus.
	Written   InvitationStatus
	WrittenAt time.Time
	// Scorecard and Move are "", "done" or "failed".
	Scorecard  string
	MoveTo     string
	MoveRuleID int64
	Move       string
	JobID      int64
	State      WritebackState
	// Step is the step in flight or in trouble; StepDeliveryID its
	// outbound delivery on the logs page.
	Step           WritebackStep
	StepKey        string
	StepDeliveryID int64
	Problem        string
	Fix            string
	HTTPStatus     int
	ICIMSCode      int
	Attempts       int
	FailingSince   time.Time
	NextAttemptAt  time.Time
	DeadAt         time.Time
	UpdatedAt      time.Time
}

// WritebackSettings are a tenant's write-back choices.
type WritebackSettings struct {
	// InProgress writes In-Progress when the candidate starts (default
	// on); off, the row stays Sent until it is complete.
	InProgress bool
}

// DefaultWritebackSettings are the settings of a tenant that chose none.
func DefaultWritebackSettings() WritebackSettings { return WritebackSettings{InProgress: true} }

// RowStatus is the invitation status the iCIMS row should show for an
// invitation in status s, as the status it is written for: opened shows
// as sent (iCIMS has no Opened), in_progress as sent when the tenant
// switched In-Progress off, and created as nothing yet.
func RowStatus(s InvitationStatus, set WritebackSettings) InvitationStatus {
	switch s {
	case StatusCreated:
		return ""
	case StatusOpened:
		return StatusSent
	case StatusInProgress:
		if !set.InProgress {
			return StatusSent
		}
	}
	return s
}

// IncompleteNote is the plain reason an Incomplete row gives recruiters.
func IncompleteNote(inv Invitation) string {
	switch inv.Status {
	case StatusExpired:
		return fmt.Sprintf("Not finished: the candidate's link expired on %s.", inv.Deadline().UTC().Format("2006-01-02"))
	case StatusCancelled:
		return "Cancelled in JobCannon: the candidate's link no longer works."
	case StatusFailed:
		return "The invitation e-mail could not be delivered. Check the candidate's address and resend it from JobCannon."
	}
	return ""
}

// WritebackPlan is the next write of an invitation's stream.
type WritebackPlan struct {
	Step WritebackStep
	// Status is the invitation status a row step writes.
	Status InvitationStatus
}

// NextWrite returns the write that brings iCIMS up to date with inv, or
// false when iCIMS already shows everything. It never looks at what a job
// was queued for, only at the invitation's current state and what iCIMS
// was told, so a late or repeated job writes nothing old: a late
// In-Progress can never overwrite Complete.
//
// A row that does not exist yet is always created as Sent, whatever the
// invitation's status, and then updated: the create's body is then the
// same on every retry, which is what lets iCIMS recognise a repeated POST
// after a crash (see the write-back worker).
func NextWrite(inv Invitation, wb Writeback, pkg Package, set WritebackSettings) (WritebackPlan, bool) {
	want := RowStatus(inv.Status, set)
	if wb.Location == "" {
		if want == "" || want == StatusExpired || want == StatusCancelled {
			// Not sent yet, or over before iCIMS ever showed it: nothing to
			// tell recruiters.
			return WritebackPlan{}, false
		}
		return WritebackPlan{Step: StepCreateRow, Status: StatusSent}, true
	}
	if want != "" && want != wb.Written {
		return WritebackPlan{Step: StepUpdateRow, Status: want}, true
	}
	if wb.Written == StatusCompleted && wb.Scorecard == "" && len(pkg.Scorecard) > 0 {
		return WritebackPlan{Step: StepScorecard}, true
	}
	if wb.MoveTo != "" && wb.Move == "" && wb.Written == StatusCompleted {
		return WritebackPlan{Step: StepMove}, true
	}
	return WritebackPlan{}, false
}

// WritebackProblem is one write on the admin's problems list.
type WritebackProblem struct {
	Writeback
	Candidate   string
	WorkflowID  string
	PackageName string
	Status      InvitationStatus
}

// WritebackAdmin is what the admin pages do with the write-back: show the
// problems and settings, and run writes again now.
type WritebackAdmin interface {
	Problems(ctx context.Context, tenantID int64) ([]WritebackProblem, error)
	Settings(ctx context.Context, tenantID int64) (WritebackSettings, error)
	SaveSettings(ctx context.Context, tenantID int64, s WritebackSettings) error
	// Retry runs one write again now ("Retry now"); another tenant's
	// invitation is ENOTFOUND.
	Retry(ctx context.Context, tenantID, invitationID int64) error
	// RetryAll runs every retrying, waiting, failed and dead write of the
	// tenant again now and returns how many.
	RetryAll(ctx context.Context, tenantID int64) (int, error)
}
