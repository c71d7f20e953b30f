package jobs

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// euCandidate connects the simulator's EU customer as a second tenant and
// invites its first seeded candidate; it returns the tenant and the
// invitation.
func (h *wbHarness) euCandidate() (int64, assessments.Invitation) {
	h.t.Helper()
	cid := icimstest.CustomerEU
	tenant, err := h.tenants.Connect(h.ctx, assessments.Connection{CustomerID: cid, Name: "Europa", Region: assessments.RegionEU,
		APIURL: h.sim.APIBase(), AuthMode: assessments.AuthBasic,
		Credentials: assessments.Credentials{Username: icimstest.BasicUser(cid), Password: icimstest.BasicPassword(cid)}})
	require.NoError(h.t, err)
	pkg, err := h.catalog.SavePackage(h.ctx, must(assessments.BuiltinInstruments()), assessments.Package{TenantID: tenant.ID,
		Name: "Big Five", InstrumentIDs: []string{"big-five-work"}, AssessmentTypeID: icimstest.AssessmentBigFiveEU,
		AssessmentTypeName: "Big Five Work Personality", Enabled: true})
	require.NoError(h.t, err)
	inv, _, err := h.invitations.Create(h.ctx, assessments.NewInvitation{TenantID: tenant.ID, PackageID: pkg.ID,
		WorkflowID: strconv.Itoa(icimstest.EUWorkflow1), PersonID: strconv.Itoa(icimstest.EUPerson1),
		JobID: strconv.Itoa(icimstest.EUJob1), CandidateFirstName: "Eva", CandidateLastName: "EU", CandidateEmail: "eva@example.eu"})
	require.NoError(h.t, err)
	return tenant.ID, inv
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestABacklogAtItsLimitDoesNotDelayAnotherTenantsWrite: the US customer
// has 24 writes queued at 120 calls a minute (12 s of work) on a queue of
// two workers; once each has taken its slot, the EU customer's write,
// queued after them, is written at once, while the US writes go out one
// by one at their pace, in order, with no 429, and without using up
// attempts while they wait.
func TestABacklogAtItsLimitDoesNotDelayAnotherTenantsWrite(t *testing.T) {
	if raceDetector {
		t.Skip("under -race the writes are slower than the pace, which then never binds")
	}
	const n, limit = 24, 120
	h := newWBHarness(t, wbOptions{maxWorkers: 2, limits: icims.PacerConfig{PerMinute: limit, Burst: 1, DailyQuota: 100_000}})
	apps := h.addApplications(n)
	euTenant, eu := h.euCandidate()
	require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{RateLimit: limit}))
	h.sim.ClearLog(icimstest.CustomerUS)
	us := make([]*candidate, n)
	for i, a := range apps {
		us[i] = h.inviteFor(a.wid, a.pid, a.jid)
	}
	for _, c := range us {
		c.sent()
	}
	// The backlog's first pass: each write takes its slot and snoozes
	// (or is written, when its slot is near).
	require.Eventually(t, func() bool {
		for _, c := range us {
			if s := c.writeback().State; s != assessments.WritebackWaiting && s != assessments.WritebackDone {
				return false
			}
		}
		return true
	}, 30*time.Second, 50*time.Millisecond, "every US write took its slot")
	queued := time.Now()
	_, err := h.invitations.MarkSent(h.ctx, euTenant, eu.ID)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		wb, err := h.store.Writeback(h.ctx, euTenant, eu.ID)
		require.NoError(t, err)
		return wb.Written == assessments.StatusSent
	}, 3*time.Second, 20*time.Millisecond,
		"the EU write waited behind the US backlog")
	took := time.Since(queued)
	usDone := len(h.rowWrites())
	t.Logf("EU Sent row written %s after it was queued; %d of %d US rows written by then", took.Round(time.Millisecond), usDone, n)
	assert.Less(t, usDone, n, "the US backlog was still being worked: its pace, not the queue, bounds it")

	// The US backlog completes at its pace, in the order it was queued.
	for _, c := range us {
		wb := c.settled()
		require.Equal(t, assessments.WritebackDone, wb.State, wb.Problem)
	}
	calls := h.calls()
	assert.Zero(t, rateLimited(calls), "no 429: slots reserved ahead keep the limit")
	assert.LessOrEqual(t, h.sim.MaxCallsInWindow(icimstest.CustomerUS, time.Minute), limit)
	var order []int
	for _, c := range calls {
		if c.Method == "POST" && strings.Contains(c.Path, "/fields/assessmentresults") {
			wid, err := strconv.Atoi(strings.Split(strings.Split(c.Path, "/applicantworkflows/")[1], "/")[0])
			require.NoError(t, err)
			order = append(order, slices.IndexFunc(apps, func(a application) bool { return a.wid == wid }))
		}
	}
	require.Len(t, order, n, "one row per US candidate")
	// Two workers reserve slots at once, so neighbours may swap; the
	// backlog is not reshuffled.
	for pos, i := range order {
		assert.InDelta(t, pos, i, 2, "US rows written in the order queued, give or take a neighbour: %v", order)
	}

	// Waiting used no attempt: every write-back job ran its one attempt,
	// and most of them snoozed on a reserved slot first.
	jobs, err := h.db.Jobs().JobList(h.ctx, river.NewJobListParams().Kinds("icims_writeback").First(1000))
	require.NoError(t, err)
	require.NotEmpty(t, jobs.Jobs)
	snoozed := 0
	for _, j := range jobs.Jobs {
		assert.Equal(t, 1, j.Attempt, "a snooze uses no attempt")
		var m struct {
			Snoozes int `json:"snoozes"`
		}
		require.NoError(t, json.Unmarshal(j.Metadata, &m))
		if m.Snoozes > 0 {
			snoozed++
		}
	}
	assert.Greater(t, snoozed, n/2, "the backlog's writes snoozed rather than holding a worker")
}
