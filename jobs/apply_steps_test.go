package jobs

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strconv"
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
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// recordingQueue reads the jobs the store queued in committed
// transactions from River's table, so the test works them one by one; the
// invitation e-mails go to sends.
type recordingQueue struct {
	t     *testing.T
	db    *storage.DB
	last  int64
	sends *[]int64
}

func (q *recordingQueue) take() []river.JobArgs {
	q.t.Helper()
	rows, err := q.db.R.Query(`SELECT id, kind, json(args) FROM river_job WHERE id > ? ORDER BY id`, q.last)
	require.NoError(q.t, err)
	defer rows.Close()
	var out []river.JobArgs
	for rows.Next() {
		var kind string
		var args []byte
		require.NoError(q.t, rows.Scan(&q.last, &kind, &args))
		var a river.JobArgs
		switch kind {
		case jobargs.ApplyPersonArgs{}.Kind():
			var v jobargs.ApplyPersonArgs
			require.NoError(q.t, json.Unmarshal(args, &v))
			a = v
		case jobargs.ApplyApplicationArgs{}.Kind():
			var v jobargs.ApplyApplicationArgs
			require.NoError(q.t, json.Unmarshal(args, &v))
			a = v
		case jobargs.ApplyCVArgs{}.Kind():
			var v jobargs.ApplyCVArgs
			require.NoError(q.t, json.Unmarshal(args, &v))
			a = v
		case jobargs.SendInvitationArgs{}.Kind():
			var v jobargs.SendInvitationArgs
			require.NoError(q.t, json.Unmarshal(args, &v))
			*q.sends = append(*q.sends, v.InvitationID)
			continue
		default:
			q.t.Fatalf("unexpected job %s", kind)
		}
		out = append(out, a)
	}
	require.NoError(q.t, rows.Err())
	return out
}

type applyHarness struct {
	t       *testing.T
	ctx     context.Context
	db      *storage.DB
	store   *storage.ApplicationStore
	steps   *ApplySteps
	workers ApplyWorkers
	queue   *recordingQueue
	sends   []int64
	tenant  assessments.Tenant
	pkg     assessments.Package
	client  *icims.Client
	keyring *secrets.Keyring
}

func newApplyHarness(t *testing.T) *applyHarness {
	t.Helper()
	return newApplyHarnessWith(t, icims.PacerConfig{})
}

// newApplyHarnessWith is newApplyHarness with the pool's limits (zero:
// the pool's defaults).
func newApplyHarnessWith(t *testing.T, limits icims.PacerConfig) *applyHarness {
	t.Helper()
	ctx := context.Background()
	env := storetest.New(t)
	db := env.DB
	clock := icims.SystemClock{}
	h := &applyHarness{t: t, ctx: ctx, db: db, keyring: env.Keyring}
	h.queue = &recordingQueue{t: t, db: db, sends: &h.sends}
	sim := icimstest.Start(t)
	tenants := storage.NewTenantStore(db, h.keyring, clock)
	catalog := storage.NewCatalogStore(db, clock)
	invitations := storage.NewInvitationStore(db, nil, clock, nil)
	h.store = storage.NewApplicationStore(db, clock, invitations, nil)
	cid := icimstest.CustomerUS
	var err error
	h.tenant, err = tenants.Connect(ctx, assessments.Connection{CustomerID: cid, Name: "Acme", Region: assessments.RegionUS,
		APIURL: sim.APIBase(), AuthMode: assessments.AuthBasic,
		Credentials: assessments.Credentials{Username: icimstest.BasicUser(cid), Password: icimstest.BasicPassword(cid)}})
	require.NoError(t, err)
	h.pkg, err = catalog.SavePackage(ctx, env.Library, assessments.Package{TenantID: h.tenant.ID, Name: "Big Five",
		InstrumentIDs: []string{"big-five-work"}, AssessmentTypeID: icimstest.AssessmentBigFive,
		AssessmentTypeName: "Big Five Work Personality", Enabled: true})
	require.NoError(t, err)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	pool := icimsadapter.NewPool(icimsadapter.PoolConfig{Tenants: tenants, HTTPClient: sim.Client(), Clock: clock, Limits: limits, Paces: db, Log: log, Observe: ObserveCall})
	h.client, err = pool.Client(ctx, h.tenant)
	require.NoError(t, err)
	h.steps = &ApplySteps{Tenants: tenants, Store: h.store, Clients: pool, Clock: clock, Log: log}
	h.workers = NewApplyWorkers(h.steps)
	return h
}

