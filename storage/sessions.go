package storage

import (
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/sqlite3store"
	"github.com/alexedwards/scs/v2"
)

// SessionStore is scs's session store on this database, removing expired
// sessions every cleanup interval until StopCleanup.
type SessionStore interface {
	scs.Store
	StopCleanup()
}

// Sessions is scs's store for the sessions table: its SQLite store on the
// writer, or its pgx store on PostgreSQL, where every instance finds the
// sessions any other has made.
func (db *DB) Sessions(cleanup time.Duration) SessionStore {
	if db.dialect == Postgres {
		return newPostgresSessions(db, cleanup)
	}
	return sqlite3store.NewWithCleanupInterval(db.W, cleanup)
}

// postgresSessions is pgxstore with a clean-up of ours: pgxstore's own
// goroutine sets the channel StopCleanup reads without a lock (a data race
// the race detector caught at shutdown, and a goroutine left running when
// the stop comes first).
type postgresSessions struct {
	*pgxstore.PostgresStore
	db   *DB
	stop chan struct{}
	done chan struct{}
}

func newPostgresSessions(db *DB, cleanup time.Duration) *postgresSessions {
	s := &postgresSessions{PostgresStore: pgxstore.NewWithCleanupInterval(db.pool, 0), db: db,
		stop: make(chan struct{}), done: make(chan struct{})}
	go s.clean(cleanup)
	return s
}

// clean removes expired sessions every interval until StopCleanup.
func (s *postgresSessions) clean(interval time.Duration) {
	defer close(s.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			// A failed clean-up is tried again at the next tick; an expired
			// session is never found meanwhile (Find checks the expiry).
			_, _ = s.db.W.Exec(`DELETE FROM sessions WHERE expiry < ?`, time.Now())
		}
	}
}

// StopCleanup stops the clean-up and waits for it to end.
func (s *postgresSessions) StopCleanup() {
	close(s.stop)
	<-s.done
}
