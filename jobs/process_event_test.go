package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/icimsadapter"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// harness is a tenant connected to a simulated iCIMS by Basic auth, with
// the stores the workers use on a real database file.
type harness struct {
	t           *testing.T
	sim         *icimstest.Server
	db          *storage.DB
	tenants     *storage.TenantStore
	events      *storage.EventStore
	rules       *storage.RuleStore
	catalog     *storage.CatalogStore
	invitations *storage.InvitationStore
	tenant      assessments.Tenant
	pkg         assessments.Package
	worker      *ProcessEventWorker
	pool        *icimsadapter.Pool
	sent        sendJobs
	ids         atomic.Int64
}

// sendJobs counts the send_invitation jobs the store queued with the
// invitations it created.
type sendJobs struct{ db *storage.DB }

// Load returns the count; a failed query reads as -1, which no test expects.
func (s sendJobs) Load() int64 {
	var n int64
	if err := s.db.R.QueryRow(`SELECT COUNT(*) FROM river_job WHERE kind = 'send_invitation'`).Scan(&n); err != nil {
		return -1
	}
	return n
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessWith(t, harnessOptions{})
}

// harnessOptions tune the harness.
type harnessOptions struct {
	// limits are the pool's; zero means the pool's defaults.
	limits icims.PacerConfig
	// simClock is the simulator's clock; nil means the system's.
	simClock icimstest.Clock
}

// newHarnessWith is newHarness tuned by o.
func newHarnessWith(t *testing.T, o harnessOptions) *harness {
	t.Helper()
	ctx := context.Background()
	env := storetest.New(t)
	db, keyring := env.DB, env.Keyring
	var err error

	clock := assessments.SystemClock{}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := &harness{t: t, sim: icimstest.Start(t, icimstest.Options{Clock: o.simClock}), db: db}
	h.tenants = storage.NewTenantStore(db, keyring, clock)
	h.invitations = storage.NewInvitationStore(db, nil, clock, nil)
	h.events = storage.NewEventStore(db, keyring, clock, h.invitations)
	h.sent = sendJobs{db: db}
	h.rules = storage.NewRuleStore(db, clock)
	h.catalog = storage.NewCatalogStore(db, clock)
	cid := icimstest.CustomerUS
	h.tenant, err = h.tenants.Connect(ctx, assessments.Connection{CustomerID: cid, Name: "Acme", Region: assessments.RegionUS, APIURL: h.sim.APIBase(),
		AuthMode: assessments.AuthBasic, Credentials: assessments.Credentials{Username: icimstest.BasicUser(cid), Password: icimstest.BasicPassword(cid)}})
	require.NoError(t, err)
	lib := env.Library
	h.pkg, err = h.catalog.SavePackage(ctx, lib, assessments.Package{TenantID: h.tenant.ID, Name: "Big Five",
		InstrumentIDs: []string{"big-five-work"}, AssessmentTypeID: icimstest.AssessmentBigFive, Enabled: true})
	require.NoError(t, err)
	_, err = h.rules.SaveRule(ctx, assessments.Actor{Email: "test"}, assessments.Rule{TenantID: h.tenant.ID, Name: "Assessment",
		Mode: assessments.RuleAuto, Enabled: true, PackageID: h.pkg.ID,
		Conditions: assessments.RuleConditions{Statuses: []assessments.StatusPair{{To: icimstest.StatusAssessment}}}})
	require.NoError(t, err)

	h.pool = icimsadapter.NewPool(icimsadapter.PoolConfig{Tenants: h.tenants, HTTPClient: h.sim.Client(), Limits: o.limits, Paces: db, Log: log})
	h.worker = &ProcessEventWorker{Tenants: h.tenants, Events: h.events, Rules: h.rules, Catalog: h.catalog,
		ICIMS: icimsadapter.NewFacts(h.pool, storage.NewJobCache(db, clock), clock, log), Log: log, ReauthWait: time.Minute}
	return h
}