func (h *applyHarness) link(source string) assessments.ApplyLink {
	h.t.Helper()
	l, err := h.store.CreateLink(h.ctx, assessments.NewApplyLink{TenantID: h.tenant.ID, PackageID: h.pkg.ID,
		JobID: strconv.Itoa(icimstest.USJob2), JobTitle: "Customer Support Specialist", Source: source, SourceLabel: "JobCannon"})
	require.NoError(h.t, err)
	return l
}

func (h *applyHarness) apply(l assessments.ApplyLink, email string, cv *assessments.CVFile) assessments.Application {
	h.t.Helper()
	app, err := h.store.Apply(h.ctx, assessments.NewApplication{TenantID: h.tenant.ID, LinkID: l.ID, FirstName: "Rae",
		LastName: "Lin", Email: email, Phone: "+1 555 010 2030", CV: cv}, "wait-"+email)
	require.NoError(h.t, err)
	return app
}

// work runs the queued jobs until none is left, and returns their kinds.
func (h *applyHarness) work() []string {
	h.t.Helper()
	var kinds []string
	for {
		jobs := h.queue.take()
		if len(jobs) == 0 {
			return kinds
		}
		for _, a := range jobs {
			kinds = append(kinds, a.Kind())
			h.runJob(a)
		}
	}
}

func (h *applyHarness) runJob(a river.JobArgs) {
	h.t.Helper()
	var err error
	switch a := a.(type) {
	case jobargs.ApplyPersonArgs:
		err = h.workers.Person.Work(h.ctx, &river.Job[jobargs.ApplyPersonArgs]{JobRow: jobRow(1), Args: a})
	case jobargs.ApplyApplicationArgs:
		err = h.workers.Application.Work(h.ctx, &river.Job[jobargs.ApplyApplicationArgs]{JobRow: jobRow(1), Args: a})
	case jobargs.ApplyCVArgs:
		err = h.workers.CV.Work(h.ctx, &river.Job[jobargs.ApplyCVArgs]{JobRow: jobRow(1), Args: a})
	default:
		h.t.Fatalf("unexpected job %T", a)
	}
	require.NoError(h.t, err)
}

func (h *applyHarness) deliveries(appID int64) map[string]int {
	h.t.Helper()
	rows, err := h.db.R.QueryContext(h.ctx, `SELECT d.kind, d.attempts FROM deliveries d JOIN applications a
		ON a.tenant_id = d.tenant_id WHERE a.id = ? AND d.kind LIKE 'apply_%' AND d.status = 'processed'`, appID)
	require.NoError(h.t, err)
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var kind string
		var n int
		require.NoError(h.t, rows.Scan(&kind, &n))
		out[kind] += n
	}
	return out
}

