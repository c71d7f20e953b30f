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
// to fix. Whether its statuses and packages still exist is Problems' job.
func (r Rule) Validate() error {
	if r.TenantID == 0 {
		return Errorf(EINVALID, "A rule needs a tenant.")
	}
	if r.Name == "" {
		return Errorf(EINVALID, "Give the rule a name.")
	}
	if utf8.RuneCountInString(r.Name) > maxRuleName {
		return Errorf(EINVALID, "The rule's name can have at most %d characters.", maxRuleName)
	}
	if !r.Mode.Valid() {
		return Errorf(EINVALID, "Choose when the rule sends: auto, manual, workflow or inline.")
	}
	c := r.Conditions
	if r.Mode != RuleInline {
		if len(c.Statuses) == 0 {
			return Errorf(EINVALID, "Choose the status that triggers the rule.")
		}
		if len(c.Statuses) > MaxStatusPairs {
			return Errorf(EINVALID, "A rule can have at most %d status moves.", MaxStatusPairs)
		}
		for _, p := range c.Statuses {
			if p.To == "" {
				return Errorf(EINVALID, "Every status move needs the status the candidate moves to.")
			}
			for _, id := range []string{p.From, p.To} {
				if id != "" && !plausibleNodeID(id) {
					return Errorf(EINVALID, "Status %q is not an iCIMS status id.", id)
				}
			}
			if p.From == p.To {
				return Errorf(EINVALID, "A status move needs two different statuses.")
			}
		}
	}
	switch c.Jobs {
	case JobsAll, JobsAssessmentType:
	case JobsChosen:
		if len(c.JobIDs) == 0 {
			return Errorf(EINVALID, "List the iCIMS ids of the jobs the rule applies to.")
		}
		for _, id := range c.JobIDs {
			if !ValidCustomerID(id) {
				return Errorf(EINVALID, "Job id %q must be digits, such as 2001.", id)
			}
		}
	case JobsFolder:
		if len(c.Folders) == 0 {
			return Errorf(EINVALID, "List the job folders the rule applies to.")
		}
	default:
		return Errorf(EINVALID, "Choose which jobs the rule applies to.")
	}
	if len(c.JobIDs) > maxRuleListItems || len(c.Folders) > maxRuleListItems || len(c.Sources) > maxRuleListItems {
		return Errorf(EINVALID, "A rule's lists can have at most %d entries each.", maxRuleListItems)
	}
	if r.Mode != RuleWorkflow && (c.JobField != nil || len(c.Sources) > 0) {
		return Errorf(EINVALID, "Conditions on job fields and sources belong to custom workflow rules.")
	}
	if c.JobField != nil && (c.JobField.Field == "" || c.JobField.Value == "") {
		return Errorf(EINVALID, "A job field condition needs the field id and the value.")
	}
	if r.Mode == RuleManual && !r.MatchesAtIntake() {
		return Errorf(EINVALID, "A recruiter-action rule is decided while iCIMS waits for the answer, so it can only use statuses and chosen jobs.")
	}
	if r.PackageID < 0 {
		return Errorf(EINVALID, "Choose the package to send.")
	}
	if r.Mode != RuleWorkflow && !r.FollowUp.Empty() {
		return Errorf(EINVALID, "Follow-up actions belong to custom workflow rules.")
	}
	f := r.FollowUp
	for _, s := range []string{f.MoveIfRecommended, f.MoveOtherwise} {
		if s != "" && !plausibleNodeID(s) {
			return Errorf(EINVALID, "Status %q is not an iCIMS status id.", s)
		}
	}
	if f.SecondPackageID < 0 || (f.SecondPackageID != 0 && f.SecondPackageID == r.PackageID) {
		return Errorf(EINVALID, "The second package must differ from the first.")
	}
	return nil
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
