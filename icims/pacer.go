package icims

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"
)

// Default limits of one tenant (contract §3): the seed's 500 requests a
// minute with bursts to 1,000, and an integration license's 10,000 a day.
const (
	DefaultPerMinute  = 500
	DefaultBurst      = 1000
	DefaultDailyQuota = 10000
)

// Defaults of the pacer's reaction to 429s.
const (
	// DefaultHold is how long a 429 without a Retry-After holds the
	// customer's calls.
	DefaultHold = 30 * time.Second
	// DefaultRecoverEvery is how long calls must go without a 429 before
	// a slowed pace climbs one step; a minute is the window iCIMS counts
	// its limit in, so a step is tried against a whole fresh window.
	DefaultRecoverEvery = time.Minute
	// minPace is the slowest a pace is cut to, in calls a minute.
	minPace = 1.0
)

// PacerConfig sets a tenant's limits; zero fields take the defaults.
type PacerConfig struct {
	PerMinute  int
	Burst      int
	DailyQuota int
	// MaxWait bounds how long Wait blocks. A longer wait (a hold after a
	// 429, or a pace slowed by them) is returned as a RateLimited *Error
	// with RetryAfter, so a durable job snoozes and frees its worker for
	// other customers. Zero blocks as long as the pace needs.
	MaxWait time.Duration
	// RecoverEvery is the quiet time after which a slowed pace climbs one
	// step back towards PerMinute; zero means DefaultRecoverEvery.
	RecoverEvery time.Duration
	Clock        Clock
}

// Pacer keeps one tenant's calls under its per-minute rate and daily quota,
// so the project does not rely on iCIMS's 429s. A 429 is the customer's
// state, not one call's (contract §7): Limited holds every call until the
// Retry-After has passed and halves the pace; after calls go a while
// without a 429 the pace climbs back slowly (additive increase,
// multiplicative decrease). Every client of a tenant must share the
// tenant's one Pacer; the caller keeps them, one per tenant.
type Pacer struct {
	clock        Clock
	burst        int
	maxWait      time.Duration
	recoverEvery time.Duration

	mu    sync.Mutex
	limit float64 // configured calls a minute: the ceiling of the pace
	pace  float64 // current calls a minute
	quota int
	// tat is the theoretical arrival time of the next call (GCRA): a call
	// may leave at tat-(burst-1)·interval at the earliest.
	tat       time.Time
	heldUntil time.Time
	lastCut   time.Time // when the pace was last halved
	quietFrom time.Time // the last 429 or climb step; steps count from it
	last429   time.Time
	day       time.Time // UTC midnight starting the day being counted
	used      int
}

// PaceState is what a Pacer shows an admin.
type PaceState struct {
	// Limit is the configured calls a minute; Pace the current one, below
	// Limit after 429s until it has climbed back.
	Limit int
	Pace  float64
	// HeldUntil is when iCIMS's last Retry-After ends; zero when no hold
	// is in force.
	HeldUntil time.Time
	// LastLimited is when iCIMS last answered 429; zero if never.
	LastLimited time.Time
	Used, Quota int
}

// Slowed reports whether the pace is below the configured limit.
func (s PaceState) Slowed() bool { return s.Pace < float64(s.Limit) }

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
	if cfg.RecoverEvery <= 0 {
		cfg.RecoverEvery = DefaultRecoverEvery
	}
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	return &Pacer{
		clock: cfg.Clock, burst: cfg.Burst, maxWait: cfg.MaxWait, recoverEvery: cfg.RecoverEvery,
		limit: float64(cfg.PerMinute), pace: float64(cfg.PerMinute), quota: cfg.DailyQuota,
	}
}

// SetLimits changes the configured limits (an admin lowered them to what
// iCIMS gave the customer); values below one keep the current ones. A
// pace slowed by 429s stays slowed, under the new limit.
func (p *Pacer) SetLimits(perMinute, dailyQuota int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if perMinute > 0 && float64(perMinute) != p.limit {
		if p.pace >= p.limit {
			p.pace = float64(perMinute)
		}
		p.limit = float64(perMinute)
		p.pace = math.Min(p.pace, p.limit)
	}
	if dailyQuota > 0 {
		p.quota = dailyQuota
	}
}

