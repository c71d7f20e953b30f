package icims

import (
	"context"
	"errors"
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

// PaceRecord is one tenant's pacer state as a PaceStore keeps it.
type PaceRecord struct {
	// Version is the store's count of saves; zero when nothing is stored.
	Version int64
	// Limit is the configured calls a minute, the ceiling of Pace, the
	// current calls a minute.
	Limit, Pace float64
	Quota       int
	// NextAt is the theoretical arrival time of the next call (GCRA): a
	// call may leave at NextAt-(burst-1)·interval at the earliest.
	NextAt    time.Time
	HeldUntil time.Time
	LastCut   time.Time // when the pace was last halved
	QuietFrom time.Time // the last 429 or climb step; steps count from it
	Last429   time.Time
	Day       time.Time // UTC midnight starting the day Used counts
	Used      int
}

// PaceStore keeps one tenant's PaceRecord where every instance of the
// service reads and writes the same one.
type PaceStore interface {
	// LoadPace returns the stored record; the zero record if none is.
	LoadPace(ctx context.Context) (PaceRecord, error)
	// SavePace stores rec as the next version if the stored version is
	// still rec.Version, and reports whether it did; false means another
	// caller saved first, and the caller should load and try again.
	SavePace(ctx context.Context, rec PaceRecord) (bool, error)
}

// Pacer keeps one tenant's calls under its per-minute rate and daily quota,
// so the project does not rely on iCIMS's 429s. A 429 is the customer's
// state, not one call's (contract §7): Limited holds every call until the
// Retry-After has passed and halves the pace; after calls go a while
// without a 429 the pace climbs back slowly (additive increase,
// multiplicative decrease).
//
// The state lives in a PaceStore, the database, not in the process: the
// customer's limit and quota are one however many instances of the service
// call it, so every instance must take its slots from one pace, count one
// day's calls (kept across restarts) and honour a hold that another
// instance was given. Every change is a read-modify-write checked by
// version, so concurrent callers never take one slot twice; the last
// record is kept in memory, so a lone instance writes once a call and reads
// only after losing a race.
type Pacer struct {
	clock        Clock
	store        PaceStore
	burst        int
	maxWait      time.Duration
	recoverEvery time.Duration

	mu sync.Mutex
	// queued are changes waiting for the next save (see change).
	qmu    sync.Mutex
	queued []*paceChange
	// limit and quota are what the caller configured; they are applied to
	// the stored record by every change.
	limit float64
	quota int
	rec   PaceRecord // the last record seen; rec.Version 0: none yet
	// localHold keeps a hold that could not be stored, so that at least
	// this instance honours it.
	localHold time.Time
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

// storeTimeout bounds the store calls made without a caller's context
// (Limited, State, giving back a canceled slot).
const storeTimeout = 5 * time.Second

// maxSaveAttempts bounds how often a change is tried again after losing a
// race to another caller; each loss means another caller made progress.
const maxSaveAttempts = 50

// NewPacer returns a Pacer with cfg's limits whose state store keeps.
func NewPacer(store PaceStore, cfg PacerConfig) *Pacer {
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
		clock: cfg.Clock, store: store, burst: cfg.Burst, maxWait: cfg.MaxWait, recoverEvery: cfg.RecoverEvery,
		limit: float64(cfg.PerMinute), quota: cfg.DailyQuota,
	}
}

// SetLimits changes the configured limits (an admin lowered them to what
// iCIMS gave the customer); values below one keep the current ones. A
// pace slowed by 429s stays slowed, under the new limit. The limits reach
// the store with the next call.
func (p *Pacer) SetLimits(perMinute, dailyQuota int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if perMinute > 0 {
		p.limit = float64(perMinute)
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
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("icims: pace: %w", err)
	}
	held, _ := ctx.Value(slotKey{}).(*Slot)
	if held != nil && !held.At.IsZero() {
		if done, err := p.useSlot(ctx, held); done {
			return err
		}
	}
	var delay time.Duration
	var prevNext, reserved time.Time
	var calls int
	mine, err := p.change(ctx, func(r *PaceRecord, now time.Time) error {
		if err := takeQuota(r, now); err != nil {
			return err
		}
		interval := r.interval()
		slot := maxTime(now, r.HeldUntil, p.localHold, r.NextAt.Add(-time.Duration(p.burst-1)*interval))
		delay = slot.Sub(now)
		reserved, calls = time.Time{}, 1
		if held != nil && delay > held.SnoozeAfter {
			reserved = slot // taken now, used after the caller's snooze
			if held.Repeats {
				calls = min(held.made+1, maxSlotCalls)
			}
			for range calls - 1 {
				if err := takeQuota(r, now); err != nil {
					return err
				}
			}
		} else if p.maxWait > 0 && delay > p.maxWait {
			return p.waitError(r, now, delay)
		}
		prevNext = r.NextAt
		// Whole microseconds, up: what PostgreSQL keeps, so that every
		// instance reads back the slot this one computed, never an
		// earlier one.
		r.NextAt = ceilMicrosecond(maxTime(r.NextAt, slot).Add(time.Duration(calls) * interval))
		return nil
	})
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return e
		}
		return fmt.Errorf("icims: pace: %w", err)
	}
	if !reserved.IsZero() {
		held.At, held.Calls, held.used = reserved, calls, 0
		return p.waitError(&mine, p.clock.Now(), delay)
	}

	if err := p.clock.Sleep(ctx, delay); err != nil {
		// Give the slot and the quota back: a canceled call never left.
		back, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
		defer cancel()
		_, _ = p.change(back, func(r *PaceRecord, _ time.Time) error {
			if r.NextAt.Equal(mine.NextAt) {
				r.NextAt = prevNext // nobody reserved after this call
			}
			if r.Day.Equal(mine.Day) && r.Used > 0 {
				r.Used--
			}
			return nil
		})
		return fmt.Errorf("icims: pace: %w", err)
	}
	if held != nil {
		held.made++
	}
	return nil
}

