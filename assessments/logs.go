package assessments

import (
	"context"
	"time"
)

// LogResult filters the logs page by how a delivery ended. The values are
// the ones the page's links carry.
type LogResult string

// Log results. Failed is what needs attention; pending has not settled yet.
const (
	LogAnyResult LogResult = ""
	LogSucceeded LogResult = "succeeded"
	LogFailed    LogResult = "failed"
	LogPending   LogResult = "pending"
	LogIgnored   LogResult = "ignored"
	LogDuplicate LogResult = "duplicate"
)

// LogResults lists the result filters in the order the page offers them.
func LogResults() []LogResult {
	return []LogResult{LogSucceeded, LogFailed, LogPending, LogIgnored, LogDuplicate}
}

// Status is the delivery status a result filter selects.
func (r LogResult) Status() (DeliveryStatus, bool) {
	switch r {
	case LogSucceeded:
		return DeliveryProcessed, true
	case LogFailed:
		return DeliveryFailed, true
	case LogPending:
		return DeliveryReceived, true
	case LogIgnored:
		return DeliveryIgnored, true
	case LogDuplicate:
		return DeliveryDuplicate, true
	}
	return "", false
}

// Label names the result for people.
func (r LogResult) Label() string {
	s, ok := r.Status()
	if !ok {
		return "Any result"
	}
	if r == LogSucceeded {
		return "Succeeded"
	}
	return s.Label()
}

// LogKind is a kind of delivery the logs page knows how to name: the event
// types iCIMS posts and the calls JobCannon makes.
type LogKind struct {
	Kind      string
	Direction Direction
	Label     string
}

// DeliveryKindRead is the kind of an outbound read from iCIMS (a person,
// a job, an application, a list) made outside a write.
const DeliveryKindRead = "icims.read"

// LogKinds lists the kinds the kind filter offers.
func LogKinds() []LogKind {
	return []LogKind{
		{EventStatusChange, DirectionInbound, "Status change event"},
		{EventApplicationComplete, DirectionInbound, "Application complete event"},
		{string(StepCreateRow), DirectionOutbound, StepCreateRow.Label()},
		{string(StepUpdateRow), DirectionOutbound, StepUpdateRow.Label()},
		{string(StepScorecard), DirectionOutbound, StepScorecard.Label()},
		{string(StepMove), DirectionOutbound, StepMove.Label()},
		{DeliveryKindRead, DirectionOutbound, "Read from iCIMS"},
		{DeliveryKindEmail, DirectionOutbound, "E-mail"},
		{ApplyStepPerson.DeliveryKind(), DirectionOutbound, "Apply: find or create the person"},
		{ApplyStepApplication.DeliveryKind(), DirectionOutbound, "Apply: find or create the application"},
		{ApplyStepCV.DeliveryKind(), DirectionOutbound, "Apply: upload the CV"},
	}
}

// KindDirection says in which direction a kind travels. Kinds the page
// does not know are event types iCIMS posts (JobPostToWebEvent, …),
// hence inbound.
func KindDirection(kind string) Direction {
	for _, k := range LogKinds() {
		if k.Kind == kind {
			return k.Direction
		}
	}
	return DirectionInbound
}

// KindLabel names a delivery's kind for people.
func KindLabel(kind string) string {
	for _, k := range LogKinds() {
		if k.Kind == kind {
			return k.Label
		}
	}
	return kind
}

// IsWriteKind reports whether the kind is a write-back step, which "Retry
// now" runs again.
func IsWriteKind(kind string) bool {
	switch WritebackStep(kind) {
	case StepCreateRow, StepUpdateRow, StepScorecard, StepMove:
		return true
	}
	return false
}

// DefaultLogPageSize is how many deliveries one page of the logs shows.
const DefaultLogPageSize = 50

// MaxLogPageSize bounds the page size a link may ask for.
const MaxLogPageSize = 200

// LogFilter selects deliveries for the logs page. Every field is optional;
// a zero filter lists everything, newest first.
type LogFilter struct {
	Direction Direction
	Kind      string
	Result    LogResult
	// Subject is an id, matched exactly: an iCIMS person or applicant
	// workflow id, or a delivery's event id (its public id).
	Subject string
	// From and To bound created_at: From ≤ created_at < To.
	From, To time.Time
	// Before and After are keyset cursors, each a delivery's id: the
	// deliveries after it in page order (older), or before it (newer). The
	// page order is created_at, then id, both descending; ids alone do not
	// follow time when several instances share a database. At most one is
	// set.
	Before, After int64
	Limit         int
}

