package jobs

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/storage"
)

func TestSendInvitationSendsOnceAndSchedulesTheLifecycle(t *testing.T) {
	h := newMailHarness(t)
	inv, token := h.invite("w1", nil)

	require.NoError(t, h.send(inv, 1))
	msgs := h.messages()
	require.Len(t, msgs, 1)
	m := msgs[0]
	assert.Equal(t, "sam.candidate@example.com", m.To)
	assert.Equal(t, "Sam Candidate", m.ToName)
	assert.Equal(t, "Sandbox Company", m.FromName)
	assert.Equal(t, "Next step for your Customer Success Manager application at Sandbox Company", m.Subject)
	assert.Contains(t, m.Text, "https://jc.example/a/"+token+"\n", "the invitation's own link")
	assert.Contains(t, m.Text, "by Monday, June 8, 2026 at 9:00 AM UTC", "the deadline is the expiry")
	assert.Equal(t, strconv.FormatInt(inv.ID, 10), m.Header(HeaderInvitation))

	got := h.get(inv)
	assert.Equal(t, assessments.StatusSent, got.Status)
	assert.Equal(t, 1, got.SentCount)
	assert.True(t, h.sawTransition("created>sent"), "through the store's transition")

	expiry := h.queue.of("expire_invitation")
	require.Len(t, expiry, 1)
	assert.Equal(t, got.ExpiresAt, expiry[0].InsertOpts.ScheduledAt)
	assert.Equal(t, jobargs.ExpireInvitationArgs{TenantID: inv.TenantID, InvitationID: inv.ID, ExpiresAt: got.ExpiresAt}, expiry[0].Args)
	reminders := h.queue.of("remind_invitation")
	require.Len(t, reminders, 2)
	for i, day := range []int{2, 5} {
		assert.Equal(t, jobargs.RemindInvitationArgs{TenantID: inv.TenantID, InvitationID: inv.ID, Day: day}, reminders[i].Args)
		assert.Equal(t, mailNow.Add(time.Duration(day)*24*time.Hour), reminders[i].InsertOpts.ScheduledAt)
	}

	// A second job for the same invitation (or a retry after the commit)
	// sends nothing and schedules nothing.
	require.NoError(t, h.send(inv, 2))
	assert.Len(t, h.messages(), 1)
	assert.Len(t, h.queue.params, 3)
}

func TestSendInvitationRetriesWithTheSameMessageID(t *testing.T) {
	h := newMailHarness(t)
	inv, _ := h.invite("w1", nil)
	h.sender.failNext(&mail.SendError{Code: 421, Err: errors.New("421 4.3.0 try later")})

	err := h.send(inv, 1)
	require.Error(t, err)
	var cancel *rivertype.JobCancelError
	assert.False(t, errors.As(err, &cancel), "a temporary failure is retried")
	assert.Empty(t, h.messages())
	assert.Equal(t, assessments.StatusCreated, h.get(inv).Status)
	assert.Empty(t, h.queue.params)

	require.NoError(t, h.send(inv, 2))
	require.Len(t, h.messages(), 1)
	require.Len(t, h.sender.attempts, 2)
	assert.Equal(t, h.sender.attempts[0], h.sender.attempts[1], "both attempts carry the same Message-ID")
	assert.Equal(t, h.sender.attempts[0], h.messages()[0].MessageID)
	emails, err := h.emails.Emails(h.ctx, inv.TenantID, inv.ID)
	require.NoError(t, err)
	require.Len(t, emails, 1)
	assert.Equal(t, 2, emails[0].Attempts)
	assert.Equal(t, assessments.EmailSent, emails[0].Status)
	assert.Equal(t, assessments.StatusSent, h.get(inv).Status)
}

