package handlers

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// RuleCreate saves a new rule, last in order.
func (h *Rules) RuleCreate(c echo.Context) error {
	return h.saveRule(c, ruleFromForm(c, 0))
}

// RuleUpdate saves changes to a rule.
func (h *Rules) RuleUpdate(c echo.Context) error {
	cur, err := h.ruleParam(c)
	if err != nil {
		return err
	}
	return h.saveRule(c, ruleFromForm(c, cur.ID))
}

// saveRule validates the rule against the tenant's packages and statuses,
// saves it (audited) and goes back to the list; problems show the form
// again with what was typed and every problem at its field at once.
func (h *Rules) saveRule(c echo.Context, r assessments.Rule) error {
	ctx := c.Request().Context()
	refs, err := h.ruleRefProblems(c, r)
	if err != nil {
		return err
	}
	problems := r.FieldProblems()
	for _, p := range refs {
		if !slices.ContainsFunc(problems, func(q assessments.FieldProblem) bool { return q.Field == p.Field }) {
			problems = append(problems, p)
		}
	}
	var formError string
	if len(problems) == 0 {
		r, err = h.Rules.SaveRule(ctx, actor(c), r)
		if assessments.ErrorCode(err) == assessments.EINVALID {
			formError = assessments.ErrorMessage(err)
		} else if err != nil {
			return err
		}
	}
	if len(problems) > 0 || formError != "" {
		v, verr := h.ruleFormView(ctx, c, assessments.Rule{})
		if verr != nil {
			return verr
		}
		v.Form = ruleForm(r)
		v.Form.ID = r.ID
		v.Form.Problems, v.Form.Error = problems, formError
		title := "New trigger rule"
		if r.ID != 0 {
			title = r.Name
			v.Audit, _ = h.Rules.RuleAudit(ctx, r.TenantID, r.ID)
		}
		return Render(c, http.StatusUnprocessableEntity, views.RuleEdit(h.AdminPage(c, title), v))
	}
	h.flash(c, "Rule “"+r.Name+"” saved.")
	return c.Redirect(http.StatusSeeOther, routes.RuleList())
}

// ruleRefProblems finds a package the tenant does not have or a status
// iCIMS does not list (when the list could be loaded), each at its field:
// a new or changed rule must work as written.
func (h *Rules) ruleRefProblems(c echo.Context, r assessments.Rule) ([]assessments.FieldProblem, error) {
	ctx := c.Request().Context()
	t := CurrentTenant(c)
	packages, err := h.Catalog.Packages(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	var out []assessments.FieldProblem
	for i, id := range []int64{r.PackageID, r.FollowUp.SecondPackageID} {
		if id != 0 && !slices.ContainsFunc(packages, func(p assessments.Package) bool { return p.ID == id }) {
			out = append(out, assessments.FieldProblem{Field: []string{"package_id", "second_package_id"}[i],
				Message: "Choose a package from the catalog (package " + strconv.FormatInt(id, 10) + " was not found)."})
		}
	}
	statuses, _ := h.statuses(ctx, t)
	if statuses == nil {
		return out, nil
	}
	known := func(id string) bool {
		return id == "" || slices.ContainsFunc(statuses, func(s assessments.WorkflowStatus) bool { return s.ID == id })
	}
	unknown := func(field, id string) {
		out = append(out, assessments.FieldProblem{Field: field, Message: "Status " + id + " is not one of your iCIMS workflow statuses."})
	}
	for i, p := range r.Conditions.Statuses {
		for _, id := range []string{p.From, p.To} {
			if !known(id) {
				unknown("to_"+strconv.Itoa(i), id)
				break
			}
		}
	}
	for i, id := range []string{r.FollowUp.MoveIfRecommended, r.FollowUp.MoveOtherwise} {
		if !known(id) {
			unknown([]string{"move_if_recommended", "move_otherwise"}[i], id)
		}
	}
	return out, nil
}
