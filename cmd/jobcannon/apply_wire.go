package main

import (
	"context"
	"crypto/rand"
	"log/slog"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/handlers"
	"github.com/jobcannon/jobcannon/jobs"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/sqlite"
)

// applyParts are the assessment-first applications: the store, the three
// step workers (on the events side's queue, which sets their Queue and
// QueueSend once it exists) and the pages.
type applyParts struct {
	store   *sqlite.ApplicationStore
	steps   *jobs.ApplySteps
	workers jobs.ApplyWorkers
	pages   *handlers.ApplyPages
}

// applyDeps is what the apply side needs from the rest of the wiring.
type applyDeps struct {
	db          *sqlite.DB
	keyring     *secrets.Keyring
	clock       assessments.Clock
	log         *slog.Logger
	tenants     assessments.TenantStore
	invitations *sqlite.InvitationStore
	emails      *sqlite.EmailStore
	clients     jobs.Clients
	// label is the vendor's default Source Name / Source Specifics.
	label string
}

func wireApply(d applyDeps) *applyParts {
	store := sqlite.NewApplicationStore(d.db, d.clock, d.invitations, rand.Reader)
	steps := &jobs.ApplySteps{Tenants: d.tenants, Store: store, Clients: d.clients, Clock: d.clock, Log: d.log.With("component", "apply")}
	perIP, perJob := handlers.NewApplyLimits()
	return &applyParts{
		store: store, steps: steps, workers: jobs.NewApplyWorkers(steps),
		pages: &handlers.ApplyPages{Store: store, Signer: d.keyring, CandidateLink: d.emails.Link, PerIP: perIP, PerJob: perJob,
			Random: rand.Reader, DefaultLabel: d.label,
			Submit: func(ctx context.Context, n assessments.NewApplication, waitHash string) (assessments.Application, error) {
				return store.Apply(ctx, n, waitHash, steps.QueueFirst)
			}},
	}
}

// join puts the apply side on the events side's queue and iCIMS reader.
func (p *applyParts) join(q jobs.Inserter, enq *jobs.Enqueuer, facts *jobs.ICIMS) {
	p.steps.Queue, p.steps.QueueSend = q, enq.QueueSend
	p.pages.ICIMS = jobs.ApplyICIMS{Facts: facts}
}