// useSlot makes a call that slot s holds: at once when its time has
// come, after a short sleep when it is near, or not yet (a RateLimited
// *Error with RetryAfter, s kept) when the caller was woken early. The
// n-th call of a slot that holds several goes a pace interval after the
// one before it. A slot is given up when a hold came in after it was
// reserved (iCIMS answered 429 meanwhile) or when its first call comes
// more than slotGrace late (the caller came late, and calls bunched there
// could go over the limit); then done is false and the call waits as one
// without a slot. A later call of a slot is late only by the caller's own
// earlier calls, which the slot paid for, so it is not given up for it;
// it waits for its turn in the pacer up to MaxWait (a pace slowed far by
// 429s), and beyond that gives the rest of the slot up, since the caller,
// snoozed, would make its calls again from the first.
func (p *Pacer) useSlot(ctx context.Context, s *Slot) (done bool, err error) {
	rec, err := p.store.LoadPace(ctx)
	if err != nil {
		return true, fmt.Errorf("icims: pace: %w", err)
	}
	now := p.clock.Now()
	p.mu.Lock()
	if rec.Version >= p.rec.Version {
		p.rec = rec
	}
	hold := maxTime(p.rec.HeldUntil, p.localHold)
	r := p.rec
	p.apply(&r, now)
	p.mu.Unlock()
	due := s.At.Add(time.Duration(s.used) * r.interval())
	if now.Before(hold) || s.used == 0 && now.Sub(due) > slotGrace {
		s.release()
		return false, nil
	}
	wait := due.Sub(now)
	if s.used > 0 && p.maxWait > 0 && wait > max(s.SnoozeAfter, p.maxWait) {
		s.release()
		return false, nil
	}
	if s.used == 0 && wait > s.SnoozeAfter {
		return true, &Error{Kind: RateLimited, Op: "pace", Code: CodeNone, RetryAfter: wait,
			Message: fmt.Sprintf("this call's turn at the customer's pace comes in %s", wait.Round(time.Second))}
	}
	if err := p.clock.Sleep(ctx, wait); err != nil {
		return true, fmt.Errorf("icims: pace: %w", err) // the slot is kept for the next try
	}
	s.made++
	if s.used++; s.used >= s.calls() {
		s.release()
	}
	return true, nil
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
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	var until time.Time
	_, err := p.change(ctx, func(r *PaceRecord, now time.Time) error {
		until = now.Add(retryAfter)
		r.HeldUntil = maxTime(r.HeldUntil, until)
		r.Last429, r.QuietFrom = now, now
		if r.LastCut.IsZero() || !sent.Before(r.LastCut) {
			r.Pace = math.Max(minPace, r.Pace/2)
			r.LastCut = now
		}
		return nil
	})
	if err != nil {
		p.mu.Lock()
		p.localHold = maxTime(p.localHold, p.clock.Now().Add(retryAfter))
		p.mu.Unlock()
	}
}

