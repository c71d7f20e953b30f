package assessments

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// JobFacts is what rules may read of a job in iCIMS.
type JobFacts struct {
	ID              string
	Title           string
	AssessmentTypes []AssessmentType
	FolderID        string
	FolderName      string
	// Fields holds the job's other fields as text, keyed by field id.
	Fields map[string]string
}

// WorkflowFacts is what rules may read of an application in iCIMS.
type WorkflowFacts struct {
	Source string
}

// Facts loads, once and only when a rule asks, what the event does not
// carry. Implementations call iCIMS (through a cache).
type Facts interface {
	Job(ctx context.Context) (JobFacts, error)
	Workflow(ctx context.Context) (WorkflowFacts, error)
}

// Trace results: what routing made of each rule.
const (
	TraceMatched  = "matched"
	TraceSkipped  = "skipped"
	TraceDeferred = "deferred"
	TraceDisabled = "disabled"
	TraceNotTried = "not tried"
)

// RuleTrace says what routing made of one rule and why.
type RuleTrace struct {
	Rule   Rule
	Result string
	Reason string
}

// Route is the outcome of routing an event through a tenant's rules in
// order: the first enabled rule that matches fires.
type Route struct {
	Rule    Rule
	Matched bool
	// Deferred is set at intake when a rule whose event conditions hold
	// needs iCIMS data to be decided: the processing job decides.
	Deferred bool
	Trace    []RuleTrace
}

// Summary is one line about the route, for delivery messages.
func (r Route) Summary() string {
	switch {
	case r.Matched:
		return fmt.Sprintf("Rule %q matched.", r.Rule.Name)
	case r.Deferred:
		return fmt.Sprintf("Rule %q needs the job's data from iCIMS; deciding after the answer.", r.Rule.Name)
	}
	var tried int
	for _, t := range r.Trace {
		if t.Result == TraceSkipped {
			tried++
		}
	}
	if tried == 0 {
		return "No enabled trigger rule answers this event."
	}
	return fmt.Sprintf("No trigger rule matched (%d tried).", tried)
}

// RouteAtIntake routes an event with what it carries, while iCIMS waits:
// it stops, deferred, at the first rule that needs the job or the
// application from iCIMS, since a later rule must not fire before an
// earlier one is decided.
func RouteAtIntake(rules []Rule, ev InboundEvent) Route {
	route, _ := routeRules(context.Background(), rules, ev, nil, nil)
	return route
}

// RouteEvent routes an event through every rule, loading from facts what
// the rules need. packages are the tenant's catalog.
func RouteEvent(ctx context.Context, rules []Rule, ev InboundEvent, packages []Package, facts Facts) (Route, error) {
	return routeRules(ctx, rules, ev, packages, facts)
}

// routeRules routes at intake when facts is nil.
func routeRules(ctx context.Context, rules []Rule, ev InboundEvent, packages []Package, facts Facts) (Route, error) {
	var route Route
	for i, r := range rules {
		if route.Matched || route.Deferred {
			route.Trace = append(route.Trace, RuleTrace{Rule: r, Result: TraceNotTried, Reason: "An earlier rule decides."})
			continue
		}
		if !r.Enabled {
			route.Trace = append(route.Trace, RuleTrace{Rule: r, Result: TraceDisabled, Reason: "Switched off."})
			continue
		}
		if reason := eventMismatch(r, ev); reason != "" {
			route.Trace = append(route.Trace, RuleTrace{Rule: r, Result: TraceSkipped, Reason: reason})
			continue
		}
		if facts == nil && !r.MatchesAtIntake() {
			route.Deferred, route.Rule = true, rules[i]
			route.Trace = append(route.Trace, RuleTrace{Rule: r, Result: TraceDeferred, Reason: "Needs the job or application from iCIMS."})
			continue
		}
		if facts != nil {
			reason, err := factsMismatch(ctx, r, packages, facts)
			if err != nil {
				return route, err
			}
			if reason != "" {
				route.Trace = append(route.Trace, RuleTrace{Rule: r, Result: TraceSkipped, Reason: reason})
				continue
			}
		}
		route.Matched, route.Rule = true, rules[i]
		route.Trace = append(route.Trace, RuleTrace{Rule: r, Result: TraceMatched, Reason: "Every condition holds."})
	}
	return route, nil
}

