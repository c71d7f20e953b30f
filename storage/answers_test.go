package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
)

// started returns an invitation that the candidate has started.
func (f *invFixture) started(t *testing.T, workflow string) assessments.Invitation {
	t.Helper()
	ctx := context.Background()
	inv, _ := f.invite(t, workflow)
	for _, to := range []assessments.InvitationStatus{assessments.StatusSent, assessments.StatusOpened, assessments.StatusInProgress} {
		var err error
		inv, err = f.invitations.Transition(ctx, f.tenantID, inv.ID, to, "")
		require.NoError(t, err)
	}
	return inv
}

func TestAnswersAreKeptAsGivenAndResume(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	inv := f.started(t, "w1")
	t0 := f.clock.Now()

	require.NoError(t, f.answers.SaveProgress(ctx, f.tenantID, inv.ID, assessments.ProgressUpdate{
		InstrumentID: "big-five-work", At: t0, Start: true, Step: 1, Detail: "started",
	}))
	f.clock.Advance(time.Minute)
	t1 := f.clock.Now()
	require.NoError(t, f.answers.SaveProgress(ctx, f.tenantID, inv.ID, assessments.ProgressUpdate{
		InstrumentID: "big-five-work", At: t1, Step: 2, Detail: "answered page 1",
		Answers: map[string]assessments.Answer{
			"e01": {Value: 4, ElapsedMS: 3000, AnsweredAt: t1},
			"e02": {Value: 2, ElapsedMS: 3000, AnsweredAt: t1},
		},
	}))

	// A new visit (a closed tab) reads everything back.
	p, err := f.answers.Progress(ctx, f.tenantID, inv.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, p.Step)
	a := p.Attempts["big-five-work"]
	assert.True(t, t0.Equal(a.StartedAt))
	assert.True(t, a.FinishedAt.IsZero())
	require.Len(t, a.Answers, 2)
	assert.Equal(t, 4, a.Answers["e01"].Value)
	assert.Equal(t, int64(3000), a.Answers["e01"].ElapsedMS)
	assert.True(t, t1.Equal(a.Answers["e01"].AnsweredAt))

	// Going back and posting the page again: the unchanged answer keeps its
	// time, the changed one takes the new time; the step never shrinks;
	// a second start does not restart the clock.
	f.clock.Advance(time.Minute)
	t2 := f.clock.Now()
	require.NoError(t, f.answers.SaveProgress(ctx, f.tenantID, inv.ID, assessments.ProgressUpdate{
		InstrumentID: "big-five-work", At: t2, Start: true, Step: 1, Finish: true, Detail: "answered page 1",
		Answers: map[string]assessments.Answer{
			"e01": {Value: 4, ElapsedMS: 100, AnsweredAt: t2},
			"e02": {Value: 5, ElapsedMS: 100, AnsweredAt: t2},
		},
	}))
	p, err = f.answers.Progress(ctx, f.tenantID, inv.ID)
	require.NoError(t, err)
	a = p.Attempts["big-five-work"]
	assert.Equal(t, 2, p.Step)
	assert.True(t, t0.Equal(a.StartedAt))
	assert.True(t, t2.Equal(a.FinishedAt))
	assert.True(t, t1.Equal(a.Answers["e01"].AnsweredAt), "unchanged answer keeps its time")
	assert.Equal(t, int64(3000), a.Answers["e01"].ElapsedMS)
	assert.Equal(t, 5, a.Answers["e02"].Value)
	assert.True(t, t2.Equal(a.Answers["e02"].AnsweredAt))

	// A late save adds new answers but never replaces one given in time.
	require.NoError(t, f.answers.SaveProgress(ctx, f.tenantID, inv.ID, assessments.ProgressUpdate{
		InstrumentID: "big-five-work", At: t2, Late: true, Step: 2,
		Answers: map[string]assessments.Answer{"e02": {Value: 1}, "e03": {Value: 3}},
	}))
	p, err = f.answers.Progress(ctx, f.tenantID, inv.ID)
	require.NoError(t, err)
	a = p.Attempts["big-five-work"]
	assert.Equal(t, 5, a.Answers["e02"].Value)
	assert.Equal(t, 3, a.Answers["e03"].Value)

	statuses := f.eventStatuses(t, inv)
	assert.Equal(t, "in_progress>in_progress", statuses[len(statuses)-1], "each save is recorded as activity")
}

func TestAnswersNeedAStartedInvitation(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	inv, _ := f.invite(t, "w1")
	u := assessments.ProgressUpdate{InstrumentID: "big-five-work", At: invNow, Answers: map[string]assessments.Answer{"e01": {Value: 3}}}
	err := f.answers.SaveProgress(ctx, f.tenantID, inv.ID, u)
	assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err))

	started := f.started(t, "w2")
	_, err = f.invitations.Cancel(ctx, f.tenantID, started.ID, "")
	require.NoError(t, err)
	err = f.answers.SaveProgress(ctx, f.tenantID, started.ID, u)
	assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err))

	err = f.answers.SaveProgress(ctx, f.tenant(t, "9"), f.started(t, "w3").ID, u)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))
	var n int
	require.NoError(t, f.db.R.QueryRow(`SELECT COUNT(*) FROM answers`).Scan(&n))
	assert.Zero(t, n)
}

func TestQuietProgressSavesAnswersWithoutAHistoryEvent(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	inv := f.started(t, "w1")
	before, err := f.invitations.Events(ctx, f.tenantID, inv.ID)
	require.NoError(t, err)

	for _, u := range []assessments.ProgressUpdate{
		{InstrumentID: "big-five-work", At: f.clock.Now(), Step: 1, Quiet: true, Answers: map[string]assessments.Answer{"e01": {Value: 4}}},
		{InstrumentID: "big-five-work", At: f.clock.Now(), Step: 1, Quiet: true, Answers: map[string]assessments.Answer{"e02": {Value: 2}}},
	} {
		require.NoError(t, f.answers.SaveProgress(ctx, f.tenantID, inv.ID, u))
	}
	p, err := f.answers.Progress(ctx, f.tenantID, inv.ID)
	require.NoError(t, err)
	assert.Len(t, p.Attempts["big-five-work"].Answers, 2, "both answers are kept")
	after, err := f.invitations.Events(ctx, f.tenantID, inv.ID)
	require.NoError(t, err)
	assert.Len(t, after, len(before), "answers saved one by one add nothing to the history")

	require.NoError(t, f.answers.SaveProgress(ctx, f.tenantID, inv.ID, assessments.ProgressUpdate{
		InstrumentID: "big-five-work", At: f.clock.Now(), Step: 2, Detail: "answered page 1"}))
	after, err = f.invitations.Events(ctx, f.tenantID, inv.ID)
	require.NoError(t, err)
	assert.Len(t, after, len(before)+1, "the page's own submit is recorded")
}
