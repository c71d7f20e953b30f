package app

import (
	"context"
	"crypto/rand"
	"log/slog"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/handlers"
	"github.com/jobcannon/jobcannon/icimsadapter"
	"github.com/jobcannon/jobcannon/jobs"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/storage"
)

// applyParts are the assessment-first applications: the store (which
// queues each step's job itself), the three step workers (they join the
// events side's queue) and what the pages need.
type applyParts struct {
	store   *storage.ApplicationStore
	workers jobs.ApplyWorkers
	keyring *secrets.Keyring
	emails  *storage.EmailStore
	limits  assessments.RateLimitStore
	label   string
}

// applyDeps is what the apply side needs from the rest of the wiring.
type applyDeps struct {
	db          *storage.DB
	keyring     *secrets.Keyring
	clock       assessments.Clock
	log         *slog.Logger
	tenants     assessments.TenantStore
	invitations *storage.InvitationStore
	emails      *storage.EmailStore
	clients     jobs.Clients
	// limits keeps the apply form's rate limits, shared with sign-in's.
	limits assessments.RateLimitStore
	// label is the vendor's default Source Name / Source Specifics.
	label string
}

func wireApply(d applyDeps) *applyParts {
	store := storage.NewApplicationStore(d.db, d.clock, d.invitations, rand.Reader)
	steps := &jobs.ApplySteps{Tenants: d.tenants, Store: store, Clients: d.clients, Clock: d.clock, Log: d.log.With("component", "apply")}
	return &applyParts{store: store, workers: jobs.NewApplyWorkers(steps), keyring: d.keyring, emails: d.emails,
		limits: d.limits, label: d.label}
}

// area is the handlers of the share page and the public apply pages;
// facts reads the job and the sources from iCIMS as the events side does.
func (p *applyParts) area(shared *handlers.Shared, tenants assessments.TenantStore, catalog assessments.CatalogStore,
	facts *icimsadapter.Facts) *handlers.Apply {
	perIP, perJob := handlers.NewApplyLimits(p.limits)
	return &handlers.Apply{Shared: shared, Store: p.store, Tenants: tenants, Catalog: catalog,
		ICIMS: icimsadapter.ApplyICIMS{Facts: facts}, Signer: p.keyring,
		CandidateLink: func(ctx context.Context, tenantID, invitationID int64) (string, error) {
			return p.emails.Link(ctx, tenantID, invitationID)
		},
		PerIP: perIP, PerJob: perJob, Random: rand.Reader, DefaultLabel: p.label}
}
