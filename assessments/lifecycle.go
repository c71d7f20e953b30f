package assessments

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// MinExtension is how far ahead an extended deadline must be at least, so
// that a candidate told "you have more time" really has some.
const MinExtension = 24 * time.Hour

// MaxExtension is how far ahead an extended deadline may be at most
// [ours]: long enough for any real delay, short enough that a mistyped year
// does not keep a candidate link alive, and its data from retention, for
// ever.
const MaxExtension = 90 * 24 * time.Hour

// ResendInterval is how long after an admin's resend the next one is
// possible [ours]: a button pressed ten times sends one e-mail.
const ResendInterval = 10 * time.Minute

// maxCancelReason caps the reason an admin gives for cancelling.
const maxCancelReason = 500

// ScheduledReminder is one reminder e-mail to queue: Day is the package's
// reminder day it stands for, At when it is due.
type ScheduledReminder struct {
	Day int
	At  time.Time
}

// Schedule is the work to queue for a sent invitation: its reminders and
// its expiry.
type Schedule struct {
	Reminders []ScheduledReminder
	ExpireAt  time.Time
}

// PlanSchedule works out when a sent invitation's reminders and expiry are
// due. A reminder is due reminderDays after the first send; only those
// still ahead of now and before the deadline are kept, since a reminder
// after the deadline would invite the candidate to a closed link. It is a
// pure function so that the schedule is tested with any clock, while River
// runs the queued jobs on real time.
func PlanSchedule(firstSent, expiresAt time.Time, reminderDays []int, now time.Time) Schedule {
	days := slices.Clone(reminderDays)
	slices.Sort(days)
	days = slices.Compact(days)
	s := Schedule{ExpireAt: expiresAt.UTC()}
	for _, d := range days {
		if d <= 0 {
			continue
		}
		at := firstSent.UTC().Add(time.Duration(d) * 24 * time.Hour)
		if at.After(now) && at.Before(expiresAt) {
			s.Reminders = append(s.Reminders, ScheduledReminder{Day: d, At: at})
		}
	}
	return s
}

// CanRemind reports whether a reminder should go out now: the candidate
// has the link (sent, opened or started), has not finished, and the
// deadline has not passed.
func CanRemind(inv Invitation, now time.Time) bool {
	switch inv.Status {
	case StatusSent, StatusOpened, StatusInProgress:
		return inv.CandidateEmail != "" && !inv.Overdue(now)
	}
	return false
}

// CheckResend returns an EINVALID error unless the invitation can be
// e-mailed again: it is live and has an address.
func CheckResend(inv Invitation) error {
	if err := CheckTransition(inv.Status, inv.Status); err != nil {
		return err
	}
	if inv.CandidateEmail == "" {
		return Errorf(EINVALID, "This invitation has no e-mail address (the candidate reached the assessment from iCIMS), so there is nothing to resend.")
	}
	return nil
}

// CheckExtension returns an EINVALID error unless until is an acceptable
// new deadline for inv at now: the invitation is live, and the deadline is
// later than the current one, at least MinExtension ahead and no later
// than the end of the day MaxExtension ahead.
func CheckExtension(inv Invitation, until, now time.Time) error {
	if err := CheckTransition(inv.Status, inv.Status); err != nil {
		return err
	}
	if until.Before(now.Add(MinExtension)) {
		return Errorf(EINVALID, "The new deadline must be at least one day from now.")
	}
	// The bound is a whole day where until was chosen: the tenant's zone.
	if latest := LatestExtension(now.In(until.Location())); until.After(latest) {
		return Errorf(EINVALID, "The new deadline can be at most %d days from now: %s at the latest.",
			int(MaxExtension/(24*time.Hour)), latest.Format("January 2, 2006"))
	}
	if !until.After(inv.ExpiresAt) {
		return Errorf(EINVALID, "The new deadline must be later than the current one, %s.", FormatDeadlineIn(inv.ExpiresAt, until.Location()))
	}
	return nil
}

// LatestExtension is the latest deadline an extension may set at now: the
// end of a day in now's time zone, so pass now in the tenant's.
func LatestExtension(now time.Time) time.Time { return EndOfDay(now.Add(MaxExtension)) }

// EndOfDay is the last second of the given date in the date's own time
// zone (the tenant's): an extension "until June 3" lasts all of June 3
// where the admin reads it.
func EndOfDay(date time.Time) time.Time {
	y, m, d := date.Date()
	return time.Date(y, m, d, 23, 59, 59, 0, date.Location())
}

// LifecycleJobs does the admin actions that start work in the job queue,
// each in the same transaction as its change.
type LifecycleJobs interface {
	// Extend moves the invitation's expiry to until and queues the expiry
	// and the reminders that now fall before it.
	Extend(ctx context.Context, tenantID, id int64, until time.Time) (Invitation, error)
	// QueueResend queues a new e-mail with the same link; by names the
	// admin, for the logs.
	QueueResend(ctx context.Context, tenantID, id int64, by string) error
}

