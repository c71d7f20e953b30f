package jobs

import (
	"context"
	"encoding/json"
	"time"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/icims"
)

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
