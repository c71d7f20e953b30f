package storetest

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// databases is one test process's share of the PostgreSQL test server.
// Copying the template (CREATE DATABASE … TEMPLATE) and dropping the copy
// cost a second or more each on a busy machine, so a test's database is not
// dropped when the test ends: it is renamed, emptied and kept for the
// process's next test. Isolation stays complete: the rename cuts off
// anything the old test left connected, emptying deletes every row and
// restarts every id, and a database whose schema a test changed is dropped
// instead (see cleaner).
//
// Every database the process makes is named with its mark, and the process
// holds an advisory lock on that mark for as long as it lives. A process
// that starts drops the databases of marks nobody holds: those of test
// processes that ended (their kept databases) or were killed.
type databases struct {
	server string
	admin  *pgxpool.Pool // on the server's own database
	mark   uint32
	alive  *pgx.Conn // holds the lock on mark until the process exits

	templateOnce sync.Once
	template     string
	cleaner      *cleaner
	templateErr  error

	mu   sync.Mutex
	next int
	idle []string
	made int // copies of the template, for the tests
}

// markLock is the first key of the two-key advisory lock a test process
// holds on its mark; the second is the mark. PostgreSQL keeps two-key
// locks apart from the one-key locks goose and the store take.
const markLock = 0x4a43 // "JC"

// markedName matches the names of the databases test processes make:
// jc_test_, the process's mark, a number.
var markedName = regexp.MustCompile(`^jc_test_([0-9a-f]{8})_[0-9]+$`)

// shared is this process's databases, made by the first test that needs
// one. Tests of one process share the server's connections and the
// databases given back; nothing else.
var shared struct {
	once sync.Once
	d    *databases
	err  error
}

// serverDatabases returns this process's databases on the test server.
// With no server tb is skipped, unless CI is set: there a missing server
// is a failure, since CI starts one.
func serverDatabases(tb testing.TB) *databases {
	tb.Helper()
	server := PostgresServer()
	if server == "" {
		if os.Getenv("CI") != "" {
			tb.Fatalf("storetest: no PostgreSQL server: set %s or start the local one (scripts/postgres)", PostgresEnv)
		}
		tb.Skipf("storetest: no PostgreSQL server (set %s or run scripts/postgres)", PostgresEnv)
	}
	shared.once.Do(func() { shared.d, shared.err = openDatabases(server) })
	if shared.err != nil {
		tb.Fatalf("storetest: PostgreSQL test server: %v", shared.err)
	}
	return shared.d
}

// openDatabases connects to server, takes a mark of its own and drops
// what dead test processes left behind.
func openDatabases(server string) (*databases, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg, err := pgxpool.ParseConfig(server)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = 4
	admin, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, err
	}
	alive, err := pgx.Connect(ctx, server)
	if err != nil {
		admin.Close()
		return nil, err
	}
	d := &databases{server: server, admin: admin, alive: alive}
	for {
		var b [4]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, err
		}
		d.mark = binary.BigEndian.Uint32(b[:])
		got, err := d.tryLock(ctx, d.mark)
		if err != nil {
			return nil, err
		}
		if got {
			break
		}
	}
	if err := d.sweep(ctx); err != nil {
		return nil, fmt.Errorf("drop the databases of ended test processes: %w", err)
	}
	return d, nil
}

// tryLock takes the lock on mark on the alive connection, if no live
// process holds it.
func (d *databases) tryLock(ctx context.Context, mark uint32) (bool, error) {
	var got bool
	err := d.alive.QueryRow(ctx, `SELECT pg_try_advisory_lock($1, $2)`, markLock, int32(mark)).Scan(&got)
	return got, err
}

