package assessments

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"github.com/jobcannon/jobcannon/routes"
)

// FactOptions tune what a Facts loads.
type FactOptions struct {
	// ReadOnly facts never write their cache: dry runs change nothing.
	ReadOnly bool
	// JobFields are the job fields the rules read, beyond the usual ones.
	JobFields []string
}

// FactSource gives, per event, what rules may need from iCIMS.
type FactSource interface {
	For(t Tenant, ev InboundEvent, opts FactOptions) Facts
}

// JobFieldsOf lists the job fields a set of rules reads.
func JobFieldsOf(rules []Rule) []string {
	var out []string
	for _, r := range rules {
		if f := r.Conditions.JobField; f != nil && !slices.Contains(out, f.Field) {
			out = append(out, f.Field)
		}
	}
	return out
}

// Intake decides the answer to each event iCIMS posts and records the
// delivery, with its processing queued, before the answer goes out. It
// makes no call to iCIMS for status changes, which iCIMS fires in bulk;
// only an inline assessment, whose candidate waits for the redirect, reads
// the job (cached per job) and the candidate's name.
type Intake struct {
	Events  EventStore
	Rules   RuleStore
	Catalog CatalogStore
	Facts   FactSource
	People  PersonSource
	Signer  Signer
	Clock   Clock
	Random  io.Reader
	// BaseURL is the service's public URL, for candidate and confirm links.
	BaseURL *url.URL
}

// Receive answers an authenticated, decoded event. The answer is always
// set; a non-nil error is for the log only (the answer then says
// "temporary", and nothing was recorded).
func (in *Intake) Receive(ctx context.Context, r Received) (EventAnswer, error) {
	acc, err := in.acceptance(r)
	if err != nil {
		return temporary(""), err
	}
	d := &acc.Delivery
	d.DedupeKey = DedupeKey(r.Tenant.ID, r.Body)
	// The store recognises a redelivery when it records it and answers as
	// the first time. Only an inline event looks first, since its routing
	// may call iCIMS and creates the invitation.
	if r.Event.Type == EventApplicationComplete {
		if answer, ok, err := in.Events.Redelivery(ctx, r.Tenant.ID, d.DedupeKey, acc.Since); err != nil {
			return temporary(d.PublicID), err
		} else if ok {
			acc.Answer = answer
			return in.accept(ctx, acc, r)
		}
	}
	switch r.Event.Type {
	case EventStatusChange:
		if err := in.routeStatusChange(ctx, r, &acc); err != nil {
			return temporary(d.PublicID), err
		}
	case EventApplicationComplete:
		return in.receiveInline(ctx, r, acc)
	default:
		d.Status, d.Message = DeliveryIgnored, "JobCannon does not act on "+r.Event.Type+" events."
		acc.Answer = EventAnswer{Status: AnswerOK, UserMessage: MessageIgnoredEventType, Debug: "delivery " + d.PublicID}
	}
	return in.accept(ctx, acc, r)
}

// Refuse records a delivery that was authenticated but could not be used
// (malformed, a field missing, for another customer), with the answer it
// gets, so the admin sees it in the logs. It is never deduplicated: the
// same body may succeed once its cause is fixed.
func (in *Intake) Refuse(ctx context.Context, r Received, answer EventAnswer) error {
	acc, err := in.acceptance(r)
	if err != nil {
		return err
	}
	acc.Delivery.Status, acc.Delivery.Message = DeliveryFailed, answer.UserMessage
	if answer.Debug != "" {
		acc.Delivery.Message += " (" + answer.Debug + ")"
	}
	acc.Answer = answer
	acc.Delivery.LatencyMS = in.Clock.Now().Sub(r.Start).Milliseconds()
	_, err = in.Events.Accept(ctx, acc)
	return err
}

func (in *Intake) acceptance(r Received) (Acceptance, error) {
	publicID, err := NewDeliveryID(in.Random, in.Clock.Now())
	if err != nil {
		return Acceptance{}, fmt.Errorf("intake: public id: %w", err)
	}
	kind := r.Event.Type
	if kind == "" {
		kind = "unreadable"
	}
	ev := r.Event
	return Acceptance{
		Delivery: Delivery{
			TenantID: r.Tenant.ID, PublicID: publicID, Direction: DirectionInbound, Kind: kind, Status: DeliveryReceived,
			WorkflowID: ev.WorkflowID, PersonID: ev.PersonID, JobID: ev.JobID, ICIMSCode: NoICIMSCode, Event: ev,
		},
		Request: DeliveryAttempt{Method: r.Method, URL: r.URL, RequestHeaders: r.Headers, RequestBody: string(r.Body)},
		Since:   in.Clock.Now().Add(-RedeliveryWindow),
	}, nil
}

func (in *Intake) accept(ctx context.Context, acc Acceptance, r Received) (EventAnswer, error) {
	acc.Delivery.LatencyMS = in.Clock.Now().Sub(r.Start).Milliseconds()
	res, err := in.Events.Accept(ctx, acc)
	if err != nil {
		return temporary(acc.Delivery.PublicID), err
	}
	return res.Answer, nil
}

// temporary is the answer when nothing could be recorded: iCIMS may retry.
func temporary(publicID string) EventAnswer {
	return EventAnswer{Status: AnswerUnavailable, UserMessage: MessageTemporary, Debug: "temporary: store unavailable " + publicID}
}

