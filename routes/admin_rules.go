package routes

const (
	rules      = AdminPrefix + "/rules"
	ruleNew    = AdminPrefix + "/rules/new"
	ruleDryRun = AdminPrefix + "/rules/dry-run"
	rule       = AdminPrefix + "/rules/:id"
	ruleMove   = AdminPrefix + "/rules/:id/move"
	ruleEnable = AdminPrefix + "/rules/:id/enabled"
	ruleDelete = AdminPrefix + "/rules/:id/delete"
)

// RuleList is the trigger rules page.
func RuleList() string { return rules }

// RuleNew is the form for a new rule.
func RuleNew() string { return ruleNew }

// RuleCreate is where the new rule form posts.
func RuleCreate() string { return rules }

// RuleDryRunShow is the dry run page.
func RuleDryRunShow() string { return ruleDryRun }

// RuleDryRun is where the dry run form posts.
func RuleDryRun() string { return ruleDryRun }

// RuleEdit is the form of one rule.
func RuleEdit(ruleID int64) string { return fill(rule, id(ruleID)) }

// RuleUpdate is where a rule's form posts.
func RuleUpdate(ruleID int64) string { return fill(rule, id(ruleID)) }

// RuleMove moves a rule up or down the order.
func RuleMove(ruleID int64) string { return fill(ruleMove, id(ruleID)) }

// RuleEnable turns a rule on or off.
func RuleEnable(ruleID int64) string { return fill(ruleEnable, id(ruleID)) }

// RuleDelete deletes a rule.
func RuleDelete(ruleID int64) string { return fill(ruleDelete, id(ruleID)) }
