package icims_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/clocktest"
	. "github.com/jobcannon/jobcannon/icims"
)

// TestPacerSlots: a caller with a Slot is never kept waiting long; its
// turn is reserved instead, one slot per caller at the customer's pace,
// and the call made with the slot later goes at once, without taking
// another. A hold that came in meanwhile, or a slot used too late, gives
// the slot up.
func TestPacerSlots(t *testing.T) {
	ctx := context.Background()
	slowed := func(err error) *Error {
		t.Helper()
		var e *Error
		require.True(t, errors.As(err, &e), "want a RateLimited *Error, got %v", err)
		require.Equal(t, RateLimited, e.Kind)
		return e
	}
	t.Run("reserved one after another, used at their time", func(t *testing.T) {
		clock := clocktest.New(pacerStart)
		p := newPacer(t, PacerConfig{PerMinute: 60, Burst: 1, Clock: clock})
		require.NoError(t, p.Wait(ctx), "the first call goes at once")
		slots := make([]*Slot, 3)
		for i := range slots {
			slots[i] = &Slot{SnoozeAfter: 250 * time.Millisecond}
			e := slowed(p.Wait(WithSlot(ctx, slots[i])))
			want := pacerStart.Add(time.Duration(i+1) * time.Second)
			assert.Equal(t, want, slots[i].At, "slot %d", i)
			assert.Equal(t, time.Duration(i+1)*time.Second, e.RetryAfter)
		}
		assert.Equal(t, pacerStart, clock.Now(), "nobody slept")
		assert.Equal(t, 4, p.State().Used, "each reserved slot counts against the quota once")

		clock.Set(pacerStart.Add(2 * time.Second))
		require.NoError(t, p.Wait(WithSlot(ctx, slots[1])), "a slot whose time has come goes at once")
		assert.True(t, slots[1].At.IsZero(), "a used slot is given back")
		assert.Equal(t, 4, p.State().Used, "using a slot takes no other")
		e := slowed(p.Wait(WithSlot(ctx, slots[2])))
		assert.Equal(t, time.Second, e.RetryAfter, "woken early: snooze the rest")
		assert.Equal(t, pacerStart.Add(3*time.Second), slots[2].At, "the slot is kept")
	})
	t.Run("a hold after the reservation gives the slot up", func(t *testing.T) {
		clock := clocktest.New(pacerStart)
		p := newPacer(t, PacerConfig{PerMinute: 60, Burst: 1, Clock: clock})
		require.NoError(t, p.Wait(ctx))
		s := &Slot{SnoozeAfter: 250 * time.Millisecond}
		slowed(p.Wait(WithSlot(ctx, s)))
		p.Limited(clock.Now(), 30*time.Second)
		clock.Set(s.At)
		e := slowed(p.Wait(WithSlot(ctx, s)))
		assert.Equal(t, 29*time.Second, e.RetryAfter, "the call waits out the hold")
		assert.Equal(t, pacerStart.Add(30*time.Second), s.At, "a new slot after the hold")
	})
	t.Run("a slot used too late is given up", func(t *testing.T) {
		clock := clocktest.New(pacerStart)
		p := newPacer(t, PacerConfig{PerMinute: 60, Burst: 1, Clock: clock})
		require.NoError(t, p.Wait(ctx))
		s := &Slot{SnoozeAfter: 250 * time.Millisecond}
		slowed(p.Wait(WithSlot(ctx, s)))
		clock.Set(s.At.Add(time.Minute))
		require.NoError(t, p.Wait(WithSlot(ctx, s)), "the pace is free again: the call goes on a fresh slot")
		assert.Equal(t, 3, p.State().Used, "the late slot was counted, and so is the fresh one")
	})
	t.Run("a near turn is waited for", func(t *testing.T) {
		clock := clocktest.New(pacerStart)
		p := newPacer(t, PacerConfig{PerMinute: 600, Burst: 1, Clock: clock})
		require.NoError(t, p.Wait(ctx))
		s := &Slot{SnoozeAfter: 250 * time.Millisecond}
		require.NoError(t, p.Wait(WithSlot(ctx, s)))
		assert.Equal(t, pacerStart.Add(100*time.Millisecond), clock.Now(), "slept 100 ms, under SnoozeAfter")
		assert.True(t, s.At.IsZero(), "nothing reserved")
	})
}

