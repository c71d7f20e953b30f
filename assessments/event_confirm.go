package assessments

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jobcannon/jobcannon/routes"
)

// ConfirmTTL is how long a recruiter's confirm link works. It is short:
// the link is the recruiter's only credential, and they open it at once.
const ConfirmTTL = 2 * time.Hour

// ConfirmPathPrefix is where confirm links live.
const ConfirmPathPrefix = routes.ConfirmPrefix + "/"

func confirmMessage(publicID, expires string) []byte {
	return []byte("confirm:" + publicID + ":" + expires)
}

// ConfirmPath returns the signed confirm link of a delivery, valid until
// expires.
func ConfirmPath(signer Signer, publicID string, expires time.Time) string {
	exp := strconv.FormatInt(expires.Unix(), 36)
	return routes.ConfirmShow(publicID + "." + exp + "." + signer.Sign(confirmMessage(publicID, exp)))
}

// ParseConfirmToken checks the last segment of a confirm link and returns
// the delivery's public id. A bad signature is ENOTFOUND; an expired link
// is EFORBIDDEN, with a message that says what to do.
func ParseConfirmToken(signer Signer, token string, now time.Time) (string, error) {
	parts := strings.SplitN(token, ".", 3)
	if len(parts) != 3 || parts[0] == "" || !signer.Verify(confirmMessage(parts[0], parts[1]), parts[2]) {
		return "", Errorf(ENOTFOUND, "This confirmation link is not valid. Open it again from iCIMS.")
	}
	exp, err := strconv.ParseInt(parts[1], 36, 64)
	if err != nil {
		return "", Errorf(ENOTFOUND, "This confirmation link is not valid. Open it again from iCIMS.")
	}
	if !now.Before(time.Unix(exp, 0)) {
		return "", Errorf(EFORBIDDEN, "This confirmation link has expired. Move the candidate to the stage again in iCIMS to get a new one.")
	}
	return parts[0], nil
}

// Candidate is a person as the project needs them: to greet and e-mail.
type Candidate struct {
	FirstName string
	LastName  string
	Email     string
}

// Name is the candidate's full name.
func (c Candidate) Name() string { return strings.TrimSpace(c.FirstName + " " + c.LastName) }

// PersonSource reads a candidate from a tenant's iCIMS.
type PersonSource interface {
	Person(ctx context.Context, t Tenant, personID string) (Candidate, error)
}

// Confirmations runs the recruiter's confirm page: nothing is sent until
// the recruiter clicks, and each link sends at most once.
type Confirmations struct {
	Events  EventStore
	Tenants TenantStore
	Catalog CatalogStore
	Rules   RuleStore
	People  PersonSource
	Facts   FactSource
	Signer  Signer
	Clock   Clock
}

// Confirmation is what the confirm page shows.
type Confirmation struct {
	Delivery Delivery
	Tenant   Tenant
	// Pending is true until the recruiter sends or cancels.
	Pending   bool
	Candidate Candidate
	Job       JobFacts
	// Packages are the tenant's enabled packages; Selected is the one the
	// rule or the job suggests; Live are those already live for the
	// application.
	Packages []Package
	Selected int64
	Live     []int64
	// Problem says what could not be loaded from iCIMS, if anything.
	Problem string
}

func (c *Confirmations) open(ctx context.Context, token string) (Delivery, Tenant, error) {
	publicID, err := ParseConfirmToken(c.Signer, token, c.Clock.Now())
	if err != nil {
		return Delivery{}, Tenant{}, err
	}
	d, err := c.Events.DeliveryByPublicID(ctx, publicID)
	if err != nil {
		return d, Tenant{}, err
	}
	t, err := c.Tenants.Tenant(ctx, d.TenantID)
	if err != nil {
		return d, t, err
	}
	if t.Status == TenantUninstalled {
		return d, t, Errorf(EINVALID, "JobCannon is no longer installed for this iCIMS account.")
	}
	return d, t, nil
}