// ResendLog says when an admin last resent an invitation. The job queue's
// QueueResend records it in the resend's own transaction, refusing a
// resend within ResendInterval of the last as ETOOMANY; it is stored, so
// the limit holds across instances and restarts.
type ResendLog interface {
	LastResend(ctx context.Context, tenantID, id int64) (time.Time, bool, error)
}

// Lifecycle is what admins can do to an invitation over its life: resend,
// extend, cancel. Every change goes through the invitation store's
// transitions, so each is recorded and tells iCIMS what it must know.
type Lifecycle struct {
	Invitations InvitationStore
	Jobs        LifecycleJobs
	Resends     ResendLog
	Clock       Clock
}

// NextResend is when the invitation can be resent again; zero when now.
func (l *Lifecycle) NextResend(ctx context.Context, tenantID, id int64) (time.Time, error) {
	last, ok, err := l.Resends.LastResend(ctx, tenantID, id)
	if err != nil || !ok {
		return time.Time{}, err
	}
	if next := last.Add(ResendInterval); next.After(l.Clock.Now()) {
		return next, nil
	}
	return time.Time{}, nil
}

// ResendTooSoon is the refusal of a resend within ResendInterval of the
// last one; next is when the next is possible.
func ResendTooSoon(next time.Time) error {
	return Errorf(ETOOMANY, "The invitation was resent less than %d minutes ago. The next resend is possible after %s.",
		int(ResendInterval.Minutes()), next.UTC().Format("15:04 UTC"))
}

// Resend queues the invitation e-mail again, with the same link. The send
// counts once the mail server has accepted it.
func (l *Lifecycle) Resend(ctx context.Context, tenantID, id int64, by string) (Invitation, error) {
	inv, err := l.Invitations.Invitation(ctx, tenantID, id)
	if err != nil {
		return inv, err
	}
	if err := CheckResend(inv); err != nil {
		return inv, err
	}
	return inv, l.Jobs.QueueResend(ctx, tenantID, id, by)
}

// Extend gives the candidate until the new deadline.
func (l *Lifecycle) Extend(ctx context.Context, tenantID, id int64, until time.Time) (Invitation, error) {
	inv, err := l.Invitations.Invitation(ctx, tenantID, id)
	if err != nil {
		return inv, err
	}
	if err := CheckExtension(inv, until, l.Clock.Now()); err != nil {
		return inv, err
	}
	return l.Jobs.Extend(ctx, tenantID, id, until.UTC())
}

// Cancel withdraws the invitation: its link shows the cancelled page and
// its reminders and expiry find nothing left to do when they run.
func (l *Lifecycle) Cancel(ctx context.Context, tenantID, id int64, reason, by string) (Invitation, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return Invitation{}, Errorf(EINVALID, "Say why the invitation is cancelled; the reason is kept in its history.")
	case utf8.RuneCountInString(reason) > maxCancelReason:
		return Invitation{}, Errorf(EINVALID, "Keep the reason under %d characters.", maxCancelReason)
	}
	inv, err := l.Invitations.Invitation(ctx, tenantID, id)
	if err != nil {
		return inv, err
	}
	if err := CheckTransition(inv.Status, StatusCancelled); err != nil {
		return inv, err
	}
	detail := "cancelled: " + reason
	if by != "" {
		detail = "cancelled by " + by + ": " + reason
	}
	return l.Invitations.Cancel(ctx, tenantID, id, detail)
}

// InvitationFilter narrows the admin list of invitations.
type InvitationFilter struct {
	TenantID int64
	// Status, when set, keeps only invitations in that status.
	Status InvitationStatus
	// Query, when set, matches the candidate's name or e-mail address.
	Query string
	// Page counts from 1; PerPage is the page size.
	Page    int
	PerPage int
}

// InvitationPage is one page of the admin list.
type InvitationPage struct {
	Invitations []Invitation
	// PackageNames names each listed invitation's package by id.
	PackageNames map[int64]string
	Total        int
	Page         int
	PerPage      int
}

// Pages is how many pages the filter has, at least one.
func (p InvitationPage) Pages() int {
	if p.PerPage <= 0 || p.Total == 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

// InvitationLister lists a tenant's invitations for the admin pages, and
// the e-mails sent about one.
type InvitationLister interface {
	ListInvitations(ctx context.Context, f InvitationFilter) (InvitationPage, error)
	Emails(ctx context.Context, tenantID, invitationID int64) ([]InvitationEmail, error)
}

// InvitationStatuses lists every invitation status in lifecycle order, for filters.
func InvitationStatuses() []InvitationStatus {
	return []InvitationStatus{StatusCreated, StatusSent, StatusOpened, StatusInProgress, StatusCompleted,
		StatusExpired, StatusCancelled, StatusFailed}
}