// sweep drops the databases whose mark no live process holds. Those with
// this process's own mark are a dead process's too: the mark was free
// when this process took it.
func (d *databases) sweep(ctx context.Context) error {
	rows, err := d.admin.Query(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'jc\_test\_%'`)
	if err != nil {
		return err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	byMark := map[uint32][]string{}
	for _, name := range names {
		m := markedName.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		var mark uint32
		fmt.Sscanf(m[1], "%08x", &mark)
		byMark[mark] = append(byMark[mark], name)
	}
	for mark, names := range byMark {
		if mark != d.mark {
			got, err := d.tryLock(ctx, mark)
			if err != nil {
				return err
			}
			if !got {
				continue // its process is running
			}
		}
		for _, name := range names {
			if err := dropDatabase(ctx, d.admin, name); err != nil {
				return err
			}
		}
		if mark != d.mark {
			if _, err := d.alive.Exec(ctx, `SELECT pg_advisory_unlock($1, $2)`, markLock, int32(mark)); err != nil {
				return err
			}
		}
	}
	return nil
}

// newName is a name no database of this process has had.
func (d *databases) newName() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.next++
	return fmt.Sprintf("jc_test_%08x_%d", d.mark, d.next)
}

// url is the URL of database name on the server.
func (d *databases) url(tb testing.TB, name string) string {
	tb.Helper()
	u, err := databaseURL(d.server, name)
	if err != nil {
		tb.Fatalf("storetest: %s: %v", PostgresEnv, err)
	}
	return u
}

// take returns the name of a migrated database for one test: one given
// back, else a new copy of the template.
func (d *databases) take(tb testing.TB) string {
	tb.Helper()
	d.templateOnce.Do(func() { d.template, d.cleaner, d.templateErr = d.prepareTemplate() })
	if d.templateErr != nil {
		tb.Fatalf("storetest: PostgreSQL template: %v", d.templateErr)
	}
	d.mu.Lock()
	if n := len(d.idle); n > 0 {
		name := d.idle[n-1]
		d.idle = d.idle[:n-1]
		d.mu.Unlock()
		return name
	}
	d.mu.Unlock()
	name, err := d.copyTemplate(context.Background())
	if err != nil {
		tb.Fatalf("storetest: copy the template: %v", err)
	}
	return name
}

// prepareTemplate makes (or finds) the template and learns from a first
// copy of it how to empty a copy; that copy goes to the idle list.
func (d *databases) prepareTemplate() (string, *cleaner, error) {
	template, err := makeTemplate(d.server)
	if err != nil {
		return "", nil, err
	}
	d.template = template
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	name, err := d.copyTemplate(ctx)
	if err != nil {
		return "", nil, err
	}
	u, err := databaseURL(d.server, name)
	if err != nil {
		return "", nil, err
	}
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return "", nil, err
	}
	defer conn.Close(ctx)
	c, err := newCleaner(ctx, conn)
	if err != nil {
		return "", nil, err
	}
	d.mu.Lock()
	d.idle = append(d.idle, name)
	d.mu.Unlock()
	return template, c, nil
}

// copyTemplate creates a new copy of the template.
func (d *databases) copyTemplate(ctx context.Context) (string, error) {
	name := d.newName()
	if _, err := d.admin.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+d.template); err != nil {
		return "", err
	}
	d.mu.Lock()
	d.made++
	d.mu.Unlock()
	return name, nil
}

// giveBack readies database name for the process's next test: renamed, so
// that nothing the ended test left connected (a worker that outlived it)
// can reach it again, then emptied. A database that cannot be made as
// good as new is dropped.
func (d *databases) giveBack(tb testing.TB, name string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	fresh := d.newName()
	if err := d.rename(ctx, name, fresh); err != nil {
		d.drop(tb, name)
		return
	}
	if err := d.empty(ctx, fresh); err != nil {
		d.drop(tb, fresh)
		return
	}
	d.mu.Lock()
	d.idle = append(d.idle, fresh)
	d.mu.Unlock()
}

// rename renames database from to, first ending the sessions still on
// it. PostgreSQL renames only a database nobody is connected to, and a
// closed pool's sessions take a moment to end.
func (d *databases) rename(ctx context.Context, from, to string) error {
	for {
		if _, err := d.admin.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, from); err != nil {
			return err
		}
		_, err := d.admin.Exec(ctx, "ALTER DATABASE "+from+" RENAME TO "+to)
		var pe *pgconn.PgError
		if err == nil || !errors.As(err, &pe) || pe.Code != "55006" { // object_in_use
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// empty makes database name as it was copied from the template.
func (d *databases) empty(ctx context.Context, name string) error {
	u, err := databaseURL(d.server, name)
	if err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return d.cleaner.clean(ctx, conn)
}

// drop drops database name, failing tb if it cannot.
func (d *databases) drop(tb testing.TB, name string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := dropDatabase(ctx, d.admin, name); err != nil {
		tb.Errorf("storetest: drop database %s: %v", name, err)
	}
}

// dropDatabase drops database name, trying again for a few seconds while
// PostgreSQL refuses because a session it may not end (autovacuum's, a
// session of another role) is still on it.
func dropDatabase(ctx context.Context, admin interface {
	Exec(context.Context, string, ...any) (pgconn.CommandTag, error)
}, name string) error {
	var err error
	for range 10 {
		if _, err = admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err == nil {
			return nil
		}
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || (pe.Code != "42501" && pe.Code != "55006") {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(300 * time.Millisecond):
		}
	}
	return err
}