func TestSendInvitationFailures(t *testing.T) {
	cases := []struct {
		name      string
		err       error
		attempt   int
		cancelled bool
	}{
		{"refused for good", &mail.SendError{Code: 550, Permanent: true, Err: errors.New("550 5.1.1 no such user")}, 1, true},
		{"temporary on the last attempt", &mail.SendError{Code: 421, Err: errors.New("421 busy")}, 5, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newMailHarness(t)
			inv, _ := h.invite("w1", nil)
			h.sender.failNext(c.err)
			err := h.send(inv, c.attempt)
			require.Error(t, err)
			var cancel *rivertype.JobCancelError
			assert.Equal(t, c.cancelled, errors.As(err, &cancel))
			got := h.get(inv)
			assert.Equal(t, assessments.StatusFailed, got.Status)
			assert.True(t, h.sawTransition("created>failed"))
			events, err := h.invitations.Events(h.ctx, inv.TenantID, inv.ID)
			require.NoError(t, err)
			assert.Contains(t, events[len(events)-1].Detail, "sam.candidate@example.com")
			assert.Empty(t, h.queue.params, "nothing scheduled for an undelivered invitation")
			emails, err := h.emails.Emails(h.ctx, inv.TenantID, inv.ID)
			require.NoError(t, err)
			assert.Equal(t, assessments.EmailFailed, emails[0].Status)
		})
	}
}

func TestSendInvitationSkipsWhatIsNotWanted(t *testing.T) {
	h := newMailHarness(t)
	cancelled, _ := h.invite("w1", nil)
	_, err := h.invitations.Cancel(h.ctx, cancelled.TenantID, cancelled.ID, "filled")
	require.NoError(t, err)
	inline, _ := h.invite("w2", func(s *storage.SandboxSeed) { s.ReturnURL = "https://customer.icims.example/done" })

	for _, inv := range []assessments.Invitation{cancelled, inline} {
		require.NoError(t, h.send(inv, 1))
	}
	w := &SendInvitationWorker{Mailer: h.mailer, Scheduler: h.scheduler}
	require.NoError(t, w.Work(h.ctx, job(1, 1, 5, jobargs.SendInvitationArgs{InvitationID: 9999})), "a deleted invitation")
	assert.Empty(t, h.messages())
	assert.Empty(t, h.sender.attempts)
}

func TestSendInvitationUsesTheTenantTemplate(t *testing.T) {
	h := newMailHarness(t)
	inv, _ := h.invite("w1", func(s *storage.SandboxSeed) { s.FirstName = `<b>Sam</b> "&"` })
	require.NoError(t, h.templates.SaveTemplate(h.ctx, inv.TenantID, 0, mail.Template{
		Subject: "{{candidate_first_name}}: {{assessment_name}}", Body: "Hello {{candidate_first_name}}\n\n{{assessment_link}}",
		SenderName: "Acme Talent", ReplyTo: "talent@acme.example"}))

	require.NoError(t, h.send(inv, 1))
	m := h.messages()[0]
	assert.Equal(t, `<b>Sam</b> "&": Work personality`, m.Subject)
	assert.Equal(t, "Acme Talent", m.FromName)
	assert.Equal(t, "talent@acme.example", m.ReplyTo)
	assert.Contains(t, m.HTML, "Hello &lt;b&gt;Sam&lt;/b&gt; &#34;&amp;&#34;")
	assert.NotContains(t, m.HTML, "<b>Sam")
}

func TestSendInvitationFallsBackWhenTheStoredTemplateNoLongerRenders(t *testing.T) {
	h := newMailHarness(t)
	inv, _ := h.invite("w1", nil)
	// As if the rules had become stricter since it was saved.
	_, err := h.db.W.Exec(`INSERT INTO email_templates (tenant_id, subject, body, updated_at) VALUES (?, 'x {{gone}}', 'no link', ?)`,
		inv.TenantID, mailNow)
	require.NoError(t, err)
	require.NoError(t, h.send(inv, 1))
	assert.Equal(t, "Next step for your Customer Success Manager application at Sandbox Company", h.messages()[0].Subject)
}
