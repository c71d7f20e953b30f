package assessments

import "context"

// FollowUpStore is what a custom-workflow rule's follow-up needs of
// storage. The follow-up job itself is queued by the completion's own
// transaction.
type FollowUpStore interface {
	// FollowUpFacts returns the rule and verdict behind a completed
	// invitation; found is false when no rule sent it.
	FollowUpFacts(ctx context.Context, tenantID, invitationID int64) (FollowUpFacts, bool, error)
	// CreateFollowUp creates the second package (n, when not nil) with its
	// e-mail job and queues the workflow move (when not nil) after the
	// invitation's other writes to iCIMS, in one transaction.
	CreateFollowUp(ctx context.Context, from Invitation, ruleID int64, n *NewInvitation, move *WorkflowMove) (Invitation, error)
}

// FollowUpFacts is what a follow-up needs: the rule that sent the
// invitation and the verdict of its result.
type FollowUpFacts struct {
	RuleID  int64
	Verdict string
	// DeliveryID is the delivery that asked for the invitation, if any.
	DeliveryID int64
}

// WorkflowMove asks for an application to be moved to a status, as a
// custom-workflow rule's follow-up after a completed assessment.
type WorkflowMove struct {
	TenantID     int64
	WorkflowID   string
	StatusID     string
	InvitationID int64
	RuleID       int64
	Verdict      string
}
