package jobs

import (
	"context"
	"strconv"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// RemindInvitationWorker sends a reminder, subject prefixed "Reminder:",
// to a candidate who has the link and has not finished. Cancelled,
// completed, expired and failed invitations get nothing, so cancelling
// needs no job deleted. The e-mail is keyed by the day: two jobs for the
// same day send one reminder.
type RemindInvitationWorker struct {
	river.WorkerDefaults[jobargs.RemindInvitationArgs]
	Mailer *Mailer
}

// Work implements river.Worker.
func (w *RemindInvitationWorker) Work(ctx context.Context, job *river.Job[jobargs.RemindInvitationArgs]) error {
	a := job.Args
	return w.Mailer.deliver(ctx, emailJob{
		tenantID: a.TenantID, invitationID: a.InvitationID, kind: assessments.EmailReminder,
		key: "reminder:" + strconv.Itoa(a.Day), attempt: job.Attempt, maxAttempts: job.MaxAttempts,
		eligible: func(inv assessments.Invitation) (bool, string) {
			if !assessments.CanRemind(inv, w.Mailer.Clock.Now()) {
				return false, "the invitation is " + inv.Status.Label() + " or past its deadline"
			}
			return true, ""
		},
	})
}
