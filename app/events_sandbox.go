package app

import (
	"context"
	"log/slog"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// sandboxEvents closes the sandbox loop, and exists only with the sandbox
// on: it issues Basic inbound credentials for a tenant and sets them, with
// our /icims/events URL, as the simulated customer's vendor settings, so
// that moving a candidate in the sandbox reaches us with no manual set-up.
// A real iCIMS is configured by its admin instead.
type sandboxEvents struct {
	sim      *icimstest.Sim
	inbound  assessments.InboundStore
	tenants  assessments.TenantStore
	eventURL string
	log      *slog.Logger
}

// configure points the simulated customer of t at us with fresh
// credentials. Customers the simulator does not know are left alone.
func (s *sandboxEvents) configure(ctx context.Context, t assessments.Tenant) error {
	if !s.simKnows(t.CustomerID) {
		return nil
	}
	cred, err := s.inbound.Issue(ctx, t.ID, assessments.InboundBasic)
	if err != nil {
		return err
	}
	err = s.sim.SetVendor(t.CustomerID, icimstest.VendorSettings{EventURL: s.eventURL, Auth: icimstest.VendorAuthBasic,
		User: cred.Identifier, Password: cred.Secret})
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "sandbox: events of this customer now reach JobCannon", "customer_id", t.CustomerID, "url", s.eventURL)
	return nil
}

// simKnows reports whether the simulator holds the customer: setting its
// vendor settings to what they already are changes nothing and fails only
// for a customer it does not know.
func (s *sandboxEvents) simKnows(customerID string) bool {
	return s.sim.SetVendor(customerID, s.sim.Vendor(customerID)) == nil
}

// configureInstalled configures every installed tenant, at start.
func (s *sandboxEvents) configureInstalled(ctx context.Context) {
	all, err := s.tenants.Tenants(ctx)
	if err != nil {
		s.log.WarnContext(ctx, "sandbox: list tenants", "err", err)
		return
	}
	for _, t := range all {
		if !t.Connected() {
			continue
		}
		if err := s.configure(ctx, t); err != nil {
			s.log.WarnContext(ctx, "sandbox: configure events", "customer_id", t.CustomerID, "err", err)
		}
	}
}

// installingTenants is the installer's tenant store with the sandbox loop
// added: each install configures the simulated customer's events.
type installingTenants struct {
	assessments.TenantStore
	sandbox *sandboxEvents
}

// Connect implements assessments.TenantStore.
func (t installingTenants) Connect(ctx context.Context, c assessments.Connection) (assessments.Tenant, error) {
	tenant, err := t.TenantStore.Connect(ctx, c)
	if err != nil {
		return tenant, err
	}
	if err := t.sandbox.configure(ctx, tenant); err != nil {
		t.sandbox.log.WarnContext(ctx, "sandbox: configure events", "customer_id", tenant.CustomerID, "err", err)
	}
	return tenant, nil
}
