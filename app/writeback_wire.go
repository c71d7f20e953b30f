package app

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/url"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icimsadapter"
	"github.com/jobcannon/jobcannon/jobs"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/storage"
)

// writebackParts is the iCIMS write-back: the store behind the admin's
// retries (invitation changes queue their write-back jobs themselves); the
// worker that writes, on the events side's queue; the scorecard check of
// the catalog form.
type writebackParts struct {
	store  *storage.WritebackStore
	worker *jobs.WritebackWorker
	check  *icimsadapter.ScorecardCheck
	log    *slog.Logger
}

// writebackDeps is what the write-back needs from the rest of the wiring.
type writebackDeps struct {
	db      *storage.DB
	keyring *secrets.Keyring
	clock   assessments.Clock
	log     *slog.Logger
	base    *url.URL
	tenants assessments.TenantStore
	catalog *storage.CatalogStore
	clients jobs.Clients
	health  assessments.WriteHealthPolicy
}

func wireWriteback(d writebackDeps) *writebackParts {
	log := d.log.With("component", "writeback")
	store := storage.NewWritebackStore(d.db, d.clock, rand.Reader, d.catalog)
	return &writebackParts{
		store: store,
		worker: &jobs.WritebackWorker{Tenants: d.tenants, Store: store, Clients: d.clients, Signer: d.keyring,
			BaseURL: d.base, Clock: d.clock, Log: log, Jobs: d.db.Jobs(), Health: d.health},
		check: &icimsadapter.ScorecardCheck{Clients: d.clients, Log: log},
		log:   log,
	}
}

// wake resumes, now, the tenant's writes that waited for a
// re-authorization or failed for a refused credential or permission. It
// logs instead of failing: the connection itself succeeded, and waiting
// writes also look again by themselves.
func (p *writebackParts) wake(ctx context.Context, tenantID int64) {
	n, err := p.store.Wake(ctx, tenantID)
	if err != nil {
		p.log.ErrorContext(ctx, "write-back: wake after re-authorization", "tenant", tenantID, "err", err)
		return
	}
	if n > 0 {
		p.log.InfoContext(ctx, "write-back: resumed after re-authorization", "tenant", tenantID, "writes", n)
	}
}

// waking wraps a tenant store so that connecting a tenant again (a new
// install from the Marketplace, credentials entered again) resumes its
// writes that waited for it at once, instead of at their next look.
func (p *writebackParts) waking(ts assessments.TenantStore) assessments.TenantStore {
	return wakingTenants{TenantStore: ts, wake: p.wake}
}

type wakingTenants struct {
	assessments.TenantStore
	wake func(ctx context.Context, tenantID int64)
}

// Connect implements assessments.TenantStore.
func (t wakingTenants) Connect(ctx context.Context, c assessments.Connection) (assessments.Tenant, error) {
	tenant, err := t.TenantStore.Connect(ctx, c)
	if err == nil {
		t.wake(ctx, tenant.ID)
	}
	return tenant, err
}
