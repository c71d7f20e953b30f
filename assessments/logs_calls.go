package assessments

import "context"

// OutboundCall is a call to iCIMS made outside a write (writes log their
// own deliveries): a read of a person, a job, an application or a list,
// or a call that failed before it left, such as a token that could not be
// refreshed. Each is logged as a delivery of kind DeliveryKindRead with
// one attempt, and counts against the day's quota.
type OutboundCall struct {
	TenantID int64
	// Op names the call ("get person").
	Op         string
	WorkflowID string
	PersonID   string
	JobID      string
	// Attempt is the exchange, without credentials (the iCIMS client
	// reports calls without their Authorization header).
	Attempt   DeliveryAttempt
	ICIMSCode int
	// Message is iCIMS's error message, or why the call never left.
	Message string
}

// Failed reports whether the call did not succeed.
func (c OutboundCall) Failed() bool {
	s := c.Attempt.ResponseStatus
	return s < 200 || s > 299
}

// CallStore records outbound calls for the logs.
type CallStore interface {
	RecordCalls(ctx context.Context, calls []OutboundCall) error
}
