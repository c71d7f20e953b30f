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
		return pgxstore.NewWithCleanupInterval(db.pool, cleanup)
	}
	return sqlite3store.NewWithCleanupInterval(db.W, cleanup)
}
