package handlers

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/views"
)

// RuleDryRunShow shows the dry-run form with an example event.
func (h *Rules) RuleDryRunShow(c echo.Context) error {
	v := h.dryRunView(c)
	v.EventJSON = exampleEvent(CurrentTenant(c).CustomerID)
	return Render(c, http.StatusOK, views.RuleDryRun(h.AdminPage(c, "Dry run"), v))
}

// RuleDryRun routes a pasted event, or one built from a real application,
// through the rules and shows what would happen. It writes nothing and
// sends nothing, so it renders instead of redirecting.
func (h *Rules) RuleDryRun(c echo.Context) error {
	ctx := c.Request().Context()
	t := CurrentTenant(c)
	v := h.dryRunView(c)
	v.EventJSON, v.WorkflowID, v.NewStatus = c.FormValue("event"), canonicalOrRaw(c.FormValue("workflow_id")), c.FormValue("new_status")
	var ev assessments.InboundEvent
	var err error
	if c.FormValue("source") == "workflow" {
		if !assessments.ValidCustomerID(v.WorkflowID) || v.NewStatus == "" {
			err = assessments.Errorf(assessments.EINVALID, "Enter the application's iCIMS id (digits) and choose the status to move it to.")
		} else if ev, err = h.Samples.StatusChangeEvent(ctx, t, v.WorkflowID, v.NewStatus); err != nil && assessments.ErrorCode(err) == assessments.EINTERNAL {
			err = assessments.Errorf(assessments.EINVALID, "iCIMS did not return application %s: %v", v.WorkflowID, err)
		}
		if err == nil {
			b, _ := json.MarshalIndent(ev, "", "  ")
			v.Built = string(b)
		}
	} else {
		ev, err = pastedEvent(v.EventJSON)
	}
	if err == nil {
		var res assessments.DryRunResult
		res, err = h.DryRun.Run(ctx, t, ev)
		v.Result = &res
	}
	if err != nil {
		if assessments.ErrorCode(err) == assessments.EINTERNAL {
			return err
		}
		v.Result, v.Error = nil, assessments.ErrorMessage(err)
		return Render(c, http.StatusUnprocessableEntity, views.RuleDryRun(h.AdminPage(c, "Dry run"), v))
	}
	return Render(c, http.StatusOK, views.RuleDryRun(h.AdminPage(c, "Dry run"), v))
}

func (h *Rules) dryRunView(c echo.Context) views.DryRunView {
	ctx := c.Request().Context()
	t := CurrentTenant(c)
	v := views.DryRunView{}
	v.Statuses, v.StatusNote = h.statuses(ctx, t)
	v.Packages, _ = h.Catalog.Packages(ctx, t.ID)
	return v
}

// pastedEvent decodes an event pasted as JSON, with the checks the intake
// makes.
func pastedEvent(s string) (assessments.InboundEvent, error) {
	header := http.Header{"Content-Type": {"application/json"}}
	ev, _, err := icims.DecodeEvent(header, []byte(s), MaxEventBytes)
	if err != nil {
		return assessments.InboundEvent{}, assessments.Errorf(assessments.EINVALID, "%s", eventProblem(err).UserMessage)
	}
	return inboundEvent(ev), nil
}

func exampleEvent(customerID string) string {
	return `{
  "eventType": "WorkFlowStatusChangeEvent",
  "customerId": "` + customerID + `",
  "systemId": "3001",
  "jobId": "2001",
  "personId": "1001",
  "userId": "900",
  "oldStatus": "",
  "newStatus": ""
}`
}
