package storage

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// River fetches a queue's available jobs by priority (1 first), then by
// scheduled_at, then by id; within one priority it is first in, first
// out. A recruiter's bulk move of 5,000 candidates puts 5,000 invitation
// e-mails in the shared e-mail queue at once, and another customer's one
// invitation queued a second later would wait behind all of them (at
// 100 ms a message on 4 workers, two minutes). So the e-mail of a new
// invitation gets a priority chosen by how many e-mails its customer has
// queued lately: the first few of a burst keep priority 1, the rest of it
// sink band by band to 4, and a quiet customer's e-mail, at priority 1,
// is fetched before the burst's tail. The same holds one step earlier,
// on River's default queue: the move's 5,000 events are processed by
// process_events jobs (one per group commit of the intake), each waiting
// on the busy customer's iCIMS pace, and another customer's event queued
// after them would wait for all of them; its job too gets a priority by
// how many events its customers queued lately.
//
// How much a customer queued lately is a decaying count kept in memory
// (jobShares), not a count of waiting rows in river_job: counting by
// customer would read the job's JSON arguments, which no index of
// River's covers, on every insert. Kept per instance, the count sees that
// instance's share of a burst, which on several instances is still a
// burst; lost at a restart, it only puts the next jobs at priority 1.
// The priority orders jobs, it never holds one back: a customer alone on
// the deployment, or a burst on an idle queue, runs as fast as before.
//
// Only an invitation's first e-mail is placed so: its reminders and expiry
// are queued when that e-mail has gone out (Scheduler.AfterSend), so the
// order within one invitation stays as it was.

// shareHalfLife is how fast a customer's count of recent jobs fades: a
// burst stops lowering its customer's new jobs a few minutes after it
// ends, by when the queue has long worked it off.
const shareHalfLife = time.Minute

// priorityBands are the counts of recent jobs up to which a customer's
// next job gets priority 1, 2 and 3; above the last it gets 4, River's
// lowest. A customer who invites a few candidates a minute stays at 1.
var priorityBands = [...]float64{20, 200, 2000}

// jobShares counts, per customer and queue, the jobs queued lately, each
// count halving every shareHalfLife. Its zero value is ready. It holds
// one small entry per customer and queue that ever queued, a few hundred
// at most, so entries are never dropped.
type jobShares struct {
	mu     sync.Mutex
	counts map[shareKey]*shareCount
}

type shareKey struct {
	tenantID int64
	queue    string
}

type shareCount struct {
	n  float64
	at time.Time
}

// next counts n more jobs of the tenant on the queue at now and returns
// the River priority (1..4) the last of them should have.
func (s *jobShares) next(tenantID int64, queue string, n int, now time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.counts == nil {
		s.counts = map[shareKey]*shareCount{}
	}
	k := shareKey{tenantID, queue}
	c := s.counts[k]
	if c == nil {
		c = &shareCount{at: now}
		s.counts[k] = c
	}
	if d := now.Sub(c.at); d > 0 {
		c.n *= math.Exp2(-d.Seconds() / shareHalfLife.Seconds())
		c.at = now
	}
	c.n += float64(n)
	for i, limit := range priorityBands {
		if c.n <= limit {
			return i + 1
		}
	}
	return len(priorityBands) + 1
}

// processingPriority counts the deliveries of one group commit, per
// customer, and returns the priority of the one process_events job that
// carries them: the best any of its customers has earned, so a quiet
// customer's event is never held back by riding with a busy one's (the
// busy customer's few deliveries in that job gain a little).
func (db *DB) processingPriority(deliveries []assessments.Delivery, now time.Time) int {
	perTenant := map[int64]int{}
	for _, d := range deliveries {
		perTenant[d.TenantID]++
	}
	best := len(priorityBands) + 1
	for tenantID, n := range perTenant {
		best = min(best, db.shares.next(tenantID, river.QueueDefault, n, now))
	}
	return best
}

// queueInvitationEmailTx queues the first e-mail of a new invitation of
// the tenant, at the priority its customer's recent e-mails leave it (see
// jobShares).
func (db *DB) queueInvitationEmailTx(ctx context.Context, tx *sql.Tx, tenantID, invitationID int64, now time.Time) error {
	args := jobargs.SendInvitationArgs{InvitationID: invitationID}
	opts := args.InsertOpts()
	opts.Priority = db.shares.next(tenantID, opts.Queue, 1, now)
	if err := db.insertJobsTx(ctx, tx, river.InsertManyParams{Args: args, InsertOpts: &opts}); err != nil {
		return fmt.Errorf("invitation %d: %w", invitationID, err)
	}
	return nil
}
