package app

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// sandboxTrial is "Send a test assessment" with the sandbox on: it moves
// a seeded sandbox application to the status of the tenant's first
// enabled auto-send rule through the simulator, which posts the event to
// us like iCIMS would, so the real path runs end to end.
type sandboxTrial struct {
	sim      *icimstest.Sim
	rules    assessments.RuleStore
	events   assessments.EventStore
	statuses assessments.StatusSource
}

// sandboxApplication is a seeded application and its job.
type sandboxApplication struct{ workflow, job int }

// sandboxApplications lists the simulator's seeded applications of a
// customer (icimstest's seed).
func sandboxApplications(customerID string) []sandboxApplication {
	var out []sandboxApplication
	switch customerID {
	case icimstest.CustomerUS:
		for n := range 12 {
			out = append(out, sandboxApplication{icimstest.USWorkflow1 + n, icimstest.USJob1 + n%3})
		}
	case icimstest.CustomerEU:
		for n := range 3 {
			out = append(out, sandboxApplication{icimstest.EUWorkflow1 + n, icimstest.EUJob1})
		}
	}
	return out
}

// RunTrial implements assessments.TrialRunner.
func (s *sandboxTrial) RunTrial(ctx context.Context, t assessments.Tenant) (assessments.TrialResult, error) {
	rules, err := s.rules.Rules(ctx, t.ID)
	if err != nil {
		return assessments.TrialResult{}, err
	}
	rule, pair, ok := assessments.TrialRule(rules)
	if !ok {
		return assessments.TrialResult{}, assessments.Errorf(assessments.EINVALID,
			"add an enabled auto-send rule with a status first; the test moves a sandbox candidate to that status.")
	}
	apps := sandboxApplications(t.CustomerID)
	if len(apps) == 0 {
		return assessments.TrialResult{}, assessments.Errorf(assessments.EINVALID,
			"customer %s is not a sandbox customer. Test in your iCIMS staging instance: advance a test candidate to the rule's status.", t.CustomerID)
	}
	for _, app := range apps {
		if c := rule.Conditions; c.Jobs == assessments.JobsChosen && !slices.Contains(c.JobIDs, strconv.Itoa(app.job)) {
			continue
		}
		current, err := s.sim.WorkflowStatus(t.CustomerID, app.workflow)
		if err != nil || current == pair.To {
			continue
		}
		live, err := s.events.LivePackages(ctx, t.ID, strconv.Itoa(app.workflow))
		if err != nil {
			return assessments.TrialResult{}, err
		}
		if (rule.PackageID != 0 && slices.Contains(live, rule.PackageID)) || (rule.PackageID == 0 && len(live) > 0) {
			continue
		}
		return s.move(ctx, t, rule, pair, app.workflow, current)
	}
	return assessments.TrialResult{}, assessments.Errorf(assessments.EINVALID,
		"every sandbox candidate already has this assessment live. Cancel one from the Invitations page, or reset the sandbox.")
}

// move runs the trial on one application: to the rule's "from" status
// first when it names one, then to its status.
func (s *sandboxTrial) move(ctx context.Context, t assessments.Tenant, rule assessments.Rule, pair assessments.StatusPair, workflow int, current string) (assessments.TrialResult, error) {
	if pair.From != "" && current != pair.From {
		if _, err := s.sim.MoveWorkflow(ctx, t.CustomerID, workflow, pair.From, 0); err != nil {
			return assessments.TrialResult{}, assessments.Errorf(assessments.EUNAVAILABLE, "the sandbox could not move application %d: %v", workflow, err)
		}
	}
	res, err := s.sim.MoveWorkflow(ctx, t.CustomerID, workflow, pair.To, 0)
	if err != nil {
		return assessments.TrialResult{}, assessments.Errorf(assessments.EUNAVAILABLE,
			"the sandbox could not post the event for application %d: %v. Check that JobCannon is installed for the sandbox customer.", workflow, err)
	}
	out := assessments.TrialResult{WorkflowID: strconv.Itoa(workflow), Status: res.StatusCode}
	moved := fmt.Sprintf("Moved sandbox application %d to %s for rule %q. JobCannon answered %d", workflow, s.statusName(ctx, t, pair.To),
		rule.Name, res.StatusCode)
	switch {
	case res.StatusCode == http.StatusOK:
		out.Summary = moved + ": the invitation is on its way. The checklist turns green as it goes: read the e-mail in the sandbox mailbox, take the assessment from its link, and the scorecard is written back."
	case res.StatusCode == http.StatusSeeOther:
		out.Summary = moved + ": the rule waits for the recruiter's confirmation."
	default:
		out.Summary = moved + ": " + string(res.Body) + " The webhook logs show why."
	}
	return out, nil
}

func (s *sandboxTrial) statusName(ctx context.Context, t assessments.Tenant, id string) string {
	statuses, err := s.statuses.WorkflowStatuses(ctx, t)
	if err != nil {
		return id
	}
	for _, st := range statuses {
		if st.ID == id {
			return st.Value
		}
	}
	return id
}
