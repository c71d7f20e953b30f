package jobs

import (
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/mail"
)

func permanent550() error {
	return &mail.SendError{Code: 550, Permanent: true, Err: errors.New("550 5.1.1 no such user")}
}

func (h *mailHarness) expire(inv assessments.Invitation, at time.Time) error {
	w := &ExpireInvitationWorker{Invitations: h.invitations, Clock: h.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return w.Work(h.ctx, job(1, 1, 5, jobargs.ExpireInvitationArgs{TenantID: inv.TenantID, InvitationID: inv.ID, ExpiresAt: at}))
}

func TestExpiryAtTheDeadline(t *testing.T) {
	h := newMailHarness(t)
	inv, _ := h.invite("w1", nil)
	require.NoError(t, h.send(inv, 1))
	inv = h.get(inv)

	// River may run the job a moment early: it sleeps until the deadline.
	h.clock.Advance(7*24*time.Hour - time.Minute)
	err := h.expire(inv, inv.ExpiresAt)
	var snooze *rivertype.JobSnoozeError
	require.True(t, errors.As(err, &snooze), "%v", err)
	assert.Equal(t, time.Minute+time.Second, snooze.Duration)
	assert.Equal(t, assessments.StatusSent, h.get(inv).Status)

	h.clock.Advance(time.Minute)
	require.NoError(t, h.expire(inv, inv.ExpiresAt))
	assert.Equal(t, assessments.StatusExpired, h.get(inv).Status)
	assert.True(t, h.sawTransition("sent>expired"), "through the store, so iCIMS is told")
	require.NoError(t, h.expire(inv, inv.ExpiresAt), "running again changes nothing")
}

func TestExpiryGivesAStartedCandidateTheGrace(t *testing.T) {
	h := newMailHarness(t)
	inv, _ := h.invite("w1", nil)
	require.NoError(t, h.send(inv, 1))
	for _, s := range []assessments.InvitationStatus{assessments.StatusOpened, assessments.StatusInProgress} {
		_, err := h.invitations.Transition(h.ctx, inv.TenantID, inv.ID, s, "test")
		require.NoError(t, err)
	}
	inv = h.get(inv)
	h.clock.Advance(7 * 24 * time.Hour)
	err := h.expire(inv, inv.ExpiresAt)
	var snooze *rivertype.JobSnoozeError
	require.True(t, errors.As(err, &snooze), "%v", err)
	assert.Equal(t, assessments.StartedGrace+time.Second, snooze.Duration)
	assert.Equal(t, assessments.StatusInProgress, h.get(inv).Status)

	h.clock.Advance(assessments.StartedGrace)
	require.NoError(t, h.expire(inv, inv.ExpiresAt))
	assert.Equal(t, assessments.StatusExpired, h.get(inv).Status)
}

func TestExpiryLeavesExtendedAndEndedInvitationsAlone(t *testing.T) {
	h := newMailHarness(t)
	inv, _ := h.invite("w1", nil)
	require.NoError(t, h.send(inv, 1))
	old := h.get(inv).ExpiresAt
	_, err := h.scheduler.Extend(h.ctx, inv.TenantID, inv.ID, old.Add(10*24*time.Hour))
	require.NoError(t, err)
	h.clock.Advance(7 * 24 * time.Hour)
	require.NoError(t, h.expire(inv, old), "the old job finds the deadline moved")
	assert.Equal(t, assessments.StatusSent, h.get(inv).Status)

	cancelled, _ := h.invite("w2", nil)
	_, err = h.invitations.Cancel(h.ctx, cancelled.TenantID, cancelled.ID, "filled")
	require.NoError(t, err)
	h.clock.Advance(30 * 24 * time.Hour)
	require.NoError(t, h.expire(cancelled, cancelled.ExpiresAt))
	assert.Equal(t, assessments.StatusCancelled, h.get(cancelled).Status)
	require.NoError(t, h.expire(assessments.Invitation{TenantID: inv.TenantID, ID: 9999}, old), "a deleted invitation")
}
