package app

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/bench"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/mail/mailtest"
	"github.com/jobcannon/jobcannon/storage"
)

// fastRetry is the queue's backoff in milliseconds instead of seconds:
// 50 ms doubling to 2 s, with jitter. Thirty attempts still span a
// minute, longer than any fault the test injects.
type fastRetry struct{}

func (fastRetry) NextRetry(job *rivertype.JobRow) time.Time {
	step := min(50*time.Millisecond<<min(len(job.Errors), 10), 2*time.Second)
	return time.Now().Add(step/2 + time.Duration(rand.Int64N(int64(step/2)+1)))
}

var mailLink = regexp.MustCompile(`https?://[^\s"<>]+/a/[A-Za-z0-9_-]+`)

// TestFaultsEveryResultIsWrittenOnce runs candidates through the whole
// service (recruiter move, event, e-mail, candidate pages, write-back)
// while the simulated iCIMS answers a fifth of the calls 500 and lets one
// in twenty time out, goes down for an outage, and has its token revoked
// until the admin re-authorizes from the Marketplace; JOBCANNON_FAULTS=1
// adds a burst of 429s (whose Retry-After costs about a minute), a longer
// outage and more candidates. Time is compressed: the queue retries in
// milliseconds, a call times out after a second, and the outage lasts
// seconds ("ten minutes" in real life). It proves that every result is
// written, once; that the calls never go over the rate limit; that nothing
// is lost or duplicated; and that the logs page shows what happened.
func TestFaultsEveryResultIsWrittenOnce(t *testing.T) {
	full := os.Getenv("JOBCANNON_FAULTS") != ""
	n, outage := 20, 4*time.Second
	if full {
		n, outage = 60, 20*time.Second
	} else if testing.Short() {
		t.Skip("a minute of faults; not in -short")
	}
	// The service's pace, and iCIMS's limit with the margin the pool keeps
	// in production (490 against 500) for network jitter; calls a minute.
	const pace, limit = 300, 306
	cid := icimstest.CustomerUS
	ctx := context.Background()
	began := time.Now()

	smtp := mailtest.Start(t, mailtest.PlainOnly, nil, nil)
	app := newTestApp(t, func(c *Config) {
		c.SMTPURL = smtp.URL()
		c.retryPolicy = fastRetry{}
		c.icimsLimits = icims.PacerConfig{PerMinute: pace, Burst: 1, DailyQuota: 1_000_000}
		c.icimsTimeout = time.Second
	})
	b, _ := installAndSignIn(t, app, "ops@acme.example")
	tenant, err := app.tenants.TenantByCustomer(ctx, cid)
	require.NoError(t, err)
	lib, err := assessments.BuiltinInstruments()
	require.NoError(t, err)
	pkg, err := storage.NewCatalogStore(app.DB, assessments.SystemClock{}).SavePackage(ctx, lib, assessments.Package{
		TenantID: tenant.ID, Name: "Big Five", InstrumentIDs: []string{"big-five-work"}, Enabled: true,
		AssessmentTypeID: icimstest.AssessmentBigFive, AssessmentTypeName: "Big Five Work Personality",
		Scorecard: []assessments.ScorecardMapping{{Field: icimstest.FieldAssessmentScore, Source: assessments.SourceOverall}}})
	require.NoError(t, err)
	e := &eventsEnv{t: t, app: app, b: b, tenant: tenant}
	e.addRule(url.Values{"name": {"Assessment stage"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"package_id": {idString(pkg.ID)}})
	workflows := addApplications(t, app, n)
	app.sim.ClearLog(cid)
	base := icimstest.Faults{RateLimit: limit, ErrorRate: 0.2, TimeoutRate: 0.05}
	setFaults := func(f icimstest.Faults) { require.NoError(t, app.sim.SetFaults(cid, f)) }

	// Candidates take the assessment as soon as their e-mail arrives,
	// through the pages, four at a time.
	completed := make(chan string, n)
	stopCandidates := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		started := map[string]bool{}
		sem := make(chan struct{}, 4)
		var inner sync.WaitGroup
		defer inner.Wait()
		for {
			for _, m := range smtp.Received() {
				link := mailLink.FindString(strings.ReplaceAll(string(m.Data), "=\r\n", ""))
				if link == "" || started[link] {
					continue
				}
				started[link] = true
				sem <- struct{}{}
				inner.Go(func() {
					defer func() { <-sem }()
					if err := completeWithRetries(ctx, link); err != nil {
						t.Errorf("candidate %s: %v", m.To, err)
						return
					}
					completed <- m.To[0]
				})
			}
			select {
			case <-stopCandidates:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
	defer func() { close(stopCandidates); wg.Wait() }()
	move := func(wid int) {
		res, err := app.sim.MoveWorkflow(ctx, cid, wid, icimstest.StatusAssessment, 0)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, res.StatusCode, "the intake calls nobody: %s", res.Body)
	}

	// A burst of 429s: iCIMS's limit drops to a handful of calls for a
	// few seconds. Writes honour the Retry-After (up to a minute).
	if full {
		setFaults(icimstest.Faults{RateLimit: 5, ErrorRate: base.ErrorRate, TimeoutRate: base.TimeoutRate})
	} else {
		setFaults(base)
	}
	third := n / 3
	for _, wid := range workflows[:third] {
		move(wid)
		time.Sleep(100 * time.Millisecond)
	}
	setFaults(base)

	// The outage: every call answers 503 until it ends.
	down := time.Now()
	setFaults(icimstest.Faults{RateLimit: limit, ErrorRate: base.ErrorRate, TimeoutRate: base.TimeoutRate,
		OutageUntil: time.Now().Add(outage)})
	for _, wid := range workflows[third : 2*third] {
		move(wid)
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Until(down.Add(outage)))
	setFaults(base)

	// The token is revoked: the first 401 marks the tenant, and work
	// waits for the admin, who re-authorizes from the Marketplace.
	setFaults(icimstest.Faults{RateLimit: limit, ErrorRate: base.ErrorRate, TimeoutRate: base.TimeoutRate, RevokeTokens: true})
	for _, wid := range workflows[2*third:] {
		move(wid)
		time.Sleep(100 * time.Millisecond)
	}
	waitFor(t, 30*time.Second, "the tenant needs re-authorization", func() (bool, string) {
		got, err := app.tenants.Tenant(ctx, tenant.ID)
		require.NoError(t, err)
		return got.Status == assessments.TenantNeedsReauth, string(got.Status)
	})
	time.Sleep(time.Second) // more work piles up behind the revoked token
	p := approve(t, b, consent(t, app, b), allScopes)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	setFaults(base)
	t.Logf("faults injected over %s", time.Since(began).Round(time.Millisecond))

	// Everything is written in the end, through the same faults.
	done := map[string]bool{}
	waitFor(t, 3*time.Minute, "every result written", func() (bool, string) {
		for len(completed) > 0 {
			done[<-completed] = true
		}
		written := 0
		for _, wid := range workflows {
			var pid int
			err := app.DB.R.QueryRow(`SELECT person_id FROM invitations WHERE workflow_id = ?`, strconv.Itoa(wid)).Scan(&pid)
			if err == nil && resultWritten(t, app.sim, bench.App{Customer: bench.Customer{CustomerID: cid}, Workflow: wid, Person: pid}, true) {
				written++
			}
		}
		return written == n && len(done) == n, fmt.Sprintf("%d of %d completed, %d written; %s", len(done), n, written, dbState(t, app))
	})
	elapsed := time.Since(began)
	setFaults(icimstest.Faults{})

	// Once each: one invitation, one e-mail, one result row.
	for _, wid := range workflows {
		rows, err := app.sim.Results(cid, wid)
		require.NoError(t, err)
		assert.Len(t, rows, 1, "result rows of workflow %d", wid)
	}
	assert.Equal(t, n, e.count(`SELECT COUNT(*) FROM invitations WHERE tenant_id = ? AND status = 'completed'`, tenant.ID))
	assert.Equal(t, n, e.count(`SELECT COUNT(*) FROM invitations WHERE tenant_id = ?`, tenant.ID))
	ids := map[string]map[string]bool{}
	for _, m := range smtp.Received() {
		if ids[m.To[0]] == nil {
			ids[m.To[0]] = map[string]bool{}
		}
		ids[m.To[0]][parseMail(t, m.Data).Header.Get("Message-ID")] = true
	}
	assert.Len(t, ids, n, "recipients")
	for to, got := range ids {
		assert.Len(t, got, 1, "distinct e-mails to %s", to)
	}
	assert.Zero(t, e.count(`SELECT COUNT(*) FROM river_job WHERE state = 'discarded'`), "no job gave up")
	got, err := app.tenants.Tenant(ctx, tenant.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.TenantActive, got.Status)

	// Never over the rate limit: iCIMS (which counts a strict sliding
	// minute) answered no 429 but in the burst, and the calls kept to the
	// pace (burst 1) in every minute and every ten seconds, give or take
	// the jitter of their arrival.
	calls := app.sim.Calls(cid)
	busiest, busiest10 := app.sim.MaxCallsInWindow(cid, time.Minute), app.sim.MaxCallsInWindow(cid, 10*time.Second)
	assert.LessOrEqual(t, busiest, limit, "calls in the busiest minute")
	assert.LessOrEqual(t, busiest10, pace/6+3, "calls in the busiest ten seconds")
	faults := map[string]int{}
	statuses := map[int]int{}
	for _, c := range calls {
		faults[c.Fault]++
		statuses[c.Status]++
	}
	assert.Positive(t, faults["error"], "some calls answered 500")
	assert.Positive(t, faults["outage"], "some calls met the outage")
	assert.Positive(t, statuses[http.StatusUnauthorized], "some calls met the revoked token")
	if full {
		assert.Positive(t, faults["rate_limit"], "some calls met the 429 burst")
	} else {
		assert.Zero(t, faults["rate_limit"], "calls answered 429")
	}

	// The logs page tells the story: the calls that failed, with iCIMS's
	// answers, and a write that failed and then went through, attempt by
	// attempt.
	failed := b.get(app.URL + "/admin/integrations/icims/logs?direction=outbound&result=failed")
	require.Equal(t, http.StatusOK, failed.Status, failed.Body)
	for _, want := range []string{"HTTP 500", "HTTP 503"} {
		assert.Contains(t, failed.Body, want, "the failed calls on the logs page show the %s answers", want)
	}
	// The revoked token's 401 is on the page of the call that met it
	// first: a read that failed, or a write that waited for the admin and
	// went through once re-authorized. Which one meets it first is a race
	// (the others wait for the re-authorization and never call).
	var met401 int64
	require.NoError(t, app.DB.R.QueryRow(`SELECT d.id FROM deliveries d WHERE d.tenant_id = ? AND d.direction = 'outbound'
		AND EXISTS (SELECT 1 FROM delivery_attempts a WHERE a.delivery_id = d.id AND a.response_status = 401)
		ORDER BY d.id LIMIT 1`, tenant.ID).Scan(&met401))
	revoked := b.get(app.URL + "/admin/integrations/icims/logs/" + strconv.FormatInt(met401, 10))
	require.Equal(t, http.StatusOK, revoked.Status, revoked.Body)
	assert.Contains(t, revoked.Body, "Status 401", "the call that met the revoked token shows iCIMS's 401")
	var retried int64
	require.NoError(t, app.DB.R.QueryRow(`SELECT d.id FROM deliveries d WHERE d.tenant_id = ? AND d.direction = 'outbound'
		AND d.status = 'processed' AND EXISTS (SELECT 1 FROM delivery_attempts a WHERE a.delivery_id = d.id AND a.response_status >= 500)
		ORDER BY d.id LIMIT 1`, tenant.ID).Scan(&retried))
	detail := b.get(app.URL + "/admin/integrations/icims/logs/" + strconv.FormatInt(retried, 10))
	require.Equal(t, http.StatusOK, detail.Status, detail.Body)
	assert.Regexp(t, `Status 50[03]`, detail.Body, "the failed attempt is shown")
	assert.Regexp(t, `Status 20[014]`, detail.Body, "and the one that went through")

	var fs []string
	for k, v := range faults {
		if k == "" {
			k = "none"
		}
		fs = append(fs, k+" "+strconv.Itoa(v))
	}
	sort.Strings(fs)
	report := fmt.Sprintf("fault test: %d candidates; %d iCIMS calls (faults: %s; statuses %v); busiest minute %d calls, busiest 10 s %d "+
		"(pace %d, iCIMS's limit %d a minute); %d invitations, %d e-mails, %d completed, %d result rows; %s in all",
		n, len(calls), strings.Join(fs, ", "), statuses, busiest, busiest10, pace, limit, n, len(smtp.Received()), len(done), n,
		elapsed.Round(time.Second))
	t.Log(report)
}

// dbState summarises the service's work in progress, for a failure's
// message: deliveries, invitations and jobs by state.
func dbState(t *testing.T, app *testApp) string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT 'delivery ' || direction || ' ' || status || ': ' || COUNT(*) || ' (' || MAX(message) || ')' FROM deliveries GROUP BY direction, status`,
		`SELECT 'invitation ' || status || ': ' || COUNT(*) FROM invitations GROUP BY status`,
		`SELECT 'writeback ' || invitation_id || ' ' || state || ' written=' || written || ' scorecard=' || scorecard || ' job=' ||
			COALESCE(job_id, 0) || ' step=' || step || ' ' || problem FROM writebacks WHERE NOT (written = 'completed' AND scorecard = 'done')`,
		`SELECT 'job ' || kind || ' ' || state || ': ' || COUNT(*) || ' next ' || MAX(scheduled_at) FROM river_job GROUP BY kind, state`,
	} {
		rows, err := app.DB.R.Query(q)
		require.NoError(t, err)
		for rows.Next() {
			var s string
			require.NoError(t, rows.Scan(&s))
			out = append(out, s)
		}
		require.NoError(t, rows.Err())
		rows.Close()
	}
	return strings.Join(out, "; ")
}
