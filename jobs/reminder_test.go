package jobs

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

func (h *mailHarness) remind(inv assessments.Invitation, id int64, day int) error {
	w := &RemindInvitationWorker{Mailer: h.mailer}
	return w.Work(h.ctx, job(id, 1, 5, jobargs.RemindInvitationArgs{TenantID: inv.TenantID, InvitationID: inv.ID, Day: day}))
}

func TestReminderGoesToCandidatesWhoHaveNotFinished(t *testing.T) {
	cases := []struct {
		name   string
		status assessments.InvitationStatus
		after  time.Duration
		want   bool
	}{
		{"sent", assessments.StatusSent, 48 * time.Hour, true},
		{"opened", assessments.StatusOpened, 48 * time.Hour, true},
		{"in progress", assessments.StatusInProgress, 48 * time.Hour, true},
		{"completed", assessments.StatusCompleted, 48 * time.Hour, false},
		{"cancelled", assessments.StatusCancelled, 48 * time.Hour, false},
		{"expired", assessments.StatusExpired, 48 * time.Hour, false},
		{"past the deadline, not yet expired", assessments.StatusSent, 8 * 24 * time.Hour, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newMailHarness(t)
			inv, token := h.invite("w1", nil)
			require.NoError(t, h.send(inv, 1))
			switch c.status {
			case assessments.StatusCompleted:
				for _, s := range []assessments.InvitationStatus{assessments.StatusOpened, assessments.StatusInProgress, assessments.StatusCompleted} {
					_, err := h.invitations.Transition(h.ctx, inv.TenantID, inv.ID, s, "test")
					require.NoError(t, err)
				}
			case assessments.StatusInProgress:
				_, err := h.invitations.Transition(h.ctx, inv.TenantID, inv.ID, assessments.StatusOpened, "test")
				require.NoError(t, err)
				fallthrough
			case assessments.StatusOpened, assessments.StatusCancelled, assessments.StatusExpired:
				_, err := h.invitations.Transition(h.ctx, inv.TenantID, inv.ID, c.status, "test")
				require.NoError(t, err)
			}
			h.clock.Advance(c.after)

			require.NoError(t, h.remind(inv, 7, 2))
			msgs := h.messages()
			if !c.want {
				assert.Len(t, msgs, 1, "no reminder")
				return
			}
			require.Len(t, msgs, 2)
			r := msgs[0]
			assert.True(t, strings.HasPrefix(r.Subject, "Reminder: Next step for your"), r.Subject)
			assert.Contains(t, r.Text, "https://jc.example/a/"+token, "the same link")
			assert.NotEqual(t, msgs[1].MessageID, r.MessageID)
			got := h.get(inv)
			assert.Equal(t, c.status, got.Status, "a reminder changes no status")
			assert.Equal(t, 1, got.SentCount, "a reminder is not a resend")

			// Another job for the same day sends nothing more.
			require.NoError(t, h.remind(inv, 8, 2))
			assert.Len(t, h.messages(), 2)
			// The next day's reminder is its own e-mail.
			h.clock.Advance(3 * 24 * time.Hour)
			require.NoError(t, h.remind(inv, 9, 5))
			assert.Len(t, h.messages(), 3)
		})
	}
}

func TestReminderFailureLeavesTheInvitationAlone(t *testing.T) {
	h := newMailHarness(t)
	inv, _ := h.invite("w1", nil)
	require.NoError(t, h.send(inv, 1))
	h.clock.Advance(48 * time.Hour)
	h.sender.failNext(permanent550())
	require.Error(t, h.remind(inv, 7, 2))
	assert.Equal(t, assessments.StatusSent, h.get(inv).Status, "the first e-mail arrived; the candidate has the link")
	emails, err := h.emails.Emails(h.ctx, inv.TenantID, inv.ID)
	require.NoError(t, err)
	require.Len(t, emails, 2)
	assert.Equal(t, assessments.EmailReminder, emails[1].Kind)
	assert.Equal(t, assessments.EmailFailed, emails[1].Status)
}
