package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// queueProcessingTx queues the processing of one group commit's deliveries
// as a single process_events job: inserting one row, whatever the batch's
// size, is what keeps the intake's transaction short.
func (s *EventStore) queueProcessingTx(ctx context.Context, tx *sql.Tx, deliveries []assessments.Delivery) error {
	if len(deliveries) == 0 {
		return nil
	}
	refs := make([]jobargs.DeliveryRef, len(deliveries))
	for i, d := range deliveries {
		refs[i] = jobargs.DeliveryRef{TenantID: d.TenantID, DeliveryID: d.ID}
	}
	// The job is never unique, so River's fast insert, which skips the
	// unique bookkeeping and reads nothing back, will do: it runs while
	// iCIMS waits for the answer.
	params := []river.InsertManyParams{{Args: jobargs.ProcessEventsArgs{Deliveries: refs}}}
	if _, err := s.db.jobs.InsertManyFastTx(ctx, tx, params); err != nil {
		return fmt.Errorf("queue processing: %w", err)
	}
	return nil
}

// queueSendTx queues the e-mail of a new invitation.
func (s *EventStore) queueSendTx(ctx context.Context, tx *sql.Tx, inv assessments.Invitation) error {
	if err := s.db.insertJobsTx(ctx, tx, river.InsertManyParams{Args: jobargs.SendInvitationArgs{InvitationID: inv.ID}}); err != nil {
		return fmt.Errorf("invitation %d: %w", inv.ID, err)
	}
	return nil
}
