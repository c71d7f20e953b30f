package jobargs

import (
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// JobSyncArgs syncs one tenant's jobs from iCIMS.
type JobSyncArgs struct {
	TenantID int64 `json:"tenant_id" river:"unique"`
}

// Kind implements river.JobArgs.
func (JobSyncArgs) Kind() string { return "job_sync" }

// InsertOpts implements river.JobArgsWithInsertOpts: one sync per tenant
// queued or running at a time, so the schedule and the Refresh button
// never read a customer's jobs twice over.
func (JobSyncArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{rivertype.JobStateAvailable,
		rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}

// JobSyncAllArgs queues a job sync for every connected tenant.
type JobSyncAllArgs struct{}

// Kind implements river.JobArgs.
func (JobSyncAllArgs) Kind() string { return "job_sync_all" }
