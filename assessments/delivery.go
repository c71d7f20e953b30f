package assessments

import (
	"net/textproto"
	"strings"
	"time"
)

// Direction says who called whom in a delivery.
type Direction string

// Directions: an event iCIMS posted to us, or a call we made to iCIMS.
const (
	DirectionInbound  Direction = "inbound"
	DirectionOutbound Direction = "outbound"
)

// DeliveryStatus is where a delivery stands.
type DeliveryStatus string

// Delivery statuses. An inbound event is received until its processing
// settles on one of the others.
const (
	DeliveryReceived  DeliveryStatus = "received"
	DeliveryProcessed DeliveryStatus = "processed"
	DeliveryIgnored   DeliveryStatus = "ignored"
	DeliveryDuplicate DeliveryStatus = "duplicate"
	DeliveryFailed    DeliveryStatus = "failed"
)

// Label names the status for people.
func (s DeliveryStatus) Label() string {
	switch s {
	case DeliveryReceived:
		return "Received"
	case DeliveryProcessed:
		return "Processed"
	case DeliveryIgnored:
		return "Ignored"
	case DeliveryDuplicate:
		return "Duplicate"
	case DeliveryFailed:
		return "Failed"
	}
	return string(s)
}

// NoICIMSCode marks a delivery without an iCIMS error code; 0 is a real
// code (internal error).
const NoICIMSCode = -1

// Delivery is one inbound event or one outbound call, as the logs page
// shows it.
type Delivery struct {
	ID       int64
	TenantID int64
	// PublicID is random: confirm links name the delivery by it.
	PublicID  string
	Direction Direction
	// Kind is the event type of an inbound delivery, the call of an
	// outbound one.
	Kind         string
	Status       DeliveryStatus
	WorkflowID   string
	PersonID     string
	JobID        string
	InvitationID int64
	RuleID       int64
	HTTPStatus   int
	ICIMSCode    int
	Message      string
	Attempts     int
	LatencyMS    int64
	DedupeKey    string
	// RedeliveryOf is the first delivery of the same body, for a row that
	// logs a redelivery.
	RedeliveryOf int64
	Event        InboundEvent
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// DeliveryAttempt is one HTTP exchange of a delivery, secrets removed.
type DeliveryAttempt struct {
	ID             int64
	DeliveryID     int64
	N              int
	Method         string
	URL            string
	RequestHeaders map[string]string
	RequestBody    string
	ResponseStatus int
	ResponseBody   string
	Error          string
	LatencyMS      int64
	CreatedAt      time.Time
}

// secretHeaders never reach storage or logs.
var secretHeaders = map[string]bool{
	"Authorization":          true,
	"Proxy-Authorization":    true,
	"Cookie":                 true,
	"Set-Cookie":             true,
	"X-Icims-Content-Sha256": false, // a digest of the body, not a secret
}

// RedactHeaders flattens headers for storage and drops every one that can
// carry a secret: Authorization, cookies, and any header whose name says
// token, secret, key, password or signature.
func RedactHeaders(h map[string][]string) map[string]string {
	out := make(map[string]string, len(h))
	for name, values := range h {
		canon := textproto.CanonicalMIMEHeaderKey(name)
		if secret, known := secretHeaders[canon]; (known && secret) || (!known && secretName(canon)) {
			continue
		}
		out[canon] = strings.Join(values, ", ")
	}
	return out
}

func secretName(name string) bool {
	n := strings.ToLower(name)
	for _, word := range []string{"token", "secret", "key", "password", "signature", "auth"} {
		if strings.Contains(n, word) {
			return true
		}
	}
	return false
}
