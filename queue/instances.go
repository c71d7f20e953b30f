package queue

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// On PostgreSQL several instances work one queue, and an instance that
// dies (SIGKILL, the OOM killer, a lost machine) leaves its running jobs
// in state "running". River's rescuer frees them only once they have run
// past their kind's timeout: fifteen minutes for a batch of events, so a
// crash held those events back for a quarter of an hour. Each instance
// therefore holds a PostgreSQL advisory lock for as long as it lives (the
// server drops it with the dead process's connection), names its River
// client after the lock, and every instance frees the running jobs whose
// last attempt belongs to an instance whose lock is gone.

// instanceLockSpace is the first key of the two-key advisory locks that
// mark live instances; the second is the instance's number.
const instanceLockSpace = 0x4a43494e // "JCIN"

// instancePrefix starts the River client id of an instance holding a
// lock; the number after it is the lock's second key.
const instancePrefix = "jobcannon-"

// deadInstanceScan is how often an instance looks for the jobs of dead
// ones.
const deadInstanceScan = 5 * time.Second

// deadInstanceError is the error a freed job's lost attempt records.
const deadInstanceError = "the instance working this job stopped; run again by another"

// instance is this process's membership among the instances: the
// connection holding its lock, and the scan for the jobs of dead ones.
type instance struct {
	pool *pgxpool.Pool
	log  *slog.Logger
	// number is the lock's second key; clientID names River's client.
	number   int32
	clientID string

	mu sync.Mutex
	// conn holds the lock: a connection of its own, outside the pool,
	// so that the lock never costs the store or River one of theirs.
	conn *pgx.Conn
	stop context.CancelFunc
	done chan struct{}
}

// newInstance picks the instance's number; the lock is taken by start.
func newInstance(pool *pgxpool.Pool, log *slog.Logger) *instance {
	n := rand.Int32N(1<<31-1) + 1
	return &instance{pool: pool, log: log, number: n, clientID: instancePrefix + strconv.Itoa(int(n))}
}

// start takes the instance's lock, frees the jobs of dead instances and
// keeps doing so until stop. It must run before River's client starts,
// so that no job is ever attempted under an id whose lock is not held.
func (in *instance) start(ctx context.Context) error {
	conn, err := pgx.ConnectConfig(ctx, in.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("queue: instance lock: %w", err)
	}
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1, $2)`, int32(instanceLockSpace), in.number).Scan(&got); err != nil {
		conn.Close(ctx)
		return fmt.Errorf("queue: instance lock: %w", err)
	}
	if !got {
		conn.Close(ctx)
		return fmt.Errorf("queue: instance number %d is taken by a live instance; start again", in.number)
	}
	if _, err := in.rescue(ctx); err != nil {
		conn.Close(ctx)
		return err
	}
	scanCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	in.mu.Lock()
	in.conn, in.stop, in.done = conn, cancel, make(chan struct{})
	in.mu.Unlock()
	go in.scan(scanCtx)
	return nil
}

// scan frees the jobs of dead instances every deadInstanceScan until ctx
// ends.
func (in *instance) scan(ctx context.Context) {
	defer close(in.done)
	t := time.NewTicker(deadInstanceScan)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := in.rescue(ctx); err != nil && ctx.Err() == nil {
			in.log.WarnContext(ctx, "looking for the jobs of stopped instances failed", "error", err)
		}
	}
}

// rescue makes the running jobs of instances that hold no lock available
// again (discarded when they have no attempt left), in one statement, so
// that instances scanning together free each job once, and returns how
// many it freed. A job whose last attempt was not an instance's (River's
// own tests, an older version) is left to River's rescuer.
func (in *instance) rescue(ctx context.Context) (int, error) {
	rows, err := in.pool.Query(ctx, `
UPDATE river_job j SET
	state = CASE WHEN j.attempt >= j.max_attempts THEN 'discarded'::river_job_state ELSE 'available'::river_job_state END,
	scheduled_at = CASE WHEN j.attempt >= j.max_attempts THEN j.scheduled_at ELSE now() END,
	finalized_at = CASE WHEN j.attempt >= j.max_attempts THEN now() ELSE NULL END,
	errors = array_append(j.errors, jsonb_build_object('at', now(), 'attempt', GREATEST(j.attempt, 0), 'error', $2::text, 'trace', ''))
WHERE j.state = 'running'
	AND j.attempted_by[array_upper(j.attempted_by, 1)] LIKE $3 || '%'
	AND NOT EXISTS (SELECT 1 FROM pg_locks l
		WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid::bigint = $1
		AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND $3 || l.objid::text = j.attempted_by[array_upper(j.attempted_by, 1)])
RETURNING j.id`, int64(instanceLockSpace), deadInstanceError, instancePrefix)
	if err != nil {
		return 0, fmt.Errorf("queue: free the jobs of stopped instances: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("queue: free the jobs of stopped instances: %w", err)
	}
	if n > 0 {
		in.log.WarnContext(ctx, "jobs left running by a stopped instance run again", "jobs", n)
	}
	return n, nil
}

// close ends the scan and gives up the lock; River's client must have
// stopped first, so that no job of this instance is left running.
func (in *instance) close() {
	in.mu.Lock()
	conn, stop, done := in.conn, in.stop, in.done
	in.conn = nil
	in.mu.Unlock()
	if conn == nil {
		return
	}
	stop()
	<-done
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// Closing the session ends the lock.
	_ = conn.Close(ctx)
}
