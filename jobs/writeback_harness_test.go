package jobs

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/icimsadapter"
	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/queue"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// wbOptions tune the write-back harness.
type wbOptions struct {
	clock      icims.Clock
	limits     icims.PacerConfig
	maxWorkers int
	scorecard  []assessments.ScorecardMapping
	// auth is the tenant's connection; Basic by default.
	auth assessments.AuthMode
	// health is the failing/recovered policy; with notices, the worker
	// that e-mails them joins the queue and sends to the dev mailbox.
	health  assessments.WriteHealthPolicy
	notices bool
	// paceSnoozeAfter is the worker's PaceSnoozeAfter; on a fake clock
	// it defaults to an hour, since snoozes take real time: a write then
	// waits for its pace in the pacer, on the fake clock.
	paceSnoozeAfter time.Duration
}

// wbHarness is the write-back end to end below the web layer: a tenant
// connected by Basic auth to a simulated iCIMS, the real stores on a
// database file, the real queue running only the write-back worker, and
// the real pool pacing the calls.
type wbHarness struct {
	t           *testing.T
	ctx         context.Context
	sim         *icimstest.Server
	db          *storage.DB
	clock       icims.Clock
	tenants     *storage.TenantStore
	catalog     *storage.CatalogStore
	invitations *storage.InvitationStore
	results     *storage.ResultStore
	store       *storage.WritebackStore
	// wb is the write-back's admin side (retries, wake-ups, settings),
	// which the store serves itself.
	wb      *storage.WritebackStore
	events  *storage.EventStore
	worker  *WritebackWorker
	pool    *icimsadapter.Pool
	queue   *queue.Queue
	tenant  assessments.Tenant
	pkg     assessments.Package
	keyring *secrets.Keyring
	base    *url.URL
}

func newWBHarness(t *testing.T, o wbOptions) *wbHarness {
	t.Helper()
	ctx := context.Background()
	if o.clock == nil {
		o.clock = icims.SystemClock{}
	}
	if o.maxWorkers == 0 {
		o.maxWorkers = 8
	}
	if _, real := o.clock.(icims.SystemClock); !real && o.paceSnoozeAfter == 0 {
		o.paceSnoozeAfter = time.Hour
	}
	if o.scorecard == nil {
		o.scorecard = []assessments.ScorecardMapping{
			{Field: icimstest.FieldAssessmentScore, Source: assessments.SourceOverall},
			{Field: icimstest.FieldAssessmentVerdict, Source: assessments.SourceVerdict},
		}
	}
	env := storetest.New(t)
	db, keyring := env.DB, env.Keyring
	var err error

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := &wbHarness{t: t, ctx: ctx, db: db, clock: o.clock, keyring: keyring}
	h.sim = icimstest.Start(t, icimstest.Options{Clock: o.clock})
	h.base, _ = url.Parse("https://jobcannon.test")
	h.tenants = storage.NewTenantStore(db, keyring, o.clock)
	h.catalog = storage.NewCatalogStore(db, o.clock)
	h.invitations = storage.NewInvitationStore(db, nil, o.clock, nil)
	h.results = storage.NewResultStore(db, o.clock, h.invitations)
	h.store = storage.NewWritebackStore(db, o.clock, nil, h.catalog)
	cid := icimstest.CustomerUS
	conn := assessments.Connection{CustomerID: cid, Name: "Acme", Region: assessments.RegionUS, APIURL: h.sim.APIBase(),
		AuthMode: assessments.AuthBasic, Credentials: assessments.Credentials{Username: icimstest.BasicUser(cid), Password: icimstest.BasicPassword(cid)}}
	h.tenant, err = h.tenants.Connect(ctx, conn)
	require.NoError(t, err)
	lib := env.Library
	h.pkg, err = h.catalog.SavePackage(ctx, lib, assessments.Package{TenantID: h.tenant.ID, Name: "Big Five",
		InstrumentIDs: []string{"big-five-work"}, AssessmentTypeID: icimstest.AssessmentBigFive,
		AssessmentTypeName: "Big Five Work Personality", Enabled: true, Scorecard: o.scorecard})
	require.NoError(t, err)

	h.pool = icimsadapter.NewPool(icimsadapter.PoolConfig{Tenants: h.tenants, HTTPClient: h.sim.Client(), Clock: o.clock, Limits: o.limits, Paces: db,
		Log: log, Observe: ObserveCall})
	h.wb = h.store
	h.events = storage.NewEventStore(db, keyring, o.clock, h.invitations)
	h.worker = &WritebackWorker{Tenants: h.tenants, Store: h.store, Clients: h.pool, Signer: keyring, BaseURL: h.base,
		Clock: o.clock, Log: log, ReauthWait: time.Hour, Jobs: db.Jobs(), Health: o.health,
		PaceSnoozeAfter: o.paceSnoozeAfter}
	workers := river.NewWorkers()
	river.AddWorker(workers, h.worker)
	if o.notices {
		river.AddWorker(workers, &WriteHealthNoticeWorker{Sender: mail.NewDevMailbox(storage.NewMailbox(db, o.clock), mail.RandomID, log),
			From: "no-reply@jobcannon.test", BaseURL: h.base, Log: log})
	}
	h.queue, err = queue.New(db, queue.Config{Workers: workers, MaxWorkers: o.maxWorkers, ICIMSWorkers: o.maxWorkers, PollInterval: 20 * time.Millisecond, Log: log})
	require.NoError(t, err)
	require.NoError(t, h.queue.Start(ctx))
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = h.queue.Stop(sctx)
	})
	return h
}

// candidate is one invitation of the harness's tenant.
type candidate struct {
	h   *wbHarness
	inv assessments.Invitation
	wid int
	pid int
}