func TestApplyWritesPersonApplicationAndCV(t *testing.T) {
	h := newApplyHarness(t)
	l := h.link("Job Board")
	pdf := []byte("%PDF-1.4 rae")
	app := h.apply(l, "rae.lin@example.com", &assessments.CVFile{Name: "rae.pdf", ContentType: assessments.ContentTypePDF, Data: pdf})

	assert.Equal(t, []string{"apply_person", "apply_application", "apply_cv"}, h.work(), "one job per step, each queued by the one before")

	got, err := h.store.Application(h.ctx, h.tenant.ID, app.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.ApplyStepDone, got.Step)
	assert.True(t, got.PersonCreated)
	assert.Empty(t, got.Warning)
	require.NotZero(t, got.InvitationID, "the invitation is made with the application, so the write-back writes its row")
	assert.Equal(t, []int64{got.InvitationID}, h.sends, "the applicant also gets the link by e-mail")
	_, kept, err := h.store.CV(h.ctx, h.tenant.ID, app.ID)
	require.NoError(t, err)
	assert.False(t, kept, "the CV is dropped once iCIMS has it")

	p, err := h.client.GetPerson(h.ctx, got.PersonID, []string{"source", "sourcespecifics", "phones"})
	require.NoError(t, err)
	assert.Equal(t, "rae.lin@example.com", p.Email)
	var phones []struct {
		PhoneType   icims.ListNode `json:"phonetype"`
		PhoneNumber string         `json:"phonenumber"`
	}
	_, err = p.Fields.Decode("phones", &phones)
	require.NoError(t, err)
	require.Len(t, phones, 1)
	assert.Equal(t, "+1 555 010 2030", phones[0].PhoneNumber)
	assert.Equal(t, "Mobile", phones[0].PhoneType.Value)
	assert.Equal(t, "Job Board", p.Fields.String("source"))
	assert.Equal(t, "JobCannon", p.Fields.String("sourcespecifics"))
	w, err := h.client.GetApplicantWorkflow(h.ctx, got.WorkflowID, []string{"source", "sourcename"})
	require.NoError(t, err)
	assert.Equal(t, strconv.Itoa(icimstest.USJob2), w.JobID())
	assert.Equal(t, "Job Board", w.Fields.String("source"))
	assert.Equal(t, "JobCannon", w.Fields.String("sourcename"))
	cv, err := h.client.GetResume(h.ctx, got.PersonID)
	require.NoError(t, err)
	assert.Equal(t, pdf, cv.Data)

	// search + create; search + create; upload: each logged with its tries.
	assert.Equal(t, map[string]int{"apply_person": 2, "apply_application": 2, "apply_cv": 1}, h.deliveries(app.ID))

	t.Run("a repeated job does nothing", func(t *testing.T) {
		h.runJob(jobargs.ApplyPersonArgs{TenantID: h.tenant.ID, ApplicationID: app.ID})
		h.runJob(jobargs.ApplyApplicationArgs{TenantID: h.tenant.ID, ApplicationID: app.ID})
		assert.Empty(t, h.queue.take())
		ids, err := h.client.FindPeopleByEmail(h.ctx, "rae.lin@example.com")
		require.NoError(t, err)
		assert.Len(t, ids, 1)
	})
}

func TestApplyAfterACrashFindsWhatTheLostRunCreated(t *testing.T) {
	h := newApplyHarness(t)
	l := h.link("Job Board")
	app := h.apply(l, "crash@example.com", nil)
	// A first run created the person and the application in iCIMS, then
	// the process died before recording either.
	pid, _, err := h.client.CreatePerson(h.ctx, map[string]any{"firstname": "Rae", "lastname": "Lin", "email": "crash@example.com"})
	require.NoError(t, err)
	wid, _, err := h.client.CreateApplicantWorkflow(h.ctx, icims.NewApplicantWorkflow{JobID: l.JobID, PersonID: pid, Source: "Job Board"})
	require.NoError(t, err)

	assert.Equal(t, []string{"apply_person", "apply_application"}, h.work(), "no CV, no upload step")
	got, err := h.store.Application(h.ctx, h.tenant.ID, app.ID)
	require.NoError(t, err)
	assert.Equal(t, pid, got.PersonID, "found by search, not created again")
	assert.False(t, got.PersonCreated)
	assert.Equal(t, wid, got.WorkflowID, "found by search, not created again")
	ids, err := h.client.FindPeopleByEmail(h.ctx, "crash@example.com")
	require.NoError(t, err)
	assert.Equal(t, []string{pid}, ids)
	apps, err := h.client.FindApplications(h.ctx, pid, l.JobID)
	require.NoError(t, err)
	assert.Equal(t, []string{wid}, apps)
	assert.Equal(t, map[string]int{"apply_person": 1, "apply_application": 1}, h.deliveries(app.ID), "one search each, no create")
}

func TestApplyShowsTheSourceWarningWithItsFix(t *testing.T) {
	h := newApplyHarness(t)
	l := h.link("Billboard")
	app := h.apply(l, "warned@example.com", nil)
	h.work()
	got, err := h.store.Application(h.ctx, h.tenant.ID, app.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.ApplyStepDone, got.Step, "the records are still created")
	require.NotEmpty(t, got.WorkflowID)
	assert.Contains(t, got.Warning, "sourcename: Provided source is not valid so cannot set sourcename.")
	assert.Contains(t, got.Warning, assessments.SourceWarningFix)
}

