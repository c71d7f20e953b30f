package mail

import (
	"errors"
	"fmt"
	"net/textproto"

	gomail "github.com/wneessen/go-mail"

	"github.com/jobcannon/jobcannon/assessments"
)

// SendError is a failed delivery, classified so the job queue knows
// whether trying again can help.
type SendError struct {
	// Code is the SMTP reply code (421, 550, ...) or 0 when the server never
	// answered: refused connection, timeout, TLS failure.
	Code int
	// Permanent is true when the server rejected the message itself (a 5xx
	// reply to MAIL, RCPT or DATA): sending it again gets the same answer.
	Permanent bool
	Err       error
}

// Error implements the error interface.
func (e *SendError) Error() string {
	kind := "temporary"
	if e.Permanent {
		kind = "permanent"
	}
	return fmt.Sprintf("%s failure: %v", kind, e.Err)
}

// Unwrap returns the underlying error.
func (e *SendError) Unwrap() error { return e.Err }

// IsPermanent reports whether err means the message can never be delivered
// as it is: the server refused it with a 5xx reply, or the message itself is
// invalid. Everything else (4xx replies, network trouble, a cancelled
// context) is temporary and worth a retry.
func IsPermanent(err error) bool {
	var se *SendError
	if errors.As(err, &se) {
		return se.Permanent
	}
	return assessments.ErrorCode(err) == assessments.EINVALID
}

// classifyDelivery wraps an error from the mail transaction (MAIL, RCPT,
// DATA) of one message. Only here is a 5xx about the message; a 5xx during
// connection or login is about our configuration, and fixing that should let
// the queued message go out, so those stay temporary (see classifyDial).
func classifyDelivery(err error) *SendError {
	var ge *gomail.SendError
	if errors.As(err, &ge) {
		code := ge.ErrorCode()
		return &SendError{Code: code, Permanent: code >= 500 && code < 600, Err: err}
	}
	return &SendError{Err: err}
}

// classifyDial wraps an error from connecting, STARTTLS or AUTH. It keeps the
// server's reply code for the logs but is never permanent.
func classifyDial(err error) *SendError {
	return &SendError{Code: replyCode(err), Err: err}
}

// replyCode is the server's reply code in err, or 0 if the server never
// replied.
func replyCode(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}
