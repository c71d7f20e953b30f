package storage_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/storage"
)

func TestApplicationStoreScopesByTenant(t *testing.T) {
	ctx := context.Background()
	f := newInvFixture(t)
	s := storage.NewApplicationStore(f.db, f.clock, f.invitations, nil)
	other := f.tenant(t, "5678")
	l, err := s.CreateLink(ctx, assessments.NewApplyLink{TenantID: f.tenantID, PackageID: f.pkg.ID, JobID: "2001",
		JobTitle: "Analyst", Source: "Job Board", SourceLabel: "JobCannon"})
	require.NoError(t, err)
	app, err := s.Apply(ctx, assessments.NewApplication{TenantID: f.tenantID, LinkID: l.ID, FirstName: "A", LastName: "B",
		Email: "a@example.com", CV: &assessments.CVFile{Name: "a.pdf", ContentType: assessments.ContentTypePDF, Data: []byte("%PDF-1")}},
		"hash-a")
	require.NoError(t, err)
	assert.Equal(t, 6, app.CVSize)

	t.Run("another tenant sees nothing", func(t *testing.T) {
		_, err := s.Application(ctx, other, app.ID)
		assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))
		links, err := s.Links(ctx, other, "2001")
		require.NoError(t, err)
		assert.Empty(t, links)
		apps, err := s.Applications(ctx, other, l.ID)
		require.NoError(t, err)
		assert.Empty(t, apps)
		_, kept, err := s.CV(ctx, other, app.ID)
		require.NoError(t, err)
		assert.False(t, kept)
		assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(s.CloseLink(ctx, other, l.ID)))
		got, err := s.Link(ctx, l.ID)
		require.NoError(t, err)
		assert.True(t, got.Open(), "another tenant cannot close it")
	})
	t.Run("a step in flight keeps its delivery across retries", func(t *testing.T) {
		_, d1, err := s.BeginApplyStep(ctx, f.tenantID, app.ID, assessments.ApplyStepPerson)
		require.NoError(t, err)
		_, err = s.RecordApplyStep(ctx, assessments.ApplyStepOutcome{TenantID: f.tenantID, ApplicationID: app.ID, DeliveryID: d1,
			Attempts: []assessments.DeliveryAttempt{{Method: "GET", URL: "u", ResponseStatus: 503}}, Delivery: assessments.DeliveryFailed,
			ICIMSCode: assessments.NoICIMSCode, Problem: "down"})
		require.NoError(t, err)
		_, d2, err := s.BeginApplyStep(ctx, f.tenantID, app.ID, assessments.ApplyStepPerson)
		require.NoError(t, err)
		assert.Equal(t, d1, d2)
		got, err := s.RecordApplyStep(ctx, assessments.ApplyStepOutcome{TenantID: f.tenantID, ApplicationID: app.ID, DeliveryID: d2,
			Attempts: []assessments.DeliveryAttempt{{Method: "GET", URL: "u", ResponseStatus: 200}}, Delivery: assessments.DeliveryProcessed,
			ICIMSCode: assessments.NoICIMSCode, PersonID: "1013", PersonCreated: true, Next: assessments.ApplyStepApplication})
		require.NoError(t, err)
		assert.Equal(t, "1013", got.PersonID)
		assert.Empty(t, got.Problem)
		var attempts int
		require.NoError(t, f.db.R.QueryRow(`SELECT attempts FROM deliveries WHERE id = ?`, d1).Scan(&attempts))
		assert.Equal(t, 2, attempts, "the failed try and the retry are attempts of one delivery")
		_, stale, err := s.BeginApplyStep(ctx, f.tenantID, app.ID, assessments.ApplyStepPerson)
		require.NoError(t, err)
		assert.Zero(t, stale, "a repeated job for a finished step has nothing to do")
	})
}

func TestApplicationGoesWithItsInvitation(t *testing.T) {
	ctx := context.Background()
	f := newInvFixture(t)
	s := storage.NewApplicationStore(f.db, f.clock, f.invitations, nil)
	l, err := s.CreateLink(ctx, assessments.NewApplyLink{TenantID: f.tenantID, PackageID: f.pkg.ID, JobID: "2001",
		Source: "Job Board", SourceLabel: "JobCannon"})
	require.NoError(t, err)
	app, err := s.Apply(ctx, assessments.NewApplication{TenantID: f.tenantID, LinkID: l.ID, FirstName: "A", LastName: "B",
		Email: "a@example.com"}, "hash-a")
	require.NoError(t, err)
	_, d, err := s.BeginApplyStep(ctx, f.tenantID, app.ID, assessments.ApplyStepPerson)
	require.NoError(t, err)
	got, err := s.RecordApplyStep(ctx, assessments.ApplyStepOutcome{TenantID: f.tenantID, ApplicationID: app.ID, DeliveryID: d,
		Delivery: assessments.DeliveryProcessed, ICIMSCode: assessments.NoICIMSCode, PersonID: "1", WorkflowID: "3",
		Next: assessments.ApplyStepDone, Invitation: &assessments.NewInvitation{TenantID: f.tenantID, PackageID: f.pkg.ID,
			WorkflowID: "3", PersonID: "1", CandidateEmail: "a@example.com"}})
	require.NoError(t, err)
	require.NotZero(t, got.InvitationID)
	_, err = f.db.W.Exec(`DELETE FROM invitations WHERE id = ?`, got.InvitationID)
	require.NoError(t, err)
	_, err = s.Application(ctx, f.tenantID, app.ID)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err), "retention takes the application with its invitation")
}

