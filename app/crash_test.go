package app

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/bench"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// TestCrashLosesNothing runs the real binary against the simulator (in
// this process) and an SMTP sink, drives events and candidate completions
// through HTTP, kills the service with SIGKILL at random moments and
// restarts it on the same data directory, and then proves the rules of
// design.md: every event answered 2xx was recorded and processed exactly
// once (one invitation per application and package, one e-mail each by
// Message-ID), every completed assessment reached iCIMS as Complete, and
// no result row was written twice.
//
// The default size (40 applications per customer, 3 kills) runs in the
// normal suite; JOBCANNON_CRASH=1 runs the full size (JOBCANNON_CRASH_APPS
// applications per customer, default 500; JOBCANNON_CRASH_KILLS kills,
// default 10; JOBCANNON_CRASH_SEED repeats a run's random choices):
//
//	JOBCANNON_CRASH=1 go test ./app -run TestCrashLosesNothing -v -count=1 -timeout 30m
func TestCrashLosesNothing(t *testing.T) {
	full := os.Getenv("JOBCANNON_CRASH") != ""
	perCustomer, kills := 40, 3
	if full {
		perCustomer, kills = envInt("JOBCANNON_CRASH_APPS", 500), envInt("JOBCANNON_CRASH_KILLS", 10)
	} else if testing.Short() {
		t.Skip("builds and kills the real binary; not in -short")
	}
	runCrash(t, perCustomer, kills, startSQLite)
}

// TestCrashLosesNothingOnTwoInstances is TestCrashLosesNothing with two
// instances on one PostgreSQL database, as behind a load balancer: they
// start together on an empty database (which they migrate once), each
// event goes to either at random, and each instance is killed at random
// moments (as many kills each as the SQLite test makes) and restarted.
// It runs whenever a PostgreSQL server is at hand, whatever store the
// other tests use (JOBCANNON_TEST_STORE); JOBCANNON_CRASH=1 and the same
// variables give the full size:
//
//	JOBCANNON_CRASH=1 go test ./app -run TestCrashLosesNothingOnTwoInstances -v -count=1 -timeout 30m
func TestCrashLosesNothingOnTwoInstances(t *testing.T) {
	full := os.Getenv("JOBCANNON_CRASH") != ""
	perCustomer, kills := 40, 3
	if full {
		perCustomer, kills = envInt("JOBCANNON_CRASH_APPS", 500), envInt("JOBCANNON_CRASH_KILLS", 10)
	} else if testing.Short() {
		t.Skip("builds and kills the real binary; not in -short")
	}
	runCrash(t, perCustomer, kills, func(t *testing.T, bin string, sim *icimstest.Server, sink *bench.SMTPSink) (*fleet, bench.Data) {
		return startPostgres(t, 2, bin, sim, sink)
	})
}