// deliver records a status change of a seeded workflow for a person, as
// the intake would, and returns its delivery id.
func (h *harness) deliver(personID int) int64 {
	h.t.Helper()
	ev := assessments.InboundEvent{Type: assessments.EventStatusChange, CustomerID: h.tenant.CustomerID, WorkflowID: "3001",
		JobID: "2001", PersonID: fmt.Sprint(personID), NewStatus: icimstest.StatusAssessment}
	res, err := h.events.Accept(context.Background(), assessments.Acceptance{
		Delivery: assessments.Delivery{TenantID: h.tenant.ID, PublicID: fmt.Sprintf("p%d", h.ids.Add(1)), Direction: assessments.DirectionInbound,
			Kind: ev.Type, Status: assessments.DeliveryReceived, WorkflowID: ev.WorkflowID, PersonID: ev.PersonID, JobID: ev.JobID, Event: ev},
		Answer: assessments.EventAnswer{Status: 200}, Process: true,
	})
	require.NoError(h.t, err)
	return res.Delivery.ID
}

func (h *harness) work(deliveryID int64) error {
	return h.worker.Work(context.Background(), &river.Job[jobargs.ProcessEventArgs]{
		JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 30},
		Args:   jobargs.ProcessEventArgs{TenantID: h.tenant.ID, DeliveryID: deliveryID},
	})
}

func (h *harness) delivery(id int64) assessments.Delivery {
	h.t.Helper()
	d, err := h.events.Delivery(context.Background(), h.tenant.ID, id)
	require.NoError(h.t, err)
	return d
}

func TestProcessEventOutcomes(t *testing.T) {
	ctx := context.Background()
	t.Run("invitation created, e-mail queued", func(t *testing.T) {
		h := newHarness(t)
		id := h.deliver(icimstest.USPerson1)
		require.NoError(t, h.work(id))
		d := h.delivery(id)
		assert.Equal(t, assessments.DeliveryProcessed, d.Status, d.Message)
		assert.NotZero(t, d.InvitationID)
		assert.Equal(t, int64(1), h.sent.Load())
		require.NoError(t, h.work(id), "a retried job finds the delivery settled")
		assert.Equal(t, int64(1), h.sent.Load())
	})
	t.Run("the candidate is not in iCIMS: failed, not retried", func(t *testing.T) {
		h := newHarness(t)
		id := h.deliver(99999)
		require.NoError(t, h.work(id))
		d := h.delivery(id)
		assert.Equal(t, assessments.DeliveryFailed, d.Status)
		assert.Equal(t, 2, d.ICIMSCode, "iCIMS's not-found code is kept")
		assert.Contains(t, d.Message, "get person")
	})
	t.Run("iCIMS is down: retried with backoff", func(t *testing.T) {
		h := newHarness(t)
		require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{OutageUntil: time.Now().Add(time.Hour)}))
		id := h.deliver(icimstest.USPerson1)
		err := h.work(id)
		require.Error(t, err)
		var snooze *river.JobSnoozeError
		assert.False(t, errors.As(err, &snooze))
		d := h.delivery(id)
		assert.Equal(t, assessments.DeliveryReceived, d.Status)
		assert.Contains(t, d.Message, "retrying")
		assert.Equal(t, 1, d.Attempts)
	})
	t.Run("iCIMS answers 429: the job waits out the hold without using an attempt", func(t *testing.T) {
		h := newHarness(t)
		require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{RateLimit: 1}))
		// The event needs more than one call; the second of the minute meets the 429.
		second := h.deliver(icimstest.USPerson1)
		var snooze *river.JobSnoozeError
		require.ErrorAs(t, h.work(second), &snooze, "a 429 snoozes the job instead of failing an attempt")
		assert.Positive(t, snooze.Duration)
		d := h.delivery(second)
		assert.Equal(t, assessments.DeliveryReceived, d.Status)
		assert.Contains(t, d.Message, "slow down")
		assert.Zero(t, d.Attempts, "a hold is the customer's state, not this event's failure")

		// Held, the next try does not call iCIMS at all.
		calls := len(h.sim.Calls(icimstest.CustomerUS))
		require.ErrorAs(t, h.work(second), &snooze)
		assert.Equal(t, calls, len(h.sim.Calls(icimstest.CustomerUS)))
	})
	t.Run("credentials refused: the tenant needs re-authorization and the job waits", func(t *testing.T) {
		h := newHarness(t)
		require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{RevokeTokens: true}))
		id := h.deliver(icimstest.USPerson1)
		var snooze *river.JobSnoozeError
		require.ErrorAs(t, h.work(id), &snooze)
		tenant, err := h.tenants.Tenant(ctx, h.tenant.ID)
		require.NoError(t, err)
		assert.Equal(t, assessments.TenantNeedsReauth, tenant.Status)
		assert.Contains(t, h.delivery(id).Message, "re-authorize")

		// While the tenant waits, jobs snooze without calling iCIMS.
		calls := len(h.sim.Calls(icimstest.CustomerUS))
		require.ErrorAs(t, h.work(id), &snooze)
		assert.Equal(t, calls, len(h.sim.Calls(icimstest.CustomerUS)))
		assert.Equal(t, time.Minute, snooze.Duration)

		// Re-authorized, the same job goes through.
		require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{}))
		require.NoError(t, h.tenants.SetStatus(ctx, h.tenant.ID, assessments.TenantActive, ""))
		require.NoError(t, h.work(id))
		assert.Equal(t, assessments.DeliveryProcessed, h.delivery(id).Status)
	})
	t.Run("uninstalled: completed without work", func(t *testing.T) {
		h := newHarness(t)
		id := h.deliver(icimstest.USPerson1)
		require.NoError(t, h.tenants.SetStatus(ctx, h.tenant.ID, assessments.TenantUninstalled, "test"))
		require.NoError(t, h.work(id))
		d := h.delivery(id)
		assert.Equal(t, assessments.DeliveryIgnored, d.Status)
		assert.Contains(t, d.Message, "uninstalled")
		assert.Zero(t, h.sent.Load())
	})
}

