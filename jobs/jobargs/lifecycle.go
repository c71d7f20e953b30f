package jobargs

import "time"

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
