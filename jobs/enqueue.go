package jobs

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// Inserter queues jobs in the caller's transaction; *queue.Queue is one.
type Inserter interface {
	InsertManyTx(ctx context.Context, tx *sql.Tx, params []river.InsertManyParams) error
}

// Enqueuer queues this package's jobs from inside the stores'
// transactions. Its methods are the stores' hooks.
type Enqueuer struct {
	// Queue is set once the queue exists, which is after the workers are
	// registered; the hooks run only after that.
	Queue Inserter
}

// QueueProcessing queues the processing of the deliveries of one group
// commit as a single process_events job: inserting one row, whatever the
// batch's size, is what keeps the intake's transaction short.
func (e *Enqueuer) QueueProcessing(ctx context.Context, tx *sql.Tx, deliveries []assessments.Delivery) error {
	refs := make([]jobargs.DeliveryRef, len(deliveries))
	for i, d := range deliveries {
		refs[i] = jobargs.DeliveryRef{TenantID: d.TenantID, DeliveryID: d.ID}
	}
	params := []river.InsertManyParams{{Args: jobargs.ProcessEventsArgs{Deliveries: refs}}}
	// The job is never unique, so River's fast insert, which skips the
	// unique bookkeeping and reads nothing back, will do: it runs while
	// iCIMS waits for the answer.
	if q, ok := e.Queue.(interface {
		Client() *river.Client[*sql.Tx]
	}); ok {
		if _, err := q.Client().InsertManyFastTx(ctx, tx, params); err != nil {
			return fmt.Errorf("queue: insert process_events: %w", err)
		}
		return nil
	}
	return e.Queue.InsertManyTx(ctx, tx, params)
}

// QueueSend queues the e-mail of a new invitation.
func (e *Enqueuer) QueueSend(ctx context.Context, tx *sql.Tx, inv assessments.Invitation) error {
	return e.Queue.InsertManyTx(ctx, tx, []river.InsertManyParams{{Args: jobargs.SendInvitationArgs{InvitationID: inv.ID}}})
}
