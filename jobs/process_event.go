package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// DefaultReauthWait is how long work for a tenant that must re-authorize
// sleeps before it looks again. Snoozing never uses up attempts, so the
// work waits as long as the admin takes.
const DefaultReauthWait = 10 * time.Minute

// ProcessEventWorker processes inbound deliveries: it decides the rule with
// what iCIMS says about the job and application, reads the candidate, and
// creates the invitations with their e-mail jobs in one transaction. Every
// outcome is written on the delivery for the logs page.
type ProcessEventWorker struct {
	river.WorkerDefaults[jobargs.ProcessEventArgs]
	Tenants    assessments.TenantStore
	Events     assessments.EventStore
	Rules      assessments.RuleStore
	Catalog    assessments.CatalogStore
	ICIMS      ICIMSReader
	Log        *slog.Logger
	ReauthWait time.Duration
	// PaceSnoozeAfter is the longest wait for the customer's pace that a
	// delivery sits out holding its worker; a longer one is reserved and
	// snoozed. Zero means DefaultPaceSnoozeAfter.
	PaceSnoozeAfter time.Duration
	// Clock tells when a reserved turn comes; nil means the system's.
	Clock assessments.Clock
}

// Work implements river.Worker. A delivery whose turn at the customer's
// pace is further off than PaceSnoozeAfter reserves its turn and snoozes
// until then, the slot kept in the job's metadata, so that the worker
// serves other customers' events meanwhile; snoozing uses no attempt.
func (w *ProcessEventWorker) Work(ctx context.Context, job *river.Job[jobargs.ProcessEventArgs]) error {
	slot := w.slot(job.Metadata)
	if wait := slot.At.Sub(w.now()); !slot.At.IsZero() && wait > slot.SnoozeAfter {
		// Woken early for its turn (River's scheduler wakes long snoozes
		// ahead of time): snooze the rest without reading anything.
		return river.JobSnooze(snoozeFor(wait))
	}
	had := slot.At
	err := w.process(icims.WithSlot(ctx, slot), job.Args.TenantID, job.Args.DeliveryID, job.Attempt, job.MaxAttempts, slot)
	keepSlot(ctx, slot, had)
	return err
}

// slot is a delivery's place in its customer's pace: the one an earlier
// try reserved (in metadata), or none yet. Routing keeps nothing of a try
// that snoozes, so the slot holds every call the try made (Repeats).
func (w *ProcessEventWorker) slot(metadata []byte) *icims.Slot {
	return jobSlot(metadata, w.PaceSnoozeAfter, true)
}

func (w *ProcessEventWorker) now() time.Time {
	if w.Clock == nil {
		return time.Now()
	}
	return w.Clock.Now()
}

// process makes one attempt at one delivery, its iCIMS calls paced with
// slot (also in ctx). It returns nil once the delivery is settled, a
// *river.JobSnoozeError when it must wait for the tenant, or the error to
// retry on.
func (w *ProcessEventWorker) process(ctx context.Context, tenantID, deliveryID int64, attempt, maxAttempts int, slot *icims.Slot) error {
	d, err := w.Events.Delivery(ctx, tenantID, deliveryID)
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		w.Log.WarnContext(ctx, "process event: delivery gone", "tenant", tenantID, "delivery_id", deliveryID)
		return nil
	} else if err != nil {
		return err
	}
	if d.Status != assessments.DeliveryReceived {
		return nil // settled by an earlier attempt
	}
	p := processRun{w: w, d: d, attempt: attempt, maxAttempts: maxAttempts, slot: slot, wait: w.Events.SetOutcome}
	return p.start(ctx)
}

// processRun is one attempt at one delivery.
type processRun struct {
	w           *ProcessEventWorker
	t           assessments.Tenant
	d           assessments.Delivery
	attempt     int
	maxAttempts int
	ruleID      int64
	// slot is the delivery's place in the customer's pace.
	slot *icims.Slot
	// wait records why the delivery is not settled yet (it waits for its
	// turn, for re-authorization, or to be retried): at once for a
	// delivery's own job, at the end of a batch for the batch's.
	wait func(context.Context, assessments.Outcome) error
	// reads are the tenant, its rules and packages, read once for a
	// batch; nil reads them for this attempt.
	reads *tenantReads
}

