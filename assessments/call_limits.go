package assessments

import (
	"fmt"
	"time"
)

// Bounds of the limits an admin may give a customer. iCIMS's usual limits
// are 500 calls a minute and 10,000 a day (contract §3); a customer can
// be given less, and a larger license more calls a day.
const (
	MaxCallsPerMinute = 500
	MaxCallsPerDay    = 1_000_000
)

// CheckCallLimits validates a customer's own limits; 0 means the usual.
func CheckCallLimits(perMinute, perDay int) error {
	if perMinute < 0 || perMinute > MaxCallsPerMinute {
		return Errorf(EINVALID, "Calls a minute must be between 1 and %d, or empty for iCIMS's usual 500.", MaxCallsPerMinute)
	}
	if perDay < 0 || perDay > MaxCallsPerDay {
		return Errorf(EINVALID, "Calls a day must be between 1 and %d, or empty for iCIMS's usual 10,000.", MaxCallsPerDay)
	}
	return nil
}

// CallPace is how fast JobCannon calls a tenant's iCIMS right now.
type CallPace struct {
	// PerMinute is the configured limit; Pace the current calls a minute,
	// lower after iCIMS answered 429 until it has climbed back.
	PerMinute int
	Pace      float64
	// HeldUntil is when iCIMS's last Retry-After ends; zero if no pause.
	HeldUntil   time.Time
	LastLimited time.Time
	UsedToday   int
	DailyQuota  int
}

// Slowed reports whether the pace is below the configured limit.
func (p CallPace) Slowed() bool { return p.Pace < float64(p.PerMinute) }

// Summary words the pace for an admin, e.g. "iCIMS asked us to wait until
// 14:03 UTC; pace 10/min, climbing back to 20/min."
func (p CallPace) Summary(now time.Time) string {
	s := fmt.Sprintf("Pace %s/min, the configured limit.", formatPace(p.Pace))
	if p.Slowed() {
		s = fmt.Sprintf("Pace %s/min, climbing back to %d/min.", formatPace(p.Pace), p.PerMinute)
	}
	if p.HeldUntil.After(now) {
		s = fmt.Sprintf("iCIMS asked us to wait until %s UTC; p%s", p.HeldUntil.UTC().Format("15:04:05"), s[1:])
	}
	return s + fmt.Sprintf(" %d of %d calls used today (UTC).", p.UsedToday, p.DailyQuota)
}

// CallPacer tells how fast a tenant's iCIMS is being called.
type CallPacer interface {
	CallPace(t Tenant) CallPace
}

func formatPace(p float64) string {
	if p >= 10 || p == float64(int(p)) {
		return fmt.Sprintf("%.0f", p)
	}
	return fmt.Sprintf("%.1f", p)
}
