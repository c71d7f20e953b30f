package jobs

import (
	"context"
	"encoding/json"
	"time"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/icims"
)

// DefaultPaceSnoozeAfter is how long a job (a write, an event, an apply
// step, a job sync) may wait for its customer's pace while it holds a
// worker shared by every customer. At the default 490
// calls a minute a slot comes every 122 ms, so a customer with a backlog
// holds two or three of the queue's workers at a time, and its other
// writes snooze on reserved slots.
const DefaultPaceSnoozeAfter = 250 * time.Millisecond

// paceSlotKey is the job metadata key that keeps a reserved slot across a
// snooze.
const paceSlotKey = "pace_slot"

// riverSchedulerInterval is how often River makes scheduled jobs
// available (its JobSchedulerIntervalDefault, which River does not
// export): a job snoozed for longer wakes up to this much late, while a
// shorter snooze leaves it available, fetched as soon as its time comes.
const riverSchedulerInterval = 5 * time.Second

// snoozeFor is the snooze that wakes a job in time for a slot d from now:
// a long wait is snoozed short of the slot by River's scheduler interval,
// and the job, woken early, snoozes the rest exactly.
func snoozeFor(d time.Duration) time.Duration {
	if d > riverSchedulerInterval {
		return d - riverSchedulerInterval
	}
	return max(d, 0)
}

// reservedSlot reads the slot a job's earlier try reserved from its
// metadata; zero when there is none.
func reservedSlot(metadata []byte) time.Time {
	var m struct {
		Slot *time.Time `json:"pace_slot"`
	}
	if len(metadata) == 0 || json.Unmarshal(metadata, &m) != nil || m.Slot == nil {
		return time.Time{}
	}
	return *m.Slot
}

// paceSlotCallsKey is the job metadata key that keeps how many calls a
// reserved slot holds, beside paceSlotKey; absent means one.
const paceSlotCallsKey = "pace_slot_calls"

// jobSlot is the slot an earlier try of a job reserved, read from its
// metadata, ready for this try; zero At when there is none.
func jobSlot(metadata []byte, snoozeAfter time.Duration, repeats bool) *icims.Slot {
	s := &icims.Slot{At: reservedSlot(metadata), SnoozeAfter: snoozeAfter, Repeats: repeats}
	if snoozeAfter == 0 {
		s.SnoozeAfter = DefaultPaceSnoozeAfter
	}
	var m struct {
		Calls int `json:"pace_slot_calls"`
	}
	if !s.At.IsZero() && len(metadata) > 0 && json.Unmarshal(metadata, &m) == nil {
		s.Calls = m.Calls
	}
	return s
}

// keepSlot writes s into the running job's metadata when this try changed
// it (had is the slot it started with), so that the job's next try uses
// the slot reserved in this one. Outside a River job (a direct call in a
// test) there is nowhere to keep it: the next try reserves another, and
// this one goes unused, which costs pace but never exceeds it.
func keepSlot(ctx context.Context, s *icims.Slot, had time.Time) {
	if s.At.Equal(had) {
		return
	}
	var at, calls any
	if !s.At.IsZero() {
		at, calls = s.At, max(s.Calls, 1)
	}
	_ = river.MetadataSet(ctx, paceSlotKey, at)
	_ = river.MetadataSet(ctx, paceSlotCallsKey, calls)
}

// slotJob is how a job of its own that will use slot s is inserted: with
// s in its metadata, scheduled to wake in time for it. A job scheduled
// for a later time waits for River's scheduler, up to its interval late,
// so a job whose slot is nearer than that is made available at once, and
// its first try, seeing the slot not come yet, snoozes the rest exactly.
func slotJob(now time.Time, s *icims.Slot) *river.InsertOpts {
	meta, _ := json.Marshal(map[string]any{paceSlotKey: s.At, paceSlotCallsKey: max(s.Calls, 1)})
	opts := &river.InsertOpts{Metadata: meta}
	if d := s.At.Sub(now); d > riverSchedulerInterval {
		opts.ScheduledAt = now.Add(snoozeFor(d))
	}
	return opts
}
