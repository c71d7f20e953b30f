// Package jobargs holds the arguments of every River job: the contract
// between the store, which queues a job in the transaction of the change
// that needs it, and the worker in package jobs that does it. Kinds and
// JSON names never change meaning: jobs already queued in a database must
// still decode.
package jobargs

// ProcessEventArgs processes one inbound delivery (an iCIMS event already
// recorded and answered) that a ProcessEventsArgs job could not finish: route it through the tenant's rules, read from
// iCIMS what the rule needs, create the invitations and queue their e-mail.
type ProcessEventArgs struct {
	TenantID   int64 `json:"tenant_id"`
	DeliveryID int64 `json:"delivery_id"`
}

// Kind implements river.JobArgs.
func (ProcessEventArgs) Kind() string { return "process_event" }

// ProcessEventsArgs processes the deliveries of one group commit of the
// intake. One job per commit, rather than one per delivery, keeps the work
// done while iCIMS waits for its answer small; a delivery that must be
// tried again later gets a ProcessEventArgs job of its own.
type ProcessEventsArgs struct {
	Deliveries []DeliveryRef `json:"deliveries"`
}

// DeliveryRef names one delivery of a tenant.
type DeliveryRef struct {
	TenantID   int64 `json:"tenant_id"`
	DeliveryID int64 `json:"delivery_id"`
}

// Kind implements river.JobArgs.
func (ProcessEventsArgs) Kind() string { return "process_events" }

// SendInvitationArgs e-mails one invitation to its candidate. It is queued
// in the transaction that creates the invitation; the e-mail worker loads
// everything else from the invitation.
type SendInvitationArgs struct {
	InvitationID int64 `json:"invitation_id"`
}

// Kind implements river.JobArgs.
func (SendInvitationArgs) Kind() string { return "send_invitation" }

// FollowUpArgs runs a custom-workflow rule's follow-up actions once the
// invitation it sent is completed.
type FollowUpArgs struct {
	TenantID     int64 `json:"tenant_id"`
	InvitationID int64 `json:"invitation_id"`
}

// Kind implements river.JobArgs.
func (FollowUpArgs) Kind() string { return "rule_follow_up" }
