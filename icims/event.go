package icims

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// Event types the project acts on; any other type is recorded and ignored.
const (
	WorkFlowStatusChangeEvent = "WorkFlowStatusChangeEvent"
	AssessmentEvent           = "AssessmentEvent"
)

// Link relations iCIMS puts in an event's links.
const (
	RelApplicantWorkflow = "applicantWorkflow"
	RelJob               = "job"
	RelPerson            = "person"
	RelUser              = "user"
)

// Link is one entry of an event's links, from the body or the Link header.
type Link struct {
	Rel   string `json:"rel"`
	Title string `json:"title,omitempty"`
	URL   string `json:"url"`
}

// Event is the envelope every iCIMS event shares (contract §5). Fields a
// type does not carry are empty. Raw is the decompressed JSON body, kept so
// that the delivery is recorded exactly as received.
type Event struct {
	EventType  string `json:"eventType"`
	CustomerID string `json:"customerId"`
	SystemID   string `json:"systemId"`
	JobID      string `json:"jobId,omitempty"`
	PersonID   string `json:"personId,omitempty"`
	UserID     string `json:"userId,omitempty"`
	OldStatus  string `json:"oldStatus,omitempty"`
	NewStatus  string `json:"newStatus,omitempty"`
	ReturnURL  string `json:"returnUrl,omitempty"`
	Links      []Link `json:"links,omitempty"`
	Raw        []byte `json:"-"`
	// LinkHeaderErr is why the Link header, or part of it, could not be
	// read, when the event was usable without it: the caller logs it.
	LinkHeaderErr error `json:"-"`
}

// Link returns the first link with the given rel.
func (e Event) Link(rel string) (Link, bool) {
	for _, l := range e.Links {
		if l.Rel == rel {
			return l, true
		}
	}
	return Link{}, false
}

// requiredEventFields lists, per event type, the JSON fields without which
// the project cannot act; other types only need the customer.
var requiredEventFields = map[string][]string{
	WorkFlowStatusChangeEvent: {"customerId", "systemId", "jobId", "personId", "newStatus"},
	AssessmentEvent:           {"customerId", "systemId", "userId", "returnUrl"},
}

// Reasons an EventError carries.
const (
	ReasonUnsupportedMediaType = "unsupported content type"
	ReasonUnsupportedEncoding  = "unsupported content encoding"
	ReasonBodyTooLarge         = "body too large"
	ReasonBadGzip              = "invalid gzip body"
	ReasonBadJSON              = "invalid JSON body"
	ReasonInvalidField         = "invalid field"
	ReasonBadLinkHeader        = "invalid Link header"
)

// EventError is why an event delivery was refused. Reason is one of the
// Reason* constants above; Field names the JSON field for ReasonInvalidField.
type EventError struct {
	Reason string
	Field  string
	Detail string
}

// Error implements the error interface.
func (e *EventError) Error() string {
	s := "icims: event: " + e.Reason
	if e.Field != "" {
		s += " " + e.Field
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// MissingFieldError is returned when an event lacks a field its type
// requires; iCIMS's approval asks for a friendly 400 naming it.
type MissingFieldError struct {
	EventType string
	Field     string
}

// Error implements the error interface.
func (e *MissingFieldError) Error() string {
	return fmt.Sprintf("icims: event: %s lacks required field %s", e.EventType, e.Field)
}

// ParseEvent reads, decompresses and validates an event delivery. maxBytes
// bounds both the body as sent and the decompressed JSON. It returns the
// event and the decompressed body. Failures are *EventError or
// *MissingFieldError.
func ParseEvent(r *http.Request, maxBytes int64) (Event, []byte, error) {
	wire, err := ReadWireBody(r, maxBytes)
	if err != nil {
		return Event{}, nil, err
	}
	return DecodeEvent(r.Header, wire, maxBytes)
}

// ReadWireBody reads at most maxBytes of r's body as sent (still
// compressed). HMAC is computed over these bytes, so a handler that verifies
// HMAC reads them first and then calls DecodeEvent.
func ReadWireBody(r *http.Request, maxBytes int64) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("icims: event: read body: %w", err)
	}
	if int64(len(b)) > maxBytes {
		return nil, &EventError{Reason: ReasonBodyTooLarge, Detail: fmt.Sprintf("more than %d bytes", maxBytes)}
	}
	return b, nil
}

// DecodeEvent is ParseEvent for a body already read with ReadWireBody.
func DecodeEvent(h http.Header, wire []byte, maxBytes int64) (Event, []byte, error) {
	if err := checkJSONContentType(h.Get("Content-Type")); err != nil {
		return Event{}, nil, err
	}
	body, err := decodeContent(h.Values("Content-Encoding"), wire, maxBytes)
	if err != nil {
		return Event{}, nil, err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return Event{}, nil, &EventError{Reason: ReasonBadJSON, Detail: "empty body"}
	}
	var w wireEvent
	if err := json.Unmarshal(body, &w); err != nil {
		return Event{}, nil, &EventError{Reason: ReasonBadJSON, Detail: err.Error()}
	}
	ev := w.event()
	ev.Raw = body
	if err := canonicalEventIDs(&ev); err != nil {
		return Event{}, nil, err
	}
	// The header only repeats the body's links; one that cannot be read
	// costs the event only when no link is left to go on.
	headerLinks, linkErr := ParseLinkHeader(h.Values("Link"))
	if len(ev.Links) == 0 {
		ev.Links = headerLinks
	}
	if linkErr != nil {
		if len(ev.Links) == 0 {
			return Event{}, nil, linkErr
		}
		ev.LinkHeaderErr = linkErr
	}
	if err := validateEvent(ev); err != nil {
		return Event{}, nil, err
	}
	return ev, body, nil
}

