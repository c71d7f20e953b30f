package icims

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Kind classifies an *Error so callers decide what to do without reading
// codes: give up, re-authorize, or retry later.
type Kind string

// The kinds of *Error.
const (
	NotFound       Kind = "not_found"
	AccessDenied   Kind = "access_denied"
	RequiredField  Kind = "required_field"
	InvalidField   Kind = "invalid_field"
	BadCredentials Kind = "bad_credentials"
	MissingScope   Kind = "missing_scope"
	RateLimited    Kind = "rate_limited"
	Temporary      Kind = "temporary"
	QuotaExhausted Kind = "quota_exhausted"
	Other          Kind = "other"
)

// iCIMS error codes (contract §3).
const (
	CodeNone         = -1
	CodeInternal     = 0
	CodeRequired     = 1
	CodeNotFound     = 2
	CodeAccessDenied = 3
	CodeInvalid      = 4
	CodeCredentials  = 6
)

// Error is a failed call to iCIMS, or a call the client refused to make.
type Error struct {
	Kind       Kind
	Op         string // what the client was doing, e.g. "get person"
	HTTPStatus int    // 0 when no response arrived
	Code       int    // iCIMS errorCode, CodeNone if there was none
	Message    string
	Field      string        // the field of a RequiredField or InvalidField
	Scope      string        // the scope a MissingScope lacks
	RetryAfter time.Duration // when to try again, if known
	Err        error         // the transport or token error behind it
}

// Error implements the error interface.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("icims: ")
	if e.Op != "" {
		b.WriteString(e.Op + ": ")
	}
	b.WriteString(string(e.Kind))
	switch {
	case e.HTTPStatus != 0 && e.Code != CodeNone:
		fmt.Fprintf(&b, " (HTTP %d, code %d)", e.HTTPStatus, e.Code)
	case e.HTTPStatus != 0:
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	}
	if e.Field != "" {
		b.WriteString(" field " + e.Field)
	}
	if e.Scope != "" {
		b.WriteString(" scope " + e.Scope)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// IsRetryable reports whether err may succeed later unchanged: rate limits,
// outages, timeouts and an exhausted daily quota.
func IsRetryable(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Kind {
	case RateLimited, Temporary, QuotaExhausted:
		return true
	}
	return false
}

// NeedsReauthorization reports whether an admin must re-install or re-enter
// credentials before the call can succeed: bad or expired credentials, or a
// token that lacks a scope.
func NeedsReauthorization(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.Kind == BadCredentials || e.Kind == MissingScope)
}

// Warning is a problem iCIMS reported on a successful write, such as the
// code-4 "sourcename" warning on a create with an unknown source.
type Warning struct {
	Code    int
	Field   string
	Message string
}

// wireProblems is iCIMS's error and warning body.
type wireProblems struct {
	Errors   []wireProblem `json:"errors"`
	Warnings []wireProblem `json:"warnings"`
}

type wireProblem struct {
	ErrorMessage string          `json:"errorMessage"`
	ErrorCode    json.RawMessage `json:"errorCode"`
}

func (p wireProblem) code() int {
	var f flexString
	if json.Unmarshal(p.ErrorCode, &f) != nil {
		return CodeNone
	}
	n, err := strconv.Atoi(string(f))
	if err != nil {
		return CodeNone
	}
	return n
}

func decodeProblems(body []byte) wireProblems {
	var p wireProblems
	_ = json.Unmarshal(body, &p) // a non-JSON body (an HTML 502 page) has no problems
	return p
}

var (
	scopePattern = regexp.MustCompile(`(?i)insufficient scope:\s*(\S+)`)
	fieldPattern = regexp.MustCompile(`^([a-z][a-z0-9_.]*)\s*:\s*(.*)$`)
)

// fieldOf finds the field id iCIMS puts in front of a field message
// ("sourcename: Provided source is not valid…").
func fieldOf(msg string) string {
	if m := fieldPattern.FindStringSubmatch(strings.TrimSpace(msg)); m != nil {
		return m[1]
	}
	return ""
}

// decodeError builds the *Error of a non-2xx response from its body or, when
// the body has none, its X-Error header.
func decodeError(op string, resp *http.Response, body []byte, now time.Time) *Error {
	e := &Error{Op: op, HTTPStatus: resp.StatusCode, Code: CodeNone}
	if p := decodeProblems(body); len(p.Errors) > 0 {
		e.Code, e.Message = p.Errors[0].code(), strings.TrimSpace(p.Errors[0].ErrorMessage)
	} else if h := resp.Header.Get("X-Error"); h != "" {
		code, detail, ok := strings.Cut(h, ":")
		if n, err := strconv.Atoi(strings.TrimSpace(code)); ok && err == nil {
			e.Code, e.Message = n, strings.TrimSpace(detail)
		} else {
			e.Message = strings.TrimSpace(h)
		}
	}
	e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), now)
	e.Kind = classify(e)
	switch e.Kind {
	case RequiredField, InvalidField:
		e.Field = fieldOf(e.Message)
	case MissingScope:
		if m := scopePattern.FindStringSubmatch(e.Message); m != nil {
			e.Scope = m[1]
		}
	}
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	return e
}

func classify(e *Error) Kind {
	switch {
	case e.HTTPStatus == http.StatusUnauthorized || e.Code == CodeCredentials:
		return BadCredentials
	case e.HTTPStatus == http.StatusForbidden && scopePattern.MatchString(e.Message):
		return MissingScope
	case e.HTTPStatus == http.StatusForbidden || e.Code == CodeAccessDenied:
		return AccessDenied
	case e.HTTPStatus == http.StatusTooManyRequests:
		return RateLimited
	case e.HTTPStatus >= 500:
		return Temporary
	case e.HTTPStatus == http.StatusNotFound || e.Code == CodeNotFound:
		return NotFound
	case e.Code == CodeRequired:
		return RequiredField
	case e.Code == CodeInvalid:
		return InvalidField
	case e.HTTPStatus == http.StatusRequestTimeout:
		return Temporary
	}
	return Other
}

// parseRetryAfter reads delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// decodeWarnings collects the warnings of a successful write, from the body
// or else from X-Warning headers ("<code>:<fieldid>:<detail>").
func decodeWarnings(resp *http.Response, body []byte) []Warning {
	var ws []Warning
	for _, p := range decodeProblems(body).Warnings {
		msg := strings.TrimSpace(p.ErrorMessage)
		ws = append(ws, Warning{Code: p.code(), Field: fieldOf(msg), Message: msg})
	}
	if len(ws) > 0 {
		return ws
	}
	for _, h := range resp.Header.Values("X-Warning") {
		parts := strings.SplitN(h, ":", 3)
		w := Warning{Code: CodeNone, Message: strings.TrimSpace(h)}
		if n, err := strconv.Atoi(strings.TrimSpace(parts[0])); err == nil && len(parts) == 3 {
			// Written like the body's message, so both sources read alike.
			field, detail := strings.TrimSpace(parts[1]), strings.TrimSpace(parts[2])
			w = Warning{Code: n, Field: field, Message: detail}
			if field != "" {
				w.Message = field + ": " + detail
			}
		}
		ws = append(ws, w)
	}
	return ws
}
