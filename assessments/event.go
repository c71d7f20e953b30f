package assessments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// Event types iCIMS posts that the project acts on (contract §5). Any other
// type is recorded and ignored.
const (
	EventStatusChange        = "WorkFlowStatusChangeEvent"
	EventApplicationComplete = "AssessmentEvent"
)

// RedeliveryWindow is how long an exact redelivery of an event is
// recognised and answered as the first delivery was.
const RedeliveryWindow = 24 * time.Hour

// InboundEvent is an event iCIMS posted, as the domain reads it. The ids are
// iCIMS's. It carries no names: the titles of an event's links are labels
// ("Job Profile", "Person Profile"), so the job's title and the candidate's
// name are read from iCIMS (FactSource, PersonSource) when they are needed.
type InboundEvent struct {
	Type       string `json:"type"`
	CustomerID string `json:"customer_id"`
	WorkflowID string `json:"workflow_id,omitempty"`
	JobID      string `json:"job_id,omitempty"`
	PersonID   string `json:"person_id,omitempty"`
	UserID     string `json:"user_id,omitempty"`
	OldStatus  string `json:"old_status,omitempty"`
	NewStatus  string `json:"new_status,omitempty"`
	ReturnURL  string `json:"return_url,omitempty"`
}

// Actionable reports whether the project acts on the event's type.
func (e InboundEvent) Actionable() bool {
	return e.Type == EventStatusChange || e.Type == EventApplicationComplete
}

// DedupeKey names an event body for the tenant: the same bytes give the same
// key, so an exact redelivery is recognised.
func DedupeKey(tenantID int64, body []byte) string {
	h := sha256.New()
	h.Write([]byte(strconv.FormatInt(tenantID, 10)))
	h.Write([]byte{0})
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// EventAnswer is what iCIMS is told about one event: an HTTP status (200, 303,
// 400, …), for errors the message iCIMS shows the recruiter, and for 303 the
// page to send the browser to. iCIMS's contract is written in status codes,
// so the domain keeps them as data.
type EventAnswer struct {
	Status      int
	UserMessage string
	Debug       string
	Location    string
}

// The statuses of the answers the intake gives. They are the HTTP statuses
// iCIMS's contract names; the domain does not import net/http.
const (
	AnswerOK          = 200
	AnswerSeeOther    = 303
	AnswerBadRequest  = 400
	AnswerUnavailable = 503
)

// Messages iCIMS shows the recruiter.
const (
	MessageAccepted          = "Received."
	MessageNotConfigured     = "No assessment is set up for this job in JobCannon. An iCIMS admin can map the job's Assessment Type to a package in JobCannon's catalog."
	MessageTemporary         = "JobCannon could not record this request just now. Please try again in a minute."
	MessageIgnoredEventType  = "Received; JobCannon does not act on this kind of event."
	MessageAwaitingRecruiter = "Waiting for the recruiter to confirm the assessment."
)

// Received is one authenticated event delivery, decoded, on its way into
// the intake.
type Received struct {
	Tenant Tenant
	Event  InboundEvent
	// Body is the decompressed JSON body exactly as received.
	Body []byte
	// Method, URL and Headers describe the request, with every secret
	// header already removed.
	Method  string
	URL     string
	Headers map[string]string
	// Start is when the request arrived, for the recorded latency.
	Start time.Time
}

// Acceptance is a delivery ready to be recorded with the answer it gets.
type Acceptance struct {
	Delivery Delivery
	Request  DeliveryAttempt
	Answer   EventAnswer
	// Process queues the job that processes the delivery, in the same
	// transaction as the delivery itself.
	Process bool
	// Since is the start of the redelivery window: an earlier delivery of
	// the same body at or after it is a redelivery.
	Since time.Time
}

// Accepted is what recording a delivery produced. For a redelivery, Answer
// is the first delivery's and Delivery is the row logging the redelivery.
type Accepted struct {
	Delivery   Delivery
	Answer     EventAnswer
	Redelivery bool
}

// EventStore records event deliveries and what came of them.
type EventStore interface {
	// Accept records a delivery, and queues its processing when asked, in
	// one transaction. An exact redelivery within the window is recorded
	// as such and answered as the first was, without new work.
	Accept(ctx context.Context, a Acceptance) (Accepted, error)
	// AcceptInline records a delivery together with the invitation it
	// asks for (inline assessments). A live invitation for the same
	// package makes the answer the duplicate 400. location turns the new
	// candidate token into the URL the 303 answer points to.
	AcceptInline(ctx context.Context, a Acceptance, n NewInvitation, location func(token string) string) (Accepted, error)
	// Redelivery finds the answer of an earlier delivery of the same body,
	// so that a redelivery skips routing; Accept has the final word.
	Redelivery(ctx context.Context, tenantID int64, dedupeKey string, since time.Time) (EventAnswer, bool, error)
	// LivePackages lists the packages with a live invitation for an
	// applicant workflow.
	LivePackages(ctx context.Context, tenantID int64, workflowID string) ([]int64, error)
	// LiveSince tells when the live invitation of a package for an
	// applicant workflow was sent (or created, while its e-mail waits);
	// the zero time when there is none.
	LiveSince(ctx context.Context, tenantID int64, workflowID string, packageID int64) (time.Time, error)
	Delivery(ctx context.Context, tenantID, id int64) (Delivery, error)
	// DeliveryByPublicID finds a delivery by the id in confirm links; like
	// a token, the id itself names the tenant.
	DeliveryByPublicID(ctx context.Context, publicID string) (Delivery, error)
	Attempts(ctx context.Context, tenantID, deliveryID int64) ([]DeliveryAttempt, error)
	// Dispatch creates the invitations a processed delivery asks for and
	// records the outcome on it, in one transaction (see Dispatch).
	Dispatch(ctx context.Context, d Dispatch) (Dispatched, error)
	// SetOutcome records how processing a delivery ended, or why it waits.
	SetOutcome(ctx context.Context, o Outcome) error
}

// Dispatch is the work a delivery's processing settles on.
type Dispatch struct {
	TenantID   int64
	DeliveryID int64
	RuleID     int64
	// ExpectStatus, when set, makes the dispatch happen only while the
	// delivery is in that status: a recruiter's confirmation is used once.
	ExpectStatus DeliveryStatus
	Invitations  []NewInvitation
	// Names are the package names for the message on the delivery, by id.
	Names map[int64]string
}

// Dispatched is what a dispatch made: the invitations created (each with
// its e-mail queued) and the packages skipped because one was already live.
type Dispatched struct {
	Created    []Invitation
	Duplicates []int64
	Delivery   Delivery
}

// Outcome is how processing a delivery ended, or why it waits.
type Outcome struct {
	TenantID   int64
	DeliveryID int64
	Status     DeliveryStatus
	Message    string
	RuleID     int64
	// ICIMSCode is iCIMS's error code when HasICIMSCode is set (0 is a
	// real code: internal error).
	ICIMSCode    int
	HasICIMSCode bool
	// Attempt counts one more processing attempt.
	Attempt bool
	// ExpectStatus, when set, changes the delivery only while it is in
	// that status (ECONFLICT otherwise).
	ExpectStatus DeliveryStatus
}
