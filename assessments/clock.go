package assessments

import (
	"time"
)

// Clock tells the time. It is injected everywhere so that expiry, reminders
// and retries are tested without sleeping.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock, in UTC.
type SystemClock struct{}

// Now returns the current time in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }
