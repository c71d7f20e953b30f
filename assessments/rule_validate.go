package assessments

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Rule limits.
const (
	maxRuleName      = 100
	MaxStatusPairs   = 5
	maxRuleListItems = 50
	maxNodeID        = 64
)

// WorkflowStatus is one node of a tenant's iCIMS applicant workflow status
// list.
type WorkflowStatus struct {
	ID    string
	Value string
}

// StatusSource loads a tenant's workflow statuses from iCIMS (cached).
type StatusSource interface {
	WorkflowStatuses(ctx context.Context, t Tenant) ([]WorkflowStatus, error)
}

// Normalize trims the rule's text, drops empty entries and fills defaults,
// so that what is validated is what is stored.
func (r Rule) Normalize() Rule {
	r.Name = strings.TrimSpace(r.Name)
	c := &r.Conditions
	if c.Jobs == "" {
		c.Jobs = JobsAll
	}
	var pairs []StatusPair
	for _, p := range c.Statuses {
		p.From, p.To = strings.TrimSpace(p.From), strings.TrimSpace(p.To)
		if p.From != "" || p.To != "" {
			pairs = append(pairs, p)
		}
	}
	c.Statuses = pairs
	c.JobIDs = cleanList(c.JobIDs)
	c.Folders = cleanList(c.Folders)
	c.Sources = cleanList(c.Sources)
	if f := c.JobField; f != nil {
		f.Field, f.Value = strings.ToLower(strings.TrimSpace(f.Field)), strings.TrimSpace(f.Value)
		if f.Field == "" && f.Value == "" {
			c.JobField = nil
		}
	}
	// Lists that do not apply to the scope are dropped rather than kept
	// invisibly: what the form shows is the whole rule.
	if c.Jobs != JobsChosen {
		c.JobIDs = nil
	}
	if c.Jobs != JobsFolder {
		c.Folders = nil
	}
	if r.Mode == RuleInline {
		c.Statuses = nil
	}
	f := &r.FollowUp
	f.MoveIfRecommended, f.MoveOtherwise = strings.TrimSpace(f.MoveIfRecommended), strings.TrimSpace(f.MoveOtherwise)
	return r
}

func cleanList(in []string) []string {
	var out []string
	for _, v := range in {
		for part := range strings.SplitSeq(v, ",") {
			if part = strings.TrimSpace(part); part != "" && !slices.Contains(out, part) {
				out = append(out, part)
			}
		}
	}
	return out
}

// Validate checks a normalized rule's shape: an EINVALID error says what
// to fix, the first of FieldProblems. Whether its statuses and packages
// still exist is Problems' job.
func (r Rule) Validate() error {
	if ps := r.FieldProblems(); len(ps) > 0 {
		return Errorf(EINVALID, "%s", ps[0].Message)
	}
	return nil
}

// FieldProblem is one thing wrong with a form, named by the form field
// (its input's name) where the person fixes it.
type FieldProblem struct {
	Field   string
	Message string
}

