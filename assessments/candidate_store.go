package assessments

import (
	"context"
	"time"
)

// Attempt is what a candidate has done so far on one instrument.
type Attempt struct {
	InstrumentID string
	StartedAt    time.Time
	// FinishedAt is when the candidate last left the instrument's last page.
	FinishedAt time.Time
	Answers    map[string]Answer
}

// Progress is everything saved of a candidate's work: the furthest step
// reached (so a closed tab resumes there) and an attempt per instrument.
type Progress struct {
	Step     int
	Attempts map[string]Attempt
}

// ProgressUpdate is one save of the candidate's work, made in one
// transaction with the invitation's "answered" event.
type ProgressUpdate struct {
	InstrumentID string
	At           time.Time
	// Start records the attempt's start at At unless it already has one.
	Start bool
	// Finish records At as the time the candidate left the instrument.
	Finish bool
	// Answers are upserted; an unchanged answer keeps its original time.
	Answers map[string]Answer
	// Late saves answers that came after the time limit: new ones are kept
	// (scoring marks them late) but existing answers are never replaced.
	Late bool
	// Step is the furthest step reached; the stored one only grows.
	Step   int
	Detail string
	// Quiet records no event in the invitation's history: answers saved
	// one at a time as they are given would bury it; the page's own
	// submit records the page.
	Quiet bool
}

// AnswerStore keeps candidates' answers as they give them.
type AnswerStore interface {
	Progress(ctx context.Context, tenantID, invitationID int64) (Progress, error)
	// SaveProgress stores an update of a started invitation; any other
	// status is EINVALID.
	SaveProgress(ctx context.Context, tenantID, invitationID int64, u ProgressUpdate) error
}

// ScalePercentile places a scale score in the tenant's comparison group at
// the time the result was made. Normed is false while the group is too
// small; the report then shows the 0–100 score alone.
type ScalePercentile struct {
	Scale      string  `json:"scale"`
	Percentile float64 `json:"percentile"`
	GroupSize  int     `json:"group_size"`
	Normed     bool    `json:"normed"`
}

// InstrumentResult is the scored attempt at one instrument of a package.
type InstrumentResult struct {
	InstrumentID string            `json:"instrument_id"`
	Result       Result            `json:"result"`
	Percentiles  []ScalePercentile `json:"percentiles"`
}

// Percentile returns the percentile of a scale, if there is one.
func (r InstrumentResult) Percentile(scale string) (ScalePercentile, bool) {
	for _, p := range r.Percentiles {
		if p.Scale == scale {
			return p, true
		}
	}
	return ScalePercentile{}, false
}

// PackageResult is a completed invitation's result: what goes to iCIMS
// (overall score, verdict, summary) and what the report shows.
type PackageResult struct {
	ID           int64
	TenantID     int64
	InvitationID int64
	PackageID    int64
	Overall      float64
	Verdict      string
	Summary      string
	Flags        []ValidityFlag
	Instruments  []InstrumentResult
	StartedAt    time.Time
	CompletedAt  time.Time
	// RevokedAt is set when the report link was withdrawn.
	RevokedAt time.Time
}

// Duration is the time from starting to completing.
func (r PackageResult) Duration() time.Duration {
	if r.StartedAt.IsZero() || r.CompletedAt.Before(r.StartedAt) {
		return 0
	}
	return r.CompletedAt.Sub(r.StartedAt)
}

// Instrument returns the result of one instrument.
func (r PackageResult) Instrument(id string) (InstrumentResult, bool) {
	for _, ir := range r.Instruments {
		if ir.InstrumentID == id {
			return ir, true
		}
	}
	return InstrumentResult{}, false
}

// ResultStore keeps results and answers norm queries over them.
type ResultStore interface {
	// Complete stores the result and moves its invitation to completed in
	// one transaction. When the invitation is already completed it stores
	// nothing and returns the result stored first, so a double submit is
	// harmless.
	Complete(ctx context.Context, r PackageResult) (PackageResult, error)
	ResultByInvitation(ctx context.Context, tenantID, invitationID int64) (PackageResult, error)
	// Norms builds the tenant's norms for an instrument from its completed
	// results.
	Norms(ctx context.Context, tenantID int64, instrumentID string, minGroup int) (Norms, error)
	// RevokeReport withdraws the report link of a result.
	RevokeReport(ctx context.Context, tenantID, resultID int64) error
}
