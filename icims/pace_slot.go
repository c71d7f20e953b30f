package icims

import (
	"context"
	"time"
)

// Slot is a call's place in its customer's pace, reserved ahead so that a
// durable job need not hold a worker while it waits for its turn: the job
// snoozes until At and makes its call then, and meanwhile the worker does
// other customers' work. The job keeps At across its snooze (in River's
// job metadata) and hands the Slot back to the pacer in the context of
// its next try (WithSlot).
//
// Reserving rather than only asking how long to wait matters when a
// customer has a backlog: thousands of jobs told the same wait would all
// wake together and churn through the queue ahead of everyone else's
// work; with a slot each, they wake one by one at the customer's pace.
type Slot struct {
	// At is the reserved time of the call; zero when none is held.
	At time.Time
	// Calls is how many calls the slot holds, one a pace interval after
	// the other from At; zero means one.
	Calls int
	// SnoozeAfter is the longest wait the caller sits out in the pacer:
	// when the turn is further off, Wait reserves it in At and returns a
	// RateLimited *Error whose RetryAfter is the wait, for the caller to
	// snooze.
	SnoozeAfter time.Duration
	// Repeats says the caller keeps nothing of a try that snoozes: woken,
	// it makes again every call it had made before (an event is routed
	// afresh). A slot it reserves then holds those calls and this one, in
	// a row; a slot of one call would let each try make one call and
	// snooze again behind the customer's backlog, for ever.
	Repeats bool

	made int // calls made under this Slot, with a reserved turn or not
	used int // calls of the held slot made
}

// maxSlotCalls bounds the calls one slot holds: an event needs at most
// its application, its job and its candidate.
const maxSlotCalls = 4

// calls is how many calls s holds.
func (s *Slot) calls() int { return max(s.Calls, 1) }

// release gives the held slot up.
func (s *Slot) release() { s.At, s.Calls, s.used = time.Time{}, 0, 0 }

// slotGrace is how late a reserved slot may still be used. A job woken at
// its slot runs within a poll of River's queue; one later gives the slot
// up and waits anew, because calls made late on their slots bunch: with
// up to G late, a window can hold G/interval calls more than the pace
// allows (2 s let 55 calls into ten seconds at 300 a minute, against 53 in
// TestFaultsEveryResultIsWrittenOnce).
const slotGrace = 250 * time.Millisecond

type slotKey struct{}

// WithSlot returns ctx carrying s: a paced call made with it uses s.At
// when s holds a slot, and otherwise reserves one in s when its turn is
// further off than s.SnoozeAfter.
func WithSlot(ctx context.Context, s *Slot) context.Context {
	return context.WithValue(ctx, slotKey{}, s)
}
