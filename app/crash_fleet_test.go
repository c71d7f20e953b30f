package app

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/bench"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// fleet is the instances of the service under test, each with its own
// power switch (chaos), sharing one database, one simulator and one SMTP
// sink. The phases and their progress are the run's, so every instance
// sees them.
type fleet struct {
	nodes []*chaos
	// db reads the shared database beside the running instances.
	db *sql.DB
	// front is the load balancer in front of several instances: their
	// one base URL, as in production. Each instance's links, and the
	// report URL written to iCIMS, must be the same whichever instance
	// makes them (a write repeated after a kill must be the same write).
	front *httptest.Server
	door  *frontDoor
}

// frontDoor passes the load balancer's requests to the fleet of the
// moment (the one that migrated the database is replaced by the one that
// runs).
type frontDoor struct{ to atomic.Pointer[fleet] }

func (d *frontDoor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := d.to.Load()
	if f == nil {
		http.Error(w, "no instances yet", http.StatusBadGateway)
		return
	}
	f.ServeHTTP(w, r)
}

// startSQLite prepares a SQLite data directory and starts one instance
// on it.
func startSQLite(t *testing.T, bin string, sim *icimstest.Server, sink *bench.SMTPSink) (*fleet, bench.Data) {
	t.Helper()
	dir := t.TempDir()
	data, err := bench.Prepare(context.Background(), bench.Data{Dir: dir}, sim.Sim, icimstest.CustomerUS, icimstest.CustomerEU)
	require.NoError(t, err)
	f := &fleet{}
	f.add(t, bin, data, sim, sink)
	require.NoError(t, f.start())
	f.db = readOnly(t, dir)
	return f, data
}

// startPostgres starts n instances together on an empty PostgreSQL
// database, which they migrate at start (so the migration lock is
// proved), stops them, sets the customers up, and starts them again.
// Each instance has a data directory of its own, as on its own machine;
// they share the secret key.
func startPostgres(t *testing.T, n int, bin string, sim *icimstest.Server, sink *bench.SMTPSink) (*fleet, bench.Data) {
	t.Helper()
	ctx := context.Background()
	key, err := secrets.NewKey()
	require.NoError(t, err)
	data := bench.Data{Dir: t.TempDir(), DatabaseURL: storetest.PostgresDatabase(t), SecretKey: key}

	front, door := startFront(t)
	f := &fleet{front: front, door: door}
	door.to.Store(f)
	for range n {
		f.add(t, bin, data, sim, sink)
	}
	require.NoError(t, f.start(), "instances starting together on an empty database")
	require.NoError(t, f.stop())

	data, err = bench.Prepare(ctx, data, sim.Sim, icimstest.CustomerUS, icimstest.CustomerEU)
	require.NoError(t, err)
	f = &fleet{front: f.front, door: f.door}
	f.door.to.Store(f)
	for range n {
		f.add(t, bin, data, sim, sink)
	}
	require.NoError(t, f.start())
	db, err := storage.Open(ctx, data.DatabaseURL, "")
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	f.db = db.R
	return f, data
}

// add makes an instance on a free address and a data directory of its
// own (the shared database is data's).
func (f *fleet) add(t *testing.T, bin string, data bench.Data, sim *icimstest.Server, sink *bench.SMTPSink) {
	t.Helper()
	addr, err := bench.FreeAddr()
	require.NoError(t, err)
	if len(f.nodes) > 0 {
		data.Dir = t.TempDir()
	}
	args := data.ServiceArgs(addr, sim.APIBase(), sink.URL())
	if f.front != nil {
		i := slices.Index(args, "--base-url")
		args[i+1] = f.front.URL
	}
	f.nodes = append(f.nodes, &chaos{t: t, bin: bin, args: args, addr: addr})
}

// startFront starts the load balancer, in front of no fleet yet.
func startFront(t *testing.T) (*httptest.Server, *frontDoor) {
	t.Helper()
	door := &frontDoor{}
	front := httptest.NewServer(door)
	t.Cleanup(front.Close)
	return front, door
}

// ServeHTTP is the load balancer: each request goes to an instance at
// random, and to the next when that one does not answer (killed, or not
// up again yet), as a balancer's health checks would arrange.
func (f *fleet) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	first := rand.IntN(len(f.nodes))
	for try := range 50 * len(f.nodes) {
		c := f.nodes[(first+try)%len(f.nodes)]
		req := r.Clone(r.Context())
		req.RequestURI = ""
		req.URL.Scheme, req.URL.Host = "http", c.addr
		req.Body = io.NopCloser(bytes.NewReader(body))
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			if try%len(f.nodes) == len(f.nodes)-1 {
				time.Sleep(100 * time.Millisecond)
			}
			continue
		}
		defer res.Body.Close()
		for k, v := range res.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(res.StatusCode)
		_, _ = io.Copy(w, res.Body)
		return
	}
	http.Error(w, "no instance answers", http.StatusBadGateway)
}

// start starts every instance at once and waits until all are ready; a
// test's end kills whatever still runs.
func (f *fleet) start() error {
	errs := make([]error, len(f.nodes))
	var wg sync.WaitGroup
	for i, c := range f.nodes {
		wg.Go(func() { errs[i] = c.start() })
	}
	wg.Wait()
	for _, c := range f.nodes {
		if c.proc != nil {
			c.t.Cleanup(func() { c.mu.Lock(); c.proc.Kill(); c.mu.Unlock() })
		}
	}
	return errors.Join(errs...)
}

// stop shuts every instance down cleanly.
func (f *fleet) stop() error {
	var errs []error
	for _, c := range f.nodes {
		errs = append(errs, c.stop())
	}
	return errors.Join(errs...)
}

// enter starts a phase on every instance's killer.
func (f *fleet) enter(phase string, total int) {
	for _, c := range f.nodes {
		c.enter(phase, total)
	}
}

// progressed counts one event answered or one candidate done.
func (f *fleet) progressed() {
	for _, c := range f.nodes {
		c.progress.Add(1)
	}
}

// killers starts a killer per instance with kills planned kills each;
// done is closed when all have made theirs, stop ends them early.
func (f *fleet) killers(kills int, rnd *rand.Rand) (stop func(), done <-chan struct{}) {
	stopAll, allDone := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	for _, c := range f.nodes {
		plan := planKills(kills, rnd)
		wg.Go(func() { c.killer(plan, stopAll, make(chan struct{})) })
	}
	go func() { wg.Wait(); close(allDone) }()
	var once sync.Once
	return func() { once.Do(func() { close(stopAll) }); <-allDone }, allDone
}

// targets picks the instance each event is posted to, at random, as a
// load balancer spreads iCIMS's deliveries.
func (f *fleet) targets(plan [][]*crashEvent, rnd *rand.Rand) map[*crashEvent]string {
	out := map[*crashEvent]string{}
	for _, seq := range plan {
		for _, ev := range seq {
			i := 0
			if len(f.nodes) > 1 {
				i = rnd.IntN(len(f.nodes))
			}
			out[ev] = "http://" + f.nodes[i].addr + "/icims/events"
		}
	}
	return out
}

// kills describes the kills made, per instance when there are several.
func (f *fleet) kills() (int, string) {
	n := 0
	var parts []string
	for i, c := range f.nodes {
		c.mu.Lock()
		n += len(c.kills)
		list := strings.Join(c.kills, ", ")
		c.mu.Unlock()
		if len(f.nodes) > 1 {
			list = fmt.Sprintf("instance %d: %s", i+1, list)
		}
		parts = append(parts, list)
	}
	return n, strings.Join(parts, "; ")
}
