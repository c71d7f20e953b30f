package queue

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/storetest"
)

type pingArgs struct {
	N int `json:"n"`
}

func (pingArgs) Kind() string { return "test_ping" }

type pingWorker struct {
	river.WorkerDefaults[pingArgs]
	got chan int
}

func (w *pingWorker) Work(ctx context.Context, j *river.Job[pingArgs]) error {
	w.got <- j.Args.N
	return nil
}

func TestJobsCommitWithTheirTransaction(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t).DB
	// The store's migration holds River's tables too.
	_, err := db.Migrate(ctx)
	require.NoError(t, err, "migrating twice changes nothing")

	workers := river.NewWorkers()
	w := &pingWorker{got: make(chan int, 4)}
	river.AddWorker(workers, w)
	q, err := New(db, Config{Workers: workers, PollInterval: 10 * time.Millisecond})
	require.NoError(t, err)
	require.NoError(t, q.Start(ctx))
	defer q.Stop(ctx)

	// A rolled-back transaction takes its job with it.
	tx, err := db.W.BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = db.Jobs().InsertTx(ctx, tx, pingArgs{N: 1}, nil)
	require.NoError(t, err)
	require.NoError(t, tx.Rollback())

	tx, err = db.W.BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = db.Jobs().InsertTx(ctx, tx, pingArgs{N: 2}, nil)
	require.NoError(t, err)
	require.NoError(t, tx.Commit())

	select {
	case n := <-w.got:
		assert.Equal(t, 2, n, "only the committed job runs")
	case <-time.After(10 * time.Second):
		t.Fatal("the committed job did not run")
	}
	select {
	case n := <-w.got:
		t.Fatalf("job %d ran though its transaction rolled back", n)
	case <-time.After(200 * time.Millisecond):
	}
}

func TestBackoffGrowsSpreadsAndCaps(t *testing.T) {
	assert.Equal(t, 500*time.Millisecond, BackoffDelay(0, 0))
	assert.Equal(t, time.Second, BackoffDelay(0, 1))
	assert.Equal(t, 4*time.Second, BackoffDelay(3, 0))
	assert.Equal(t, 3*time.Hour, BackoffDelay(30, 0), "capped at six hours, half fixed")
	var total time.Duration
	for n := range MaxAttempts - 1 {
		total += BackoffDelay(n, 0.5)
	}
	assert.Greater(t, total, 60*time.Hour, "retries span about three days")
	assert.Less(t, total, 96*time.Hour, "and give up within four")
}