// Normalize fills the defaults and drops what contradicts itself: a kind
// decides its direction, and a limit stays within bounds.
func (f LogFilter) Normalize() LogFilter {
	if f.Kind != "" {
		f.Direction = KindDirection(f.Kind)
	}
	if f.Direction != DirectionInbound && f.Direction != DirectionOutbound {
		f.Direction = ""
	}
	if _, ok := f.Result.Status(); !ok {
		f.Result = LogAnyResult
	}
	if f.Limit <= 0 {
		f.Limit = DefaultLogPageSize
	}
	f.Limit = min(f.Limit, MaxLogPageSize)
	if f.Before != 0 {
		f.After = 0
	}
	return f
}

// FirstPage reports whether the filter shows the newest deliveries, which
// is when the page keeps itself current: no cursor, and no date range that
// ends before now. The refresh reads the whole first page again rather
// than asking for what came after the newest id it showed, so a delivery
// that commits late, with a smaller id or an earlier time than rows
// already shown (another instance, its clock a little behind), appears on
// the next refresh at its place.
func (f LogFilter) FirstPage(now time.Time) bool {
	return f.Before == 0 && f.After == 0 && (f.To.IsZero() || f.To.After(now))
}

// LogEntry is one row of the logs page: a delivery with the names that
// make it readable.
type LogEntry struct {
	Delivery
	// CandidateName and JobTitle are the invitation's, as read from
	// iCIMS's profiles; empty for a delivery that made no invitation (the
	// page then shows iCIMS's ids) or once retention removed them.
	CandidateName string
	JobTitle      string
	// PurgedAt is when retention removed the delivery's bodies.
	PurgedAt time.Time
	// Latest is the delivery's newest attempt (zero when none was made):
	// after a retry it, not the first failure, says how the delivery ended.
	Latest LatestAttempt
}

// LatestAttempt is what the logs list shows of a delivery's newest
// attempt.
type LatestAttempt struct {
	N      int
	Status int // the response's status (HTTP, or SMTP for e-mail); 0: no response
	Error  string
	At     time.Time
}

// OutcomeStatus is the status code the page shows for the delivery: the
// newest attempt's, so a write that failed with 400 and then succeeded
// does not read "Processed HTTP 400". A delivery without attempts keeps
// the code it was stored with.
func (e LogEntry) OutcomeStatus() int {
	if e.Latest.N > 0 {
		return e.Latest.Status
	}
	return e.HTTPStatus
}

// Candidate is what the page shows for the candidate: the name when
// known, else the iCIMS person id.
func (e LogEntry) Candidate() string {
	if e.CandidateName != "" {
		return e.CandidateName
	}
	return e.PersonID
}

// Job is what the page shows for the job: its title when known, else the
// iCIMS job id.
func (e LogEntry) Job() string {
	if e.JobTitle != "" {
		return e.JobTitle
	}
	return e.JobID
}

// LogPage is one page of the logs. Older and Newer are the cursors of the
// neighbouring pages, 0 when there is none.
type LogPage struct {
	Entries []LogEntry
	Older   int64
	Newer   int64
}

// DayCount is how many deliveries a tenant had on one UTC day, and how
// many of them failed.
type DayCount struct {
	Day    time.Time
	Total  int
	Failed int
}

// LogStore reads the logs page's data. Every method is scoped by tenant.
type LogStore interface {
	// LogPage lists deliveries matching f (normalized), newest first.
	LogPage(ctx context.Context, tenantID int64, f LogFilter) (LogPage, error)
	// LogEntry returns one delivery; another tenant's is ENOTFOUND.
	LogEntry(ctx context.Context, tenantID, id int64) (LogEntry, error)
	// DayCounts returns the counts of the days from since (a UTC day) to
	// the last day with deliveries, days without any left out.
	DayCounts(ctx context.Context, tenantID int64, since time.Time) ([]DayCount, error)
	// CallsSince counts the calls made to iCIMS (outbound attempts other
	// than e-mail) since t.
	CallsSince(ctx context.Context, tenantID int64, t time.Time) (int, error)
}
