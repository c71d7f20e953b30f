package jobs

import (
	"context"
	"database/sql"

	"github.com/riverqueue/river"
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