// FieldProblems lists everything wrong with a normalized rule's shape, at
// most one problem per field, so that a form can show them all at once.
func (r Rule) FieldProblems() []FieldProblem {
	var out []FieldProblem
	add := func(field, format string, args ...any) {
		for _, p := range out {
			if p.Field == field {
				return
			}
		}
		out = append(out, FieldProblem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if r.TenantID == 0 {
		add("tenant", "A rule needs a tenant.")
	}
	if r.Name == "" {
		add("name", "Give the rule a name.")
	}
	if utf8.RuneCountInString(r.Name) > maxRuleName {
		add("name", "The rule's name can have at most %d characters.", maxRuleName)
	}
	if !r.Mode.Valid() {
		add("mode", "Choose when the rule sends: auto, manual, workflow or inline.")
	}
	c := r.Conditions
	if r.Mode != RuleInline {
		if len(c.Statuses) == 0 {
			add("to_0", "Choose the status that triggers the rule.")
		}
		if len(c.Statuses) > MaxStatusPairs {
			add("to_0", "A rule can have at most %d status moves.", MaxStatusPairs)
		}
		for i, p := range c.Statuses {
			to := fmt.Sprintf("to_%d", i)
			if p.To == "" {
				add(to, "Every status move needs the status the candidate moves to.")
			}
			for _, id := range []string{p.From, p.To} {
				if id != "" && !plausibleNodeID(id) {
					add(to, "Status %q is not an iCIMS status id.", id)
				}
			}
			if p.From == p.To {
				add(to, "A status move needs two different statuses.")
			}
		}
	}
	switch c.Jobs {
	case JobsAll, JobsAssessmentType:
	case JobsChosen:
		if len(c.JobIDs) == 0 {
			add("job_ids", "List the iCIMS ids of the jobs the rule applies to.")
		}
		for _, id := range c.JobIDs {
			if !ValidCustomerID(id) {
				add("job_ids", "Job id %q must be digits, such as 2001.", id)
			}
		}
	case JobsFolder:
		if len(c.Folders) == 0 {
			add("folders", "List the job folders the rule applies to.")
		}
	default:
		add("jobs", "Choose which jobs the rule applies to.")
	}
	for _, l := range []struct {
		field string
		n     int
	}{{"job_ids", len(c.JobIDs)}, {"folders", len(c.Folders)}, {"sources", len(c.Sources)}} {
		if l.n > maxRuleListItems {
			add(l.field, "A rule's lists can have at most %d entries each.", maxRuleListItems)
		}
	}
	if r.Mode != RuleWorkflow && (c.JobField != nil || len(c.Sources) > 0) {
		field := "sources"
		if c.JobField != nil {
			field = "job_field"
		}
		add(field, "Conditions on job fields and sources belong to custom workflow rules.")
	}
	if c.JobField != nil && (c.JobField.Field == "" || c.JobField.Value == "") {
		add("job_field", "A job field condition needs the field id and the value.")
	}
	if r.Mode == RuleManual && !r.MatchesAtIntake() {
		add("mode", "A recruiter-action rule is decided while iCIMS waits for the answer, so it can only use statuses and chosen jobs.")
	}
	if r.PackageID < 0 {
		add("package_id", "Choose the package to send.")
	}
	if r.Mode != RuleWorkflow && !r.FollowUp.Empty() {
		add("second_package_id", "Follow-up actions belong to custom workflow rules.")
	}
	f := r.FollowUp
	for i, s := range []string{f.MoveIfRecommended, f.MoveOtherwise} {
		if s != "" && !plausibleNodeID(s) {
			add([]string{"move_if_recommended", "move_otherwise"}[i], "Status %q is not an iCIMS status id.", s)
		}
	}
	if f.SecondPackageID < 0 || (f.SecondPackageID != 0 && f.SecondPackageID == r.PackageID) {
		add("second_package_id", "The second package must differ from the first.")
	}
	return out
}

// plausibleNodeID accepts iCIMS list node ids such as C51003 or D37002019004
// and nothing that could not be one.
func plausibleNodeID(s string) bool {
	if s == "" || len(s) > maxNodeID {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// Statuses lists every status id the rule names, for checks.
func (r Rule) Statuses() []string {
	var out []string
	for _, p := range r.Conditions.Statuses {
		out = append(out, p.From, p.To)
	}
	out = append(out, r.FollowUp.MoveIfRecommended, r.FollowUp.MoveOtherwise)
	return slices.DeleteFunc(out, func(s string) bool { return s == "" })
}

// Problems lists what makes the rule unable to work as written: a status
// that no longer exists in iCIMS or a package that is gone or switched off.
// statuses nil means they could not be loaded, so statuses are not checked.
func (r Rule) Problems(statuses []WorkflowStatus, packages []Package) []string {
	var out []string
	if statuses != nil {
		for _, id := range r.Statuses() {
			if !slices.ContainsFunc(statuses, func(s WorkflowStatus) bool { return s.ID == id }) {
				msg := fmt.Sprintf("Status %s no longer exists in iCIMS.", id)
				if !slices.Contains(out, msg) {
					out = append(out, msg)
				}
			}
		}
	}
	check := func(id int64, what string) {
		if id == 0 {
			return
		}
		i := slices.IndexFunc(packages, func(p Package) bool { return p.ID == id })
		switch {
		case i < 0:
			out = append(out, fmt.Sprintf("The %s no longer exists in the catalog.", what))
		case !packages[i].Enabled:
			out = append(out, fmt.Sprintf("The %s, %s, is switched off in the catalog.", what, packages[i].Name))
		}
	}
	check(r.PackageID, "package")
	check(r.FollowUp.SecondPackageID, "second package")
	return out
}

// StatusName returns a status's name from the list, or its id.
func StatusName(statuses []WorkflowStatus, id string) string {
	for _, s := range statuses {
		if s.ID == id {
			return s.Value
		}
	}
	return id
}
