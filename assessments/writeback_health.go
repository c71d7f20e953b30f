package assessments

import (
	"strconv"
	"time"
)

// WriteHealthPolicy says when a tenant's writes to iCIMS count as failing,
// so that its admins are told once, as Svix tells an endpoint's owner
// ([ours]: iCIMS says nothing about it). Failing means the last Failures
// writes all failed and the first of them is at least For old: a short
// blip, or one refused write among successes, mails nobody. Recovered
// means a write succeeded after the failing notice.
type WriteHealthPolicy struct {
	Failures int
	For      time.Duration
}

// DefaultWriteHealthPolicy is the policy when none is configured: five
// failed writes in a row over at least fifteen minutes.
var DefaultWriteHealthPolicy = WriteHealthPolicy{Failures: 5, For: 15 * time.Minute}

// OrDefault returns the policy, or the default when it is unset.
func (p WriteHealthPolicy) OrDefault() WriteHealthPolicy {
	if p.Failures <= 0 {
		return DefaultWriteHealthPolicy
	}
	return p
}

// WriteHealth is a tenant's run of failed writes, kept in the database so
// that a restart neither repeats a notice nor loses one.
type WriteHealth struct {
	// Failures counts the failed writes since the last success, the first
	// of them at FirstFailureAt.
	Failures       int
	FirstFailureAt time.Time
	// FailingAt is when the failing notice went out; zero while healthy.
	FailingAt time.Time
}

// HealthNotice is a notice the admins are sent about their writes.
type HealthNotice string

// The notices. NoNotice: nothing to tell.
const (
	NoNotice        HealthNotice = ""
	NoticeFailing   HealthNotice = "failing"
	NoticeRecovered HealthNotice = "recovered"
)

// Record adds a write's outcome to h and says which notice, if any, it
// calls for: failing once when the run of failures meets the policy, and
// recovered once at the first success after that.
func (p WriteHealthPolicy) Record(h WriteHealth, ok bool, now time.Time) (WriteHealth, HealthNotice) {
	p = p.OrDefault()
	if ok {
		notice := NoNotice
		if !h.FailingAt.IsZero() {
			notice = NoticeRecovered
		}
		return WriteHealth{}, notice
	}
	h.Failures++
	if h.FirstFailureAt.IsZero() {
		h.FirstFailureAt = now
	}
	if h.FailingAt.IsZero() && h.Failures >= p.Failures && now.Sub(h.FirstFailureAt) >= p.For {
		h.FailingAt = now
		return h, NoticeFailing
	}
	return h, NoNotice
}

// HealthMail is one notice to one admin, as its e-mail says it.
type HealthMail struct {
	Notice     HealthNotice
	TenantName string
	To         string
	// Since is when the run of failures began; At is when the notice was
	// decided.
	Since, At time.Time
	Failures  int
}

// Subject is the notice's subject line.
func (m HealthMail) Subject() string {
	if m.Notice == NoticeRecovered {
		return "JobCannon: writes to iCIMS for " + m.TenantName + " work again"
	}
	return "JobCannon: writes to iCIMS for " + m.TenantName + " are failing"
}

// Text is the notice's body; logsURL is the webhook logs page, filtered to
// failures for a failing notice.
func (m HealthMail) Text(logsURL string) string {
	at := func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
	if m.Notice == NoticeRecovered {
		return "A write to iCIMS succeeded at " + at(m.At) + ". Writes had been failing since " + at(m.Since) +
			".\n\nWrites that failed meanwhile are retried by themselves; any still failed can be retried from the webhook logs:\n" +
			logsURL + "\n"
	}
	return "JobCannon could not write to iCIMS for " + m.TenantName + ": the last " + strconv.Itoa(m.Failures) +
		" writes failed, the first at " + at(m.Since) + ". Recruiters do not see assessment statuses or results until this is fixed." +
		"\n\nEach failure, with iCIMS's answer and what to do, is in the webhook logs:\n" + logsURL +
		"\n\nYou get one more e-mail when writes work again.\n"
}
