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
	"github.com/jobcannon/jobcannon/sqlite"
)

// writebackParts is the iCIMS write-back: the service behind the
// invitation hook, the follow-up moves and the admin's retries; the worker
// that writes; the scorecard check of the catalog form. Its worker runs on
// the events side's queue, which sets service.River once it exists.
type writebackParts struct {
	service *jobs.Writeback
	worker  *jobs.WritebackWorker
	check   *icimsadapter.ScorecardCheck
}

// writebackDeps is what the write-back needs from the rest of the wiring.
type writebackDeps struct {
	db      *sqlite.DB
	keyring *secrets.Keyring
	clock   assessments.Clock
	log     *slog.Logger
	base    *url.URL
	tenants assessments.TenantStore
	catalog *sqlite.CatalogStore
	clients jobs.Clients
}

func wireWriteback(d writebackDeps) *writebackParts {
	log := d.log.With("component", "writeback")
	store := sqlite.NewWritebackStore(d.db, d.clock, rand.Reader, d.catalog)
	return &writebackParts{
		service: &jobs.Writeback{Store: store, Log: log},
		worker: &jobs.WritebackWorker{Tenants: d.tenants, Store: store, Clients: d.clients, Signer: d.keyring,
			BaseURL: d.base, Clock: d.clock, Log: log},
		check: &icimsadapter.ScorecardCheck{Clients: d.clients, Log: log},
	}
}

// waking wraps a tenant store so that connecting a tenant again (a new
// install from the Marketplace, credentials entered again) resumes its
// writes that waited for it at once, instead of at their next look.
func (p *writebackParts) waking(ts assessments.TenantStore) assessments.TenantStore {
	return wakingTenants{TenantStore: ts, wake: p.service.Wake}
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
