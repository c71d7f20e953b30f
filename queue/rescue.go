package queue

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
)

// orphanError is the error a rescued job's attempt records.
const orphanError = "the process stopped while this job ran; retried at the next start"

// rescueOrphans makes the jobs a stopped process left running available
// again at once, and returns how many it found. River rescues such jobs
// itself only once they have run longer than RescueStuckJobsAfter (an
// hour past the job timeout), which after a crash held an event's
// processing, an invitation's e-mail or a result's write-back for an
// hour. It must run before the workers start. It is right because a
// SQLite database has exactly one serving process: on PostgreSQL with
// several instances it would take jobs from the living, and River's
// rescuer (with a shorter RescueStuckJobsAfter) is the way there.
func rescueOrphans(ctx context.Context, db *sql.DB) (int, error) {
	exec := riversqlite.New(db).GetExecutor()
	// A job fetched by this process cannot have started before now.
	horizon := time.Now().Add(time.Second)
	rescued := 0
	var after int64
	for {
		jobs, err := exec.JobGetStuck(ctx, &riverdriver.JobGetStuckParams{AfterID: after, Max: 500, StuckHorizon: horizon})
		if err != nil {
			return rescued, fmt.Errorf("queue: find orphaned jobs: %w", err)
		}
		if len(jobs) == 0 {
			return rescued, nil
		}
		now := time.Now().UTC()
		p := &riverdriver.JobRescueManyParams{StuckHorizon: horizon}
		for _, j := range jobs {
			after = j.ID
			e, err := json.Marshal(rivertype.AttemptError{At: now, Attempt: max(j.Attempt, 0), Error: orphanError})
			if err != nil {
				return rescued, err
			}
			state, finalized := rivertype.JobStateAvailable, (*time.Time)(nil)
			if j.Attempt >= j.MaxAttempts {
				state, finalized = rivertype.JobStateDiscarded, &now
			}
			p.ID, p.Error = append(p.ID, j.ID), append(p.Error, e)
			p.FinalizedAt, p.ScheduledAt, p.State = append(p.FinalizedAt, finalized), append(p.ScheduledAt, now), append(p.State, string(state))
		}
		if _, err := exec.JobRescueMany(ctx, p); err != nil {
			return rescued, fmt.Errorf("queue: rescue orphaned jobs: %w", err)
		}
		rescued += len(jobs)
	}
}