// TestApplicationStepsQueueTheirNextJob: the store queues each step's job
// in the transaction that makes it due (the application its person step,
// a step its next one, a new invitation its e-mail) and nothing for a
// retry or the last step.
func TestApplicationStepsQueueTheirNextJob(t *testing.T) {
	ctx := context.Background()
	f := newInvFixture(t)
	s := storage.NewApplicationStore(f.db, f.clock, f.invitations, nil)
	queued := func() map[string]int {
		rows, err := f.db.R.Query(`SELECT kind, count(*) FROM river_job GROUP BY kind`)
		require.NoError(t, err)
		defer rows.Close()
		out := map[string]int{}
		for rows.Next() {
			var kind string
			var n int
			require.NoError(t, rows.Scan(&kind, &n))
			out[kind] = n
		}
		require.NoError(t, rows.Err())
		return out
	}
	l, err := s.CreateLink(ctx, assessments.NewApplyLink{TenantID: f.tenantID, PackageID: f.pkg.ID, JobID: "2001",
		Source: "Job Board", SourceLabel: "JobCannon"})
	require.NoError(t, err)
	app, err := s.Apply(ctx, assessments.NewApplication{TenantID: f.tenantID, LinkID: l.ID, FirstName: "A", LastName: "B",
		Email: "a@example.com"}, "hash-a")
	require.NoError(t, err)
	assert.Equal(t, map[string]int{jobargs.ApplyPersonArgs{}.Kind(): 1}, queued())

	_, d, err := s.BeginApplyStep(ctx, f.tenantID, app.ID, assessments.ApplyStepPerson)
	require.NoError(t, err)
	_, err = s.RecordApplyStep(ctx, assessments.ApplyStepOutcome{TenantID: f.tenantID, ApplicationID: app.ID, DeliveryID: d,
		Delivery: assessments.DeliveryFailed, ICIMSCode: assessments.NoICIMSCode, Problem: "down"})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{jobargs.ApplyPersonArgs{}.Kind(): 1}, queued(), "a try to be retried queues nothing")
	_, err = s.RecordApplyStep(ctx, assessments.ApplyStepOutcome{TenantID: f.tenantID, ApplicationID: app.ID, DeliveryID: d,
		Delivery: assessments.DeliveryProcessed, ICIMSCode: assessments.NoICIMSCode, PersonID: "1",
		Next: assessments.ApplyStepApplication})
	require.NoError(t, err)
	assert.Equal(t, 1, queued()[jobargs.ApplyApplicationArgs{}.Kind()])

	_, d, err = s.BeginApplyStep(ctx, f.tenantID, app.ID, assessments.ApplyStepApplication)
	require.NoError(t, err)
	_, err = s.RecordApplyStep(ctx, assessments.ApplyStepOutcome{TenantID: f.tenantID, ApplicationID: app.ID, DeliveryID: d,
		Delivery: assessments.DeliveryProcessed, ICIMSCode: assessments.NoICIMSCode, WorkflowID: "3",
		Next: assessments.ApplyStepCV, Invitation: &assessments.NewInvitation{TenantID: f.tenantID, PackageID: f.pkg.ID,
			WorkflowID: "3", PersonID: "1", CandidateEmail: "a@example.com"}})
	require.NoError(t, err)
	got := queued()
	assert.Equal(t, 1, got[jobargs.ApplyCVArgs{}.Kind()])
	assert.Equal(t, 1, got[jobargs.SendInvitationArgs{}.Kind()], "the new invitation's e-mail")

	_, d, err = s.BeginApplyStep(ctx, f.tenantID, app.ID, assessments.ApplyStepCV)
	require.NoError(t, err)
	_, err = s.RecordApplyStep(ctx, assessments.ApplyStepOutcome{TenantID: f.tenantID, ApplicationID: app.ID, DeliveryID: d,
		Delivery: assessments.DeliveryProcessed, ICIMSCode: assessments.NoICIMSCode, Next: assessments.ApplyStepDone})
	require.NoError(t, err)
	assert.Equal(t, got, queued(), "the last step queues nothing")
}
