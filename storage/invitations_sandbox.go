package storage

import (
	"context"
	"fmt"

	"github.com/jobcannon/jobcannon/assessments"
)

// SandboxSeed describes an invitation to create without iCIMS: for tests,
// the browser journeys and the sandbox. Empty fields get example values.
type SandboxSeed struct {
	CustomerID    string // the tenant, created if missing
	CompanyName   string
	PackageName   string // the package, created if the tenant has none by this name
	InstrumentIDs []string
	WorkflowID    string
	PersonID      string
	JobID         string
	FirstName     string
	LastName      string
	Email         string
	JobTitle      string
	ReturnURL     string
	// Configure, when set, adjusts a package before it is first created.
	Configure func(*assessments.Package)
}

// Sandbox is what SeedSandboxInvitation made: the candidate link is
// "/a/" + Token.
type Sandbox struct {
	TenantID   int64
	Package    assessments.Package
	Invitation assessments.Invitation
	Token      string
}

// SeedSandboxInvitation creates a tenant, a package and an invitation as an
// iCIMS event would, so that the candidate pages can be used before events
// exist. It goes through the real stores, so the invitation is exactly
// what production creates.
func SeedSandboxInvitation(ctx context.Context, invitations *InvitationStore, catalog *CatalogStore, lib *assessments.Library, seed SandboxSeed) (Sandbox, error) {
	seed = seed.withDefaults()
	var out Sandbox
	now := catalog.clock.Now()
	err := invitations.db.W.QueryRowContext(ctx, `INSERT INTO tenants (customer_id, name, created_at, updated_at)
		VALUES (?, ?, ?, ?)
		ON CONFLICT (customer_id) DO UPDATE SET customer_id = excluded.customer_id
		RETURNING id`, seed.CustomerID, seed.CompanyName, now, now).Scan(&out.TenantID)
	if err != nil {
		return out, fmt.Errorf("storage: sandbox tenant: %w", err)
	}
	pkg, err := sandboxPackage(ctx, catalog, lib, out.TenantID, seed)
	if err != nil {
		return out, err
	}
	out.Package = pkg
	out.Invitation, out.Token, err = invitations.Create(ctx, assessments.NewInvitation{
		TenantID: out.TenantID, PackageID: pkg.ID, WorkflowID: seed.WorkflowID, PersonID: seed.PersonID, JobID: seed.JobID,
		CandidateFirstName: seed.FirstName, CandidateLastName: seed.LastName, CandidateEmail: seed.Email,
		JobTitle: seed.JobTitle, CompanyName: seed.CompanyName, ReturnURL: seed.ReturnURL,
	})
	return out, err
}

func sandboxPackage(ctx context.Context, catalog *CatalogStore, lib *assessments.Library, tenantID int64, seed SandboxSeed) (assessments.Package, error) {
	pkgs, err := catalog.Packages(ctx, tenantID)
	if err != nil {
		return assessments.Package{}, err
	}
	for _, p := range pkgs {
		if p.Name == seed.PackageName {
			return p, nil
		}
	}
	p := assessments.Package{
		TenantID: tenantID, Name: seed.PackageName, InstrumentIDs: seed.InstrumentIDs, Enabled: true,
		AssessmentTypeID: fmt.Sprintf("sandbox-%d", len(pkgs)+1), AssessmentTypeName: seed.PackageName,
		ReminderDays: []int{2, 5},
	}
	if seed.Configure != nil {
		seed.Configure(&p)
	}
	p, err = catalog.SavePackage(ctx, lib, p)
	if err != nil {
		return p, fmt.Errorf("storage: sandbox package: %w", err)
	}
	return p, nil
}

func (s SandboxSeed) withDefaults() SandboxSeed {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&s.CustomerID, "1000")
	def(&s.CompanyName, "Sandbox Company")
	def(&s.PackageName, "Work personality")
	def(&s.WorkflowID, "1")
	def(&s.PersonID, "1")
	def(&s.JobID, "1")
	def(&s.FirstName, "Sam")
	def(&s.LastName, "Candidate")
	if s.ReturnURL == "" { // an inline candidate needs no e-mail
		def(&s.Email, "sam.candidate@example.com")
	}
	def(&s.JobTitle, "Customer Success Manager")
	if len(s.InstrumentIDs) == 0 {
		s.InstrumentIDs = []string{"big-five-work"}
	}
	return s
}
