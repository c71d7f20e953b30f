package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// ExpireInvitationWorker moves an overdue invitation to expired through
// the store, so the transition is recorded and its write-back tells iCIMS. A
// candidate who started before the deadline has StartedGrace more: the job
// then sleeps until that runs out.
type ExpireInvitationWorker struct {
	river.WorkerDefaults[jobargs.ExpireInvitationArgs]
	Invitations assessments.InvitationStore
	Clock       assessments.Clock
	Log         *slog.Logger
}

// Work implements river.Worker.
func (w *ExpireInvitationWorker) Work(ctx context.Context, job *river.Job[jobargs.ExpireInvitationArgs]) error {
	a := job.Args
	inv, err := w.Invitations.Invitation(ctx, a.TenantID, a.InvitationID)
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	now := w.Clock.Now()
	switch {
	case inv.Status.Final():
		return nil
	case inv.Overdue(now):
		if _, err := w.Invitations.Expire(ctx, a.TenantID, a.InvitationID); err != nil {
			return err
		}
		w.Log.InfoContext(ctx, "invitation expired", "tenant", a.TenantID, "invitation_id", a.InvitationID)
		return nil
	case !inv.ExpiresAt.Equal(a.ExpiresAt.UTC()):
		// Extended: the extension queued a job for the new deadline.
		return nil
	}
	// Started before the deadline: wait out the grace.
	return river.JobSnooze(inv.Deadline().Sub(now) + time.Second)
}
