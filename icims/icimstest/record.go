package icimstest

import (
	"slices"
	"time"
)

// maxRecords bounds each customer's call and event logs, so a long-running
// sandbox does not grow without end; the oldest entries go first.
const maxRecords = 10000

// Call is one API request the simulator received.
type Call struct {
	Time   time.Time // when it arrived, by the simulator's clock
	Method string
	Path   string // escaped path as received
	Query  string // raw query
	Status int    // status answered; 0 if the client gave up first
	Auth   string // basic, hmac or bearer; empty if no credentials were checked
	Fault  string // the fault that answered, if one did: outage, rate_limit, error, timeout
}

// Event is one event the simulator posted to the vendor.
type Event struct {
	Time       time.Time // when it was sent, by the simulator's clock
	Type       string    // eventType, e.g. WorkFlowStatusChangeEvent
	Method     string
	URL        string
	Path       string
	Auth       string // basic, hmac, bearer or none
	Payload    []byte // the JSON before compression
	Status     int    // the vendor's status; 0 if the request failed
	Location   string // the vendor's Location header
	Response   []byte // the vendor's body (first 64 KiB)
	Error      string // transport error, if any
	WorkflowID int
}

func (s *Sim) recordCall(cid string, call Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customers[cid]
	if c == nil {
		return
	}
	c.calls = append(c.calls, call)
	if len(c.calls) > maxRecords {
		c.calls = slices.Clone(c.calls[len(c.calls)-maxRecords:])
	}
}

func (s *Sim) recordEvent(cid string, ev Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customers[cid]
	if c == nil {
		return
	}
	c.events = append(c.events, ev)
	if len(c.events) > maxRecords {
		c.events = slices.Clone(c.events[len(c.events)-maxRecords:])
	}
}

// Calls returns the API calls customer cid received, oldest first.
func (s *Sim) Calls(cid string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.customers[cid]; c != nil {
		return slices.Clone(c.calls)
	}
	return nil
}

// Events returns the events posted for customer cid, oldest first.
func (s *Sim) Events(cid string) []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.customers[cid]; c != nil {
		return slices.Clone(c.events)
	}
	return nil
}

// ClearLog forgets the calls and events recorded for customer cid.
func (s *Sim) ClearLog(cid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.customers[cid]; c != nil {
		c.calls, c.events = nil, nil
	}
}

// MaxCallsInWindow is the largest number of API calls customer cid received
// within any span of length window (arrival times by the simulator's
// clock), so a test can prove that a client never exceeded a rate.
func (s *Sim) MaxCallsInWindow(cid string, window time.Duration) int {
	calls := s.Calls(cid)
	times := make([]time.Time, len(calls))
	for i, c := range calls {
		times[i] = c.Time
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	best, lo := 0, 0
	for hi := range times {
		// A window [t, t+window) holds calls strictly less than window apart.
		for times[hi].Sub(times[lo]) >= window {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}