func TestProcessEventsRetriesOnlyWhatFailed(t *testing.T) {
	h := newHarness(t)
	ok, gone := h.deliver(icimstest.USPerson1), h.deliver(99999)
	deferred := &countingEvents{EventStore: h.events}
	w := &ProcessEventsWorker{Process: h.worker, Store: deferred, Log: h.worker.Log, Jitter: func() float64 { return 0 }}
	batch := &river.Job[jobargs.ProcessEventsArgs]{JobRow: &rivertype.JobRow{Attempt: 1},
		Args: jobargs.ProcessEventsArgs{Deliveries: []jobargs.DeliveryRef{{TenantID: h.tenant.ID, DeliveryID: ok}, {TenantID: h.tenant.ID, DeliveryID: gone}}}}
	require.NoError(t, w.Work(context.Background(), batch))
	assert.Equal(t, assessments.DeliveryProcessed, h.delivery(ok).Status)
	assert.Equal(t, assessments.DeliveryFailed, h.delivery(gone).Status, "a refusal for good is not retried")
	assert.Empty(t, deferred.later)

	// iCIMS down: each delivery of the batch gets a job of its own, later.
	require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{OutageUntil: time.Now().Add(time.Hour)}))
	a, b := h.deliver(icimstest.USPerson2), h.deliver(icimstest.USPerson3)
	batch.Args.Deliveries = []jobargs.DeliveryRef{{TenantID: h.tenant.ID, DeliveryID: a}, {TenantID: h.tenant.ID, DeliveryID: b}}
	require.NoError(t, w.Work(context.Background(), batch))
	later := deferred.later
	require.Len(t, later, 2)
	var retried []int64
	for _, p := range later {
		args := p.Args.(jobargs.ProcessEventArgs)
		retried = append(retried, args.DeliveryID)
		assert.True(t, p.InsertOpts.ScheduledAt.After(time.Now()), "after a backoff")
	}
	assert.ElementsMatch(t, []int64{a, b}, retried)
	assert.Equal(t, assessments.DeliveryReceived, h.delivery(a).Status)
	assert.Contains(t, h.delivery(a).Message, "retrying")
}
