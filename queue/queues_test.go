package queue

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/storetest"
)

// stuckWrites stands in for writes to an iCIMS that keeps every worker
// busy: each job blocks until the test ends.
type stuckWrites struct {
	river.WorkerDefaults[jobargs.WritebackArgs]
	started chan int64
	release chan struct{}
}

func (w *stuckWrites) Work(ctx context.Context, j *river.Job[jobargs.WritebackArgs]) error {
	w.started <- j.ID
	select {
	case <-w.release:
	case <-ctx.Done():
	}
	return nil
}

type sentMails struct {
	river.WorkerDefaults[jobargs.SendInvitationArgs]
	sent chan int64
}

func (w *sentMails) Work(_ context.Context, j *river.Job[jobargs.SendInvitationArgs]) error {
	w.sent <- j.Args.InvitationID
	return nil
}

// TestEmailsNeverWaitBehindICIMSWrites: with every worker of the iCIMS
// queue taken by writes and more writes waiting, an invitation e-mail
// queued after them is sent at once, on its own queue's workers.
func TestEmailsNeverWaitBehindICIMSWrites(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t).DB
	writes := &stuckWrites{started: make(chan int64, 64), release: make(chan struct{})}
	mails := &sentMails{sent: make(chan int64, 1)}
	workers := river.NewWorkers()
	river.AddWorker(workers, writes)
	river.AddWorker(workers, mails)
	q, err := New(db, Config{Workers: workers, PollInterval: 10 * time.Millisecond})
	require.NoError(t, err)
	for i := range 20 {
		_, err := q.Insert(ctx, jobargs.WritebackArgs{TenantID: 1, InvitationID: int64(i + 1)}, nil)
		require.NoError(t, err)
	}
	require.NoError(t, q.Start(ctx))
	defer func() {
		close(writes.release)
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_ = q.Stop(sctx)
	}()
	for range 8 {
		select {
		case <-writes.started:
		case <-time.After(5 * time.Second):
			t.Fatal("the iCIMS queue's workers did not all start")
		}
	}

	_, err = q.Insert(ctx, jobargs.SendInvitationArgs{InvitationID: 99}, nil)
	require.NoError(t, err)
	select {
	case id := <-mails.sent:
		require.EqualValues(t, 99, id)
	case <-time.After(2 * time.Second):
		t.Fatal("the e-mail waited behind the writes to iCIMS")
	}
	require.Empty(t, writes.started, "no worker beyond the iCIMS queue's own took a write")
}
