package jobs

import (
	"encoding/json"
	"time"
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
