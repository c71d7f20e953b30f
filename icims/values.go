package icims

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Wire layouts of iCIMS's DATETIME and DATE values; both are UTC.
const (
	DateTimeLayout = "2006-01-02 03:04 PM"
	DateLayout     = "2006-01-02"
)

// Assessment status list nodes (system list of the assessmentresults row).
const (
	StatusSent       = "D37002019004"
	StatusInProgress = "D37002019003"
	StatusComplete   = "D37002019001"
	StatusIncomplete = "D37002019002"
)

// ListNode is a node of an iCIMS list: system nodes have ids "D…", a
// customer's own "C…". On writes iCIMS keys nodes by id, so Value may be
// left empty.
type ListNode struct {
	ID    string `json:"id"`
	Value string `json:"value,omitempty"`
}

// ProfileRef points at another profile (a job, a person, a location).
type ProfileRef struct {
	Profile string `json:"profile,omitempty"`
	ID      string `json:"id"`
	Value   string `json:"value,omitempty"`
}

// UnmarshalJSON accepts the id as a string or a number.
func (r *ProfileRef) UnmarshalJSON(b []byte) error {
	var w struct {
		Profile flexString `json:"profile"`
		ID      flexString `json:"id"`
		Value   flexString `json:"value"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("icims: profile reference: %w", err)
	}
	*r = ProfileRef{Profile: string(w.Profile), ID: string(w.ID), Value: string(w.Value)}
	return nil
}

// DateTime is an iCIMS DATETIME: minute precision, UTC, "2019-04-10 07:12 PM".
// The zero DateTime is JSON null, which deletes the value on a write; tag
// fields `omitzero` to leave them untouched instead.
type DateTime struct{ time.Time }

// NewDateTime returns t in UTC, truncated to the minute as iCIMS stores it.
func NewDateTime(t time.Time) DateTime { return DateTime{t.UTC().Truncate(time.Minute)} }

// MarshalJSON implements json.Marshaler.
func (d DateTime) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.UTC().Format(DateTimeLayout))
}

// UnmarshalJSON implements json.Unmarshaler; null and "" give the zero value.
func (d *DateTime) UnmarshalJSON(b []byte) error {
	t, err := unmarshalTime(b, DateTimeLayout)
	if err != nil {
		return fmt.Errorf("icims: datetime: %w", err)
	}
	d.Time = t
	return nil
}

// Date is an iCIMS DATE, "2019-04-10". The zero Date is JSON null.
type Date struct{ time.Time }

// NewDate returns the UTC calendar day of t.
func NewDate(t time.Time) Date {
	y, m, day := t.UTC().Date()
	return Date{time.Date(y, m, day, 0, 0, 0, 0, time.UTC)}
}

// MarshalJSON implements json.Marshaler.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.UTC().Format(DateLayout))
}

// UnmarshalJSON implements json.Unmarshaler; null and "" give the zero value.
func (d *Date) UnmarshalJSON(b []byte) error {
	t, err := unmarshalTime(b, DateLayout)
	if err != nil {
		return fmt.Errorf("icims: date: %w", err)
	}
	d.Time = t
	return nil
}

func unmarshalTime(b []byte, layout string) (time.Time, error) {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return time.Time{}, nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return time.Time{}, err
	}
	if s = strings.TrimSpace(s); s == "" {
		return time.Time{}, nil
	}
	return time.ParseInLocation(layout, s, time.UTC)
}

// AssessmentResult is one row of an applicant workflow's assessmentresults
// collection (contract §4).
//
// Every subfield is omitted when empty because iCIMS reads null or "" in a
// PATCH as "delete this value": a status update that sends only Status and
// Date must not wipe the score, notes or link written earlier. Score is a
// pointer because 0 is a real score that must be sent. The price is that
// this type cannot clear a subfield; no flow of the project needs to.
type AssessmentResult struct {
	Name   *ListNode `json:"assessmentname,omitempty"`
	Status *ListNode `json:"assessmentstatus,omitempty"`
	Score  *float64  `json:"assessmentscore,omitempty"`
	// Result is the verdict or band, at most 128 characters.
	Result string `json:"assessmentresult,omitempty"`
	// Notes is a short summary or a plain-language error, at most 192
	// characters.
	Notes string   `json:"assessmentnotes,omitempty"`
	Date  DateTime `json:"assessmentdate,omitzero"`
	URL   string   `json:"assessmenturl,omitempty"`
}

// Limits iCIMS puts on the text subfields of an assessment result.
const (
	MaxAssessmentResultLen = 128
	MaxAssessmentNotesLen  = 192
)

// Validate reports a subfield iCIMS would refuse, before a call is spent.
func (r AssessmentResult) Validate() error {
	if n := len([]rune(r.Result)); n > MaxAssessmentResultLen {
		return fmt.Errorf("icims: assessment result: assessmentresult is %d characters, max %d", n, MaxAssessmentResultLen)
	}
	if n := len([]rune(r.Notes)); n > MaxAssessmentNotesLen {
		return fmt.Errorf("icims: assessment result: assessmentnotes is %d characters, max %d", n, MaxAssessmentNotesLen)
	}
	return nil
}
