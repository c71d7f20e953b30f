package assessments

import "time"

// DeliveryKindEmail is the Kind of an outbound delivery that is an e-mail
// to a candidate: the logs page lists it beside the calls to iCIMS.
const DeliveryKindEmail = "email"

// EmailKind says why an e-mail about an invitation was sent.
type EmailKind string

// The e-mails an invitation gets.
const (
	// EmailInvitation is the first e-mail, sent when the invitation is
	// created.
	EmailInvitation EmailKind = "invitation"
	// EmailReminder goes out on the package's reminder days to a candidate
	// who has not finished.
	EmailReminder EmailKind = "reminder"
	// EmailResend is an admin's resend: the same link in a new e-mail.
	EmailResend EmailKind = "resend"
)

// Label names the kind for people.
func (k EmailKind) Label() string {
	switch k {
	case EmailInvitation:
		return "Invitation"
	case EmailReminder:
		return "Reminder"
	case EmailResend:
		return "Resent invitation"
	}
	return string(k)
}

// EmailStatus is where one e-mail stands.
type EmailStatus string

// E-mail statuses. An e-mail is sending from just before the first SMTP
// attempt until the server accepts it (sent) or refuses it for good
// (failed); retries keep it sending.
const (
	EmailSending EmailStatus = "sending"
	EmailSent    EmailStatus = "sent"
	EmailFailed  EmailStatus = "failed"
)

// InvitationEmail is one e-mail about an invitation, as the admin pages
// show it.
type InvitationEmail struct {
	ID           int64
	TenantID     int64
	InvitationID int64
	Kind         EmailKind
	// Key names the e-mail within its invitation: "invitation",
	// "reminder:2", "resend:<job id>".
	Key string
	// MessageID is fixed before the first attempt, so retries of the same
	// e-mail carry the same Message-ID.
	MessageID  string
	Status     EmailStatus
	DeliveryID int64
	Attempts   int
	Error      string
	// PossibleDuplicate is set when the e-mail was sent again after an
	// attempt whose outcome is unknown (the process died mid-send): the
	// server may have taken both, so the candidate may have two copies.
	// SMTP offers no exactly-once; this makes the duplicate visible.
	PossibleDuplicate bool
	CreatedAt         time.Time
	SentAt            time.Time
	UpdatedAt         time.Time
}

// PossibleDuplicateNote is what the logs and the invitation page say of an
// e-mail sent again after an interrupted attempt.
const PossibleDuplicateNote = "Sent again after an interrupted attempt; the candidate may have two copies."

// ReminderSubjectPrefix starts the subject of a reminder.
const ReminderSubjectPrefix = "Reminder: "