// start makes the attempt on the received delivery p.d: it reads the
// tenant, whose state may have changed since the delivery came.
func (p *processRun) start(ctx context.Context) error {
	w := p.w
	if p.reads == nil {
		p.reads = &tenantReads{}
	}
	t, err := p.reads.tenantOf(ctx, w, p.d.TenantID)
	if err != nil {
		return err
	}
	p.t = t
	switch t.Status {
	case assessments.TenantUninstalled:
		w.Log.InfoContext(ctx, "process event: tenant uninstalled", "customer_id", t.CustomerID, "delivery_id", p.d.ID)
		return p.settle(ctx, assessments.DeliveryIgnored, "JobCannon was uninstalled for this customer; nothing was sent.")
	case assessments.TenantNeedsReauth:
		return p.waitForReauth(ctx, "")
	}
	return p.run(ctx)
}

func (p *processRun) run(ctx context.Context) error {
	w, t, d := p.w, p.t, p.d
	rules, packages, err := p.reads.load(ctx, w, t.ID)
	if err != nil {
		return err
	}
	facts := w.ICIMS.For(t, d.Event, assessments.FactOptions{JobFields: assessments.JobFieldsOf(rules)})
	route, err := p.route(ctx, rules, packages, facts)
	if err != nil {
		return p.failure(ctx, err)
	}
	if !route.Matched {
		return p.settle(ctx, assessments.DeliveryIgnored, route.Summary())
	}
	rule := route.Rule
	p.ruleID = rule.ID
	if rule.Mode == assessments.RuleManual {
		return p.settle(ctx, assessments.DeliveryIgnored, fmt.Sprintf(
			"Rule %q asks the recruiter to confirm, but could only be decided after iCIMS had its answer, because an earlier rule needs the job's data. Move rule %q above the rules that need job data.",
			rule.Name, rule.Name))
	}
	targets, reason, err := assessments.Targets(ctx, rule, packages, facts)
	if err != nil {
		return p.failure(ctx, err)
	}
	if len(targets) == 0 {
		return p.settle(ctx, assessments.DeliveryFailed, reason)
	}
	// The e-mail names the job. Its title comes from the job itself (the
	// event's link titles are labels): read for the rule already, or once
	// per job through the cache.
	job, err := facts.Job(ctx)
	if err != nil {
		return p.failure(ctx, err)
	}
	cand, err := w.ICIMS.Person(ctx, t, d.PersonID)
	if err != nil {
		return p.failure(ctx, err)
	}
	if cand.Email == "" {
		return p.settle(ctx, assessments.DeliveryFailed, fmt.Sprintf(
			"Candidate %s has no e-mail address in iCIMS, so nothing was sent. Add one and move the candidate again.", d.PersonID))
	}
	dispatch := assessments.Dispatch{TenantID: t.ID, DeliveryID: d.ID, RuleID: rule.ID, ExpectStatus: assessments.DeliveryReceived,
		Names: map[int64]string{}}
	for _, pkg := range targets {
		dispatch.Names[pkg.ID] = pkg.Name
		dispatch.Invitations = append(dispatch.Invitations, assessments.NewInvitation{
			TenantID: t.ID, PackageID: pkg.ID, WorkflowID: d.WorkflowID, PersonID: d.PersonID, JobID: d.JobID,
			CandidateFirstName: cand.FirstName, CandidateLastName: cand.LastName, CandidateEmail: cand.Email,
			JobTitle: job.Title, CompanyName: t.Name,
		})
	}
	res, err := w.Events.Dispatch(ctx, dispatch)
	if assessments.ErrorCode(err) == assessments.ECONFLICT {
		return nil // another attempt settled it meanwhile
	} else if err != nil {
		return err
	}
	for _, inv := range res.Created {
		w.Log.InfoContext(ctx, "invitation created", "customer_id", t.CustomerID, "delivery_id", d.ID, "invitation_id", inv.ID,
			"rule_id", rule.ID, "package_id", inv.PackageID)
	}
	if len(res.Duplicates) > 0 {
		w.Log.InfoContext(ctx, "duplicate skipped", "customer_id", t.CustomerID, "delivery_id", d.ID, "packages", res.Duplicates)
	}
	return nil
}

// route uses the rule the intake chose when it chose one (and it still
// exists); otherwise it routes again with the job and application.
func (p *processRun) route(ctx context.Context, rules []assessments.Rule, packages []assessments.Package, facts assessments.Facts) (assessments.Route, error) {
	if p.d.RuleID != 0 {
		if i := slices.IndexFunc(rules, func(r assessments.Rule) bool { return r.ID == p.d.RuleID }); i >= 0 {
			return assessments.Route{Rule: rules[i], Matched: true}, nil
		}
	}
	return assessments.RouteEvent(ctx, rules, p.d.Event, packages, facts)
}