// Load returns what the page shows for a confirm link.
func (c *Confirmations) Load(ctx context.Context, token string) (Confirmation, error) {
	d, t, err := c.open(ctx, token)
	if err != nil {
		return Confirmation{}, err
	}
	cf := Confirmation{Delivery: d, Tenant: t, Pending: d.Status == DeliveryReceived}
	if !cf.Pending {
		return cf, nil
	}
	all, err := c.Catalog.Packages(ctx, t.ID)
	if err != nil {
		return cf, err
	}
	for _, p := range all {
		if p.Enabled {
			cf.Packages = append(cf.Packages, p)
		}
	}
	if cf.Live, err = c.Events.LivePackages(ctx, t.ID, d.WorkflowID); err != nil {
		return cf, err
	}
	var problems []string
	if cf.Candidate, err = c.People.Person(ctx, t, d.PersonID); err != nil {
		problems = append(problems, "the candidate")
	}
	facts := c.Facts.For(t, d.Event, FactOptions{})
	if cf.Job, err = facts.Job(ctx); err != nil {
		problems = append(problems, "the job")
		cf.Job = JobFacts{ID: d.JobID}
	}
	if len(problems) > 0 {
		cf.Problem = fmt.Sprintf("iCIMS did not answer when JobCannon asked for %s; what is shown may be incomplete.", strings.Join(problems, " and "))
	}
	cf.Selected = c.suggest(ctx, t, d, cf)
	return cf, nil
}

// suggest picks the package to preselect: the rule's, else the first the
// job's Assessment Type names, else the first enabled one.
func (c *Confirmations) suggest(ctx context.Context, t Tenant, d Delivery, cf Confirmation) int64 {
	has := func(id int64) bool {
		return slices.ContainsFunc(cf.Packages, func(p Package) bool { return p.ID == id })
	}
	if d.RuleID != 0 {
		if r, err := c.Rules.Rule(ctx, t.ID, d.RuleID); err == nil && r.PackageID != 0 && has(r.PackageID) {
			return r.PackageID
		}
	}
	if pkgs := jobPackages(Rule{}, cf.Job, cf.Packages); len(pkgs) > 0 {
		return pkgs[0].ID
	}
	if len(cf.Packages) > 0 {
		return cf.Packages[0].ID
	}
	return 0
}

// Send creates the invitation the recruiter chose and queues its e-mail. A
// link that was already used is ECONFLICT and sends nothing.
func (c *Confirmations) Send(ctx context.Context, token string, packageID int64) (Dispatched, error) {
	d, t, err := c.open(ctx, token)
	if err != nil {
		return Dispatched{}, err
	}
	if d.Status != DeliveryReceived {
		return Dispatched{}, Errorf(ECONFLICT, "This request was already handled.")
	}
	pkg, err := c.Catalog.Package(ctx, t.ID, packageID)
	if ErrorCode(err) == ENOTFOUND || (err == nil && !pkg.Enabled) {
		return Dispatched{}, Errorf(EINVALID, "Choose one of the packages listed.")
	} else if err != nil {
		return Dispatched{}, err
	}
	cand, err := c.People.Person(ctx, t, d.PersonID)
	if err != nil {
		return Dispatched{}, Errorf(EUNAVAILABLE, "iCIMS did not answer when JobCannon asked for the candidate's e-mail address. Please try again in a minute.")
	}
	if cand.Email == "" {
		return Dispatched{}, Errorf(EINVALID, "The candidate has no e-mail address in iCIMS, so the assessment cannot be sent. Add one in iCIMS and try again.")
	}
	// The e-mail names the job: its title comes from the job, which the
	// page read a moment ago (from the cache now).
	job, err := c.Facts.For(t, d.Event, FactOptions{}).Job(ctx)
	if err != nil {
		return Dispatched{}, Errorf(EUNAVAILABLE, "iCIMS did not answer when JobCannon asked for the job's title. Please try again in a minute.")
	}
	return c.Events.Dispatch(ctx, Dispatch{
		TenantID: t.ID, DeliveryID: d.ID, RuleID: d.RuleID, ExpectStatus: DeliveryReceived,
		Names: map[int64]string{pkg.ID: pkg.Name},
		Invitations: []NewInvitation{{
			TenantID: t.ID, PackageID: pkg.ID, WorkflowID: d.WorkflowID, PersonID: d.PersonID, JobID: d.JobID,
			CandidateFirstName: cand.FirstName, CandidateLastName: cand.LastName, CandidateEmail: cand.Email,
			JobTitle: job.Title, CompanyName: t.Name,
		}},
	})
}

// Cancel records that the recruiter chose not to send.
func (c *Confirmations) Cancel(ctx context.Context, token string) error {
	d, t, err := c.open(ctx, token)
	if err != nil {
		return err
	}
	return c.Events.SetOutcome(ctx, Outcome{
		TenantID: t.ID, DeliveryID: d.ID, Status: DeliveryIgnored, ExpectStatus: DeliveryReceived,
		Message: "The recruiter cancelled on the confirm page; nothing was sent.",
	})
}
