package assessments

import (
	"context"
	"time"
)

// RuleMode is how a trigger rule sends its package.
type RuleMode string

// Rule modes. Auto, manual and workflow rules answer status changes; inline
// rules answer the Application Complete event of a job with an inline
// assessment.
const (
	// RuleAuto sends on stage entry without anyone clicking.
	RuleAuto RuleMode = "auto"
	// RuleManual sends the recruiter to a confirm page; nothing goes out
	// without their click.
	RuleManual RuleMode = "manual"
	// RuleWorkflow is auto with more conditions and follow-up actions.
	RuleWorkflow RuleMode = "workflow"
	// RuleInline sends the candidate straight from their finished
	// application into the assessment.
	RuleInline RuleMode = "inline"
)

// RuleModes lists the modes in the order forms offer them.
func RuleModes() []RuleMode { return []RuleMode{RuleAuto, RuleManual, RuleWorkflow, RuleInline} }

// Label names the mode for people.
func (m RuleMode) Label() string {
	switch m {
	case RuleAuto:
		return "On stage entry (auto-send)"
	case RuleManual:
		return "On recruiter action (confirm page)"
	case RuleWorkflow:
		return "Custom workflow"
	case RuleInline:
		return "On application complete (inline)"
	}
	return string(m)
}

// Valid reports whether m is a known mode.
func (m RuleMode) Valid() bool {
	switch m {
	case RuleAuto, RuleManual, RuleWorkflow, RuleInline:
		return true
	}
	return false
}

// EventType is the iCIMS event the mode answers.
func (m RuleMode) EventType() string {
	if m == RuleInline {
		return EventApplicationComplete
	}
	return EventStatusChange
}

// JobScope says which jobs a rule applies to.
type JobScope string

// Job scopes. All and chosen jobs are decided from the event alone; the
// others need the job's data from iCIMS.
const (
	JobsAll            JobScope = "all"
	JobsChosen         JobScope = "chosen"
	JobsAssessmentType JobScope = "assessment_type"
	JobsFolder         JobScope = "folder"
)

// Label names the scope for people.
func (s JobScope) Label() string {
	switch s {
	case JobsAll, "":
		return "All jobs"
	case JobsChosen:
		return "Chosen jobs"
	case JobsAssessmentType:
		return "Jobs whose Assessment Type includes the package"
	case JobsFolder:
		return "Jobs in chosen folders"
	}
	return string(s)
}

// StatusPair is a move between two workflow statuses (iCIMS list node ids).
// An empty From means from any status.
type StatusPair struct {
	From string `json:"from,omitempty"`
	To   string `json:"to"`
}

// FieldCondition asks that a job field has a value (case-insensitive), e.g.
// joblocation = "Remote, US".
type FieldCondition struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// RuleConditions are what an event and its job must show for a rule to
// fire. Every condition that is set must hold.
type RuleConditions struct {
	// Statuses: the move must be one of these. Inline rules have none.
	Statuses []StatusPair `json:"statuses,omitempty"`
	Jobs     JobScope     `json:"jobs,omitempty"`
	JobIDs   []string     `json:"job_ids,omitempty"`
	// Folders are job folder (category) node ids or names.
	Folders []string `json:"folders,omitempty"`
	// JobField and Sources are custom-workflow conditions.
	JobField *FieldCondition `json:"job_field,omitempty"`
	// Sources are Source values of the application (e.g. "Referral").
	Sources []string `json:"sources,omitempty"`
}

// FollowUp is what a custom-workflow rule does once its assessment is
// completed: send a second package, and move the application to a status
// depending on the verdict. The write-back carries out the moves.
type FollowUp struct {
	SecondPackageID   int64  `json:"second_package_id,omitempty"`
	MoveIfRecommended string `json:"move_if_recommended,omitempty"`
	MoveOtherwise     string `json:"move_otherwise,omitempty"`
}

// Empty reports whether the rule has no follow-up action.
func (f FollowUp) Empty() bool { return f == FollowUp{} }

// Rule is one trigger rule of a tenant.
type Rule struct {
	ID         int64
	TenantID   int64
	Name       string
	Mode       RuleMode
	Position   int
	Enabled    bool
	Conditions RuleConditions
	// PackageID is the package to send; 0 sends the packages the job's
	// Assessment Type field names.
	PackageID int64
	FollowUp  FollowUp
	CreatedAt time.Time
	UpdatedAt time.Time
}

// NeedsJob reports whether deciding the rule needs the job's data from
// iCIMS, either to match it or to know what to send.
func (r Rule) NeedsJob() bool { return r.matchNeedsJob() || r.PackageID == 0 }

// matchNeedsJob reports whether matching (not what to send) needs the job.
func (r Rule) matchNeedsJob() bool {
	c := r.Conditions
	return c.Jobs == JobsAssessmentType || c.Jobs == JobsFolder || c.JobField != nil
}

// NeedsWorkflow reports whether matching needs the application itself
// (its source) from iCIMS.
func (r Rule) NeedsWorkflow() bool { return len(r.Conditions.Sources) > 0 }

// MatchesAtIntake reports whether the rule can be matched from the event
// alone, while iCIMS waits for the answer.
func (r Rule) MatchesAtIntake() bool { return !r.matchNeedsJob() && !r.NeedsWorkflow() }

// Actor is who changes a rule, for the audit trail.
type Actor struct {
	AdminID int64
	Email   string
}

// Actions the audit trail records.
const (
	RuleCreated  = "created"
	RuleUpdated  = "updated"
	RuleEnabled  = "enabled"
	RuleDisabled = "disabled"
	RuleMoved    = "moved"
	RuleDeleted  = "deleted"
)

// RuleChange is one entry of a rule's audit trail: the rule as JSON before
// and after (empty for a creation or a deletion).
type RuleChange struct {
	ID     int64
	RuleID int64
	Actor  string
	Action string
	Before string
	After  string
	At     time.Time
}

// RuleStore keeps each tenant's trigger rules and their audit trail. Every
// change is audited in the transaction that makes it.
type RuleStore interface {
	// Rules returns the tenant's rules in the order they are tried.
	Rules(ctx context.Context, tenantID int64) ([]Rule, error)
	Rule(ctx context.Context, tenantID, id int64) (Rule, error)
	// SaveRule validates and creates the rule when its ID is zero (last in
	// order), or updates it.
	SaveRule(ctx context.Context, by Actor, r Rule) (Rule, error)
	SetRuleEnabled(ctx context.Context, by Actor, tenantID, id int64, enabled bool) error
	// MoveRule swaps the rule with its neighbour: up when delta < 0.
	MoveRule(ctx context.Context, by Actor, tenantID, id int64, delta int) error
	DeleteRule(ctx context.Context, by Actor, tenantID, id int64) error
	RuleAudit(ctx context.Context, tenantID, ruleID int64) ([]RuleChange, error)
}
