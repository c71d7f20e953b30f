package icimstest

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Faults are the failures a customer's API shows, set by tests through
// SetFaults or by hand in the sandbox UI. The zero value is a healthy API.
type Faults struct {
	// RateLimit is the number of API requests a minute (sliding window)
	// beyond which the API answers 429 with Retry-After; 0 is unlimited.
	RateLimit int
	// ErrorRate is the share (0–1) of requests answered 500 code 0.
	ErrorRate float64
	// TimeoutRate is the share (0–1) of requests that hang until the
	// client gives up.
	TimeoutRate float64
	// Latency is added to every request before it is answered.
	Latency time.Duration
	// RevokeTokens revokes every token issued to the customer so far (401
	// code 6) and refuses Basic and HMAC credentials while it is set;
	// tokens issued afterwards, as by a new install, work.
	RevokeTokens bool
	// MissingScope is removed from every caller's scopes, e.g.
	// candidate_profile:write for a token that cannot write profiles (403).
	MissingScope string
	// DeletedFields are custom person fields (e.g. rcf3001) that no longer
	// exist: a PATCH setting one answers 400 code 4 and GET omits it.
	DeletedFields []string
	// RequiredField is a person field the customer made required: a PATCH
	// of a person on whom it is empty must fill it, or 400 code 1.
	RequiredField string
	// OutageUntil makes the API answer 503 until this time (by the
	// simulator's clock).
	OutageUntil time.Time
}

// maxHang bounds a timeout fault for a client that never gives up.
const maxHang = 5 * time.Minute

// SetFaults replaces customer cid's faults.
func (s *Sim) SetFaults(cid string, f Faults) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customers[cid]
	if c == nil {
		return fmt.Errorf("icimstest: set faults: unknown customer %q", cid)
	}
	if f.RevokeTokens && !c.faults.RevokeTokens {
		for _, t := range s.tokens {
			if t.customerID == cid {
				t.revoked = true
			}
		}
	}
	f.DeletedFields = slices.Clone(f.DeletedFields)
	c.faults = f
	c.admitted = nil
	return nil
}

// Faults returns customer cid's current faults.
func (s *Sim) Faults(cid string) Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.customers[cid]; c != nil {
		f := c.faults
		f.DeletedFields = slices.Clone(f.DeletedFields)
		return f
	}
	return Faults{}
}

// applyFaults answers the request if a fault says so and returns the
// fault's name, or returns "" to let the request through.
func (s *Sim) applyFaults(w http.ResponseWriter, r *http.Request, cid string) string {
	s.mu.Lock()
	c := s.customers[cid]
	if c == nil {
		s.mu.Unlock()
		return ""
	}
	f := c.faults
	s.mu.Unlock()

	if f.Latency > 0 {
		s.sleepCtx(r.Context(), f.Latency)
	}

	s.mu.Lock()
	now := s.clock.Now()
	outage := now.Before(f.OutageUntil)
	var retryAfter time.Duration
	limited := false
	if !outage && f.RateLimit > 0 {
		cutoff := now.Add(-time.Minute)
		i := 0
		for i < len(c.admitted) && !c.admitted[i].After(cutoff) {
			i++
		}
		c.admitted = c.admitted[i:]
		if len(c.admitted) >= f.RateLimit {
			limited = true
			retryAfter = c.admitted[0].Add(time.Minute).Sub(now)
		} else {
			c.admitted = append(c.admitted, now)
		}
	}
	draw := 1.0
	if !outage && !limited && (f.ErrorRate > 0 || f.TimeoutRate > 0) {
		draw = s.rnd.Float64()
	}
	s.mu.Unlock()

	switch {
	case outage:
		w.Header().Set("Retry-After", seconds(f.OutageUntil.Sub(now)))
		writeAPIError(w, &apiError{http.StatusServiceUnavailable, codeInternal,
			"The service is temporarily unavailable."})
		return "outage"
	case limited:
		w.Header().Set("Retry-After", seconds(retryAfter))
		writeAPIError(w, &apiError{http.StatusTooManyRequests, codeInternal, "Rate limit exceeded."})
		return "rate_limit"
	case draw < f.TimeoutRate:
		s.sleepCtx(r.Context(), maxHang)
		if r.Context().Err() == nil {
			writeAPIError(w, &apiError{http.StatusGatewayTimeout, codeInternal, "The request timed out."})
		}
		return "timeout"
	case draw < f.TimeoutRate+f.ErrorRate:
		writeAPIError(w, &apiError{http.StatusInternalServerError, codeInternal,
			"An internal error occurred."})
		return "error"
	}
	return ""
}

// seconds formats d for Retry-After, rounded up, at least 1.
func seconds(d time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
}
