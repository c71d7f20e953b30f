package storage

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"
)

// DefaultCheckpointInterval is how often the Checkpointer copies the WAL
// into the database file.
const DefaultCheckpointInterval = 250 * time.Millisecond

// Checkpointer copies the write-ahead log into the database file from a
// connection of its own, so that no commit pays for it. By default SQLite
// checkpoints inside the commit that fills the WAL past 1,000 pages, and
// that commit waits for the copy and an fsync: under a steady stream of
// events every few hundred milliseconds one commit, and every request
// waiting on it, took tens to hundreds of milliseconds longer. PASSIVE
// checkpoints never wait for the writer or the readers, and the writer
// restarts the WAL from the top once one has caught up.
type Checkpointer struct {
	db       *DB
	conn     *sql.DB
	interval time.Duration
	log      *slog.Logger

	stopOnce sync.Once
	stop     chan struct{}
	done     chan struct{}
}

// StartCheckpointer turns the writer's automatic checkpoints off and
// starts checkpointing every interval (DefaultCheckpointInterval when
// zero) until Stop.
func StartCheckpointer(ctx context.Context, db *DB, interval time.Duration, log *slog.Logger) (*Checkpointer, error) {
	if interval <= 0 {
		interval = DefaultCheckpointInterval
	}
	conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: db.Path()}).EscapedPath()+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	if err != nil {
		return nil, fmt.Errorf("storage: checkpointer: %w", err)
	}
	conn.SetMaxOpenConns(1)
	if err := conn.PingContext(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("storage: checkpointer: %w", err)
	}
	// The writer pool holds one connection for the life of the process, so
	// the setting stays; should the connection ever be replaced, SQLite's
	// default comes back, which is slower but just as correct.
	if _, err := db.W.ExecContext(ctx, `PRAGMA wal_autocheckpoint = 0`); err != nil {
		conn.Close()
		return nil, fmt.Errorf("storage: checkpointer: %w", err)
	}
	c := &Checkpointer{db: db, conn: conn, interval: interval, log: log, stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c, nil
}

func (c *Checkpointer) run() {
	defer close(c.done)
	t := time.NewTicker(c.interval)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			if err := c.checkpoint(context.Background()); err != nil {
				c.log.Warn("wal checkpoint", "err", err)
			}
		}
	}
}

func (c *Checkpointer) checkpoint(ctx context.Context) error {
	var busy, logFrames, done int
	return c.conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logFrames, &done)
}

// Stop ends the checkpoints, makes a last one and gives the writer back
// its automatic checkpoints. Call it before the database closes.
func (c *Checkpointer) Stop(ctx context.Context) error {
	var err error
	c.stopOnce.Do(func() {
		close(c.stop)
		<-c.done
		err = c.checkpoint(ctx)
		if _, rerr := c.db.W.ExecContext(ctx, `PRAGMA wal_autocheckpoint = 1000`); err == nil {
			err = rerr
		}
		if cerr := c.conn.Close(); err == nil {
			err = cerr
		}
	})
	if err != nil {
		return fmt.Errorf("storage: checkpointer: %w", err)
	}
	return nil
}
