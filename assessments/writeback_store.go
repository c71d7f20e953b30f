package assessments

import (
	"context"
	"time"
)

// WritebackStore is what the write-back worker needs of storage: each
// invitation's stream of writes to iCIMS, owned by at most one job at a
// time, and the record of every step. A change of status marks the stream
// and queues its job itself, in the change's own transaction.
type WritebackStore interface {
	// Claim makes jobID the owner of the stream unless another job owns
	// it, and returns what the job needs with the owner after the claim.
	Claim(ctx context.Context, tenantID, invitationID, jobID int64) (WritebackSnapshot, int64, error)
	// TakeOver moves the stream from a job that no longer runs to jobID.
	TakeOver(ctx context.Context, tenantID, invitationID, from, jobID int64) (WritebackSnapshot, int64, error)
	// Snapshot reads the stream again, as after a step.
	Snapshot(ctx context.Context, tenantID, invitationID int64) (WritebackSnapshot, error)
	// Release lets go of the stream if version is still the latest.
	Release(ctx context.Context, tenantID, invitationID, jobID, version int64) (bool, error)
	// BeginStep returns the outbound delivery that logs a step.
	BeginStep(ctx context.Context, st WritebackStepStart) (int64, error)
	// RecordStep records a step's attempts and outcome.
	RecordStep(ctx context.Context, o WritebackStepOutcome) error
	// Hold records a problem that keeps the stream waiting until until.
	Hold(ctx context.Context, tenantID, invitationID int64, state WritebackState, problem, fix string, until time.Time, release bool) error
}

// WritebackSnapshot is everything one write-back step needs, read without
// calling iCIMS.
type WritebackSnapshot struct {
	Invitation Invitation
	Writeback  Writeback
	Package    Package
	// Result is set once the invitation is completed.
	Result   *PackageResult
	Settings WritebackSettings
}

// WritebackStepStart is a write-back step about to call iCIMS.
type WritebackStepStart struct {
	TenantID     int64
	InvitationID int64
	Step         WritebackStep
	// Key names what the step writes (a status, a move's target): a retry
	// of the same write adds its attempts to the same delivery, a new
	// write gets a delivery of its own.
	Key        string
	WorkflowID string
	PersonID   string
	JobID      string
	RuleID     int64
}

// WritebackStepOutcome is how a step went: the HTTP tries it made and what they
// mean for the invitation's write-back.
type WritebackStepOutcome struct {
	TenantID     int64
	InvitationID int64
	DeliveryID   int64
	// Attempts are the HTTP tries, bodies kept, credentials never present
	// (they travel in headers, which are not recorded).
	Attempts []DeliveryAttempt
	// What iCIMS now shows, set on success: the row's Location (create),
	// the status it shows (row steps), "done" or "failed" for the
	// scorecard and the move.
	Location  string
	Written   InvitationStatus
	Scorecard string
	Move      string
	// Delivery and Message settle the step's delivery on the logs page.
	Delivery DeliveryStatus
	Message  string
	// Done forgets the step's delivery: the next write of the same kind is
	// logged as a new delivery.
	Done bool
	// State is the invitation's write-back state after the step: pending
	// while all is well, otherwise the problem showing, with its
	// explanation (which may belong to an earlier step, such as a
	// scorecard field that is still missing).
	State         WritebackState
	Problem       string
	Fix           string
	HTTPStatus    int
	ICIMSCode     int
	NextAttemptAt time.Time
	// Release gives up the stream: the job ends on a problem that only an
	// admin (or the next transition) can clear.
	Release bool
	// Health is the tenant's failing/recovered rule, applied to the step's
	// outcome in the transaction that records it, so that each notice is
	// queued exactly when the state that calls for it is saved.
	Health WriteHealthPolicy
}
