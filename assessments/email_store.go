package assessments

// NewSend is an e-mail about to be sent.
type NewSend struct {
	TenantID     int64
	InvitationID int64
	Kind         EmailKind
	Key          string
	// MessageID is kept if the e-mail is new.
	MessageID string
	// Summary is the delivery's first message on the logs page.
	Summary string
}

// SendOutcome is the result of one attempt at an e-mail.
type SendOutcome struct {
	// Attempt is the exchange as the logs page shows it: never the body,
	// which holds the candidate's link.
	Attempt DeliveryAttempt
	// Summary replaces the delivery's message.
	Summary string
}