// State returns what the pacer is doing, for display, as the store has it
// (or as this instance last saw it, if the store cannot be read).
func (p *Pacer) State() PaceState {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	p.mu.Lock()
	defer p.mu.Unlock()
	if rec, err := p.store.LoadPace(ctx); err == nil && rec.Version >= p.rec.Version {
		p.rec = rec
	}
	now := p.clock.Now()
	r := p.rec
	p.apply(&r, now)
	s := PaceState{Limit: int(r.Limit), Pace: r.Pace, LastLimited: r.Last429, Quota: r.Quota}
	if held := maxTime(r.HeldUntil, p.localHold); now.Before(held) {
		s.HeldUntil = held
	}
	if r.Day.Equal(utcDay(now)) {
		s.Used = r.Used
	}
	return s
}

// Used returns how many calls today's quota has counted and the quota.
func (p *Pacer) Used() (used, quota int) {
	s := p.State()
	return s.Used, s.Quota
}

// change applies fn to the tenant's record, after the configured limits
// and any climb due, and saves the result; when another caller saved first
// it loads the record and applies fn again. An error from fn saves
// nothing of fn's and is returned as it is. It returns the record as fn
// left it, saved.
//
// Changes are group-committed: callers that arrive while a save is under
// way queue their fn, and the next save applies all of them in turn to
// one record and writes it once. A bulk move's deliveries reserve their
// turns at once; each reservation was a write transaction of its own, on
// SQLite the one writer the event intake needs too.
func (p *Pacer) change(ctx context.Context, fn func(r *PaceRecord, now time.Time) error) (PaceRecord, error) {
	c := &paceChange{fn: fn}
	p.qmu.Lock()
	p.queued = append(p.queued, c)
	p.qmu.Unlock()

	// Whoever holds mu saves every change queued so far, which is this one
	// unless an earlier holder saved it already.
	p.mu.Lock()
	defer p.mu.Unlock()
	p.qmu.Lock()
	batch := p.queued
	if !c.done {
		p.queued = nil
	}
	p.qmu.Unlock()
	if !c.done {
		// The batch's save is everyone's: it must not end with this
		// caller's context.
		save, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
		defer cancel()
		p.saveAll(save, batch)
	}
	return c.rec, c.err
}

// paceChange is one caller's change waiting for a save, and its result.
type paceChange struct {
	fn   func(r *PaceRecord, now time.Time) error
	rec  PaceRecord
	err  error
	done bool // set under qmu
}

// saveAll applies the changes in order to one record and saves it; p.mu
// is held.
func (p *Pacer) saveAll(ctx context.Context, batch []*paceChange) {
	err := p.saveAllOnce(ctx, batch)
	p.qmu.Lock()
	defer p.qmu.Unlock()
	for _, c := range batch {
		if err != nil && c.err == nil {
			c.rec, c.err = PaceRecord{}, err
		}
		c.done = true
	}
}