// eventMismatch says why the event alone rules r out, or "".
func eventMismatch(r Rule, ev InboundEvent) string {
	if r.Mode.EventType() != ev.Type {
		if r.Mode == RuleInline {
			return "Answers Application Complete events only."
		}
		return "Answers status changes only."
	}
	c := r.Conditions
	if r.Mode != RuleInline {
		hit := slices.ContainsFunc(c.Statuses, func(p StatusPair) bool {
			return p.To == ev.NewStatus && (p.From == "" || p.From == ev.OldStatus)
		})
		if !hit {
			return fmt.Sprintf("The move %s → %s is not one of the rule's.", orAny(ev.OldStatus), ev.NewStatus)
		}
	}
	if c.Jobs == JobsChosen && !slices.Contains(c.JobIDs, ev.JobID) {
		return fmt.Sprintf("Job %s is not one of the chosen jobs.", orAny(ev.JobID))
	}
	return ""
}

func orAny(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// factsMismatch says why the job or application rules r out, or "".
func factsMismatch(ctx context.Context, r Rule, packages []Package, facts Facts) (string, error) {
	c := r.Conditions
	if r.matchNeedsJob() {
		job, err := facts.Job(ctx)
		if err != nil {
			return "", err
		}
		switch c.Jobs {
		case JobsAssessmentType:
			if len(jobPackages(r, job, packages)) == 0 {
				return "The job's Assessment Type does not include the rule's package.", nil
			}
		case JobsFolder:
			if !slices.ContainsFunc(c.Folders, func(f string) bool {
				return f == job.FolderID || (job.FolderName != "" && strings.EqualFold(f, job.FolderName))
			}) {
				return fmt.Sprintf("The job's folder %s is not one of the rule's.", orAny(job.FolderName)), nil
			}
		}
		if f := c.JobField; f != nil && !strings.EqualFold(strings.TrimSpace(job.Fields[f.Field]), f.Value) {
			return fmt.Sprintf("The job's %s is %q, not %q.", f.Field, job.Fields[f.Field], f.Value), nil
		}
	}
	if r.NeedsWorkflow() {
		wf, err := facts.Workflow(ctx)
		if err != nil {
			return "", err
		}
		if !slices.ContainsFunc(c.Sources, func(s string) bool { return strings.EqualFold(s, wf.Source) }) {
			return fmt.Sprintf("The application's source %s is not one of the rule's.", orAny(wf.Source)), nil
		}
	}
	return "", nil
}

// namedBy reports whether a job's Assessment Type node names the package.
// A package mapped to the Assessment Name list has another node id than
// the job's Assessment Type node; vendors load the same names into both
// lists, so the node's value names it there.
func (p Package) namedBy(t AssessmentType) bool {
	if p.AssessmentTypeID == t.ID {
		return true
	}
	name := strings.TrimSpace(p.AssessmentTypeName)
	return p.AssessmentList == ListAssessmentName && name != "" && strings.EqualFold(name, strings.TrimSpace(t.Value))
}

// jobPackages are the enabled packages of the catalog that the job's
// Assessment Type names, in the job's order, narrowed to the rule's own
// package when it has one.
func jobPackages(r Rule, job JobFacts, packages []Package) []Package {
	var out []Package
	for _, t := range job.AssessmentTypes {
		i := slices.IndexFunc(packages, func(p Package) bool { return p.Enabled && p.namedBy(t) })
		if i < 0 || (r.PackageID != 0 && packages[i].ID != r.PackageID) {
			continue
		}
		if !slices.ContainsFunc(out, func(p Package) bool { return p.ID == packages[i].ID }) {
			out = append(out, packages[i])
		}
	}
	return out
}

// Targets returns what a matched rule sends: its package, or the enabled
// packages the job's Assessment Type names. An empty list comes with the
// reason, worded for the logs.
func Targets(ctx context.Context, r Rule, packages []Package, facts Facts) ([]Package, string, error) {
	if r.PackageID != 0 {
		i := slices.IndexFunc(packages, func(p Package) bool { return p.ID == r.PackageID })
		switch {
		case i < 0:
			return nil, fmt.Sprintf("Rule %q names a package that no longer exists.", r.Name), nil
		case !packages[i].Enabled:
			return nil, fmt.Sprintf("Rule %q sends %s, which is switched off in the catalog.", r.Name, packages[i].Name), nil
		}
		return []Package{packages[i]}, "", nil
	}
	job, err := facts.Job(ctx)
	if err != nil {
		return nil, "", err
	}
	out := jobPackages(r, job, packages)
	if len(out) == 0 {
		return nil, fmt.Sprintf("Job %s names no Assessment Type that is mapped to an enabled package.", orAny(job.ID)), nil
	}
	return out, "", nil
}
