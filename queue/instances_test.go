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

// TestJobsOfADeadInstanceRunOnALiveOne: two instances on one PostgreSQL
// database; one dies with a job running. The other leaves the job alone
// while the first lives, and runs it within seconds of its death, not
// after the job's timeout as River's rescuer would.
func TestJobsOfADeadInstanceRunOnALiveOne(t *testing.T) {
	if !storetest.OnPostgres() {
		t.Skip("PostgreSQL only: several instances share a queue only there; SQLite's one process rescues at start (TestJobsLeftRunningByACrashRunAtTheNextStart)")
	}
	ctx := context.Background()
	db := storetest.New(t).DB

	// The first instance takes the job and holds it; one worker, so that
	// it cannot take the job again once it is freed.
	first := river.NewWorkers()
	bw := &blockWorker{started: make(chan int, 1)}
	river.AddWorker(first, bw)
	q1, err := New(db, Config{Workers: first, MaxWorkers: 1, PollInterval: 10 * time.Millisecond})
	require.NoError(t, err)
	ctx1, kill := context.WithCancel(ctx)
	require.NoError(t, q1.Start(ctx1))
	defer func() {
		kill()
		stopCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_ = q1.Stop(stopCtx)
	}()
	_, err = q1.Insert(ctx, pingArgs{N: 7}, nil)
	require.NoError(t, err)
	select {
	case <-bw.started:
	case <-time.After(10 * time.Second):
		t.Fatal("the job did not start")
	}

	second := river.NewWorkers()
	w := &pingWorker{got: make(chan int, 1)}
	river.AddWorker(second, w)
	q2, err := New(db, Config{Workers: second, PollInterval: 10 * time.Millisecond})
	require.NoError(t, err)
	require.NoError(t, q2.Start(ctx))
	defer q2.Stop(ctx)

	n, err := q2.instance.rescue(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "a live instance's job is left to it")
	var state string
	require.NoError(t, db.R.QueryRow(`SELECT state FROM river_job`).Scan(&state))
	require.Equal(t, "running", state)

	// The first instance dies: its connections, and so its lock, go.
	q1.instance.mu.Lock()
	require.NoError(t, q1.instance.conn.Close(ctx))
	q1.instance.mu.Unlock()

	select {
	case n := <-w.got:
		assert.Equal(t, 7, n)
	case <-time.After(3 * deadInstanceScan):
		t.Fatal("the dead instance's job did not run on the live one")
	}
	var errs string
	require.Eventually(t, func() bool {
		return db.R.QueryRow(`SELECT state, array_to_string(errors, ',') FROM river_job`).Scan(&state, &errs) == nil && state == "completed"
	}, 10*time.Second, 20*time.Millisecond)
	assert.Contains(t, errs, deadInstanceError, "the lost attempt is recorded")
}
