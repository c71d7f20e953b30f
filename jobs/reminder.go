package jobs

import (
	"context"
	"strconv"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
)

// RemindInvitationArgs sends the reminder of one of the package's reminder
// days. It is scheduled when the invitation is first sent (and again when
// it is extended); whether it is still wanted is decided when it runs.
type RemindInvitationArgs struct {
	TenantID     int64 `json:"tenant_id"`
	InvitationID int64 `json:"invitation_id"`
	Day          int   `json:"day"`
}

// Kind implements river.JobArgs.
func (RemindInvitationArgs) Kind() string { return "remind_invitation" }

// RemindInvitationWorker sends a reminder, subject prefixed "Reminder:",
// to a candidate who has the link and has not finished. Cancelled,
// completed, expired and failed invitations get nothing, so cancelling
// needs no job deleted. The e-mail is keyed by the day: two jobs for the
// same day send one reminder.
type RemindInvitationWorker struct {
	river.WorkerDefaults[RemindInvitationArgs]
	Mailer *Mailer
}

// Work implements river.Worker.
func (w *RemindInvitationWorker) Work(ctx context.Context, job *river.Job[RemindInvitationArgs]) error {
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