// TestPacerSlotsOfACallerThatRepeats: a caller that makes its calls again
// after a snooze (Repeats) reserves, when its second call's turn is far,
// a slot for both calls in a row; woken, it makes both on the slot, one
// interval apart, without snoozing again, and each counts once.
func TestPacerSlotsOfACallerThatRepeats(t *testing.T) {
	ctx := context.Background()
	clock := clocktest.New(pacerStart)
	p := newPacer(t, PacerConfig{PerMinute: 60, Burst: 1, MaxWait: 5 * time.Second, Clock: clock})
	s := &Slot{SnoozeAfter: 250 * time.Millisecond, Repeats: true}
	require.NoError(t, p.Wait(WithSlot(ctx, s)), "the first call goes at once")
	other := &Slot{SnoozeAfter: 250 * time.Millisecond}
	require.Error(t, p.Wait(WithSlot(ctx, other)), "another caller reserves the next turn")
	assert.Equal(t, pacerStart.Add(time.Second), other.At)

	err := p.Wait(WithSlot(ctx, s))
	var e *Error
	require.True(t, errors.As(err, &e), "the second call's turn is far: %v", err)
	assert.Equal(t, pacerStart.Add(2*time.Second), s.At)
	assert.Equal(t, 2, s.Calls, "the slot holds the call made before the snooze and this one")
	assert.Equal(t, 4, p.State().Used, "both calls of the slot count against the quota")

	// Woken (a new try, as from the job's metadata), the caller makes
	// both calls on its slot.
	woken := &Slot{At: s.At, Calls: s.Calls, SnoozeAfter: 250 * time.Millisecond, Repeats: true}
	clock.Set(woken.At)
	require.NoError(t, p.Wait(WithSlot(ctx, woken)))
	assert.Equal(t, pacerStart.Add(2*time.Second), clock.Now(), "the first call at the slot")
	require.NoError(t, p.Wait(WithSlot(ctx, woken)), "the second call is held by the slot too")
	assert.Equal(t, pacerStart.Add(3*time.Second), clock.Now(), "one interval later")
	assert.True(t, woken.At.IsZero(), "a slot all used is given back")
	assert.Equal(t, 4, p.State().Used, "calls made on the slot take no other")

	next := &Slot{SnoozeAfter: 250 * time.Millisecond}
	require.Error(t, p.Wait(WithSlot(ctx, next)))
	assert.Equal(t, pacerStart.Add(4*time.Second), next.At, "the next turn comes after the slot's two calls")
}

// TestPacerSlotOfSeveralCallsGivenUpForAHold: a 429 between the calls of
// a slot gives the rest of it up; the next call waits out the hold on a
// new slot, which again holds every call of the caller's try.
func TestPacerSlotOfSeveralCallsGivenUpForAHold(t *testing.T) {
	ctx := context.Background()
	clock := clocktest.New(pacerStart)
	p := newPacer(t, PacerConfig{PerMinute: 60, Burst: 1, MaxWait: 5 * time.Second, Clock: clock})
	first := &Slot{SnoozeAfter: 250 * time.Millisecond, Repeats: true}
	require.NoError(t, p.Wait(WithSlot(ctx, first)))
	require.Error(t, p.Wait(WithSlot(ctx, first)), "the second call's turn is a second off")
	require.Equal(t, 2, first.Calls)
	s := &Slot{At: first.At, Calls: first.Calls, SnoozeAfter: 250 * time.Millisecond, Repeats: true}
	clock.Set(s.At)
	require.NoError(t, p.Wait(WithSlot(ctx, s)), "the slot's first call")
	p.Limited(clock.Now(), 30*time.Second)
	err := p.Wait(WithSlot(ctx, s))
	var e *Error
	require.True(t, errors.As(err, &e), "the hold stops the slot's second call: %v", err)
	assert.Equal(t, RateLimited, e.Kind)
	assert.Equal(t, 30*time.Second, e.RetryAfter)
	assert.Equal(t, pacerStart.Add(31*time.Second), s.At, "a new slot after the hold")
	assert.Equal(t, 2, s.Calls, "holding the call made before and this one")
}
