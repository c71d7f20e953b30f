package handlers

import (
	"context"
	"io"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/views"
)

// ApplyICIMS reads the job and the sources from iCIMS; icimsadapter.ApplyICIMS is
// one.
type ApplyICIMS interface {
	Job(ctx context.Context, t assessments.Tenant, jobID string) (assessments.JobFacts, error)
	Sources(ctx context.Context, t assessments.Tenant) ([]string, error)
}

// ApplyBodyLimit caps the public apply form: a CV of up to
// assessments.MaxCVBytes and the fields around it.
const ApplyBodyLimit = "6M"

// Apply serves assessment-first applications: the admin's share page on
// a job and the public apply pages.
type Apply struct {
	*Shared
	// Store keeps the links and applications; its Apply queues an
	// application's first iCIMS step in the transaction that records it.
	Store   assessments.ApplicationStore
	Tenants assessments.TenantStore
	Catalog assessments.CatalogStore
	ICIMS   ApplyICIMS
	Signer  assessments.Signer
	// CandidateLink returns an invitation's candidate token (kept sealed
	// by the e-mail side).
	CandidateLink func(ctx context.Context, tenantID, invitationID int64) (string, error)
	// PerIP and PerJob slow floods of the public form.
	PerIP  *LoginLimiter
	PerJob *LoginLimiter
	Random io.Reader
	// DefaultLabel is the vendor's Source Name / Source Specifics [ours].
	DefaultLabel string
}

// NewApplyLimits returns the public form's rate limits [ours]: per IP a
// burst of 10 tries (corrections included) then one a minute; per link a
// burst of 100 then one every 2 s.
func NewApplyLimits() (perIP, perJob *LoginLimiter) {
	return NewLoginLimiter(10, time.Minute), NewLoginLimiter(100, 2*time.Second)
}

// applyPage is the layout of a public apply page: like the candidate
// pages, no navigation and no htmx.
func (h *Apply) applyPage(c echo.Context, title string) views.Page {
	p := h.Page(c, title)
	p.BodyClass, p.HTMX, p.Current, p.Nav = "candidate", false, "", ""
	return p
}

// applyLink resolves the link of the public page from its signed token.
func (h *Apply) applyLink(c echo.Context) (assessments.ApplyLink, assessments.Tenant, error) {
	ctx := c.Request().Context()
	id, err := assessments.ParseApplyLinkToken(h.Signer, c.Param("token"))
	if err != nil {
		return assessments.ApplyLink{}, assessments.Tenant{}, err
	}
	l, err := h.Store.Link(ctx, id)
	if err != nil {
		return l, assessments.Tenant{}, err
	}
	t, err := h.Tenants.Tenant(ctx, l.TenantID)
	return l, t, err
}

// applyClosed tells why a link takes no application, or "" if it does.
func (h *Apply) applyClosed(c echo.Context, l assessments.ApplyLink, t assessments.Tenant) (string, error) {
	if !l.Open() {
		return "This job is no longer taking applications through this link.", nil
	}
	job, err := h.ICIMS.Job(c.Request().Context(), t, l.JobID)
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		return "This job is no longer open.", nil
	} else if err != nil {
		return "", err
	}
	if !assessments.JobTakesApplications(job.FolderName) {
		return "This job is no longer open.", nil
	}
	return "", nil
}
