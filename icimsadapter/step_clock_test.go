package icimsadapter_test

import (
	"context"
	"slices"
	"sync"
	"time"
)

// stepClock is virtual time for a known number of concurrent callers. A
// Sleep blocks its caller until the time reaches its end, and the time
// jumps to the earliest wake-up only once every caller is asleep or done.
// icims.FakeClock moves the shared time by each sleeper's whole delay, so
// concurrent sleepers there push each other's calls late and spread them
// out, which would flatter a count of 429s; here they keep their times.
type stepClock struct {
	mu       sync.Mutex
	now      time.Time
	awake    int
	sleepers []*sleeper
}

type sleeper struct {
	at   time.Time
	wake chan struct{}
}

// newStepClock returns a clock at start for callers concurrent callers.
func newStepClock(start time.Time, callers int) *stepClock {
	return &stepClock{now: start.UTC(), awake: callers}
}

// Now returns the virtual time.
func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep blocks until the virtual time has moved d on.
func (c *stepClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	c.mu.Lock()
	s := &sleeper{at: c.now.Add(d), wake: make(chan struct{})}
	c.sleepers = append(c.sleepers, s)
	c.awake--
	c.advance()
	c.mu.Unlock()
	<-s.wake
	return nil
}

// done tells the clock a caller has finished and will not sleep again.
func (c *stepClock) done() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.awake--
	c.advance()
}

// advance moves the time to the earliest wake-up when nobody is awake,
// and wakes everyone due then.
func (c *stepClock) advance() {
	if c.awake > 0 || len(c.sleepers) == 0 {
		return
	}
	slices.SortStableFunc(c.sleepers, func(a, b *sleeper) int { return a.at.Compare(b.at) })
	if c.sleepers[0].at.After(c.now) {
		c.now = c.sleepers[0].at
	}
	for len(c.sleepers) > 0 && !c.sleepers[0].at.After(c.now) {
		close(c.sleepers[0].wake)
		c.sleepers = c.sleepers[1:]
		c.awake++
	}
}
