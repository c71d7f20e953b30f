package assessments

import (
	"context"
	"slices"
)

// SampleEvents builds an event from a real application, as iCIMS would post
// it if the application moved to newStatus now: how a dry run picks a
// sandbox candidate.
type SampleEvents interface {
	StatusChangeEvent(ctx context.Context, t Tenant, workflowID, newStatus string) (InboundEvent, error)
}

// DryRun shows which rule an event would fire and what would be sent,
// reading from iCIMS as the real processing would but writing nothing and
// sending nothing.
type DryRun struct {
	Rules   RuleStore
	Catalog CatalogStore
	Events  EventStore
	Facts   FactSource
	People  PersonSource
}

// DryRunResult is what a dry run found.
type DryRunResult struct {
	Event InboundEvent
	// Route is the full routing, with the job and application read from
	// iCIMS as needed.
	Route Route
	// Answer is what iCIMS would be told, in words.
	Answer string
	// Sends are the packages that would be sent; Duplicates those skipped
	// because they are already live for the application.
	Sends      []Package
	Duplicates []Package
	Candidate  Candidate
	// Outcome is one line about what would happen.
	Outcome string
	// Problem says what could not be read from iCIMS, if anything.
	Problem string
}

// Run routes ev for t.
func (dr *DryRun) Run(ctx context.Context, t Tenant, ev InboundEvent) (DryRunResult, error) {
	res := DryRunResult{Event: ev}
	if ev.CustomerID != t.CustomerID {
		return res, Errorf(EINVALID, "The event is for iCIMS customer %q; this account is customer %s.", ev.CustomerID, t.CustomerID)
	}
	if !ev.Actionable() {
		res.Answer, res.Outcome = "200: recorded and ignored", "JobCannon does not act on "+ev.Type+" events."
		return res, nil
	}
	rules, err := dr.Rules.Rules(ctx, t.ID)
	if err != nil {
		return res, err
	}
	packages, err := dr.Catalog.Packages(ctx, t.ID)
	if err != nil {
		return res, err
	}
	facts := dr.Facts.For(t, ev, FactOptions{ReadOnly: true, JobFields: JobFieldsOf(rules)})
	res.Route, err = RouteEvent(ctx, rules, ev, packages, facts)
	if err != nil {
		res.Problem = "iCIMS could not be read: " + err.Error()
		res.Route = RouteAtIntake(rules, ev)
	}
	rule, matched := res.Route.Rule, res.Route.Matched
	if ev.Type == EventApplicationComplete && !matched {
		rule, matched = Rule{Name: "the job's Assessment Type", Mode: RuleInline}, true
	}
	if !matched {
		res.Answer, res.Outcome = "200: recorded", res.Route.Summary()+" Nothing would be sent."
		return res, nil
	}
	targets, reason, err := Targets(ctx, rule, packages, facts)
	if err != nil {
		res.Problem = "iCIMS could not be read: " + err.Error()
	}
	if ev.Type == EventApplicationComplete && len(targets) > 1 {
		targets = targets[:1]
	}
	live, err := dr.Events.LivePackages(ctx, t.ID, ev.WorkflowID)
	if err != nil {
		return res, err
	}
	for _, p := range targets {
		if slices.Contains(live, p.ID) {
			res.Duplicates = append(res.Duplicates, p)
		} else {
			res.Sends = append(res.Sends, p)
		}
	}
	if ev.PersonID != "" {
		if res.Candidate, err = dr.People.Person(ctx, t, ev.PersonID); err != nil && res.Problem == "" {
			res.Problem = "iCIMS could not be read: " + err.Error()
		}
	}
	res.Answer, res.Outcome = dryRunAnswer(rule, ev, res, reason)
	return res, nil
}

func dryRunAnswer(rule Rule, ev InboundEvent, res DryRunResult, reason string) (answer, outcome string) {
	switch {
	case len(res.Sends) == 0 && len(res.Duplicates) > 0:
		return "400: " + DuplicateInvitationMessage, "Nothing would be sent: every package is already live for this application."
	case len(res.Sends) == 0 && ev.Type == EventApplicationComplete:
		return "400: " + MessageNotConfigured, reason
	case len(res.Sends) == 0:
		return "200: recorded", reason + " Nothing would be sent."
	case ev.Type == EventApplicationComplete:
		return "303 to the candidate's assessment", "The candidate would go straight into the assessment and back to iCIMS at the end."
	case rule.Mode == RuleManual:
		return "303 to the recruiter's confirm page", "The recruiter would see the candidate and job, and could change the package before sending."
	}
	to := res.Candidate.Email
	if to == "" {
		to = "the candidate's e-mail address in iCIMS"
	}
	return "200: recorded", "An invitation would be e-mailed to " + to + "."
}
