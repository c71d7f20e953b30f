package app

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/bench"
	"github.com/jobcannon/jobcannon/icims"
)

// buildBinary builds the real jobcannon binary into a temporary
// directory, with the race detector when the tests run with it.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "jobcannon")
	args := []string{"build", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	// The test runs in app/; the binary is cmd/jobcannon.
	cmd := exec.Command("go", append(args, "../cmd/jobcannon")...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// crashEvent is one delivery iCIMS makes for an application.
type crashEvent struct {
	app  bench.App
	kind string // trigger, redelivery, other, retrigger
	body []byte // gzip JSON, the same bytes on every try
	// The answer the delivery finally got, and the delivery it names.
	status   int
	publicID string
	tries    int
}

// crashStatusEvent is a WorkFlowStatusChangeEvent for a, shaped as the
// simulator sends them, gzip-compressed.
func crashStatusEvent(apiBase string, a bench.App, oldStatus, newStatus string) []byte {
	cid, wid, pid := a.Customer.CustomerID, strconv.Itoa(a.Workflow), strconv.Itoa(a.Person)
	jid := strconv.Itoa(a.Customer.JobID)
	base := apiBase + "/customers/" + cid + "/"
	ev := icims.Event{EventType: icims.WorkFlowStatusChangeEvent, CustomerID: cid, SystemID: wid, JobID: jid, PersonID: pid,
		UserID: "900", OldStatus: oldStatus, NewStatus: newStatus, Links: []icims.Link{
			{Rel: icims.RelApplicantWorkflow, Title: "Cand " + wid, URL: base + "applicantworkflows/" + wid},
			{Rel: icims.RelJob, Title: "Account Executive", URL: base + "jobs/" + jid},
			{Rel: icims.RelPerson, Title: "Cand " + pid, URL: base + "people/" + pid},
		}}
	raw, _ := json.Marshal(ev)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(raw)
	_ = zw.Close()
	return buf.Bytes()
}

// planEvents gives each application its trigger and, at random, what
// iCIMS also does: redeliver the same body, move the candidate on to a
// stage no rule watches, move it out and back into the trigger stage.
func planEvents(apiBase string, apps []bench.App, rnd *rand.Rand) [][]*crashEvent {
	out := make([][]*crashEvent, len(apps))
	for i, a := range apps {
		trigger := crashStatusEvent(apiBase, a, "C51001", a.Customer.Trigger)
		seq := []*crashEvent{{app: a, kind: "trigger", body: trigger}}
		if rnd.Float64() < 0.4 {
			seq = append(seq, &crashEvent{app: a, kind: "redelivery", body: trigger})
		}
		if rnd.Float64() < 0.4 {
			seq = append(seq, &crashEvent{app: a, kind: "other", body: crashStatusEvent(apiBase, a, a.Customer.Trigger, a.Customer.Other)})
		}
		if rnd.Float64() < 0.3 {
			seq = append(seq, &crashEvent{app: a, kind: "retrigger", body: crashStatusEvent(apiBase, a, a.Customer.Other, a.Customer.Trigger)})
		}
		out[i] = seq
	}
	return out
}

// deliver posts an event until the service answers it, as iCIMS retries a
// delivery that failed or got a 5xx.
func deliver(ctx context.Context, client *http.Client, url string, ev *crashEvent) error {
	for ctx.Err() == nil {
		ev.tries++
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(ev.body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Content-Encoding", "gzip")
		req.Header.Set("Authorization", ev.app.Customer.Auth)
		res, err := client.Do(req)
		if err != nil {
			time.Sleep(time.Duration(20+rand.IntN(80)) * time.Millisecond)
			continue
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode >= 500 {
			time.Sleep(time.Duration(20+rand.IntN(80)) * time.Millisecond)
			continue
		}
		ev.status = res.StatusCode
		var ok struct {
			Debug string `json:"debug"`
		}
		if res.StatusCode/100 == 2 && json.Unmarshal(body, &ok) == nil {
			_, ev.publicID, _ = strings.Cut(ok.Debug, "delivery ")
		}
		return nil
	}
	return ctx.Err()
}

// chaos is the service under test with a hand on its power switch: it
// restarts the process on the same data directory after every kill.
type chaos struct {
	t    *testing.T
	bin  string
	args []string
	addr string

	mu    sync.Mutex
	proc  *bench.ServiceProc
	kills []string // the phase of each kill

	phaseName  string
	phaseStart time.Time
	phaseTotal int
	// progress counts the phase's events answered or candidates done.
	progress atomic.Int64
}

func (c *chaos) start() error {
	p, err := bench.StartChild(context.Background(), c.bin, c.args, c.addr)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.proc = p
	c.mu.Unlock()
	return nil
}

// killAndRestart sends SIGKILL, waits for the exit, and starts the
// service again.
func (c *chaos) killAndRestart() error {
	c.mu.Lock()
	p := c.proc
	c.mu.Unlock()
	p.Kill()
	c.mu.Lock()
	c.kills = append(c.kills, c.phaseName)
	c.mu.Unlock()
	return c.start()
}

// crashPhases are the stages of the run, in order.
var crashPhases = []string{"events", "processing", "candidates", "write-back"}

// plannedKill is a kill during a phase: at a share of its progress
// (events answered, candidates done) or after a delay (the phases where
// only the service works).
type plannedKill struct {
	phase string
	share float64
	delay time.Duration
}

// planKills spreads n kills over the phases, the busiest first.
func planKills(n int, rnd *rand.Rand) []plannedKill {
	order := []string{"events", "candidates", "write-back", "processing"}
	perPhase := map[string]int{}
	for i := range n {
		perPhase[order[i%len(order)]]++
	}
	var out []plannedKill
	for _, ph := range crashPhases {
		var ks []plannedKill
		for range perPhase[ph] {
			ks = append(ks, plannedKill{phase: ph, share: 0.05 + 0.9*rnd.Float64(),
				delay: time.Duration(100+rnd.IntN(2500)) * time.Millisecond})
		}
		sort.Slice(ks, func(i, j int) bool { return ks[i].share < ks[j].share })
		out = append(out, ks...)
	}
	return out
}

// enter starts a phase whose progress is counted out of total (0 for a
// phase measured by time).
func (c *chaos) enter(phase string, total int) {
	c.mu.Lock()
	c.phaseName, c.phaseStart, c.phaseTotal = phase, time.Now(), total
	c.progress.Store(0)
	c.mu.Unlock()
}

// killer makes the planned kills, each when its phase has got far
// enough; a kill whose phase ended first happens in the next one.
func (c *chaos) killer(plan []plannedKill, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	for _, k := range plan {
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			c.mu.Lock()
			phase, start, total := c.phaseName, c.phaseStart, c.phaseTotal
			c.mu.Unlock()
			if slices.Index(crashPhases, phase) < slices.Index(crashPhases, k.phase) {
				continue
			}
			if phase == k.phase {
				if total > 0 && float64(c.progress.Load()) < k.share*float64(total) {
					continue
				}
				if total == 0 && time.Since(start) < k.delay {
					continue
				}
			}
			break
		}
		if err := c.killAndRestart(); err != nil {
			c.t.Errorf("restart after kill: %v", err)
			return
		}
	}
}

func (c *chaos) stop() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.proc.Stop(20 * time.Second)
}

// readOnly opens the service's database for reading beside the running
// service (SQLite's WAL lets a reader in while the service writes).
func readOnly(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "jobcannon.db")+"?mode=ro&_pragma=busy_timeout(10000)")
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, db.QueryRow(query, args...).Scan(&n))
	return n
}

// waitFor polls cond until it holds or timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not done after %s: %s", what, timeout, state)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}
