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
// saves it (audited) and goes back to the list; a problem shows the form
// again with what was typed.
func (h *Rules) saveRule(c echo.Context, r assessments.Rule) error {
	ctx := c.Request().Context()
	err := h.checkRuleRefs(c, r)
	if err == nil {
		r, err = h.Rules.SaveRule(ctx, actor(c), r)
	}
	if assessments.ErrorCode(err) == assessments.EINVALID {
		v, verr := h.ruleFormView(ctx, c, assessments.Rule{})
		if verr != nil {
			return verr
		}
		v.Form = ruleForm(r)
		v.Form.ID = r.ID
		v.Form.Error = assessments.ErrorMessage(err)
		title := "New trigger rule"
		if r.ID != 0 {
			title = r.Name
			v.Audit, _ = h.Rules.RuleAudit(ctx, r.TenantID, r.ID)
		}
		return Render(c, http.StatusUnprocessableEntity, views.RuleEdit(h.AdminPage(c, title), v))
	} else if err != nil {
		return err
	}
	h.flash(c, "Rule “"+r.Name+"” saved.")
	return c.Redirect(http.StatusSeeOther, routes.RuleList())
}

// checkRuleRefs refuses a rule naming a package the tenant does not have
// or a status iCIMS does not list (when the list could be loaded): a new
// or changed rule must work as written.
func (h *Rules) checkRuleRefs(c echo.Context, r assessments.Rule) error {
	ctx := c.Request().Context()
	t := CurrentTenant(c)
	packages, err := h.Catalog.Packages(ctx, t.ID)
	if err != nil {
		return err
	}
	for _, id := range []int64{r.PackageID, r.FollowUp.SecondPackageID} {
		if id != 0 && !slices.ContainsFunc(packages, func(p assessments.Package) bool { return p.ID == id }) {
			return assessments.Errorf(assessments.EINVALID, "Choose a package from the catalog (package %s was not found).", strconv.FormatInt(id, 10))
		}
	}
	if statuses, _ := h.statuses(ctx, t); statuses != nil {
		for _, id := range r.Statuses() {
			if !slices.ContainsFunc(statuses, func(s assessments.WorkflowStatus) bool { return s.ID == id }) {
				return assessments.Errorf(assessments.EINVALID, "Status %s is not one of your iCIMS workflow statuses.", id)
			}
		}
	}
	return nil
}