// invite creates an invitation for a seeded US application (n in 1..12).
func (h *wbHarness) invite(n int) *candidate {
	h.t.Helper()
	wid, pid, jid := icimstest.USWorkflow1+n-1, icimstest.USPerson1+n-1, icimstest.USJob1+(n-1)%3
	return h.inviteFor(wid, pid, jid)
}

func (h *wbHarness) inviteFor(wid, pid, jid int) *candidate {
	h.t.Helper()
	inv, _, err := h.invitations.Create(h.ctx, assessments.NewInvitation{TenantID: h.tenant.ID, PackageID: h.pkg.ID,
		WorkflowID: strconv.Itoa(wid), PersonID: strconv.Itoa(pid), JobID: strconv.Itoa(jid),
		CandidateFirstName: "Cand", CandidateLastName: strconv.Itoa(pid), CandidateEmail: "c" + strconv.Itoa(pid) + "@example.com"})
	require.NoError(h.t, err)
	return &candidate{h: h, inv: inv, wid: wid, pid: pid}
}

// sent is what the invitation e-mail worker does once the e-mail is out.
func (c *candidate) sent() {
	c.h.t.Helper()
	_, err := c.h.invitations.MarkSent(c.h.ctx, c.h.tenant.ID, c.inv.ID)
	require.NoError(c.h.t, err)
}

// start is the candidate opening the link and giving consent.
func (c *candidate) start() {
	c.h.t.Helper()
	for _, s := range []assessments.InvitationStatus{assessments.StatusOpened, assessments.StatusInProgress} {
		_, err := c.h.invitations.Transition(c.h.ctx, c.h.tenant.ID, c.inv.ID, s, "test")
		require.NoError(c.h.t, err)
	}
}

// complete is the candidate submitting: the result and the completion
// commit together, as the candidate service does it.
func (c *candidate) complete(overall float64, verdict string) {
	c.h.t.Helper()
	now := c.h.clock.Now()
	_, err := c.h.results.Complete(c.h.ctx, assessments.PackageResult{TenantID: c.h.tenant.ID, InvitationID: c.inv.ID,
		Overall: overall, Verdict: verdict, Summary: "Extraversion 64, Conscientiousness 71.",
		StartedAt: now.Add(-10 * time.Minute), CompletedAt: now})
	require.NoError(c.h.t, err)
}

func (c *candidate) transition(s assessments.InvitationStatus) {
	c.h.t.Helper()
	_, err := c.h.invitations.Transition(c.h.ctx, c.h.tenant.ID, c.inv.ID, s, "test")
	require.NoError(c.h.t, err)
}

// writeback returns the invitation's write-back state.
func (c *candidate) writeback() assessments.Writeback {
	c.h.t.Helper()
	wb, err := c.h.store.Writeback(c.h.ctx, c.h.tenant.ID, c.inv.ID)
	require.NoError(c.h.t, err)
	return wb
}

// settled waits until no job owns the invitation's stream any more.
func (c *candidate) settled() assessments.Writeback {
	c.h.t.Helper()
	var wb assessments.Writeback
	require.Eventually(c.h.t, func() bool {
		wb = c.writeback()
		return wb.JobID == 0
	}, 30*time.Second, 10*time.Millisecond, "the write-back did not settle")
	return wb
}

// waitFor waits until the invitation's write-back is in state s.
func (c *candidate) waitFor(s assessments.WritebackState) assessments.Writeback {
	c.h.t.Helper()
	var wb assessments.Writeback
	require.Eventually(c.h.t, func() bool {
		wb = c.writeback()
		return wb.State == s
	}, 30*time.Second, 10*time.Millisecond, "the write-back did not reach %s", s)
	return wb
}

// rows returns the application's assessment result rows in the simulator.
func (c *candidate) rows() []icimstest.Result {
	c.h.t.Helper()
	rows, err := c.h.sim.Results(icimstest.CustomerUS, c.wid)
	require.NoError(c.h.t, err)
	return rows
}

// person returns the candidate's fields in the simulator.
func (c *candidate) person() map[string]string {
	c.h.t.Helper()
	f, err := c.h.sim.PersonFields(icimstest.CustomerUS, c.pid)
	require.NoError(c.h.t, err)
	return f
}

// calls counts the simulator's API calls by method, path prefix excluded.
func (h *wbHarness) calls() []icimstest.Call { return h.sim.Calls(icimstest.CustomerUS) }

// deliveries lists the outbound deliveries of an invitation, oldest first.
func (h *wbHarness) deliveries(invitationID int64) []assessments.Delivery {
	h.t.Helper()
	rows, err := h.db.R.Query(`SELECT id FROM deliveries WHERE tenant_id = ? AND invitation_id = ? AND direction = 'outbound' ORDER BY id`,
		h.tenant.ID, invitationID)
	require.NoError(h.t, err)
	var ids []int64
	for rows.Next() {
		var id int64
		require.NoError(h.t, rows.Scan(&id))
		ids = append(ids, id)
	}
	require.NoError(h.t, rows.Err())
	rows.Close()
	events := storage.NewEventStore(h.db, h.keyring, h.clock, h.invitations)
	var out []assessments.Delivery
	for _, id := range ids {
		d, err := events.Delivery(h.ctx, h.tenant.ID, id)
		require.NoError(h.t, err)
		out = append(out, d)
	}
	return out
}

func (h *wbHarness) attempts(deliveryID int64) []assessments.DeliveryAttempt {
	h.t.Helper()
	a, err := storage.NewEventStore(h.db, h.keyring, h.clock, h.invitations).Attempts(h.ctx, h.tenant.ID, deliveryID)
	require.NoError(h.t, err)
	return a
}
