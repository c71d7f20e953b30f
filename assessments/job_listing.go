package assessments

import (
	"context"
	"slices"
	"strings"
	"time"
)

// JobListing is one iCIMS job as JobCannon keeps it for admins: read once,
// then kept current by the job sync, so that pages and pickers name jobs
// without calling iCIMS. A job that leaves iCIMS (no longer found, or
// moved to a closed folder) stays, marked removed, so a rule that names it
// still reads as a job and not as a bare id.
type JobListing struct {
	TenantID   int64
	JobID      string
	Title      string
	JobCode    string
	Location   string
	FolderID   string
	FolderName string
	// AssessmentTypes are the packages chosen on the job in iCIMS: nodes
	// of the customer's Assessment Type list.
	AssessmentTypes []AssessmentType
	// SyncedAt is when the job was last read from iCIMS.
	SyncedAt time.Time
	// RemovedAt is when the sync found the job gone; zero while it is open.
	RemovedAt time.Time
	// RemovedReason says how it went, e.g. "moved to the Closed folder".
	RemovedReason string
}

// Removed reports whether the job has left iCIMS.
func (j JobListing) Removed() bool { return !j.RemovedAt.IsZero() }

// Label names the job in pickers: its title, its code and its place.
func (j JobListing) Label() string {
	label := j.Title
	if label == "" {
		label = "Job " + j.JobID
	}
	var extra []string
	for _, s := range []string{j.JobCode, j.Location} {
		if s != "" {
			extra = append(extra, s)
		}
	}
	if len(extra) > 0 {
		label += " (" + strings.Join(extra, ", ") + ")"
	}
	return label
}

// Matches reports whether the job's title, code, location, folder, id or
// packages contain q, ignoring case; an empty q matches every job.
func (j JobListing) Matches(q string) bool {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return true
	}
	fields := []string{j.Title, j.JobCode, j.Location, j.FolderName, j.JobID}
	for _, a := range j.AssessmentTypes {
		fields = append(fields, a.Value)
	}
	return slices.ContainsFunc(fields, func(s string) bool { return strings.Contains(strings.ToLower(s), q) })
}

// JobSyncState is where a tenant's job sync stands.
type JobSyncState struct {
	TenantID int64
	// Since is the delta sync's watermark: every change in iCIMS before it
	// is in the listings. Zero until the first full sync has finished.
	Since time.Time
	// RunStartedAt is set while a run is unfinished: a run cut short (a
	// rate limit, a restart) resumes by skipping the jobs it already
	// read, those synced at or after it.
	RunStartedAt time.Time
	// LastSweepAt is when the sync last listed every open job, which is
	// how it learns of jobs deleted or closed without an update it saw.
	LastSweepAt time.Time
	// SweepRequested asks the next run to list every open job (an admin
	// pressed Refresh jobs).
	SweepRequested bool
	LastFinishedAt time.Time
	// LastError is why the last run failed, worded for the admin; empty
	// after a run that finished.
	LastError string
	// LastCalls is how many iCIMS calls the last finished run made.
	LastCalls int
}

// Synced reports whether a first full sync has finished.
func (s JobSyncState) Synced() bool { return !s.Since.IsZero() }

// JobListingStore keeps each tenant's job listings and sync state.
type JobListingStore interface {
	// JobListings returns the tenant's jobs, open ones first, by title.
	JobListings(ctx context.Context, tenantID int64) ([]JobListing, error)
	// SaveJobListings creates or replaces jobs read from iCIMS; a saved
	// job is open again if it had been marked removed.
	SaveJobListings(ctx context.Context, tenantID int64, jobs []JobListing) error
	// MarkJobsRemoved marks jobs gone from iCIMS, keeping them; a job
	// already marked keeps its first date and reason.
	MarkJobsRemoved(ctx context.Context, tenantID int64, jobIDs []string, reason string, at time.Time) error
	// JobsSyncedSince returns the ids of the tenant's jobs synced at or
	// after t.
	JobsSyncedSince(ctx context.Context, tenantID int64, t time.Time) (map[string]bool, error)
	JobSyncState(ctx context.Context, tenantID int64) (JobSyncState, error)
	SaveJobSyncState(ctx context.Context, s JobSyncState) error
	// RequestJobSweep sets SweepRequested and queues the tenant's job
	// sync in the same transaction; at most one is queued or running per
	// tenant.
	RequestJobSweep(ctx context.Context, tenantID int64) error
}

// JobListings is what admins see of the job sync: the Jobs page, the job
// pickers of the rule form, and the Refresh jobs button.
type JobListings struct {
	Store JobListingStore
}

// JobListingsPage is the Jobs page: the jobs matching a filter and where
// the sync stands.
type JobListingsPage struct {
	Query string
	Jobs  []JobListing
	// Total counts every job kept, matching or not.
	Total int
	State JobSyncState
}

// Page returns the tenant's jobs whose title, code, location, folder or
// packages contain q.
func (s *JobListings) Page(ctx context.Context, tenantID int64, q string) (JobListingsPage, error) {
	all, err := s.Store.JobListings(ctx, tenantID)
	if err != nil {
		return JobListingsPage{}, err
	}
	p := JobListingsPage{Query: strings.TrimSpace(q), Total: len(all)}
	for _, j := range all {
		if j.Matches(p.Query) {
			p.Jobs = append(p.Jobs, j)
		}
	}
	p.State, err = s.Store.JobSyncState(ctx, tenantID)
	return p, err
}

// Jobs returns every job kept for the tenant, for pickers.
func (s *JobListings) Jobs(ctx context.Context, tenantID int64) ([]JobListing, error) {
	return s.Store.JobListings(ctx, tenantID)
}

// Refresh asks for a sync now that also lists every open job, so that
// jobs deleted in iCIMS show as removed.
func (s *JobListings) Refresh(ctx context.Context, t Tenant) error {
	if !t.Connected() {
		return Errorf(EUNAVAILABLE, "Connect JobCannon to iCIMS before reading its jobs.")
	}
	return s.Store.RequestJobSweep(ctx, t.ID)
}

// RemovedJobProblems names the chosen jobs that have left iCIMS, so a
// rule still naming them says so. With no jobs read yet it finds nothing.
func RemovedJobProblems(jobIDs []string, jobs []JobListing) []string {
	var out []string
	for _, id := range jobIDs {
		i := slices.IndexFunc(jobs, func(j JobListing) bool { return j.JobID == id })
		if i >= 0 && jobs[i].Removed() {
			out = append(out, "The chosen job "+jobs[i].Label()+" was removed from iCIMS: "+jobs[i].RemovedReason+".")
		}
	}
	return out
}
