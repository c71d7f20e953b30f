package handlers

import (
	"context"
	"io"
	"strconv"
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
	// PerIP and PerJob slow floods of the public form, across instances.
	PerIP  *assessments.Limiter
	PerJob *assessments.Limiter
	Random io.Reader
	// DefaultLabel is the vendor's Source Name / Source Specifics [ours].
	DefaultLabel string
}

// NewApplyLimits returns the public form's rate limits [ours], kept in
// store: per IP a burst of 10 tries (corrections included) then one a
// minute; per link a burst of 100 then one every 2 s.
func NewApplyLimits(store assessments.RateLimitStore) (perIP, perJob *assessments.Limiter) {
	return assessments.NewLimiter(store, assessments.RateLimit{Name: "apply-ip", Burst: 10, Every: time.Minute}),
		assessments.NewLimiter(store, assessments.RateLimit{Name: "apply-link", Burst: 100, Every: 2 * time.Second})
}

// allowApply counts a submission of link l against both limits. The link's
// bucket is spent only when the IP's allowed the attempt, as before: a
// flood from one address does not close the link to everyone else.
func (h *Apply) allowApply(c echo.Context, l assessments.ApplyLink) (bool, error) {
	ctx, now := c.Request().Context(), h.Clock.Now()
	if ok, err := h.PerIP.Allow(ctx, now, "ip:"+c.RealIP()); err != nil || !ok {
		return false, err
	}
	return h.PerJob.Allow(ctx, now, "link:"+strconv.FormatInt(l.ID, 10))
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
