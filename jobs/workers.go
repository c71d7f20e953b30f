package jobs

import (
	"github.com/riverqueue/river"
)

// Workers are this package's workers, ready to register.
type Workers struct {
	// Batch processes each group commit's deliveries; Process retries a
	// delivery on its own.
	Batch    *ProcessEventsWorker
	Process  *ProcessEventWorker
	FollowUp *FollowUpWorker
	// Email holds the invitation e-mail and lifecycle workers.
	Email EmailWorkers
	// Writeback writes statuses, results and scorecards to iCIMS.
	Writeback *WritebackWorker
	// Retention deletes candidate data past each tenant's period.
	Retention *RetentionWorker
}

// EmailWorkers send invitation e-mails (the first one, resends, reminders)
// and expire invitations at their deadline.
type EmailWorkers struct {
	Send   *SendInvitationWorker
	Resend *ResendInvitationWorker
	Remind *RemindInvitationWorker
	Expire *ExpireInvitationWorker
	// Health mails the admins when writes start failing and recover.
	Health *WriteHealthNoticeWorker
	// Accommodation tells the admins of a candidate's accommodation request.
	Accommodation *AccommodationNoticeWorker
}

// Register adds the workers to a River worker set, before the queue is
// built from it.
func Register(set *river.Workers, w Workers) {
	river.AddWorker(set, w.Batch)
	river.AddWorker(set, w.Process)
	river.AddWorker(set, w.FollowUp)
	river.AddWorker(set, w.Email.Send)
	river.AddWorker(set, w.Email.Resend)
	river.AddWorker(set, w.Email.Remind)
	river.AddWorker(set, w.Email.Expire)
	if w.Email.Health != nil {
		river.AddWorker(set, w.Email.Health)
	}
	river.AddWorker(set, w.Email.Accommodation)
	if w.Writeback != nil {
		river.AddWorker(set, w.Writeback)
	}
	if w.Retention != nil {
		river.AddWorker(set, w.Retention)
	}
}
