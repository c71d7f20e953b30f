package storage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

var invNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// invFixture is a migrated database with the candidate-side stores, a
// tenant and an enabled Big Five package.
type invFixture struct {
	db          *storage.DB
	clock       *clocktest.Clock
	lib         *assessments.Library
	catalog     *storage.CatalogStore
	invitations *storage.InvitationStore
	answers     *storage.AnswerStore
	results     *storage.ResultStore
	tenantID    int64
	pkg         assessments.Package
}

func newInvFixture(t *testing.T) *invFixture {
	t.Helper()
	env := storetest.New(t, storetest.At(invNow))
	db, lib, clock := env.DB, env.Library, env.Clock
	f := &invFixture{db: db, clock: clock, lib: lib, catalog: storage.NewCatalogStore(db, clock)}
	f.invitations = storage.NewInvitationStore(db, nil, clock, nil)
	f.answers = storage.NewAnswerStore(db, f.invitations)
	f.results = storage.NewResultStore(db, clock, f.invitations)
	f.tenantID = f.tenant(t, "1234")
	f.pkg = f.newPackage(t, f.tenantID, "Personality", "big-five-work")
	return f
}

func (f *invFixture) tenant(t *testing.T, customerID string) int64 {
	t.Helper()
	var id int64
	require.NoError(t, f.db.W.QueryRow(`INSERT INTO tenants (customer_id, name, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
		customerID, "Tenant "+customerID, invNow, invNow).Scan(&id))
	return id
}

func (f *invFixture) newPackage(t *testing.T, tenantID int64, name string, instruments ...string) assessments.Package {
	t.Helper()
	p, err := f.catalog.SavePackage(context.Background(), f.lib, assessments.Package{
		TenantID: tenantID, Name: name, InstrumentIDs: instruments, Enabled: true,
		AssessmentTypeID: "type-" + name, AssessmentTypeName: name,
	})
	require.NoError(t, err)
	return p
}

func (f *invFixture) invite(t *testing.T, workflow string) (assessments.Invitation, string) {
	t.Helper()
	inv, token, err := f.invitations.Create(context.Background(), f.newInvitation(workflow))
	require.NoError(t, err)
	return inv, token
}

func (f *invFixture) newInvitation(workflow string) assessments.NewInvitation {
	return assessments.NewInvitation{
		TenantID: f.tenantID, PackageID: f.pkg.ID, WorkflowID: workflow, PersonID: "p" + workflow, JobID: "j1",
		CandidateFirstName: "Ada", CandidateLastName: "Lovelace", CandidateEmail: "Ada@Example.com",
		JobTitle: "Analyst", CompanyName: "Acme",
	}
}

func (f *invFixture) eventStatuses(t *testing.T, inv assessments.Invitation) []string {
	t.Helper()
	events, err := f.invitations.Events(context.Background(), inv.TenantID, inv.ID)
	require.NoError(t, err)
	var out []string
	for _, e := range events {
		out = append(out, string(e.From)+">"+string(e.Status))
	}
	return out
}

func TestInvitationTokenIsStoredOnlyAsItsHash(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	inv, token := f.invite(t, "w1")

	assert.True(t, assessments.WellFormedToken(token), "43 characters of base64url")
	assert.Equal(t, assessments.StatusCreated, inv.Status)
	assert.Equal(t, "ada@example.com", inv.CandidateEmail)
	assert.Equal(t, invNow.AddDate(0, 0, assessments.DefaultExpiryDays), inv.ExpiresAt.UTC(), "the package's expiry")
	assert.NotEmpty(t, inv.ReportID)

	var stored string
	require.NoError(t, f.db.R.QueryRow(`SELECT token_hash FROM invitations WHERE id = ?`, inv.ID).Scan(&stored))
	assert.Equal(t, assessments.HashToken(token), stored)
	assert.NotContains(t, stored, token)
	var dump string
	require.NoError(t, f.db.R.QueryRow(`SELECT string_agg(token_hash || report_id || workflow_id, ',') FROM invitations`).Scan(&dump))
	assert.NotContains(t, dump, token, "the token itself is nowhere in the table")

	got, err := f.invitations.InvitationByToken(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, inv.ID, got.ID)

	_, err = f.invitations.InvitationByToken(ctx, stored)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err), "the hash is not a token")
	other := "A"
	if token[42:] == other {
		other = "B" // a changed character must differ from the one it replaces
	}
	_, err = f.invitations.InvitationByToken(ctx, token[:42]+other)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))

	_, token2 := f.invite(t, "w2")
	assert.NotEqual(t, token, token2)
}

func TestOneLiveInvitationPerWorkflowAndPackage(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	first, _ := f.invite(t, "w1")

	_, _, err := f.invitations.Create(ctx, f.newInvitation("w1"))
	require.Error(t, err)
	assert.Equal(t, assessments.ECONFLICT, assessments.ErrorCode(err))
	assert.Equal(t, assessments.DuplicateInvitationMessage, assessments.ErrorMessage(err))

	// Another workflow, or another package for the same workflow, is fine.
	f.invite(t, "w2")
	other := f.newPackage(t, f.tenantID, "Reasoning", "reasoning")
	n := f.newInvitation("w1")
	n.PackageID = other.ID
	_, _, err = f.invitations.Create(ctx, n)
	require.NoError(t, err)

	// Once the first one is over, the slot is free again.
	_, err = f.invitations.Cancel(ctx, f.tenantID, first.ID, "recruiter cancelled")
	require.NoError(t, err)
	again, _ := f.invite(t, "w1")
	assert.NotEqual(t, first.ID, again.ID)

	// The partial index holds even when the check before it is bypassed.
	_, err = f.db.W.Exec(`UPDATE invitations SET status = 'sent' WHERE id = ?`, first.ID)
	assert.True(t, storage.IsUniqueOn(err, "invitations.workflow_id"), "a unique violation on the live index: %v", err)
}

func TestCreateInvitationRefusesBadInput(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	otherTenant := f.tenant(t, "999")
	foreign := f.newPackage(t, otherTenant, "Theirs", "big-five-work")
	disabled := f.newPackage(t, f.tenantID, "Off", "work-style")
	require.NoError(t, f.catalog.SetPackageEnabled(ctx, f.tenantID, disabled.ID, false))

	cases := []struct {
		name string
		edit func(*assessments.NewInvitation)
		code string
		msg  string
	}{
		{"no workflow", func(n *assessments.NewInvitation) { n.WorkflowID = "" }, assessments.EINVALID, "workflow"},
		{"bad e-mail", func(n *assessments.NewInvitation) { n.CandidateEmail = "not-an-address" }, assessments.EINVALID, "e-mail"},
		{"no e-mail and not inline", func(n *assessments.NewInvitation) { n.CandidateEmail = "" }, assessments.EINVALID, "return URL"},
		{"another tenant's package", func(n *assessments.NewInvitation) { n.PackageID = foreign.ID }, assessments.ENOTFOUND, "not found"},
		{"disabled package", func(n *assessments.NewInvitation) { n.PackageID = disabled.ID }, assessments.EINVALID, "switched off"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := f.newInvitation("w-" + c.name)
			c.edit(&n)
			_, _, err := f.invitations.Create(ctx, n)
			require.Error(t, err)
			assert.Equal(t, c.code, assessments.ErrorCode(err))
			assert.Contains(t, assessments.ErrorMessage(err), c.msg)
		})
	}
	var n int
	require.NoError(t, f.db.R.QueryRow(`SELECT COUNT(*) FROM invitations`).Scan(&n))
	assert.Zero(t, n, "nothing was stored")

	inline := f.newInvitation("w-inline")
	inline.CandidateEmail, inline.ReturnURL = "", "https://icims.example/return"
	_, _, err := f.invitations.Create(ctx, inline)
	assert.NoError(t, err, "an inline invitation needs no e-mail")
}

func TestInvitationTransitions(t *testing.T) {
	S := func(s string) assessments.InvitationStatus { return assessments.InvitationStatus(s) }
	cases := []struct {
		path []string // statuses to move through from created
		ok   bool
	}{
		{[]string{"sent", "opened", "in_progress", "completed"}, true},
		{[]string{"opened", "in_progress", "completed"}, true},
		{[]string{"sent", "failed", "sent", "opened"}, true},
		{[]string{"sent", "expired"}, true},
		{[]string{"sent", "opened", "in_progress", "cancelled"}, true},
		{[]string{"completed"}, false},
		{[]string{"sent", "in_progress"}, false},
		{[]string{"sent", "opened", "sent"}, false},
		{[]string{"sent", "opened", "in_progress", "completed", "cancelled"}, false},
		{[]string{"cancelled", "sent"}, false},
		{[]string{"expired", "opened"}, false},
		{[]string{"expired", "expired"}, false},
		{[]string{"bogus"}, false},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.path, ">"), func(t *testing.T) {
			f := newInvFixture(t)
			ctx := context.Background()
			inv, _ := f.invite(t, "w1")
			var err error
			for _, to := range c.path {
				f.clock.Advance(time.Minute)
				var next assessments.Invitation
				next, err = f.invitations.Transition(ctx, f.tenantID, inv.ID, S(to), "test")
				if err != nil {
					break
				}
				inv = next
			}
			if c.ok {
				require.NoError(t, err)
				assert.Equal(t, S(c.path[len(c.path)-1]), inv.Status)
				assert.Len(t, f.eventStatuses(t, inv), len(c.path)+1, "creation and every move are recorded")
				return
			}
			require.Error(t, err)
			assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err))
			stored, gerr := f.invitations.Invitation(ctx, f.tenantID, inv.ID)
			require.NoError(t, gerr)
			assert.Equal(t, inv.Status, stored.Status, "a refused move changes nothing")
		})
	}
}

func TestTransitionStampsEachStatusOnce(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	inv, _ := f.invite(t, "w1")
	step := func(to assessments.InvitationStatus) assessments.Invitation {
		f.clock.Advance(time.Hour)
		next, err := f.invitations.Transition(ctx, f.tenantID, inv.ID, to, "")
		require.NoError(t, err)
		return next
	}
	inv = step(assessments.StatusSent)
	inv = step(assessments.StatusOpened)
	opened := inv.OpenedAt
	inv = step(assessments.StatusOpened)
	assert.True(t, opened.Equal(inv.OpenedAt), "the first opening counts")
	inv = step(assessments.StatusInProgress)
	assert.True(t, invNow.Add(time.Hour).Equal(inv.SentAt))
	assert.True(t, invNow.Add(2*time.Hour).Equal(inv.OpenedAt))
	assert.True(t, invNow.Add(4*time.Hour).Equal(inv.StartedAt))
	assert.True(t, inv.CompletedAt.IsZero())
	assert.Equal(t, []string{">created", "created>sent", "sent>opened", "opened>opened", "opened>in_progress"}, f.eventStatuses(t, inv))
}

func TestTransitionQueuesItsWriteBackInTheSameTransaction(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	jobs := func() []int64 {
		var ids []int64
		rows, err := f.db.R.Query(`SELECT id FROM river_job WHERE kind = 'icims_writeback' ORDER BY id`)
		require.NoError(t, err)
		defer rows.Close()
		for rows.Next() {
			var id int64
			require.NoError(t, rows.Scan(&id))
			ids = append(ids, id)
		}
		require.NoError(t, rows.Err())
		return ids
	}
	stream := func(id int64) (version, jobID int64) {
		require.NoError(t, f.db.R.QueryRow(`SELECT version, COALESCE(job_id, 0) FROM writebacks WHERE invitation_id = ?`, id).
			Scan(&version, &jobID))
		return version, jobID
	}

	inv, _ := f.invite(t, "w1")
	assert.Empty(t, jobs(), "nothing is shown in iCIMS before the invitation is sent")
	inv, err := f.invitations.MarkSent(ctx, f.tenantID, inv.ID)
	require.NoError(t, err)
	queued := jobs()
	require.Len(t, queued, 1, "the send queues the write-back")
	version, owner := stream(inv.ID)
	assert.Equal(t, int64(1), version)
	assert.Equal(t, queued[0], owner, "the job owns the invitation's stream")

	inv, err = f.invitations.Transition(ctx, f.tenantID, inv.ID, assessments.StatusOpened, "opened")
	require.NoError(t, err)
	assert.Len(t, jobs(), 1, "the owner, still waiting to run, writes the newer version too")
	version, _ = stream(inv.ID)
	assert.Equal(t, int64(2), version)

	// The owner ended without letting go (a crash on its last try): the
	// next change queues a job, and when that insert fails the change
	// rolls back with it.
	_, err = f.db.W.Exec(`UPDATE river_job SET state = 'discarded', finalized_at = ? WHERE id = ?`, invNow, owner)
	require.NoError(t, err)
	failInserts(t, f.db, "river_job", "queue is down")
	_, err = f.invitations.Transition(ctx, f.tenantID, inv.ID, assessments.StatusInProgress, "started")
	require.ErrorContains(t, err, "queue is down")
	stored, err := f.invitations.Invitation(ctx, f.tenantID, inv.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.StatusOpened, stored.Status, "a failing job insert rolls the transition back")
	assert.True(t, stored.StartedAt.IsZero())
	version, _ = stream(inv.ID)
	assert.Equal(t, int64(2), version, "and with it the stream's new version")
}

func TestMarkSentCountsResends(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	inv, _ := f.invite(t, "w1")
	for range 3 {
		f.clock.Advance(time.Hour)
		var err error
		inv, err = f.invitations.MarkSent(ctx, f.tenantID, inv.ID)
		require.NoError(t, err)
	}
	assert.Equal(t, 3, inv.SentCount)
	assert.Equal(t, assessments.StatusSent, inv.Status)
	assert.True(t, invNow.Add(3*time.Hour).Equal(inv.SentAt), "sent_at is the latest send")

	_, err := f.invitations.Transition(ctx, f.tenantID, inv.ID, assessments.StatusOpened, "")
	require.NoError(t, err)
	inv, err = f.invitations.MarkSent(ctx, f.tenantID, inv.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.StatusOpened, inv.Status, "a resend after opening does not step back")
	assert.Equal(t, 4, inv.SentCount)
	events, err := f.invitations.Events(ctx, f.tenantID, inv.ID)
	require.NoError(t, err)
	assert.Equal(t, "resent (4)", events[len(events)-1].Detail)
}

func TestExtendCancelExpire(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	inv, _ := f.invite(t, "w1")

	_, err := f.invitations.Extend(ctx, f.tenantID, inv.ID, invNow.Add(-time.Hour))
	assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err))
	until := invNow.AddDate(0, 0, 14)
	inv, err = f.invitations.Extend(ctx, f.tenantID, inv.ID, until)
	require.NoError(t, err)
	assert.True(t, until.Equal(inv.ExpiresAt))
	assert.Equal(t, assessments.StatusCreated, inv.Status)

	inv, err = f.invitations.Expire(ctx, f.tenantID, inv.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.StatusExpired, inv.Status)
	assert.False(t, inv.EndedAt.IsZero())
	_, err = f.invitations.Extend(ctx, f.tenantID, inv.ID, until)
	assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err), "an expired invitation stays expired")
	_, err = f.invitations.Cancel(ctx, f.tenantID, inv.ID, "too late")
	assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err))

	other, _ := f.invite(t, "w2")
	other, err = f.invitations.Cancel(ctx, f.tenantID, other.ID, "withdrawn by recruiter")
	require.NoError(t, err)
	assert.Equal(t, assessments.StatusCancelled, other.Status)
	events, err := f.invitations.Events(ctx, f.tenantID, other.ID)
	require.NoError(t, err)
	assert.Equal(t, "withdrawn by recruiter", events[len(events)-1].Detail)
}

func TestInvitationsAreScopedByTenant(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	inv, _ := f.invite(t, "w1")
	other := f.tenant(t, "777")

	_, err := f.invitations.Invitation(ctx, other, inv.ID)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))
	_, err = f.invitations.Transition(ctx, other, inv.ID, assessments.StatusSent, "")
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))
	_, err = f.invitations.RequestAccommodation(ctx, other, inv.ID, "help")
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))
	events, err := f.invitations.Events(ctx, other, inv.ID)
	require.NoError(t, err)
	assert.Empty(t, events)
}

func TestAccommodationGrantsExtraTime(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	inv, _ := f.invite(t, "w1")
	req, err := f.invitations.RequestAccommodation(ctx, f.tenantID, inv.ID, "I use a screen reader and need more time.")
	require.NoError(t, err)

	list, err := f.invitations.AccommodationRequests(ctx, f.tenantID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "Ada Lovelace", list[0].Candidate)
	assert.Equal(t, "Personality", list[0].PackageName)
	assert.True(t, list[0].ResolvedAt.IsZero())

	assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(f.invitations.ResolveAccommodation(ctx, f.tenantID, req.ID, -5)))
	require.NoError(t, f.invitations.ResolveAccommodation(ctx, f.tenantID, req.ID, 15))
	assert.Equal(t, assessments.ECONFLICT, assessments.ErrorCode(f.invitations.ResolveAccommodation(ctx, f.tenantID, req.ID, 15)))
	got, err := f.invitations.Invitation(ctx, f.tenantID, inv.ID)
	require.NoError(t, err)
	assert.Equal(t, 15, got.ExtraTimeMinutes)
	statuses := f.eventStatuses(t, got)
	assert.Equal(t, "created>created", statuses[len(statuses)-1], "the grant is in the history")

	list, err = f.invitations.AccommodationRequests(ctx, f.tenantID)
	require.NoError(t, err)
	assert.Equal(t, 15, list[0].ExtraMinutes)
	assert.False(t, list[0].ResolvedAt.IsZero())
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(f.invitations.ResolveAccommodation(ctx, f.tenant(t, "5"), req.ID, 1)))
}

func TestSeedSandboxInvitation(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	sb, err := storage.SeedSandboxInvitation(ctx, f.invitations, f.catalog, f.lib, storage.SandboxSeed{CustomerID: "4242"})
	require.NoError(t, err)
	got, err := f.invitations.InvitationByToken(ctx, sb.Token)
	require.NoError(t, err)
	assert.Equal(t, sb.Invitation.ID, got.ID)
	assert.Equal(t, []string{"big-five-work"}, sb.Package.InstrumentIDs)

	again, err := storage.SeedSandboxInvitation(ctx, f.invitations, f.catalog, f.lib, storage.SandboxSeed{CustomerID: "4242", WorkflowID: "2"})
	require.NoError(t, err)
	assert.Equal(t, sb.TenantID, again.TenantID, "the tenant is reused")
	assert.Equal(t, sb.Package.ID, again.Package.ID, "and so is the package")
	_, err = storage.SeedSandboxInvitation(ctx, f.invitations, f.catalog, f.lib, storage.SandboxSeed{CustomerID: "4242", WorkflowID: "2"})
	assert.Equal(t, assessments.ECONFLICT, assessments.ErrorCode(err), fmt.Sprint(err))
}
