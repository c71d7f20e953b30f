package routes

const (
	eventReceive = "/icims/events"
	confirm      = ConfirmPrefix + "/:token"
)

// EventReceive is where iCIMS posts its events.
func EventReceive() string { return eventReceive }

// ConfirmShow is the recruiter's confirm page behind a signed token.
func ConfirmShow(token string) string { return fill(confirm, token) }

// ConfirmSend is where the confirm page's form posts.
func ConfirmSend(token string) string { return fill(confirm, token) }
