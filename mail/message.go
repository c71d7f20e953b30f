// Package mail composes and sends JobCannon's e-mail: the invitation
// template and its rendering, an SMTP sender for production and a dev
// mailbox sender that keeps messages in the database for the sandbox.
package mail

import (
	"context"
	"crypto/rand"
	"fmt"
	"maps"
	netmail "net/mail"
	"slices"
	"strings"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
)

// HeaderMessageID is the header that carries a message's unique id. A
// caller that sets it in Message.Headers (a retried job, say) keeps the same
// id across attempts; otherwise the sender generates one.
const HeaderMessageID = "Message-ID"

// Message is one e-mail to one recipient.
type Message struct {
	TenantID     int64
	InvitationID int64 // 0 if the message is not about an invitation
	To           string
	ToName       string
	FromAddress  string
	FromName     string
	ReplyTo      string
	Subject      string
	HTML         string
	Text         string
	// Headers are extra headers such as X-JobCannon-Invitation. They may
	// not replace the ones the sender writes itself (From, Subject, ...).
	Headers map[string]string
}

// StoredMessage is a message as the dev mailbox keeps it.
type StoredMessage struct {
	Message
	ID        int64
	MessageID string
	CreatedAt time.Time
}

// Sender delivers a message and returns its Message-ID, so that logs and
// bounces can be matched to the invitation.
type Sender interface {
	Send(ctx context.Context, m Message) (messageID string, err error)
}

// IDGenerator returns a unique string for the left-hand side of a
// Message-ID. It is injected so tests can predict ids.
type IDGenerator func() string

// RandomID returns about 130 random bits as text: enough that two messages
// never share a Message-ID.
func RandomID() string {
	return strings.ToLower(rand.Text())
}

// Header returns the value of the extra header name, matched without
// regard to case, or "".
func (m Message) Header(name string) string {
	for k, v := range m.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// messageID returns the caller's Message-ID if there is one and a new one
// otherwise, in the <unique@domain> form of RFC 5322.
func (m Message) messageID(newID IDGenerator) string {
	if id := m.Header(HeaderMessageID); id != "" {
		return id
	}
	domain := "jobcannon.invalid"
	if _, d, ok := strings.Cut(m.FromAddress, "@"); ok && d != "" {
		domain = d
	}
	return "<" + newID() + "@" + domain + ">"
}

// Validate checks a message before it is sent: addresses that parse, and no
// line breaks in anything that becomes a header, since a line break there
// would let the text add headers of its own.
func (m Message) Validate() error {
	var problems []string
	addr := func(field, value string, required bool) {
		switch {
		case value == "" && required:
			problems = append(problems, field+" is missing")
		case value != "" && !isAddress(value):
			problems = append(problems, fmt.Sprintf("%s %q is not an e-mail address", field, value))
		}
	}
	addr("recipient", m.To, true)
	addr("sender address", m.FromAddress, true)
	addr("reply-to", m.ReplyTo, false)
	for _, f := range []struct{ name, value string }{
		{"recipient name", m.ToName}, {"sender name", m.FromName}, {"subject", m.Subject},
	} {
		if hasControl(f.value) {
			problems = append(problems, f.name+" contains a line break or control character")
		}
	}
	if strings.TrimSpace(m.Subject) == "" {
		problems = append(problems, "subject is empty")
	}
	if m.HTML == "" && m.Text == "" {
		problems = append(problems, "message has no body")
	}
	for _, name := range slices.Sorted(maps.Keys(m.Headers)) {
		value := m.Headers[name]
		switch {
		case !isHeaderName(name):
			problems = append(problems, fmt.Sprintf("header name %q is not valid", name))
		case isReserved(name):
			problems = append(problems, fmt.Sprintf("header %s is set by the sender", name))
		case hasControl(value):
			problems = append(problems, fmt.Sprintf("header %s contains a line break or control character", name))
		case strings.EqualFold(name, HeaderMessageID) && !isMessageID(value):
			problems = append(problems, fmt.Sprintf("Message-ID %q must look like <unique@domain>", value))
		}
	}
	if len(problems) > 0 {
		return assessments.Errorf(assessments.EINVALID, "Cannot send the e-mail: %s.", strings.Join(problems, "; "))
	}
	return nil
}

// isAddress reports whether s is a bare e-mail address (no display name).
func isAddress(s string) bool {
	a, err := netmail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

func isMessageID(s string) bool {
	inner, ok := strings.CutPrefix(s, "<")
	inner, ok2 := strings.CutSuffix(inner, ">")
	local, domain, ok3 := strings.Cut(inner, "@")
	return ok && ok2 && ok3 && local != "" && domain != "" && !strings.ContainsAny(inner, " <>")
}

// isReserved reports whether the sender writes header name itself from
// Message's fields; letting a caller set it too would make two of it.
func isReserved(name string) bool {
	switch strings.ToLower(name) {
	case "from", "to", "cc", "bcc", "reply-to", "sender", "subject", "date",
		"mime-version", "content-type", "content-transfer-encoding", "return-path":
		return true
	}
	return false
}

// isHeaderName reports whether s is a header field name (RFC 5322: printable
// ASCII except the colon).
func isHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r > '~' || r == ':' {
			return false
		}
	}
	return true
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f })
}