// routeStatusChange decides a status change with the event alone: a rule
// that needs iCIMS data defers to the processing job.
func (in *Intake) routeStatusChange(ctx context.Context, r Received, acc *Acceptance) error {
	rules, err := in.Rules.Rules(ctx, r.Tenant.ID)
	if err != nil {
		return err
	}
	d := &acc.Delivery
	ok := EventAnswer{Status: AnswerOK, UserMessage: MessageAccepted, Debug: "delivery " + d.PublicID}
	route := RouteAtIntake(rules, r.Event)
	switch {
	case route.Deferred:
		d.Message, acc.Process, acc.Answer = route.Summary(), true, ok
		return nil
	case !route.Matched:
		d.Status, d.Message, acc.Answer = DeliveryIgnored, route.Summary(), ok
		return nil
	}
	rule := route.Rule
	d.RuleID = rule.ID
	if rule.PackageID != 0 {
		live, err := in.Events.LivePackages(ctx, r.Tenant.ID, r.Event.WorkflowID)
		if err != nil {
			return err
		}
		if slices.Contains(live, rule.PackageID) {
			// iCIMS's approval "duplicate request": a friendly 400, the
			// delivery recorded, nothing queued, so nothing is sent twice.
			sent, err := in.Events.LiveSince(ctx, r.Tenant.ID, r.Event.WorkflowID, rule.PackageID)
			if err != nil {
				return err
			}
			d.Status = DeliveryDuplicate
			d.Message = fmt.Sprintf("%s Rule %q asked for package %d again.", DuplicateInvitationMessage, rule.Name, rule.PackageID)
			acc.Answer = EventAnswer{Status: AnswerBadRequest, UserMessage: DuplicateRequestMessage(sent),
				Debug: fmt.Sprintf("duplicate: package %d is live for workflow %s (delivery %s)", rule.PackageID, r.Event.WorkflowID, d.PublicID)}
			return nil
		}
	}
	if rule.Mode == RuleManual {
		d.Message = MessageAwaitingRecruiter
		acc.Answer = EventAnswer{Status: AnswerSeeOther, Location: in.link(ConfirmPath(in.Signer, d.PublicID, in.Clock.Now().Add(ConfirmTTL)))}
		return nil
	}
	d.Message, acc.Process, acc.Answer = route.Summary()+" Sending after the answer.", true, ok
	return nil
}

// receiveInline answers an Application Complete event by creating the
// invitation at once and redirecting the candidate to it.
func (in *Intake) receiveInline(ctx context.Context, r Received, acc Acceptance) (EventAnswer, error) {
	d := &acc.Delivery
	refuse := func(status int, message, debug string) (EventAnswer, error) {
		// A refusal may be fixed (a package mapped, iCIMS back up), so
		// the same body must be tried again, not answered from the log.
		d.DedupeKey, d.Status, d.Message = "", DeliveryFailed, message+" "+debug
		acc.Answer = EventAnswer{Status: status, UserMessage: message, Debug: debug + " (delivery " + d.PublicID + ")"}
		return in.accept(ctx, acc, r)
	}
	rules, err := in.Rules.Rules(ctx, r.Tenant.ID)
	if err != nil {
		return temporary(d.PublicID), err
	}
	packages, err := in.Catalog.Packages(ctx, r.Tenant.ID)
	if err != nil {
		return temporary(d.PublicID), err
	}
	facts := in.Facts.For(r.Tenant, r.Event, FactOptions{JobFields: JobFieldsOf(rules)})
	route, err := RouteEvent(ctx, rules, r.Event, packages, facts)
	if err != nil {
		return refuse(AnswerUnavailable, MessageICIMSUnavailable, "reading the job from iCIMS failed: "+err.Error())
	}
	// Without an inline rule the job's Assessment Type names the package.
	rule := Rule{Name: "the job's Assessment Type", Mode: RuleInline}
	if route.Matched {
		rule = route.Rule
	}
	targets, reason, err := Targets(ctx, rule, packages, facts)
	if err != nil {
		return refuse(AnswerUnavailable, MessageICIMSUnavailable, "reading the job from iCIMS failed: "+err.Error())
	}
	if len(targets) == 0 {
		return refuse(AnswerBadRequest, MessageNotConfigured, reason)
	}
	ev := r.Event
	n := NewInvitation{
		TenantID: r.Tenant.ID, PackageID: targets[0].ID, WorkflowID: ev.WorkflowID, PersonID: ev.PersonID, JobID: ev.JobID,
		CompanyName: r.Tenant.Name, ReturnURL: ev.ReturnURL,
	}
	// The pages and the recruiter's report name the job and the candidate;
	// iCIMS's profiles are the only source of both (the event's link
	// titles are labels). The job was read for routing already or comes
	// from the cache; the person costs one read.
	job, err := facts.Job(ctx)
	if err != nil {
		return refuse(AnswerUnavailable, MessageICIMSUnavailable, "reading the job from iCIMS failed: "+err.Error())
	}
	cand, err := in.People.Person(ctx, r.Tenant, ev.PersonID)
	if err != nil {
		return refuse(AnswerUnavailable, MessageICIMSUnavailable, "reading the candidate from iCIMS failed: "+err.Error())
	}
	// The e-mail address is left out: the candidate is redirected, not
	// e-mailed.
	n.JobTitle, n.CandidateFirstName, n.CandidateLastName = job.Title, cand.FirstName, cand.LastName
	d.RuleID = rule.ID
	acc.Answer = EventAnswer{Status: AnswerSeeOther}
	res, err := in.Events.AcceptInline(ctx, acc, n, func(token string) string { return in.link(routes.CandidateShow(token)) })
	if err != nil {
		return temporary(d.PublicID), err
	}
	return res.Answer, nil
}

// MessageICIMSUnavailable is the answer when iCIMS could not be read while
// the candidate waited.
const MessageICIMSUnavailable = "JobCannon could not reach iCIMS to prepare the assessment. Please try again in a minute."

func (in *Intake) link(path string) string {
	return strings.TrimRight(in.BaseURL.String(), "/") + path
}
