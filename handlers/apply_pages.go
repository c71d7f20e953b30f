package handlers

import (
	"context"
	"io"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/views"
)

// ApplyStore keeps assessment-first links and applications;
// *sqlite.ApplicationStore is one.
type ApplyStore interface {
	CreateLink(ctx context.Context, n assessments.NewApplyLink) (assessments.ApplyLink, error)
	Link(ctx context.Context, id int64) (assessments.ApplyLink, error)
	Links(ctx context.Context, tenantID int64, jobID string) ([]assessments.ApplyLink, error)
	CloseLink(ctx context.Context, tenantID, id int64) error
	Applications(ctx context.Context, tenantID, linkID int64) ([]assessments.Application, error)
	ApplicationByWait(ctx context.Context, waitHash string) (assessments.Application, error)
}

// ApplyICIMS reads the job and the sources from iCIMS; jobs.ApplyICIMS is
// one.
type ApplyICIMS interface {
	Job(ctx context.Context, t assessments.Tenant, jobID string) (assessments.JobFacts, error)
	Sources(ctx context.Context, t assessments.Tenant) ([]string, error)
}

// ApplyBodyLimit caps the public apply form: a CV of up to
// assessments.MaxCVBytes and the fields around it.
const ApplyBodyLimit = "6M"

// ApplyPages is what the assessment-first pages need.
type ApplyPages struct {
	Store ApplyStore
	// Submit records an application and queues its first iCIMS step in
	// one transaction.
	Submit func(ctx context.Context, n assessments.NewApplication, waitHash string) (assessments.Application, error)
	ICIMS  ApplyICIMS
	Signer assessments.Signer
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
func (h *Handlers) applyPage(c echo.Context, title string) views.Page {
	p := h.Page(c, title)
	p.BodyClass, p.HTMX, p.Current, p.Nav = "candidate", false, "", ""
	return p
}

// applyLink resolves the link of the public page from its signed token.
func (h *Handlers) applyLink(c echo.Context) (assessments.ApplyLink, assessments.Tenant, error) {
	ctx := c.Request().Context()
	id, err := assessments.ParseApplyLinkToken(h.Apply.Signer, c.Param("token"))
	if err != nil {
		return assessments.ApplyLink{}, assessments.Tenant{}, err
	}
	l, err := h.Apply.Store.Link(ctx, id)
	if err != nil {
		return l, assessments.Tenant{}, err
	}
	t, err := h.Tenants.Tenant(ctx, l.TenantID)
	return l, t, err
}

// applyClosed tells why a link takes no application, or "" if it does.
func (h *Handlers) applyClosed(c echo.Context, l assessments.ApplyLink, t assessments.Tenant) (string, error) {
	if !l.Open() {
		return "This job is no longer taking applications through this link.", nil
	}
	job, err := h.Apply.ICIMS.Job(c.Request().Context(), t, l.JobID)
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
