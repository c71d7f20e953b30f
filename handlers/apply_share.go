package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// ApplyShareShow is "Share an assessment link" on a job: the form and the
// job's links with their applications, warnings included.
func (h *Apply) ApplyShareShow(c echo.Context) error {
	v, err := h.applyShareView(c, "", "", "")
	if err != nil {
		return err
	}
	v.Flash = h.popFlash(c)
	return Render(c, http.StatusOK, views.ApplyShare(h.AdminPage(c, "Share an assessment link"), v))
}

// ApplyShareCreate makes a link for the job.
func (h *Apply) ApplyShareCreate(c echo.Context) error {
	ctx := c.Request().Context()
	t := CurrentTenant(c)
	pkgID, _ := strconv.ParseInt(c.FormValue("package"), 10, 64)
	source, label := c.FormValue("source"), strings.TrimSpace(c.FormValue("label"))
	v, err := h.applyShareView(c, c.FormValue("package"), source, label)
	if err != nil {
		return err
	}
	n := assessments.NewApplyLink{TenantID: t.ID, PackageID: pkgID, JobID: v.JobID, JobTitle: v.JobTitle, Source: source, SourceLabel: label}
	if pkgID != 0 {
		if _, err := h.Catalog.Package(ctx, t.ID, pkgID); err != nil {
			n.PackageID = 0
		}
	}
	sources := make([]string, 0, len(v.Sources))
	for _, o := range v.Sources {
		sources = append(sources, o.Value)
	}
	if err := n.Validate(sources); err != nil {
		v.Error = assessments.ErrorMessage(err)
		return Render(c, http.StatusUnprocessableEntity, views.ApplyShare(h.AdminPage(c, "Share an assessment link"), v))
	}
	l, err := h.Store.CreateLink(ctx, n)
	if err != nil {
		return err
	}
	h.Log.InfoContext(ctx, "apply link created", "customer_id", t.CustomerID, "job_id", l.JobID, "link_id", l.ID)
	h.flash(c, "Link created. Share it anywhere; people who apply through it are added to this job in iCIMS.")
	return c.Redirect(http.StatusSeeOther, routes.ApplyShareShow(v.JobID))
}

// ApplyShareClose stops a link taking applications.
func (h *Apply) ApplyShareClose(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return assessments.Errorf(assessments.ENOTFOUND, "This application link does not exist.")
	}
	if err := h.Store.CloseLink(c.Request().Context(), CurrentTenant(c).ID, id); err != nil {
		return err
	}
	h.flash(c, "Link closed.")
	return c.Redirect(http.StatusSeeOther, routes.ApplyShareShow(c.Param("jobID")))
}

// applyShareView reads the job, the packages, the sources and the links.
func (h *Apply) applyShareView(c echo.Context, pkg, source, label string) (views.ApplyShareView, error) {
	ctx := c.Request().Context()
	t := CurrentTenant(c)
	jobID, err := icims.CanonicalID(c.Param("jobID"))
	if err != nil {
		return views.ApplyShareView{}, assessments.Errorf(assessments.ENOTFOUND, "Job not found.")
	}
	job, err := h.ICIMS.Job(ctx, t, jobID)
	if err != nil {
		return views.ApplyShareView{}, err
	}
	v := views.ApplyShareView{JobID: jobID, JobTitle: job.Title, SourceLabel: label, Errors: map[string]string{}}
	if v.SourceLabel == "" {
		v.SourceLabel = h.DefaultLabel
	}
	pkgs, err := h.Catalog.Packages(ctx, t.ID)
	if err != nil {
		return v, err
	}
	names := map[int64]string{}
	for _, p := range pkgs {
		names[p.ID] = p.Name
		if p.Enabled {
			id := strconv.FormatInt(p.ID, 10)
			v.Packages = append(v.Packages, views.ShareOption(id, p.Name, id == pkg))
		}
	}
	sources, err := h.ICIMS.Sources(ctx, t)
	if err != nil {
		v.Error = "The list of sources could not be read from iCIMS: " + assessments.ErrorMessage(err)
	}
	for _, s := range sources {
		v.Sources = append(v.Sources, views.ShareOption(s, s, s == source))
	}
	links, err := h.Store.Links(ctx, t.ID, jobID)
	if err != nil {
		return v, err
	}
	for _, l := range links {
		apps, err := h.Store.Applications(ctx, t.ID, l.ID)
		if err != nil {
			return v, err
		}
		v.Links = append(v.Links, views.ApplyLinkRow{ID: l.ID, URL: h.link(routes.ApplyShow(assessments.ApplyLinkToken(h.Signer, l.ID))),
			Package: names[l.PackageID], Source: l.Source, Label: l.SourceLabel, Open: l.Open(),
			CloseAction: routes.ApplyShareClose(jobID, l.ID), Applications: apps})
	}
	return v, nil
}
