package assessments

import (
	"context"
	"fmt"
	"time"
)

// ChartDays is how many days the logs page's chart covers.
const ChartDays = 14

// Logs is the webhook logs page's domain: listing deliveries, showing one
// with its attempts (redacted), and the admin's actions on them:
// redeliver an inbound event, run a failed write again now.
type Logs struct {
	Store  LogStore
	Events EventStore
	Rules  RuleStore
	// Intake replays redelivered events through the path iCIMS's own
	// deliveries take.
	Intake *Intake
	// Writeback runs writes again ("Retry now", "Retry all failed").
	Writeback WritebackAdmin
	// Completed finds what a candidate already finished, so that a
	// redelivery never re-invites them without the admin's choice.
	Completed CompletedInvitations
	Clock     Clock
}

// Page lists the deliveries that match f, newest first.
func (l *Logs) Page(ctx context.Context, tenantID int64, f LogFilter) (LogPage, error) {
	return l.Store.LogPage(ctx, tenantID, f.Normalize())
}

// Chart returns the tenant's deliveries and failures for each of the last
// ChartDays UTC days, today last, days without deliveries as zeros.
func (l *Logs) Chart(ctx context.Context, tenantID int64) ([]DayCount, error) {
	today := l.Clock.Now().UTC().Truncate(24 * time.Hour)
	since := today.AddDate(0, 0, -(ChartDays - 1))
	counts, err := l.Store.DayCounts(ctx, tenantID, since)
	if err != nil {
		return nil, err
	}
	byDay := make(map[time.Time]DayCount, len(counts))
	for _, c := range counts {
		byDay[c.Day] = c
	}
	out := make([]DayCount, ChartDays)
	for i := range out {
		day := since.AddDate(0, 0, i)
		out[i] = byDay[day]
		out[i].Day = day
	}
	return out, nil
}

// LogDetail is one delivery with everything its page shows.
type LogDetail struct {
	Entry LogEntry
	// Attempts are redacted (RedactAttempt).
	Attempts []DeliveryAttempt
	// Rule is the rule the delivery belongs to; RuleGone is set when it
	// was deleted since.
	Rule     Rule
	RuleGone bool
	// Redeliver and Retry say which action the page offers, and Why
	// explains when neither is possible.
	Redeliver bool
	Retry     bool
	Why       string
}

// Detail returns a delivery of the tenant with its redacted attempts.
// Another tenant's id is ENOTFOUND.
func (l *Logs) Detail(ctx context.Context, tenantID, id int64) (LogDetail, error) {
	e, err := l.Store.LogEntry(ctx, tenantID, id)
	if err != nil {
		return LogDetail{}, err
	}
	attempts, err := l.Events.Attempts(ctx, tenantID, id)
	if err != nil {
		return LogDetail{}, err
	}
	d := LogDetail{Entry: e, Attempts: make([]DeliveryAttempt, len(attempts))}
	for i, a := range attempts {
		d.Attempts[i] = RedactAttempt(a)
	}
	if e.RuleID != 0 {
		d.Rule, err = l.Rules.Rule(ctx, tenantID, e.RuleID)
		if ErrorCode(err) == ENOTFOUND {
			d.RuleGone, err = true, nil
		}
		if err != nil {
			return LogDetail{}, err
		}
	}
	d.Why = redeliverProblem(e)
	d.Redeliver = e.Direction == DirectionInbound && d.Why == ""
	if e.Direction == DirectionOutbound {
		d.Why = retryProblem(e)
		d.Retry = d.Why == ""
	}
	return d, nil
}

// redeliverProblem says why an inbound delivery cannot be replayed, or ""
// when it can.
func redeliverProblem(e LogEntry) string {
	switch {
	case e.Direction != DirectionInbound:
		return "Only events iCIMS sent can be redelivered."
	case !e.PurgedAt.IsZero():
		return "Retention deleted this event's body, so it cannot be redelivered."
	case e.Event.Type == "":
		return "This delivery could not be read, so there is no event to redeliver. Ask iCIMS to send it again."
	case e.Event.Type == EventApplicationComplete:
		return "An inline assessment's event sends the waiting candidate straight into the assessment; replaying it would create an invitation nobody is sent to. The candidate can complete the application again in iCIMS."
	}
	return ""
}

// retryProblem says why an outbound delivery cannot be run again now, or
// "" when it can.
func retryProblem(e LogEntry) string {
	switch {
	case e.Kind == DeliveryKindEmail:
		return "Resend the e-mail from the invitation's page."
	case !IsWriteKind(e.Kind) || e.InvitationID == 0:
		return "Only writes to iCIMS can be retried; reads run again when they are needed."
	case e.Status == DeliveryProcessed:
		return "This write succeeded; there is nothing to retry."
	}
	return ""
}

// Redeliver replays an inbound event of the tenant through the intake's
// own path, as a new delivery that names the first one. It is not treated
// as an exact redelivery (which would only repeat the first answer): the
// rules run again, so a failure whose cause was fixed can succeed, while
// the one-live-invitation rule still holds, because the intake and the
// store enforce it for every delivery. A candidate who already completed
// the application's assessment is invited again only when inviteAgain says
// the admin chose it; otherwise the redelivery is ECONFLICT and nothing is
// replayed.
func (l *Logs) Redeliver(ctx context.Context, t Tenant, id int64, by Actor, inviteAgain bool) (Delivery, EventAnswer, error) {
	plan, err := l.PlanRedeliver(ctx, t.ID, id)
	if err != nil {
		return Delivery{}, EventAnswer{}, err
	}
	if len(plan.Completed) > 0 && !inviteAgain {
		return Delivery{}, EventAnswer{}, reinviteRefusal(plan.Completed)
	}
	e := plan.Entry
	if t.Status == TenantUninstalled {
		return Delivery{}, EventAnswer{}, Errorf(EINVALID, "JobCannon is uninstalled for this account; nothing can be redelivered.")
	}
	attempts, err := l.Events.Attempts(ctx, t.ID, id)
	if err != nil {
		return Delivery{}, EventAnswer{}, err
	}
	var first DeliveryAttempt
	if len(attempts) > 0 {
		first = attempts[0]
	}
	return l.Intake.Redeliver(ctx, t, e.Delivery, first, by)
}

// RetryNow runs a failed write to iCIMS again now, through the
// write-back's own retry, and returns the delivery it belongs to.
func (l *Logs) RetryNow(ctx context.Context, tenantID, id int64) (LogEntry, error) {
	e, err := l.Store.LogEntry(ctx, tenantID, id)
	if err != nil {
		return LogEntry{}, err
	}
	if e.Direction != DirectionOutbound {
		return e, Errorf(EINVALID, "Only calls to iCIMS can be retried; redeliver an event instead.")
	}
	if why := retryProblem(e); why != "" {
		return e, Errorf(EINVALID, "%s", why)
	}
	if err := l.Writeback.Retry(ctx, tenantID, e.InvitationID); err != nil {
		return e, fmt.Errorf("retry delivery %d: %w", id, err)
	}
	return e, nil
}

// RetryAllFailed runs every write of the tenant that is retrying, waiting,
// failed or dead again now, and returns how many.
func (l *Logs) RetryAllFailed(ctx context.Context, tenantID int64) (int, error) {
	return l.Writeback.RetryAll(ctx, tenantID)
}
