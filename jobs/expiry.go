package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
)

// ExpireInvitationArgs expires an invitation at its deadline. ExpiresAt is
// the deadline the job was queued for: an extension queues a new job, and
// the old one, finding the deadline moved, does nothing.
type ExpireInvitationArgs struct {
	TenantID     int64     `json:"tenant_id"`
	InvitationID int64     `json:"invitation_id"`
	ExpiresAt    time.Time `json:"expires_at"`
}

// Kind implements river.JobArgs.
func (ExpireInvitationArgs) Kind() string { return "expire_invitation" }

// ExpireInvitationWorker moves an overdue invitation to expired through
// the store, so the transition is recorded and its hooks tell iCIMS. A
// candidate who started before the deadline has StartedGrace more: the job
// then sleeps until that runs out.
type ExpireInvitationWorker struct {
	river.WorkerDefaults[ExpireInvitationArgs]
	Invitations assessments.InvitationStore
	Clock       assessments.Clock
	Log         *slog.Logger
}

// Work implements river.Worker.
func (w *ExpireInvitationWorker) Work(ctx context.Context, job *river.Job[ExpireInvitationArgs]) error {
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
