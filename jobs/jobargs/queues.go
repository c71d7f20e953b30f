package jobargs

import "github.com/riverqueue/river"

// The River queues. Every queue has its own workers, so work of one kind
// never waits for free workers behind work of another: an iCIMS customer's
// backlog of writes (thousands of write-backs at its rate limit) cannot
// delay another customer's invitation e-mail, and e-mails never queue
// behind iCIMS calls at all. Jobs of kinds not named here run on River's
// default queue (event processing, job sync, clean-up).
const (
	// QueueEmail holds the e-mails to candidates and admins and the
	// invitation lifecycle (reminders, expiry): nothing on it calls iCIMS.
	QueueEmail = "email"
	// QueueICIMSWrites holds the writes to iCIMS (write-backs, the steps
	// of an assessment-first application): each waits on its customer's
	// pace, by snoozing when the wait is long.
	QueueICIMSWrites = "icims_writes"
)

// InsertOpts implements river.JobArgsWithInsertOpts: e-mails have their
// own queue.
func (SendInvitationArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: QueueEmail} }

// InsertOpts implements river.JobArgsWithInsertOpts: e-mails have their
// own queue.
func (ResendInvitationArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: QueueEmail} }

// InsertOpts implements river.JobArgsWithInsertOpts: e-mails have their
// own queue.
func (RemindInvitationArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: QueueEmail} }

// InsertOpts implements river.JobArgsWithInsertOpts: expiry is part of the
// invitation's lifecycle, beside its e-mails.
func (ExpireInvitationArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: QueueEmail} }

// InsertOpts implements river.JobArgsWithInsertOpts: e-mails have their
// own queue.
func (WriteHealthNoticeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueEmail}
}

// InsertOpts implements river.JobArgsWithInsertOpts: e-mails have their
// own queue.
func (AccommodationNoticeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueEmail}
}

// InsertOpts implements river.JobArgsWithInsertOpts: writes to iCIMS have
// their own queue.
func (WritebackArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: QueueICIMSWrites} }

// InsertOpts implements river.JobArgsWithInsertOpts: writes to iCIMS have
// their own queue.
func (ApplyPersonArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueICIMSWrites}
}

// InsertOpts implements river.JobArgsWithInsertOpts: writes to iCIMS have
// their own queue.
func (ApplyApplicationArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueICIMSWrites}
}

// InsertOpts implements river.JobArgsWithInsertOpts: writes to iCIMS have
// their own queue.
func (ApplyCVArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: QueueICIMSWrites} }
