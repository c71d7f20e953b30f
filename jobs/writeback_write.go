package jobs

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/sqlite"
)

// writeResult is what one write did.
type writeResult struct {
	location  string
	written   assessments.InvitationStatus
	scorecard string
	move      string
	message   string
	status    int // HTTP status of the success
	err       error
	// partial is set when some scorecard fields were written and field,
	// a mapped field iCIMS does not have, was left out.
	partial bool
	field   string
}

// write makes the call(s) of one step. Every id comes from the invitation:
// the write-back reads nothing from iCIMS.
func (r *writebackRun) write(ctx context.Context, client *icims.Client, snap sqlite.WritebackSnapshot, plan assessments.WritebackPlan) writeResult {
	inv, wb := snap.Invitation, snap.Writeback
	reportURL := assessments.ReportURL(r.w.BaseURL, r.w.Signer, inv.ReportID)
	switch plan.Step {
	case assessments.StepCreateRow:
		// The body depends only on the invitation, never on when the job
		// runs: if an earlier try's POST succeeded but the process stopped
		// before its Location was stored, this POST repeats it exactly, and
		// iCIMS does not create a duplicate row; it answers 201 with the
		// existing row's Location (contract §4: "collection rows that
		// duplicate an existing row are silently not created"; the
		// simulator does the same). So a crash never leaves two rows.
		row := icims.AssessmentResult{
			Name:   &icims.ListNode{ID: snap.Package.AssessmentTypeID},
			Status: &icims.ListNode{ID: icims.StatusSent},
			Date:   icims.NewDateTime(firstTime(inv.SentAt, inv.CreatedAt)),
			URL:    reportURL,
		}
		loc, _, err := client.AddAssessmentResult(ctx, inv.WorkflowID, row)
		return writeResult{location: loc, written: assessments.StatusSent, message: "Sent", status: 201, err: err}
	case assessments.StepUpdateRow:
		row := updateRow(inv, snap.Result, reportURL)
		_, err := client.UpdateAssessmentResult(ctx, wb.Location, row)
		return writeResult{written: plan.Status, message: row.Status.Value, status: 204, err: err}
	case assessments.StepScorecard:
		return r.scorecard(ctx, client, snap, reportURL)
	case assessments.StepMove:
		_, err := client.PatchWorkflowStatus(ctx, inv.WorkflowID, wb.MoveTo)
		return writeResult{move: "done", message: "Moved to " + wb.MoveTo, status: 204, err: err}
	}
	return writeResult{err: errors.New("write-back: unknown step " + string(plan.Step))}
}

// updateRow is the PATCH that makes the row show the invitation's status.
// Empty subfields are left out, so what an earlier write set stays.
func updateRow(inv assessments.Invitation, res *assessments.PackageResult, reportURL string) icims.AssessmentResult {
	switch inv.Status {
	case assessments.StatusSent, assessments.StatusOpened:
		return icims.AssessmentResult{Status: &icims.ListNode{ID: icims.StatusSent, Value: "Sent"},
			Date: icims.NewDateTime(firstTime(inv.SentAt, inv.UpdatedAt)), Notes: "Invitation sent again."}
	case assessments.StatusInProgress:
		return icims.AssessmentResult{Status: &icims.ListNode{ID: icims.StatusInProgress, Value: "In-Progress"},
			Date: icims.NewDateTime(firstTime(inv.StartedAt, inv.UpdatedAt))}
	case assessments.StatusCompleted:
		row := icims.AssessmentResult{Status: &icims.ListNode{ID: icims.StatusComplete, Value: "Complete"},
			Date: icims.NewDateTime(firstTime(inv.CompletedAt, inv.UpdatedAt)), URL: reportURL}
		if res != nil {
			score := res.Overall
			row.Score = &score
			row.Result = cut(res.Verdict, icims.MaxAssessmentResultLen)
			row.Notes = cut(res.Summary, icims.MaxAssessmentNotesLen)
		}
		return row
	}
	return icims.AssessmentResult{Status: &icims.ListNode{ID: icims.StatusIncomplete, Value: "Incomplete"},
		Date:  icims.NewDateTime(firstTime(inv.EndedAt, inv.UpdatedAt)),
		Notes: cut(assessments.IncompleteNote(inv), icims.MaxAssessmentNotesLen)}
}

// scorecard PATCHes the mapped fields on the person in one call. A mapped
// field iCIMS does not have (code 4 naming it) is left out and the rest
// written in a second call, so one missing field costs the candidate
// nothing else; the step is then reported failed, naming the field.
func (r *writebackRun) scorecard(ctx context.Context, client *icims.Client, snap sqlite.WritebackSnapshot, reportURL string) writeResult {
	if snap.Result == nil {
		return writeResult{err: errors.New("write-back: completed invitation without a result")}
	}
	values := assessments.ScorecardValues(snap.Package, *snap.Result, reportURL)
	if len(values) == 0 {
		return writeResult{scorecard: "done", message: "No scorecard value to write."}
	}
	var missing []string
	for len(values) > 0 {
		_, err := client.PatchPerson(ctx, snap.Invitation.PersonID, values)
		if err == nil {
			if len(missing) > 0 {
				return writeResult{partial: true, field: missing[0], err: missingFieldError(missing)}
			}
			return writeResult{scorecard: "done", message: strings.Join(slices.Sorted(maps.Keys(values)), ", "), status: 204}
		}
		var ie *icims.Error
		if !errors.As(err, &ie) || ie.Kind != icims.InvalidField || !notFoundMessage(ie.Message) {
			return writeResult{err: err, partial: len(missing) > 0}
		}
		if _, mapped := values[ie.Field]; !mapped {
			return writeResult{err: err, partial: len(missing) > 0}
		}
		missing = append(missing, ie.Field)
		delete(values, ie.Field)
	}
	return writeResult{field: missing[0], err: missingFieldError(missing)}
}

// missingFields is the error of a scorecard write whose mapped fields
// iCIMS does not have.
type missingFields struct{ fields []string }

func (e *missingFields) Error() string {
	return "scorecard fields not found in iCIMS: " + strings.Join(e.fields, ", ")
}

func missingFieldError(fields []string) error { return &missingFields{fields: fields} }

// notFoundMessage tells "this field does not exist" from "this value is
// not valid" among iCIMS's code-4 answers.
func notFoundMessage(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "field is not valid") || strings.Contains(m, "not found") || strings.Contains(m, "does not exist")
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// cut keeps s within n characters, marking a cut with "...".
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-3]) + "..."
}
