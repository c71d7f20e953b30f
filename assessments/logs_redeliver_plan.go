package assessments

import (
	"context"
	"strings"
)

// CompletedInvitations finds what a candidate already finished for an
// application, so that a redelivery asks before inviting them again.
type CompletedInvitations interface {
	// CompletedInvitations lists the tenant's completed invitations of
	// the iCIMS applicant workflow, newest first.
	CompletedInvitations(ctx context.Context, tenantID int64, workflowID string) ([]Invitation, error)
}

// RedeliverPlan is what the redelivery confirmation tells the admin before
// anything is replayed.
type RedeliverPlan struct {
	Entry LogEntry
	// Completed are the invitations the candidate already completed for
	// this application. When there are any, a rule that matches again
	// would e-mail the candidate a new invitation and add a second Sent
	// row in iCIMS, so the redelivery needs the admin's explicit choice.
	Completed []Invitation
}

// PlanRedeliver says what redelivering the tenant's delivery id would do,
// without doing it. A delivery that cannot be redelivered is EINVALID.
func (l *Logs) PlanRedeliver(ctx context.Context, tenantID, id int64) (RedeliverPlan, error) {
	e, err := l.Store.LogEntry(ctx, tenantID, id)
	if err != nil {
		return RedeliverPlan{}, err
	}
	if why := redeliverProblem(e); why != "" {
		return RedeliverPlan{}, Errorf(EINVALID, "%s", why)
	}
	done, err := l.Completed.CompletedInvitations(ctx, tenantID, e.Event.WorkflowID)
	if err != nil {
		return RedeliverPlan{}, err
	}
	return RedeliverPlan{Entry: e, Completed: done}, nil
}

// reinviteRefusal is the ECONFLICT error of a redelivery that would invite
// a candidate who already completed, asked for without the explicit choice.
func reinviteRefusal(done []Invitation) error {
	when := make([]string, 0, len(done))
	for _, inv := range done {
		when = append(when, inv.CompletedAt.UTC().Format("2 Jan 2006"))
	}
	return Errorf(ECONFLICT, "%s already completed this application's assessment (on %s). Choose \"Invite again anyway\" to send a new invitation.",
		done[0].CandidateName(), strings.Join(when, ", "))
}