func (p *Pacer) saveAllOnce(ctx context.Context, batch []*paceChange) error {
	if p.rec.Version == 0 {
		rec, err := p.store.LoadPace(ctx)
		if err != nil {
			return err
		}
		p.rec = rec
	}
	now := p.clock.Now()
	for range maxSaveAttempts {
		next := p.rec
		p.apply(&next, now)
		changed := false
		for _, c := range batch {
			r := next
			if c.err = c.fn(&r, now); c.err != nil {
				c.rec = PaceRecord{}
				continue
			}
			next, c.rec, changed = r, r, true
		}
		if !changed {
			return nil
		}
		saved, err := p.store.SavePace(ctx, next)
		if err != nil {
			return err
		}
		if saved {
			next.Version++
			p.rec = next
			for _, c := range batch {
				if c.err == nil {
					c.rec.Version = next.Version
				}
			}
			return nil
		}
		if p.rec, err = p.store.LoadPace(ctx); err != nil {
			return err
		}
	}
	return errors.New("pace store: too many concurrent changes")
}

// apply brings r to the configured limits and climbs a slowed pace.
func (p *Pacer) apply(r *PaceRecord, now time.Time) {
	if r.Limit == 0 {
		r.Limit, r.Pace = p.limit, p.limit // a tenant's first record
	}
	if p.limit != r.Limit {
		if r.Pace >= r.Limit {
			r.Pace = p.limit
		}
		r.Limit = p.limit
		r.Pace = math.Min(r.Pace, r.Limit)
	}
	r.Quota = p.quota
	p.climb(r, now)
}

// climb raises a slowed pace one step for every quiet period since the
// last 429 or step, by a fiftieth of the limit (at least one call a
// minute): slow enough that a customer at its limit sees few 429s.
func (p *Pacer) climb(r *PaceRecord, now time.Time) {
	if r.Pace >= r.Limit || r.QuietFrom.IsZero() || now.Before(r.HeldUntil) {
		return
	}
	steps := int(now.Sub(r.QuietFrom) / p.recoverEvery)
	if steps <= 0 {
		return
	}
	r.Pace = math.Min(r.Limit, r.Pace+float64(steps)*math.Max(1, r.Limit/50))
	r.QuietFrom = r.QuietFrom.Add(time.Duration(steps) * p.recoverEvery)
}

func (r *PaceRecord) interval() time.Duration {
	return time.Duration(float64(time.Minute) / r.Pace)
}

func (p *Pacer) waitError(r *PaceRecord, now time.Time, delay time.Duration) *Error {
	// The wait is RetryAfter; the message says why, for the admin.
	msg := fmt.Sprintf("paced at %s calls a minute", formatPace(r.Pace))
	if held := maxTime(r.HeldUntil, p.localHold); now.Before(held) {
		msg = fmt.Sprintf("iCIMS asked for a pause until %s UTC", held.UTC().Format("15:04:05"))
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

// takeQuota counts a call against today's quota in r.
func takeQuota(r *PaceRecord, now time.Time) error {
	if today := utcDay(now); !today.Equal(r.Day) {
		r.Day, r.Used = today, 0
	}
	if r.Used >= r.Quota {
		return &Error{
			Kind: QuotaExhausted, Op: "pace", Code: CodeNone,
			Message:    fmt.Sprintf("daily quota of %d calls is spent", r.Quota),
			RetryAfter: r.Day.AddDate(0, 0, 1).Sub(now),
		}
	}
	r.Used++
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

func ceilMicrosecond(t time.Time) time.Time {
	if r := t.Truncate(time.Microsecond); r.Before(t) {
		return r.Add(time.Microsecond)
	}
	return t
}

func utcDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
