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

// blockWorker holds every job until the test ends, as a job in flight
// when the process is killed.
type blockWorker struct {
	river.WorkerDefaults[pingArgs]
	started chan int
}

func (w *blockWorker) Work(ctx context.Context, j *river.Job[pingArgs]) error {
	w.started <- j.Args.N
	<-ctx.Done()
	return ctx.Err()
}

// TestJobsLeftRunningByACrashRunAtTheNextStart: a process dies with a job
// running (its row stays "running"); the next process runs it at once,
// not an hour later when River's rescuer would.
func TestJobsLeftRunningByACrashRunAtTheNextStart(t *testing.T) {
	if storetest.OnPostgres() {
		t.Skip("SQLite only: one process serves a SQLite file, so a running job at start is an orphan; on PostgreSQL River's rescuer takes jobs from dead instances once they have run past the job timeout")
	}
	ctx := context.Background()
	db := storetest.New(t).DB

	// The first process takes the job and "dies": its client is never
	// stopped, so the row stays running; its context is cancelled so the
	// worker returns, but a dead process records nothing.
	first := river.NewWorkers()
	bw := &blockWorker{started: make(chan int, 1)}
	river.AddWorker(first, bw)
	q1, err := New(db, Config{Workers: first, PollInterval: 10 * time.Millisecond})
	require.NoError(t, err)
	ctx1, kill := context.WithCancel(ctx)
	require.NoError(t, q1.Start(ctx1))
	tx, err := db.W.BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = db.Jobs().InsertTx(ctx, tx, pingArgs{N: 7}, nil)
	require.NoError(t, err)
	require.NoError(t, tx.Commit())
	select {
	case <-bw.started:
	case <-time.After(10 * time.Second):
		t.Fatal("the job did not start")
	}
	var state string
	require.NoError(t, db.R.QueryRow(`SELECT state FROM river_job`).Scan(&state))
	require.Equal(t, "running", state)
	// Freeze the row as a SIGKILL would leave it: the dying client must
	// not get to record the job's end.
	_, err = db.W.Exec(`CREATE TRIGGER freeze BEFORE UPDATE ON river_job BEGIN SELECT RAISE(IGNORE); END`)
	require.NoError(t, err)
	kill()
	stopCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	_ = q1.Stop(stopCtx)
	cancel()
	_, err = db.W.Exec(`DROP TRIGGER freeze`)
	require.NoError(t, err)
	require.NoError(t, db.R.QueryRow(`SELECT state FROM river_job`).Scan(&state))
	require.Equal(t, "running", state, "the killed process left the job running")

	second := river.NewWorkers()
	w := &pingWorker{got: make(chan int, 1)}
	river.AddWorker(second, w)
	q2, err := New(db, Config{Workers: second, PollInterval: 10 * time.Millisecond})
	require.NoError(t, err)
	require.NoError(t, q2.Start(ctx))
	defer q2.Stop(ctx)
	select {
	case n := <-w.got:
		assert.Equal(t, 7, n)
	case <-time.After(10 * time.Second):
		t.Fatal("the orphaned job did not run after the restart")
	}
	var errs string
	require.Eventually(t, func() bool {
		return db.R.QueryRow(`SELECT state, json(errors) FROM river_job`).Scan(&state, &errs) == nil && state == "completed"
	}, 10*time.Second, 20*time.Millisecond)
	assert.Contains(t, errs, orphanError, "the lost attempt is recorded")
}