// Wait blocks until a call may be made, under ctx. When today's quota is
// spent it does not block until midnight: it returns a QuotaExhausted
// *Error whose RetryAfter is the time to the next UTC day. When the call
// would wait longer than MaxWait (a hold, a slowed pace), it returns a
// RateLimited *Error with RetryAfter instead of blocking, so a durable job
// can be rescheduled instead of holding a worker.
func (p *Pacer) Wait(ctx context.Context) error {
	p.mu.Lock()
	now := p.clock.Now()
	p.climb(now)
	if err := p.takeQuota(now); err != nil {
		p.mu.Unlock()
		return err
	}
	interval := p.interval()
	slot := maxTime(now, p.heldUntil, p.tat.Add(-time.Duration(p.burst-1)*interval))
	delay := slot.Sub(now)
	if p.maxWait > 0 && delay > p.maxWait {
		p.used--
		err := p.waitError(now, delay)
		p.mu.Unlock()
		return err
	}
	prevTat := p.tat
	p.tat = maxTime(p.tat, slot).Add(interval)
	mine, day := p.tat, p.day
	p.mu.Unlock()

	if err := p.clock.Sleep(ctx, delay); err != nil {
		p.mu.Lock()
		if p.tat.Equal(mine) {
			p.tat = prevTat // nobody reserved after this call: give its slot back
		}
		if p.day.Equal(day) && p.used > 0 {
			p.used--
		}
		p.mu.Unlock()
		return fmt.Errorf("icims: pace: %w", err)
	}
	return nil
}

// Limited tells the pacer iCIMS answered 429 to a call that left at sent,
// with retryAfter (zero if iCIMS gave none). Every call waits until the
// hold has passed, and the pace is halved unless it was already halved
// after the call left: several calls in flight at the limit draw several
// 429s, and they mean one thing.
func (p *Pacer) Limited(sent time.Time, retryAfter time.Duration) {
	if retryAfter <= 0 {
		retryAfter = DefaultHold
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.clock.Now()
	p.heldUntil = maxTime(p.heldUntil, now.Add(retryAfter))
	p.last429, p.quietFrom = now, now
	if p.lastCut.IsZero() || !sent.Before(p.lastCut) {
		p.pace = math.Max(minPace, p.pace/2)
		p.lastCut = now
	}
}

// State returns what the pacer is doing, for display.
func (p *Pacer) State() PaceState {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.clock.Now()
	p.climb(now)
	s := PaceState{Limit: int(p.limit), Pace: p.pace, LastLimited: p.last429, Quota: p.quota}
	if now.Before(p.heldUntil) {
		s.HeldUntil = p.heldUntil
	}
	if p.day.Equal(utcDay(now)) {
		s.Used = p.used
	}
	return s
}

// Used returns how many calls today's quota has counted and the quota.
func (p *Pacer) Used() (used, quota int) {
	s := p.State()
	return s.Used, s.Quota
}

// climb raises a slowed pace one step for every quiet period since the
// last 429 or step, by a fiftieth of the limit (at least one call a
// minute): slow enough that a customer at its limit sees few 429s.
func (p *Pacer) climb(now time.Time) {
	if p.pace >= p.limit || p.quietFrom.IsZero() || now.Before(p.heldUntil) {
		return
	}
	steps := int(now.Sub(p.quietFrom) / p.recoverEvery)
	if steps <= 0 {
		return
	}
	p.pace = math.Min(p.limit, p.pace+float64(steps)*math.Max(1, p.limit/50))
	p.quietFrom = p.quietFrom.Add(time.Duration(steps) * p.recoverEvery)
}

func (p *Pacer) interval() time.Duration {
	return time.Duration(float64(time.Minute) / p.pace)
}

func (p *Pacer) waitError(now time.Time, delay time.Duration) *Error {
	msg := fmt.Sprintf("paced at %s calls a minute; the next call may leave in %s", formatPace(p.pace), delay.Round(time.Second))
	if now.Before(p.heldUntil) {
		msg = fmt.Sprintf("iCIMS asked for a pause until %s UTC", p.heldUntil.UTC().Format("15:04:05"))
	}
	return &Error{Kind: RateLimited, Op: "pace", Code: CodeNone, Message: msg, RetryAfter: delay}
}

// formatPace writes a pace in calls a minute, whole when it is.
func formatPace(pace float64) string {
	if pace == math.Trunc(pace) || pace >= 10 {
		return fmt.Sprintf("%.0f", pace)
	}
	return fmt.Sprintf("%.1f", pace)
}

// takeQuota counts a call against today's quota; p.mu is held.
func (p *Pacer) takeQuota(now time.Time) error {
	if today := utcDay(now); !today.Equal(p.day) {
		p.day, p.used = today, 0
	}
	if p.used >= p.quota {
		return &Error{
			Kind: QuotaExhausted, Op: "pace", Code: CodeNone,
			Message:    fmt.Sprintf("daily quota of %d calls is spent", p.quota),
			RetryAfter: p.day.AddDate(0, 0, 1).Sub(now),
		}
	}
	p.used++
	return nil
}

func maxTime(t time.Time, more ...time.Time) time.Time {
	for _, u := range more {
		if u.After(t) {
			t = u
		}
	}
	return t
}

func utcDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
