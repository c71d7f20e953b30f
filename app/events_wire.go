package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/icimsadapter"
	"github.com/jobcannon/jobcannon/jobs"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/queue"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/storage"
)

// eventParts is the iCIMS events side of the service: the stores, the job
// queue with its workers, and the domain services the handlers call.
type eventParts struct {
	queue         *queue.Queue
	inbound       assessments.InboundStore
	rules         *storage.RuleStore
	events        *storage.EventStore
	icims         *icimsadapter.Facts
	intake        *assessments.Intake
	confirmations *assessments.Confirmations
	dryRun        *assessments.DryRun
	// sandbox, set only with the sandbox on, points the simulator's
	// customers at our event endpoint.
	sandbox *sandboxEvents

	// checkpointer keeps WAL checkpoints off the commits (see
	// storage.Checkpointer); it runs between start and stop.
	db           *storage.DB
	log          *slog.Logger
	checkpointer *storage.Checkpointer

	stopOnce sync.Once
	stopErr  error
}

// eventDeps is what the events side needs from the rest of the wiring.
type eventDeps struct {
	db          *storage.DB
	keyring     *secrets.Keyring
	clock       assessments.Clock
	log         *slog.Logger
	base        *url.URL
	tenants     assessments.TenantStore
	inbound     assessments.InboundStore
	catalog     assessments.CatalogStore
	invitations *storage.InvitationStore
	pool        *icimsadapter.Pool
	sim         *icimstest.Sim
	// email are the invitation e-mail and lifecycle workers.
	email jobs.EmailWorkers
	// writeback writes to iCIMS; its worker joins the queue here.
	writeback *writebackParts
	// retention is the periodic retention worker (see logs_wire.go).
	retention *jobs.RetentionWorker
	// jobSync is the job sync (see jobs_wire.go); its workers join here.
	jobSync *jobSyncParts
	// apply's step workers join this queue (assessment-first applications).
	apply *applyParts
	// retryPolicy is the queue's; nil means queue.Backoff.
	retryPolicy river.ClientRetryPolicy
}

// wireEvents builds the events side: the stores, and the queue that works
// the jobs they queue (a delivery commits with its process_events job, an
// invitation with its send_invitation job, a change of status with its
// write-back, a completion with its follow-up).
func wireEvents(d eventDeps) (*eventParts, error) {
	p := &eventParts{
		db: d.db, log: d.log,
		inbound: d.inbound,
		rules:   storage.NewRuleStore(d.db, d.clock),
		events:  storage.NewEventStore(d.db, d.keyring, d.clock, d.invitations),
	}
	p.icims = icimsadapter.NewFacts(d.pool, storage.NewJobCache(d.db, d.clock), d.clock, d.log)

	workers := river.NewWorkers()
	process := &jobs.ProcessEventWorker{Tenants: d.tenants, Events: p.events, Rules: p.rules, Catalog: d.catalog,
		ICIMS: p.icims, Log: d.log.With("component", "jobs")}
	jobs.Register(workers, jobs.Workers{
		Batch:     &jobs.ProcessEventsWorker{Process: process, Store: p.events, Log: d.log.With("component", "jobs")},
		Process:   process,
		FollowUp:  &jobs.FollowUpWorker{Store: p.events, Rules: p.rules, Invitations: d.invitations, Log: d.log.With("component", "jobs")},
		Email:     d.email,
		Writeback: d.writeback.worker,
		Retention: d.retention,
	})
	d.jobSync.register(workers)
	jobs.RegisterApply(workers, d.apply.workers)
	q, err := queue.New(d.db, queue.Config{Workers: workers, RetryPolicy: d.retryPolicy, Log: d.log.With("component", "queue")})
	if err != nil {
		return nil, err
	}
	p.queue = q
	if err := d.jobSync.schedule(q); err != nil {
		return nil, err
	}

	p.intake = &assessments.Intake{Events: p.events, Rules: p.rules, Catalog: d.catalog, Facts: p.icims, People: p.icims, Signer: d.keyring,
		Clock: d.clock, Random: rand.Reader, BaseURL: d.base}
	p.confirmations = &assessments.Confirmations{Events: p.events, Tenants: d.tenants, Catalog: d.catalog, Rules: p.rules,
		People: p.icims, Facts: p.icims, Signer: d.keyring, Clock: d.clock}
	p.dryRun = &assessments.DryRun{Rules: p.rules, Catalog: d.catalog, Events: p.events, Facts: p.icims, People: p.icims}
	if d.sim != nil {
		p.sandbox = &sandboxEvents{sim: d.sim, inbound: d.inbound, tenants: d.tenants,
			eventURL: d.base.JoinPath("/icims/events").String(), log: d.log.With("component", "sandbox")}
	}
	return p, nil
}

// wake processes at once the tenant's deliveries that wait, as after a
// re-authorization: their own jobs sleep until their next look (up to
// jobs.DefaultReauthWait), which would hold the candidates' e-mails that
// long. A delivery processed twice is settled once: the second run finds
// it done.
func (p *eventParts) wake(ctx context.Context, tenantID int64) {
	ids, err := p.events.Unprocessed(ctx, tenantID)
	if err == nil && len(ids) > 0 {
		refs := make([]jobargs.DeliveryRef, len(ids))
		for i, id := range ids {
			refs[i] = jobargs.DeliveryRef{TenantID: tenantID, DeliveryID: id}
		}
		_, err = p.queue.Insert(ctx, jobargs.ProcessEventsArgs{Deliveries: refs}, nil)
	}
	if err != nil {
		p.log.ErrorContext(ctx, "events: wake after re-authorization", "tenant", tenantID, "err", err)
	} else if len(ids) > 0 {
		p.log.InfoContext(ctx, "events: resumed after re-authorization", "tenant", tenantID, "deliveries", len(ids))
	}
}

// start configures the sandbox's vendor settings and starts the workers.
// The workers outlive ctx's cancellation: stop ends them, in order.
func (p *eventParts) start(ctx context.Context) error {
	if p.sandbox != nil {
		p.sandbox.configureInstalled(ctx)
	}
	// WAL checkpoints are SQLite's; PostgreSQL runs its own.
	if p.db.Dialect() == storage.SQLite {
		cp, err := storage.StartCheckpointer(ctx, p.db, 0, p.log.With("component", "sqlite"))
		if err != nil {
			return err
		}
		p.checkpointer = cp
	}
	if err := p.queue.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}
	return nil
}

// stop lets running jobs finish until ctx ends; it is safe to call twice.
func (p *eventParts) stop(ctx context.Context) error {
	p.stopOnce.Do(func() {
		err := p.queue.Stop(ctx)
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("stop jobs: running jobs did not finish in time; they are retried at the next start: %w", err)
		}
		if p.checkpointer != nil {
			err = errors.Join(err, p.checkpointer.Stop(context.WithoutCancel(ctx)))
		}
		p.stopErr = err
	})
	return p.stopErr
}