func TestApplyTwiceWithTheSameEmailIsRefused(t *testing.T) {
	h := newApplyHarness(t)
	l := h.link("Job Board")
	h.apply(l, "twice@example.com", nil)
	_, err := h.store.Apply(h.ctx, assessments.NewApplication{TenantID: h.tenant.ID, LinkID: l.ID, FirstName: "R", LastName: "L",
		Email: "twice@example.com"}, "wait-2")
	assert.Equal(t, assessments.ECONFLICT, assessments.ErrorCode(err))
	assert.Len(t, h.queue.take(), 1, "only the first application queued work")
}

func jobRow(attempt int) *rivertype.JobRow {
	return &rivertype.JobRow{Attempt: attempt, MaxAttempts: 5}
}

func TestApplyWaitsForReauthorizationWithoutGivingUp(t *testing.T) {
	h := newApplyHarness(t)
	l := h.link("Job Board")
	app := h.apply(l, "reauth@example.com", nil)
	// The customer changed the integration user's password in iCIMS.
	cid := icimstest.CustomerUS
	_, err := storage.NewTenantStore(h.db, h.keyring, icims.SystemClock{}).Connect(h.ctx, assessments.Connection{CustomerID: cid,
		Name: "Acme", Region: assessments.RegionUS, APIURL: h.tenant.APIURL, AuthMode: assessments.AuthBasic,
		Credentials: assessments.Credentials{Username: icimstest.BasicUser(cid), Password: "changed"}})
	require.NoError(t, err)
	jobs := h.queue.take()
	require.Len(t, jobs, 1)
	err = h.workers.Person.Work(h.ctx, &river.Job[jobargs.ApplyPersonArgs]{JobRow: jobRow(1), Args: jobs[0].(jobargs.ApplyPersonArgs)})
	var snooze *river.JobSnoozeError
	require.ErrorAs(t, err, &snooze, "the step waits for the admin")
	got, err := h.store.Application(h.ctx, h.tenant.ID, app.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.ApplyStepPerson, got.Step, "still to do, not failed")
	assert.Contains(t, got.Problem, "401")
}

// TestAnApplyStepSnoozesForItsTurnInsteadOfHoldingItsWorker: the
// customer's next four seconds of pace are reserved by other work; the
// step reserves its own turn after them and gives its worker back at
// once, without marking anything failed, and without an attempt.
func TestAnApplyStepSnoozesForItsTurnInsteadOfHoldingItsWorker(t *testing.T) {
	h := newApplyHarnessWith(t, icims.PacerConfig{PerMinute: 60, Burst: 1, DailyQuota: 10_000})
	l := h.link("Job Board")
	app := h.apply(l, "paced@example.com", nil)
	for range 5 {
		// Each of these calls takes the customer's next turn, one a second.
		_, _ = h.client.GetPerson(icims.WithSlot(h.ctx, &icims.Slot{SnoozeAfter: time.Millisecond}), strconv.Itoa(icimstest.USPerson1), nil)
	}
	jobs := h.queue.take()
	require.Len(t, jobs, 1)
	start := time.Now()
	err := h.workers.Person.Work(h.ctx, &river.Job[jobargs.ApplyPersonArgs]{JobRow: jobRow(1), Args: jobs[0].(jobargs.ApplyPersonArgs)})
	took := time.Since(start)
	var snooze *river.JobSnoozeError
	require.ErrorAs(t, err, &snooze, "the step snoozes for its turn")
	assert.Less(t, took, time.Second, "the step gave its worker back instead of waiting in the pacer")
	assert.InDelta(t, 5, snooze.Duration.Seconds(), 1, "until its reserved turn")
	got, err := h.store.Application(h.ctx, h.tenant.ID, app.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.ApplyStepPerson, got.Step, "still to do")
	assert.Empty(t, got.Problem, "waiting for a turn is no problem")
	var status, message string
	require.NoError(t, h.db.R.QueryRow(`SELECT status, message FROM deliveries WHERE tenant_id = ? AND kind = 'apply_person'`,
		h.tenant.ID).Scan(&status, &message))
	assert.Equal(t, string(assessments.DeliveryReceived), status, "the step's delivery is not failed: %s", message)
	assert.Contains(t, message, "pacing")
}
