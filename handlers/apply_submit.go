package handlers

import (
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// ApplySubmit takes the public form. Bad input is answered on the form and
// changes nothing; a good one is recorded with its first iCIMS step queued,
// and the browser is sent to the waiting page, which leads into the
// assessment once the application exists in iCIMS.
func (h *Apply) ApplySubmit(c echo.Context) error {
	ctx := c.Request().Context()
	l, t, err := h.applyLink(c)
	if err != nil {
		return err
	}
	form := views.ApplyForm{Company: t.Name, JobTitle: l.JobTitle, Action: routes.ApplySubmit(c.Param("token")),
		FirstName: c.FormValue("first_name"), LastName: c.FormValue("last_name"), Email: c.FormValue("email"),
		Phone: c.FormValue("phone")}
	page := h.applyPage(c, "Apply: "+l.JobTitle)
	if ok, err := h.allowApply(c, l); err != nil {
		return err
	} else if !ok {
		h.Log.WarnContext(ctx, "apply rate limited", "customer_id", t.CustomerID, "remote_ip", c.RealIP())
		form.Error = "Too many applications from here just now. Please wait a few minutes and try again."
		return Render(c, http.StatusTooManyRequests, views.ApplyPage(page, form))
	}
	if msg, err := h.applyClosed(c, l, t); err != nil {
		return err
	} else if msg != "" {
		return Render(c, http.StatusGone, views.ApplyNoticePage(h.applyPage(c, "Applications closed"),
			views.ApplyNotice{Heading: "Applications closed", Message: msg}))
	}
	n := assessments.NewApplication{TenantID: t.ID, LinkID: l.ID, FirstName: form.FirstName, LastName: form.LastName,
		Email: form.Email, Phone: form.Phone}
	n.Normalize()
	form.Errors = n.Validate()
	cv, cvErr := readCV(c)
	if cvErr != "" {
		form.Errors["cv"] = cvErr
	}
	if len(form.Errors) > 0 {
		form.Error = "Please correct the fields marked below."
		return Render(c, http.StatusUnprocessableEntity, views.ApplyPage(page, form))
	}
	n.CV = cv
	wait, err := assessments.NewToken(h.Random)
	if err != nil {
		return err
	}
	app, err := h.Store.Apply(ctx, n, assessments.HashToken(wait))
	if assessments.ErrorCode(err) == assessments.ECONFLICT {
		form.Error = assessments.ErrorMessage(err)
		return Render(c, http.StatusConflict, views.ApplyPage(page, form))
	} else if err != nil {
		return err
	}
	h.Log.InfoContext(ctx, "application received", "customer_id", t.CustomerID, "application_id", app.ID, "job_id", l.JobID)
	return c.Redirect(http.StatusSeeOther, routes.ApplyWait(wait))
}

// readCV reads the optional CV; the answer is a message for the form when
// the file is not acceptable.
func readCV(c echo.Context) (*assessments.CVFile, string) {
	fh, err := c.FormFile("cv")
	if errors.Is(err, http.ErrMissingFile) || (err == nil && fh.Size == 0 && fh.Filename == "") {
		return nil, ""
	} else if err != nil {
		return nil, "The CV could not be read. Please try again."
	}
	if fh.Size > assessments.MaxCVBytes {
		return nil, "The CV is larger than 5 MB. Please upload a smaller file."
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "The CV could not be read. Please try again."
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, assessments.MaxCVBytes+1))
	if err != nil {
		return nil, "The CV could not be read. Please try again."
	}
	cv, err := assessments.CheckCV(fh.Filename, data)
	if err != nil {
		return nil, assessments.ErrorMessage(err)
	}
	return &cv, ""
}
