package jobs

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/storage"
)

func TestExtendReschedulesExpiryAndTheRemindersStillAhead(t *testing.T) {
	h := newMailHarness(t)
	inv, _ := h.invite("w1", func(s *storage.SandboxSeed) {
		s.Configure = func(p *assessments.Package) { p.ReminderDays, p.ExpiryDays = []int{2, 5, 9}, 10 }
	})
	require.NoError(t, h.send(inv, 1))
	assert.Len(t, h.queue.of("remind_invitation"), 3)
	h.queue.params = nil

	// Day 6: the day-2 and day-5 reminders are behind, day 9 is queued
	// again (its e-mail is keyed by the day, so it goes out once).
	h.clock.Advance(6 * 24 * time.Hour)
	until := mailNow.Add(20 * 24 * time.Hour)
	got, err := h.scheduler.Extend(h.ctx, inv.TenantID, inv.ID, until)
	require.NoError(t, err)
	assert.Equal(t, until, got.ExpiresAt)

	expiry := h.queue.of("expire_invitation")
	require.Len(t, expiry, 1)
	assert.Equal(t, until, expiry[0].InsertOpts.ScheduledAt)
	assert.Equal(t, jobargs.ExpireInvitationArgs{TenantID: inv.TenantID, InvitationID: inv.ID, ExpiresAt: until}, expiry[0].Args)
	reminders := h.queue.of("remind_invitation")
	require.Len(t, reminders, 1)
	assert.Equal(t, jobargs.RemindInvitationArgs{TenantID: inv.TenantID, InvitationID: inv.ID, Day: 9}, reminders[0].Args)
	assert.Equal(t, mailNow.Add(9*24*time.Hour), reminders[0].InsertOpts.ScheduledAt, "days count from the first send")
}

func TestResendSendsTheSameLinkAgain(t *testing.T) {
	h := newMailHarness(t)
	inv, token := h.invite("w1", nil)
	require.NoError(t, h.send(inv, 1))
	h.queue.params = nil

	require.NoError(t, h.scheduler.QueueResend(h.ctx, inv.TenantID, inv.ID, "ops@acme.example"))
	resends := h.queue.of("resend_invitation")
	require.Len(t, resends, 1)
	args := resends[0].Args.(jobargs.ResendInvitationArgs)
	assert.Equal(t, jobargs.ResendInvitationArgs{TenantID: inv.TenantID, InvitationID: inv.ID, By: "ops@acme.example"}, args)

	w := &ResendInvitationWorker{Mailer: h.mailer, Scheduler: h.scheduler}
	require.NoError(t, w.Work(h.ctx, job(41, 1, 5, args)))
	require.NoError(t, w.Work(h.ctx, job(41, 2, 5, args)), "a retry of the same job sends nothing more")
	require.NoError(t, w.Work(h.ctx, job(42, 1, 5, args)), "a second resend is a second e-mail")
	msgs := h.messages()
	require.Len(t, msgs, 3)
	for _, m := range msgs {
		assert.Contains(t, m.Text, "https://jc.example/a/"+token)
	}
	got := h.get(inv)
	assert.Equal(t, 3, got.SentCount)
	assert.Equal(t, assessments.StatusSent, got.Status)
	assert.Len(t, h.queue.of("remind_invitation"), 0, "resends schedule nothing new")

	other := h.queue.params
	err := h.scheduler.QueueResend(h.ctx, inv.TenantID+1, inv.ID, "x")
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))
	assert.Equal(t, other, h.queue.params)
}

func TestResendRevivesAFailedInvitation(t *testing.T) {
	h := newMailHarness(t)
	inv, _ := h.invite("w1", nil)
	h.sender.failNext(permanent550())
	require.Error(t, h.send(inv, 1))
	require.Equal(t, assessments.StatusFailed, h.get(inv).Status)

	w := &ResendInvitationWorker{Mailer: h.mailer, Scheduler: h.scheduler}
	require.NoError(t, w.Work(h.ctx, job(50, 1, 5, jobargs.ResendInvitationArgs{TenantID: inv.TenantID, InvitationID: inv.ID})))
	got := h.get(inv)
	assert.Equal(t, assessments.StatusSent, got.Status)
	assert.Equal(t, 1, got.SentCount)
	assert.Len(t, h.queue.of("remind_invitation"), 2, "its first delivered e-mail schedules the reminders")
	assert.Len(t, h.queue.of("expire_invitation"), 1)
}
