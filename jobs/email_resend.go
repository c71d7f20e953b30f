package jobs

import (
	"context"
	"strconv"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// ResendInvitationWorker sends an admin's resend. Each job is its own
// e-mail (keyed by the job), counted on the invitation once the server has
// accepted it; a failed invitation comes back to sent.
type ResendInvitationWorker struct {
	river.WorkerDefaults[jobargs.ResendInvitationArgs]
	Mailer    *Mailer
	Scheduler *Scheduler
}

// Work implements river.Worker.
func (w *ResendInvitationWorker) Work(ctx context.Context, job *river.Job[jobargs.ResendInvitationArgs]) error {
	a := job.Args
	return w.Mailer.deliver(ctx, emailJob{
		tenantID: a.TenantID, invitationID: a.InvitationID, kind: assessments.EmailResend,
		key: "resend:" + strconv.FormatInt(job.ID, 10), attempt: job.Attempt, maxAttempts: job.MaxAttempts,
		eligible: func(inv assessments.Invitation) (bool, string) {
			if err := assessments.CheckResend(inv); err != nil {
				return false, assessments.ErrorMessage(err)
			}
			return true, ""
		},
		markSent: true, failInvitation: true, then: w.Scheduler.AfterSend,
	})
}