// settle records a final outcome.
func (p *processRun) settle(ctx context.Context, status assessments.DeliveryStatus, message string) error {
	err := p.w.Events.SetOutcome(ctx, assessments.Outcome{TenantID: p.t.ID, DeliveryID: p.d.ID, Status: status,
		Message: message, RuleID: p.ruleID, Attempt: true, ExpectStatus: assessments.DeliveryReceived})
	if assessments.ErrorCode(err) == assessments.ECONFLICT {
		return nil
	}
	return err
}

// failure decides what an error means: wait for re-authorization, retry
// later (iCIMS busy or down), or give up (iCIMS refused for good).
func (p *processRun) failure(ctx context.Context, err error) error {
	msg, code, hasCode := describe(err)
	o := assessments.Outcome{TenantID: p.t.ID, DeliveryID: p.d.ID, RuleID: p.ruleID, ICIMSCode: code, HasICIMSCode: hasCode,
		Attempt: true, ExpectStatus: assessments.DeliveryReceived}
	var ie *icims.Error
	switch {
	case icims.NeedsReauthorization(err):
		return p.waitForReauth(ctx, msg)
	case errors.As(err, &ie) && (ie.Kind == icims.RateLimited || ie.Kind == icims.QuotaExhausted):
		return p.waitForPace(ctx, ie)
	case p.attempt < p.maxAttempts && (icims.IsRetryable(err) || !errors.As(err, &ie) && assessments.ErrorCode(err) == assessments.EINTERNAL):
		o.Status, o.Message = assessments.DeliveryReceived, fmt.Sprintf("Attempt %d failed; retrying with backoff. %s", p.attempt, msg)
		if serr := p.wait(ctx, o); serr != nil {
			return errors.Join(err, serr)
		}
		return err
	}
	p.w.Log.WarnContext(ctx, "process event failed", "customer_id", p.t.CustomerID, "delivery_id", p.d.ID, "err", err)
	o.Status, o.Message = assessments.DeliveryFailed, msg
	if p.attempt >= p.maxAttempts {
		o.Message = fmt.Sprintf("Gave up after %d attempts. %s", p.attempt, msg)
	}
	if serr := p.w.Events.SetOutcome(ctx, o); serr != nil && assessments.ErrorCode(serr) != assessments.ECONFLICT {
		return serr
	}
	return nil
}

// waitForPace snoozes the job while the customer's iCIMS holds its calls
// (a 429's Retry-After, a pace slowed by 429s, or the day's quota), or
// until the turn at the customer's pace that the delivery reserved. A
// hold is the customer's state, not this event's fault, so it costs no
// attempt and no worker that other customers' events need.
func (p *processRun) waitForPace(ctx context.Context, ie *icims.Error) error {
	wait := ie.RetryAfter
	if wait <= 0 {
		wait = 30 * time.Second
	}
	snooze := wait
	msg := fmt.Sprintf("iCIMS asked JobCannon to slow down for this customer (%s); this event waits %s and is then processed.",
		ie.Message, wait.Round(time.Second))
	switch {
	case ie.Kind == icims.RateLimited && ie.HTTPStatus == 0:
		// The tenant's pacer refused before calling: the turn is further
		// off (other events of the customer, a hold after a 429, a pace
		// slowed by them), reserved in the slot when there is one.
		if p.slot != nil && !p.slot.At.IsZero() {
			wait = max(p.slot.At.Sub(p.w.now()), 0)
			snooze = snoozeFor(wait)
		}
		msg = paceMessage("event", ie, p.w.now().Add(wait), p.w.now())
	case ie.Kind == icims.QuotaExhausted:
		msg = "Today's quota of iCIMS calls for this customer is used up; this event is processed after 00:00 UTC."
	}
	err := p.wait(ctx, assessments.Outcome{TenantID: p.t.ID, DeliveryID: p.d.ID, Status: assessments.DeliveryReceived,
		Message: msg, RuleID: p.ruleID, ExpectStatus: assessments.DeliveryReceived})
	if err != nil {
		return err
	}
	return river.JobSnooze(snooze)
}

// waitForReauth snoozes the job until the tenant is re-authorized.
func (p *processRun) waitForReauth(ctx context.Context, detail string) error {
	msg := "Waiting for an admin to re-authorize JobCannon in iCIMS; this event will be processed then."
	if detail != "" {
		msg += " " + detail
	}
	err := p.wait(ctx, assessments.Outcome{TenantID: p.t.ID, DeliveryID: p.d.ID, Status: assessments.DeliveryReceived,
		Message: msg, RuleID: p.ruleID, ExpectStatus: assessments.DeliveryReceived})
	if err != nil {
		return err
	}
	wait := p.w.ReauthWait
	if wait == 0 {
		wait = DefaultReauthWait
	}
	return river.JobSnooze(wait)
}