// runCrash is the crash test on the instances start gives: perCustomer
// applications per customer, kills kills per instance.
func runCrash(t *testing.T, perCustomer, kills int,
	start func(t *testing.T, bin string, sim *icimstest.Server, sink *bench.SMTPSink) (*fleet, bench.Data)) {
	seed := uint64(envInt("JOBCANNON_CRASH_SEED", int(time.Now().UnixNano()%1e9)))
	t.Logf("seed %d (JOBCANNON_CRASH_SEED repeats this run's choices)", seed)
	rnd := rand.New(rand.NewPCG(seed, 1))
	ctx := context.Background()
	began := time.Now()

	bin := buildBinary(t)
	sim := icimstest.Start(t)
	sink, err := bench.StartSMTPSink()
	require.NoError(t, err)
	t.Cleanup(sink.Close)
	f, data := start(t, bin, sim, sink)
	db := f.db
	var apps []bench.App
	for _, c := range data.Customers {
		a, err := bench.AddCandidates(ctx, sim.Sim, c, "crash"+c.CustomerID+"-", perCustomer)
		require.NoError(t, err)
		apps = append(apps, a...)
	}
	for _, c := range data.Customers {
		sim.ClearLog(c.CustomerID)
	}

	// The kills are spread over the phases of the run, at random moments.
	// The waits below allow for each customer's iCIMS calls (about two per
	// invitation and two or three per completion) at 490 a minute.
	completing := func(a bench.App) bool { return a.Index%5 < 3 }
	expected := time.Duration(float64(perCustomer)*(2+0.6*2.5)/8) * time.Second
	plan := planEvents(sim.APIBase(), apps, rnd)
	events := 0
	for _, seq := range plan {
		events += len(seq)
	}
	f.enter("events", events)
	stopKillers, killersDone := f.killers(kills, rnd)
	defer stopKillers()
	targets := f.targets(plan, rnd)

	// Events: eight iCIMS senders, each application's events in order.
	client := &http.Client{Timeout: 10 * time.Second}
	work := make(chan []*crashEvent)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for seq := range work {
				for _, ev := range seq {
					if err := deliver(ctx, client, targets[ev], ev); err != nil {
						t.Error(err)
					}
					f.progressed()
				}
			}
		})
	}
	for _, seq := range plan {
		work <- seq
	}
	close(work)
	wg.Wait()
	t.Logf("events answered after %s", time.Since(began).Round(time.Millisecond))

	// Every invitation is e-mailed before any candidate starts, so that no
	// trigger is processed after its candidate completed (which would
	// rightly make a second invitation).
	f.enter("processing", 0)
	settling := time.Now()
	waitFor(t, 5*time.Minute+expected, "deliveries processed and invitations e-mailed", func() (bool, string) {
		pending := count(t, db, `SELECT COUNT(*) FROM deliveries WHERE direction = 'inbound' AND status = 'received'`)
		recipients := distinctRecipients(sink.Messages())
		return pending == 0 && recipients == len(apps), fmt.Sprintf("%d deliveries pending, %d of %d recipients; jobs %s",
			pending, recipients, len(apps), jobStates(t, db))
	})
	processed := time.Since(settling)

	// Candidates: three in five take the assessment, four at a time,
	// through the pages, with the link from their e-mail.
	links := map[string]string{}
	for _, m := range sink.Messages() {
		links[m.To] = m.Link
	}
	var mu sync.Mutex
	completed := map[string]bool{}
	todo := make(chan bench.App)
	taking := 0
	for _, a := range apps {
		if completing(a) {
			taking++
		}
	}
	f.enter("candidates", taking)
	for range 4 {
		wg.Go(func() {
			for a := range todo {
				if err := completeWithRetries(ctx, links[a.Email]); err != nil {
					t.Errorf("candidate %s: %v", a.Email, err)
					continue
				}
				mu.Lock()
				completed[a.Email] = true
				mu.Unlock()
				f.progressed()
			}
		})
	}
	for _, a := range apps {
		if completing(a) {
			todo <- a
		}
	}
	close(todo)
	wg.Wait()
	t.Logf("candidates done after %s", time.Since(began).Round(time.Millisecond))

	// The write-back catches up; the killer finishes its kills.
	f.enter("write-back", 0)
	<-killersDone
	settling = time.Now()
	waitFor(t, 10*time.Minute+expected, "results written to iCIMS", func() (bool, string) {
		done := 0
		for _, a := range apps {
			if resultWritten(t, sim.Sim, a, completed[a.Email]) {
				done++
			}
		}
		return done == len(apps), fmt.Sprintf("%d of %d applications show their final row; jobs %s", done, len(apps), jobStates(t, db))
	})
	written := time.Since(settling)
	require.NoError(t, f.stop(), "the service stops cleanly after the run (and, under -race, found no race)")
	elapsed := time.Since(began)

	// Every event answered 2xx was recorded and settled.
	answered := map[int]int{}
	byKind := map[string]int{}
	tries := 0
	for _, seq := range plan {
		for _, ev := range seq {
			answered[ev.status]++
			byKind[ev.kind]++
			tries += ev.tries
			if ev.status/100 != 2 {
				assert.Equal(t, http.StatusBadRequest, ev.status, "only a duplicate trigger is refused")
				assert.Equal(t, "retrigger", ev.kind, "only a duplicate trigger is refused")
				continue
			}
			if assert.NotEmpty(t, ev.publicID, "a 2xx answer names its delivery") {
				var status string
				err := db.QueryRow(`SELECT status FROM deliveries WHERE public_id = ?`, ev.publicID).Scan(&status)
				if assert.NoError(t, err, "delivery %s of a 2xx answer is in the database", ev.publicID) {
					assert.Contains(t, []string{"processed", "ignored", "duplicate"}, status, "delivery %s", ev.publicID)
				}
			}
		}
	}

	// One invitation per application and package, one e-mail each.
	twice := count(t, db, `SELECT COUNT(*) FROM (SELECT 1 FROM invitations GROUP BY tenant_id, workflow_id, package_id HAVING COUNT(*) > 1) AS twice`)
	invitations := count(t, db, `SELECT COUNT(*) FROM invitations`)
	assert.Zero(t, twice, "applications with two invitations for one package")
	assert.Equal(t, len(apps), invitations)
	msgs := sink.Messages()
	ids := map[string]map[string]bool{}
	for _, m := range msgs {
		if ids[m.To] == nil {
			ids[m.To] = map[string]bool{}
		}
		ids[m.To][m.MessageID] = true
	}
	sameIDAgain := len(msgs) - len(ids)
	for _, a := range apps {
		assert.Len(t, ids[a.Email], 1, "distinct Message-IDs e-mailed to %s", a.Email)
	}
	// SMTP offers no exactly-once: a message the server took twice (a kill
	// between its acceptance and our record of it) is marked a possible
	// duplicate, so the logs and the invitation page show it.
	seen := map[string]int{}
	for _, m := range msgs {
		seen[m.MessageID]++
	}
	for id, n := range seen {
		if n > 1 {
			assert.Equal(t, 1, count(t, db, `SELECT COUNT(*) FROM invitation_emails WHERE message_id = ? AND possible_duplicate`, id),
				"e-mail %s reached the server %d times but is not marked a possible duplicate", id, n)
		}
	}

	// Every completion reached iCIMS as Complete; no row was written twice.
	rows := 0
	for _, a := range apps {
		got, err := sim.Results(a.Customer.CustomerID, a.Workflow)
		require.NoError(t, err)
		rows += len(got)
		assert.Len(t, got, 1, "result rows of workflow %d", a.Workflow)
	}
	inDB := count(t, db, `SELECT COUNT(*) FROM invitations WHERE status = 'completed'`)
	assert.Equal(t, len(completed), inDB, "completed invitations")
	jobs := jobStates(t, db)
	assert.NotContains(t, jobs, "discarded", "no job gave up")
	calls := 0
	for _, cust := range data.Customers {
		calls += len(sim.Calls(cust.CustomerID))
	}

	var kinds []string
	for k, n := range byKind {
		kinds = append(kinds, k+" "+strconv.Itoa(n))
	}
	sort.Strings(kinds)
	killed, during := f.kills()
	report := fmt.Sprintf("crash test: %d instance(s), %d applications on 2 customers, %d events (%s) in %d tries; answers %v; %d kills (during %s); "+
		"%d invitations, %d e-mails at the SMTP server (%d distinct Message-IDs, %d resent with the same Message-ID); "+
		"%d completed, %d result rows in iCIMS, %d iCIMS calls; jobs at the end: %s; events settled and e-mailed %s after the last was answered, "+
		"results written %s after the last candidate and kill; %s in all",
		len(f.nodes), len(apps), byKindTotal(byKind), strings.Join(kinds, ", "), tries, answered, killed, during,
		invitations, len(msgs), len(msgs)-sameIDAgain, sameIDAgain, len(completed), rows, calls, jobs,
		processed.Round(time.Millisecond), written.Round(time.Millisecond), elapsed.Round(time.Second))
	t.Log(report)
}

