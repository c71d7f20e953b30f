package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// ApplyWorkers are the workers of the three steps, ready to register.
type ApplyWorkers struct {
	Person      *ApplyPersonWorker
	Application *ApplyApplicationWorker
	CV          *ApplyCVWorker
}

// NewApplyWorkers returns the workers of s's steps.
func NewApplyWorkers(s *ApplySteps) ApplyWorkers {
	return ApplyWorkers{Person: &ApplyPersonWorker{s: s}, Application: &ApplyApplicationWorker{s: s}, CV: &ApplyCVWorker{s: s}}
}

// RegisterApply adds the apply workers to a River worker set.
func RegisterApply(set *river.Workers, w ApplyWorkers) {
	river.AddWorker(set, w.Person)
	river.AddWorker(set, w.Application)
	river.AddWorker(set, w.CV)
}

// ApplyPersonWorker works ApplyPersonArgs.
type ApplyPersonWorker struct {
	river.WorkerDefaults[jobargs.ApplyPersonArgs]
	s *ApplySteps
}

// Timeout implements river.Worker.
func (w *ApplyPersonWorker) Timeout(*river.Job[jobargs.ApplyPersonArgs]) time.Duration {
	return applyTimeout
}

// Work implements river.Worker.
func (w *ApplyPersonWorker) Work(ctx context.Context, job *river.Job[jobargs.ApplyPersonArgs]) error {
	return w.s.work(ctx, jobOf(job), job.Args.TenantID, job.Args.ApplicationID, assessments.ApplyStepPerson, findOrCreatePerson)
}

// ApplyApplicationWorker works ApplyApplicationArgs.
type ApplyApplicationWorker struct {
	river.WorkerDefaults[jobargs.ApplyApplicationArgs]
	s *ApplySteps
}

// Timeout implements river.Worker.
func (w *ApplyApplicationWorker) Timeout(*river.Job[jobargs.ApplyApplicationArgs]) time.Duration {
	return applyTimeout
}

// Work implements river.Worker.
func (w *ApplyApplicationWorker) Work(ctx context.Context, job *river.Job[jobargs.ApplyApplicationArgs]) error {
	return w.s.work(ctx, jobOf(job), job.Args.TenantID, job.Args.ApplicationID, assessments.ApplyStepApplication, findOrCreateApplication)
}

// ApplyCVWorker works ApplyCVArgs.
type ApplyCVWorker struct {
	river.WorkerDefaults[jobargs.ApplyCVArgs]
	s *ApplySteps
}

// Timeout implements river.Worker.
func (w *ApplyCVWorker) Timeout(*river.Job[jobargs.ApplyCVArgs]) time.Duration { return applyTimeout }

// Work implements river.Worker.
func (w *ApplyCVWorker) Work(ctx context.Context, job *river.Job[jobargs.ApplyCVArgs]) error {
	return w.s.work(ctx, jobOf(job), job.Args.TenantID, job.Args.ApplicationID, assessments.ApplyStepCV, w.upload)
}

// findOrCreatePerson looks the person up by e-mail first: a person who
// exists (from an earlier application, or from this step's own create
// whose record a crash lost) is used, the oldest when several share it.
func findOrCreatePerson(ctx context.Context, c *icims.Client, _ assessments.Tenant, app assessments.Application, l assessments.ApplyLink) (stepResult, error) {
	next := assessments.ApplyStepApplication
	ids, err := c.FindPeopleByEmail(ctx, app.Email)
	if err != nil {
		return stepResult{}, err
	}
	if len(ids) > 0 {
		return stepResult{personID: ids[0], next: next, message: fmt.Sprintf("Found person %s by e-mail.", ids[0])}, nil
	}
	fields := map[string]any{"firstname": app.FirstName, "lastname": app.LastName, "email": app.Email,
		"source": l.Source, "sourcespecifics": l.SourceLabel}
	if app.Phone != "" {
		// phones is a collection field (contract §4's people fields, the
		// Collection Fields page's example): a row of type and number.
		fields["phones"] = []map[string]any{{"phonetype": map[string]string{"value": "Mobile"}, "phonenumber": app.Phone}}
	}
	id, ws, err := c.CreatePerson(ctx, fields)
	if err != nil {
		return stepResult{}, err
	}
	return stepResult{personID: id, personCreated: true, warnings: ws, next: next, message: fmt.Sprintf("Created person %s.", id)}, nil
}

// findOrCreateApplication searches the person's applications to the job
// before creating one, and makes the invitation in the same transaction
// that records the application.
func findOrCreateApplication(ctx context.Context, c *icims.Client, t assessments.Tenant, app assessments.Application, l assessments.ApplyLink) (stepResult, error) {
	res := stepResult{next: assessments.ApplyStepDone}
	if app.CVSize > 0 {
		res.next = assessments.ApplyStepCV
	}
	ids, err := c.FindApplications(ctx, app.PersonID, l.JobID)
	if err != nil {
		return stepResult{}, err
	}
	if len(ids) > 0 {
		res.workflowID, res.message = ids[0], fmt.Sprintf("Found application %s of person %s to job %s.", ids[0], app.PersonID, l.JobID)
	} else {
		id, ws, err := c.CreateApplicantWorkflow(ctx, icims.NewApplicantWorkflow{JobID: l.JobID, PersonID: app.PersonID,
			Source: l.Source, SourceName: l.SourceLabel})
		if err != nil {
			return stepResult{}, err
		}
		res.workflowID, res.warnings = id, ws
		res.message = fmt.Sprintf("Created application %s of person %s to job %s (Source %q).", id, app.PersonID, l.JobID, l.Source)
	}
	res.invitation = &assessments.NewInvitation{TenantID: app.TenantID, PackageID: l.PackageID, WorkflowID: res.workflowID,
		PersonID: app.PersonID, JobID: l.JobID, CandidateFirstName: app.FirstName, CandidateLastName: app.LastName,
		CandidateEmail: app.Email, JobTitle: l.JobTitle, CompanyName: t.Name}
	return res, nil
}

// upload sends the stored CV; once iCIMS has it, the copy here is dropped.
func (w *ApplyCVWorker) upload(ctx context.Context, c *icims.Client, _ assessments.Tenant, app assessments.Application, _ assessments.ApplyLink) (stepResult, error) {
	f, ok, err := w.s.Store.CV(ctx, app.TenantID, app.ID)
	if err != nil {
		return stepResult{}, err
	}
	if !ok {
		return stepResult{next: assessments.ApplyStepDone, message: "No CV to upload."}, nil
	}
	if err := c.UploadResume(ctx, app.PersonID, icims.Resume{ContentType: f.ContentType, Filename: f.Name, Data: f.Data}); err != nil {
		return stepResult{}, err
	}
	return stepResult{next: assessments.ApplyStepDone, clearCV: true,
		message: fmt.Sprintf("Uploaded the CV (%s, %d bytes) to person %s.", f.Name, len(f.Data), app.PersonID)}, nil
}
