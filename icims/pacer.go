package icims

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Default limits of one tenant (contract §3): the seed's 500 requests a
// minute with bursts to 1,000, and an integration license's 10,000 a day.
const (
	DefaultPerMinute  = 500
	DefaultBurst      = 1000
	DefaultDailyQuota = 10000
)

// PacerConfig sets a tenant's limits; zero fields take the defaults.
type PacerConfig struct {
	PerMinute  int
	Burst      int
	DailyQuota int
	Clock      Clock
}

// Pacer keeps one tenant's calls under its per-minute rate and daily quota,
// so the project never relies on iCIMS's 429s. Every client of a tenant
// must share the tenant's one Pacer; the caller keeps them, one per tenant.
type Pacer struct {
	clock   Clock
	limiter *rate.Limiter
	quota   int

	mu   sync.Mutex
	day  time.Time // UTC midnight starting the day being counted
	used int
}

// NewPacer returns a Pacer with cfg's limits.
func NewPacer(cfg PacerConfig) *Pacer {
	if cfg.PerMinute <= 0 {
		cfg.PerMinute = DefaultPerMinute
	}
	if cfg.Burst <= 0 {
		cfg.Burst = DefaultBurst
	}
	if cfg.DailyQuota <= 0 {
		cfg.DailyQuota = DefaultDailyQuota
	}
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	return &Pacer{
		clock:   cfg.Clock,
		limiter: rate.NewLimiter(rate.Limit(float64(cfg.PerMinute)/60), cfg.Burst),
		quota:   cfg.DailyQuota,
	}
}

// Wait blocks until a call may be made, under ctx. When today's quota is
// spent it does not block until midnight: it returns a QuotaExhausted
// *Error whose RetryAfter is the time to the next UTC day, so a durable job
// can be rescheduled instead of holding a worker.
func (p *Pacer) Wait(ctx context.Context) error {
	now := p.clock.Now()
	day, err := p.takeQuota(now)
	if err != nil {
		return err
	}
	r := p.limiter.ReserveN(now, 1)
	if !r.OK() {
		p.returnQuota(day)
		return fmt.Errorf("icims: pace: burst is below one call")
	}
	if err := p.clock.Sleep(ctx, r.DelayFrom(now)); err != nil {
		r.CancelAt(p.clock.Now())
		p.returnQuota(day)
		return fmt.Errorf("icims: pace: %w", err)
	}
	return nil
}

// Used returns how many calls today's quota has counted and the quota.
func (p *Pacer) Used() (used, quota int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.day.Equal(utcDay(p.clock.Now())) {
		return p.used, p.quota
	}
	return 0, p.quota
}

func (p *Pacer) takeQuota(now time.Time) (time.Time, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if today := utcDay(now); !today.Equal(p.day) {
		p.day, p.used = today, 0
	}
	if p.used >= p.quota {
		return time.Time{}, &Error{
			Kind: QuotaExhausted, Op: "pace", Code: CodeNone,
			Message:    fmt.Sprintf("daily quota of %d calls is spent", p.quota),
			RetryAfter: p.day.AddDate(0, 0, 1).Sub(now),
		}
	}
	p.used++
	return p.day, nil
}

// returnQuota gives back a call that was counted but never made.
func (p *Pacer) returnQuota(day time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.day.Equal(day) && p.used > 0 {
		p.used--
	}
}

func utcDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
