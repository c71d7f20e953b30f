package handlers

import (
	"context"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/views"
)

// ruleFormRows is how many status moves the form offers.
const ruleFormRows = 3

// ruleParam loads the signed-in tenant's rule named by the :id parameter;
// another tenant's rule is simply not found.
func (h *Rules) ruleParam(c echo.Context) (assessments.Rule, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return assessments.Rule{}, assessments.Errorf(assessments.ENOTFOUND, "Trigger rule not found.")
	}
	return h.Rules.Rule(c.Request().Context(), TenantID(c), id)
}

// actor is the signed-in admin, for the audit trail.
func actor(c echo.Context) assessments.Actor {
	a := CurrentAdmin(c)
	return assessments.Actor{AdminID: a.ID, Email: a.Email}
}

// ruleFromForm reads the rule form into a rule of the signed-in tenant.
func ruleFromForm(c echo.Context, id int64) assessments.Rule {
	r := assessments.Rule{
		ID: id, TenantID: TenantID(c), Name: c.FormValue("name"), Mode: assessments.RuleMode(c.FormValue("mode")),
		Enabled: c.FormValue("enabled") == "true",
		Conditions: assessments.RuleConditions{
			Jobs:    assessments.JobScope(c.FormValue("jobs")),
			JobIDs:  canonicalList(splitList(formValues(c, "job_ids"))),
			Folders: splitList(c.FormValue("folders")),
			Sources: splitList(c.FormValue("sources")),
		},
		PackageID: formInt(c, "package_id"),
		FollowUp: assessments.FollowUp{
			SecondPackageID:   formInt(c, "second_package_id"),
			MoveIfRecommended: c.FormValue("move_if_recommended"),
			MoveOtherwise:     c.FormValue("move_otherwise"),
		},
	}
	for i := range assessments.MaxStatusPairs {
		n := strconv.Itoa(i)
		r.Conditions.Statuses = append(r.Conditions.Statuses, assessments.StatusPair{From: c.FormValue("from_" + n), To: c.FormValue("to_" + n)})
	}
	if field, value := c.FormValue("job_field"), c.FormValue("job_value"); field != "" || value != "" {
		r.Conditions.JobField = &assessments.FieldCondition{Field: field, Value: value}
	}
	return r.Normalize()
}

func formInt(c echo.Context, name string) int64 {
	v, err := strconv.ParseInt(strings.TrimSpace(c.FormValue(name)), 10, 64)
	if err != nil {
		return 0
	}
	return v
}

// splitList reads a list typed as commas or lines.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' })
}

// ruleForm turns a rule into what the form shows.
func ruleForm(r assessments.Rule) views.RuleForm {
	f := views.RuleForm{
		ID: r.ID, Name: r.Name, Mode: string(r.Mode), Enabled: r.Enabled, Jobs: string(r.Conditions.Jobs),
		JobIDs: strings.Join(r.Conditions.JobIDs, ", "), Folders: strings.Join(r.Conditions.Folders, ", "),
		Sources: strings.Join(r.Conditions.Sources, ", "), PackageID: r.PackageID,
		SecondPackageID: r.FollowUp.SecondPackageID, MoveIfRecommended: r.FollowUp.MoveIfRecommended,
		MoveOtherwise: r.FollowUp.MoveOtherwise,
	}
	if f.Mode == "" {
		f.Mode = string(assessments.RuleAuto)
	}
	if f.Jobs == "" {
		f.Jobs = string(assessments.JobsAll)
	}
	if jf := r.Conditions.JobField; jf != nil {
		f.JobField, f.JobValue = jf.Field, jf.Value
	}
	f.Statuses = append(f.Statuses, r.Conditions.Statuses...)
	for len(f.Statuses) < ruleFormRows {
		f.Statuses = append(f.Statuses, assessments.StatusPair{})
	}
	return f
}

// ruleFormView gathers what the form offers: the tenant's statuses from
// iCIMS (or a note when iCIMS did not answer) and its packages.
func (h *Rules) ruleFormView(ctx context.Context, c echo.Context, r assessments.Rule) (views.RuleFormView, error) {
	t := CurrentTenant(c)
	v := views.RuleFormView{Form: ruleForm(r)}
	var err error
	if v.Packages, err = h.Catalog.Packages(ctx, t.ID); err != nil {
		return v, err
	}
	v.Statuses, v.StatusNote = h.statuses(ctx, t)
	if v.Jobs, err = h.jobPicker(ctx, t.ID); err != nil {
		return v, err
	}
	if r.ID != 0 {
		if v.Audit, err = h.Rules.RuleAudit(ctx, t.ID, r.ID); err != nil {
			return v, err
		}
		v.Problems = r.Problems(v.Statuses, v.Packages)
		v.Problems = append(v.Problems, assessments.RemovedJobProblems(r.Conditions.JobIDs, v.Jobs)...)
	}
	return v, nil
}

// statuses loads the tenant's workflow statuses; when iCIMS does not
// answer, pages fall back to typed status ids and say why.
func (h *Rules) statuses(ctx context.Context, t assessments.Tenant) ([]assessments.WorkflowStatus, string) {
	list, err := h.Statuses.WorkflowStatuses(ctx, t)
	if err != nil {
		h.Log.WarnContext(ctx, "load workflow statuses", "customer_id", t.CustomerID, "err", err)
		return nil, "The workflow statuses could not be loaded from iCIMS just now, so they are shown as ids and not checked."
	}
	return list, ""
}
