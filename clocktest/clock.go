// Package clocktest holds the one fake clock the tests use. It satisfies
// every clock the product injects (assessments.Clock, icims.Clock, mail's
// and the simulator's), so a test hands the same clock to the store, the
// iCIMS client and the simulator and moves them all together.
package clocktest

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Clock is virtual time for tests. Now returns the time it was set to;
// Advance and Set move it; Sleep advances it at once instead of waiting, so a
// paced sequence of calls runs instantly and its timing can be asserted
// exactly. It is safe for concurrent use.
//
// A Clock made by NewShared is for a known number of concurrent callers
// instead: see NewShared.
type Clock struct {
	mu  sync.Mutex
	now time.Time

	// shared is set by NewShared: Sleep then blocks until every caller is
	// asleep or done, so that concurrent sleepers keep their own wake-up times.
	shared   bool
	awake    int
	sleepers []*sleeper
}

// sleeper is one blocked Sleep of a shared clock.
type sleeper struct {
	at   time.Time
	wake chan struct{}
}

// New returns a Clock set to start. The location is kept as given (pass a
// UTC time unless the test is about what the code does with other zones).
func New(start time.Time) *Clock { return &Clock{now: start} }

// NewShared returns a Clock set to start for callers concurrent callers.
// Sleep blocks its caller until the time reaches its wake-up, and the time
// jumps to the earliest wake-up only once every caller is asleep or has
// called Done. With New's clock, concurrent sleepers each push the shared
// time by their whole delay, which spreads their calls out; a test that
// counts what concurrent callers provoke (429s under a limit) needs them to
// keep their own times.
func NewShared(start time.Time, callers int) *Clock {
	return &Clock{now: start, shared: true, awake: callers}
}

// Now returns the virtual time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the virtual time to t, backwards too (a clock step).
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the virtual time forward by d; a d of zero or less does
// nothing, because time does not run backwards by accident.
func (c *Clock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.wakeDue()
}

// Sleep lets d of virtual time pass for its caller. It returns ctx's error,
// without sleeping, if ctx is already done, and, on a shared clock, if ctx
// ends while the caller is blocked.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !c.shared {
		c.Advance(d)
		return nil
	}
	if d <= 0 {
		return nil
	}
	c.mu.Lock()
	s := &sleeper{at: c.now.Add(d), wake: make(chan struct{})}
	c.sleepers = append(c.sleepers, s)
	c.awake--
	c.step()
	c.mu.Unlock()
	select {
	case <-s.wake:
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		defer c.mu.Unlock()
		if i := slices.Index(c.sleepers, s); i >= 0 {
			c.sleepers = slices.Delete(c.sleepers, i, i+1)
			c.awake++
		}
		return ctx.Err()
	}
}

// Done tells a shared clock that one caller has finished and will not sleep
// again, so the others need not wait for it.
func (c *Clock) Done() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.awake--
	c.step()
}

// step moves a shared clock to the earliest wake-up once nobody is awake,
// and wakes everyone due then. Called with mu held.
func (c *Clock) step() {
	if c.awake > 0 || len(c.sleepers) == 0 {
		return
	}
	slices.SortStableFunc(c.sleepers, func(a, b *sleeper) int { return a.at.Compare(b.at) })
	if c.sleepers[0].at.After(c.now) {
		c.now = c.sleepers[0].at
	}
	c.wakeDue()
}

// wakeDue wakes the sleepers whose time has come, in wake-up order. Called
// with mu held; a clock made by New has none.
func (c *Clock) wakeDue() {
	slices.SortStableFunc(c.sleepers, func(a, b *sleeper) int { return a.at.Compare(b.at) })
	for len(c.sleepers) > 0 && !c.sleepers[0].at.After(c.now) {
		close(c.sleepers[0].wake)
		c.sleepers = c.sleepers[1:]
		c.awake++
	}
}
