package jobs

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// SendInvitationWorker sends an invitation's first e-mail. On the server's
// acceptance the invitation moves from created to sent and its reminders
// and expiry are queued, in one transaction; a permanent refusal marks it
// failed and stops; anything else is retried with the queue's backoff.
type SendInvitationWorker struct {
	river.WorkerDefaults[jobargs.SendInvitationArgs]
	Mailer    *Mailer
	Scheduler *Scheduler
}

// Work implements river.Worker.
func (w *SendInvitationWorker) Work(ctx context.Context, job *river.Job[jobargs.SendInvitationArgs]) error {
	id := job.Args.InvitationID
	tenantID, err := w.Mailer.Emails.InvitationTenant(ctx, id)
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		w.Mailer.Log.InfoContext(ctx, "e-mail not sent: invitation gone", "invitation_id", id)
		return nil
	} else if err != nil {
		return err
	}
	return w.Mailer.deliver(ctx, emailJob{
		tenantID: tenantID, invitationID: id, kind: assessments.EmailInvitation, key: string(assessments.EmailInvitation),
		attempt: job.Attempt, maxAttempts: job.MaxAttempts, eligible: firstSendWanted,
		markSent: true, failInvitation: true, then: w.Scheduler.AfterSend,
	})
}

// firstSendWanted is true while the invitation waits for its first e-mail:
// once sent (by an earlier attempt or an admin's resend), opened, ended or
// failed, there is nothing left for this job to do.
func firstSendWanted(inv assessments.Invitation) (bool, string) {
	switch {
	case inv.Status != assessments.StatusCreated:
		return false, "the invitation is " + inv.Status.Label()
	case inv.CandidateEmail == "":
		return false, "the invitation has no e-mail address"
	}
	return true, ""
}
