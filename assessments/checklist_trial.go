package assessments

import "context"

// TrialResult is what "Send a test assessment" did, for the admin.
type TrialResult struct {
	// Summary says what happened and what to look at next.
	Summary string
	// WorkflowID is the sandbox application that was moved, for a link
	// to its deliveries.
	WorkflowID string
	// Status is JobCannon's answer to the event the move posted.
	Status int
}

// TrialRunner runs the whole loop once for a tenant: it moves a test
// candidate in the tenant's staging iCIMS to the status of its first
// enabled auto-send rule, so the real path runs: the event, the
// invitation, the e-mail, and the write-backs once the candidate
// finishes. The sandbox provides one; a real staging instance is moved by
// its admin instead.
type TrialRunner interface {
	RunTrial(ctx context.Context, t Tenant) (TrialResult, error)
}

// TrialRule returns the rule a test assessment exercises: the first
// enabled auto-send rule with a status to move to, and that status (the
// first of the rule's moves, preferring one from any status).
func TrialRule(rules []Rule) (Rule, StatusPair, bool) {
	for _, r := range rules {
		if !r.Enabled || r.Mode != RuleAuto || len(r.Conditions.Statuses) == 0 {
			continue
		}
		for _, p := range r.Conditions.Statuses {
			if p.From == "" && p.To != "" {
				return r, p, true
			}
		}
		return r, r.Conditions.Statuses[0], true
	}
	return Rule{}, StatusPair{}, false
}
