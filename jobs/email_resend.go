package jobs

import (
	"context"
	"strconv"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
)

// ResendInvitationArgs e-mails an invitation again, with the same link, at
// an admin's request.
type ResendInvitationArgs struct {
	TenantID     int64 `json:"tenant_id"`
	InvitationID int64 `json:"invitation_id"`
	// By names the admin who asked, for the logs.
	By string `json:"by"`
}

// Kind implements river.JobArgs.
func (ResendInvitationArgs) Kind() string { return "resend_invitation" }

// ResendInvitationWorker sends an admin's resend. Each job is its own
// e-mail (keyed by the job), counted on the invitation once the server has
// accepted it; a failed invitation comes back to sent.
type ResendInvitationWorker struct {
	river.WorkerDefaults[ResendInvitationArgs]
	Mailer    *Mailer
	Scheduler *Scheduler
}

// Work implements river.Worker.
func (w *ResendInvitationWorker) Work(ctx context.Context, job *river.Job[ResendInvitationArgs]) error {
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