func checkJSONContentType(ct string) error {
	if ct == "" {
		return &EventError{Reason: ReasonUnsupportedMediaType, Detail: "no Content-Type; want application/json"}
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return &EventError{Reason: ReasonUnsupportedMediaType, Detail: ct}
	}
	if mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")) {
		return nil
	}
	return &EventError{Reason: ReasonUnsupportedMediaType, Detail: mt + "; want application/json"}
}

// decodeContent undoes Content-Encoding. The decompressed size is bounded
// too: a few kilobytes of gzip can expand to gigabytes.
func decodeContent(encodings []string, wire []byte, maxBytes int64) ([]byte, error) {
	var codings []string
	for _, v := range encodings {
		for c := range strings.SplitSeq(v, ",") {
			if c = strings.ToLower(strings.TrimSpace(c)); c != "" && c != "identity" {
				codings = append(codings, c)
			}
		}
	}
	switch {
	case len(codings) == 0:
		return wire, nil
	case len(codings) == 1 && (codings[0] == "gzip" || codings[0] == "x-gzip"):
	default:
		return nil, &EventError{Reason: ReasonUnsupportedEncoding, Detail: strings.Join(codings, ", ")}
	}
	zr, err := gzip.NewReader(bytes.NewReader(wire))
	if err != nil {
		return nil, &EventError{Reason: ReasonBadGzip, Detail: err.Error()}
	}
	body, err := io.ReadAll(io.LimitReader(zr, maxBytes+1))
	if err != nil {
		return nil, &EventError{Reason: ReasonBadGzip, Detail: err.Error()}
	}
	if int64(len(body)) > maxBytes {
		return nil, &EventError{Reason: ReasonBodyTooLarge, Detail: fmt.Sprintf("decompresses to more than %d bytes", maxBytes)}
	}
	return body, nil
}

func validateEvent(ev Event) error {
	if ev.EventType == "" {
		return &MissingFieldError{Field: "eventType"}
	}
	required, ok := requiredEventFields[ev.EventType]
	if !ok {
		required = []string{"customerId"}
	}
	values := map[string]string{
		"customerId": ev.CustomerID, "systemId": ev.SystemID, "jobId": ev.JobID,
		"personId": ev.PersonID, "userId": ev.UserID, "newStatus": ev.NewStatus,
		"returnUrl": ev.ReturnURL,
	}
	for _, f := range required {
		if values[f] == "" {
			return &MissingFieldError{EventType: ev.EventType, Field: f}
		}
	}
	// Ids go into iCIMS API paths and into our rows. iCIMS's are digits;
	// anything else (a path, SQL) is refused here, with a 400 the recruiter
	// sees, instead of creating an invitation whose every write fails.
	for _, f := range []string{"customerId", "systemId", "jobId", "personId", "userId"} {
		if v := values[f]; v != "" && !isID(v) {
			return &EventError{Reason: ReasonInvalidField, Field: f, Detail: "not an iCIMS id"}
		}
	}
	// The candidate is sent back to returnUrl: anything but an absolute
	// http(s) URL would make the project an open redirector for scripts.
	if ev.ReturnURL != "" {
		u, err := url.Parse(ev.ReturnURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return &EventError{Reason: ReasonInvalidField, Field: "returnUrl", Detail: "not an absolute http(s) URL"}
		}
	}
	return nil
}

// canonicalEventIDs rewrites the event's ids in their CanonicalID spelling
// once, where they enter, so that nothing downstream compares "0003002"
// with "3002".
func canonicalEventIDs(ev *Event) error {
	for _, f := range []struct {
		name string
		v    *string
	}{{"customerId", &ev.CustomerID}, {"systemId", &ev.SystemID}, {"jobId", &ev.JobID}, {"personId", &ev.PersonID}, {"userId", &ev.UserID}} {
		id, err := CanonicalID(*f.v)
		if err != nil {
			return &EventError{Reason: ReasonInvalidField, Field: f.name, Detail: "not an iCIMS id"}
		}
		*f.v = id
	}
	return nil
}

// isID reports whether s looks like an iCIMS id: up to 20 digits.
func isID(s string) bool {
	if len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// wireEvent accepts ids as JSON strings or numbers: iCIMS's examples show
// both, and a type mismatch must not lose an event.
type wireEvent struct {
	EventType  flexString `json:"eventType"`
	CustomerID flexString `json:"customerId"`
	SystemID   flexString `json:"systemId"`
	JobID      flexString `json:"jobId"`
	PersonID   flexString `json:"personId"`
	UserID     flexString `json:"userId"`
	OldStatus  flexString `json:"oldStatus"`
	NewStatus  flexString `json:"newStatus"`
	ReturnURL  flexString `json:"returnUrl"`
	Links      []struct {
		Rel   flexString `json:"rel"`
		Title flexString `json:"title"`
		URL   flexString `json:"url"`
	} `json:"links"`
}

func (w wireEvent) event() Event {
	ev := Event{
		EventType: string(w.EventType), CustomerID: string(w.CustomerID), SystemID: string(w.SystemID),
		JobID: string(w.JobID), PersonID: string(w.PersonID), UserID: string(w.UserID),
		OldStatus: string(w.OldStatus), NewStatus: string(w.NewStatus), ReturnURL: string(w.ReturnURL),
	}
	for _, l := range w.Links {
		ev.Links = append(ev.Links, Link{Rel: string(l.Rel), Title: string(l.Title), URL: string(l.URL)})
	}
	return ev
}

// flexString decodes a JSON string, number or null into a string.
type flexString string

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(strings.TrimSpace(s))
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return errors.New("want a string or a number")
		}
		*f = flexString(n.String())
	}
	return nil
}
