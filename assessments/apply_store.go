package assessments

import "context"

// ApplicationStore keeps assessment-first links and applications and the
// record of each application's iCIMS steps. It queues each step's job
// itself, in the transaction that makes the step due: Apply queues the
// first, RecordApplyStep the next (and the invitation's e-mail when it
// creates the invitation), so a step and its record commit together or
// not at all.
type ApplicationStore interface {
	CreateLink(ctx context.Context, n NewApplyLink) (ApplyLink, error)
	// Link returns a link by id alone: the public page knows it from a
	// signed token, not from a session.
	Link(ctx context.Context, id int64) (ApplyLink, error)
	// Links returns a tenant's links for a job, newest first.
	Links(ctx context.Context, tenantID int64, jobID string) ([]ApplyLink, error)
	CloseLink(ctx context.Context, tenantID, id int64) error
	// Apply records an application and queues its first step. waitHash
	// is the hash of the token that lets the applicant's browser follow
	// it. A second application with the same e-mail through the same
	// link is ECONFLICT.
	Apply(ctx context.Context, n NewApplication, waitHash string) (Application, error)
	ApplicationByWait(ctx context.Context, waitHash string) (Application, error)
	Application(ctx context.Context, tenantID, id int64) (Application, error)
	// Applications returns a tenant's applications through one link,
	// newest first.
	Applications(ctx context.Context, tenantID, linkID int64) ([]Application, error)
	// CV returns the CV waiting to be uploaded; false once iCIMS has it.
	CV(ctx context.Context, tenantID, id int64) (CVFile, bool, error)
	// BeginApplyStep returns the application and the outbound delivery
	// that logs its step, creating the delivery unless a retry of the
	// same step has one. A zero delivery id means the application has
	// moved past step: the job is stale.
	BeginApplyStep(ctx context.Context, tenantID, id int64, step ApplyStep) (Application, int64, error)
	// RecordApplyStep records a step's tries and outcome, creates the
	// invitation it carries, and queues what follows, in one transaction.
	RecordApplyStep(ctx context.Context, o ApplyStepOutcome) (Application, error)
}

// ApplyStepOutcome is how one try of an apply step went.
type ApplyStepOutcome struct {
	TenantID      int64
	ApplicationID int64
	DeliveryID    int64
	// Attempts are the HTTP tries of this run, for the logs page.
	Attempts   []DeliveryAttempt
	Delivery   DeliveryStatus
	Message    string
	HTTPStatus int
	ICIMSCode  int
	// What the step learnt or made in iCIMS, kept with its outcome.
	PersonID      string
	PersonCreated bool
	WorkflowID    string
	// Warning is added to the application's warnings (iCIMS code 4).
	Warning string
	// Next moves the application on ("" keeps it at its step, to retry);
	// the store queues the next step's job with it.
	Next    ApplyStep
	Problem string
	// ClearCV drops the stored CV once iCIMS has it.
	ClearCV bool
	// Invitation, when set, is created in the same transaction unless the
	// application already has one, and its e-mail is queued.
	Invitation *NewInvitation
}