// jobStates counts the service's jobs by state, e.g. "completed 240, scheduled 96".
func jobStates(t *testing.T, db *sql.DB) string {
	t.Helper()
	rs, err := db.Query(`SELECT state || ' ' || COUNT(*) FROM river_job GROUP BY state ORDER BY state`)
	require.NoError(t, err)
	defer rs.Close()
	var out []string
	for rs.Next() {
		var s string
		require.NoError(t, rs.Scan(&s))
		out = append(out, s)
	}
	require.NoError(t, rs.Err())
	return strings.Join(out, ", ")
}

func byKindTotal(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// distinctRecipients counts the addresses that got at least one e-mail.
func distinctRecipients(msgs []bench.SinkMessage) int {
	seen := map[string]bool{}
	for _, m := range msgs {
		seen[m.To] = true
	}
	return len(seen)
}

// completeWithRetries takes the assessment to the end through service
// restarts: a candidate whose page failed reloads the link, which resumes
// at the furthest page.
func completeWithRetries(ctx context.Context, link string) error {
	if link == "" {
		return fmt.Errorf("no link in the e-mail")
	}
	var err error
	for range 300 {
		err = bench.NewCandidateRun().Complete(ctx, link)
		if err == nil || err == bench.ErrCandidateDone {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return err
}

// resultWritten reports whether iCIMS shows the application's final row
// (see appWritten).
func resultWritten(t *testing.T, sim *icimstest.Sim, a bench.App, completed bool) bool {
	t.Helper()
	ok, err := bench.AppWritten(sim, a, completed)
	require.NoError(t, err)
	return ok
}
