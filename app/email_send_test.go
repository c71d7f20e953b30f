package app

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/mail/mailtest"
	"github.com/jobcannon/jobcannon/storage"
)

// candidateLink finds the candidate's link in a text part.
var candidateLink = regexp.MustCompile(`https?://[^\s]+/a/[A-Za-z0-9_-]{43}`)

// scheduledJob is a River job as the lifecycle tests look at it.
type scheduledJob struct {
	Kind        string
	State       string
	ScheduledAt time.Time
	Args        map[string]any
}

func (e *emailEnv) jobsOf(kind string) []scheduledJob {
	e.t.Helper()
	rows, err := e.app.DB.R.Query(`SELECT kind, state, scheduled_at, json(args) FROM river_job WHERE kind = ? ORDER BY id`, kind)
	require.NoError(e.t, err)
	defer rows.Close()
	var out []scheduledJob
	for rows.Next() {
		var j scheduledJob
		var at string
		var args []byte
		require.NoError(e.t, rows.Scan(&j.Kind, &j.State, &at, &args))
		j.ScheduledAt, err = time.Parse("2006-01-02 15:04:05.999999999-07:00", strings.TrimSuffix(at, "Z"))
		if err != nil {
			j.ScheduledAt, err = time.Parse(time.RFC3339Nano, at)
		}
		require.NoError(e.t, err, at)
		require.NoError(e.t, json.Unmarshal(args, &j.Args))
		out = append(out, j)
	}
	require.NoError(e.t, rows.Err())
	return out
}

func TestEmailInvitationReachesTheSMTPServer(t *testing.T) {
	e := newEmailEnv(t, nil)
	wid := e.newApplication("<b>Zoë</b>", `O'Brien & "Sons"`, "zoe@example.org")

	res := e.move(wid, icimstest.StatusAssessment)
	require.Equal(t, http.StatusOK, res.StatusCode, string(res.Body))
	inv := e.invitationOf()
	got := e.smtp.Wait(1, 20*time.Second)
	require.Len(t, got, 1, "the invitation e-mail reached the SMTP server")
	assert.Equal(t, []string{"zoe@example.org"}, got[0].To)
	assert.Equal(t, "assessments@jobcannon.test", got[0].From)

	m := parseMail(t, got[0].Data)
	assert.Equal(t, strings.TrimSpace("Next step for your Account Executive application at "+e.tenant.Name), m.decodedSubject(t))
	link := candidateLink.FindString(m.Text)
	require.NotEmpty(t, link, m.Text)
	assert.True(t, strings.HasPrefix(link, e.app.URL+"/a/"), link)
	assert.Contains(t, m.HTML, `href="`+link+`"`, "the button and the plain URL carry the same link")
	assert.Contains(t, m.Text, "Hi <b>Zoë</b>,", "the text part is text")
	assert.Contains(t, m.HTML, "Hi &lt;b&gt;Zoë&lt;/b&gt;,", "the name is escaped in the HTML part")
	assert.NotContains(t, m.HTML, "<b>Zoë</b>")
	assert.Equal(t, "<"+strings.Trim(m.Header.Get("Message-ID"), "<>")+">", m.Header.Get("Message-ID"))

	inv = e.waitStatus(inv.ID, assessments.StatusSent)
	assert.Equal(t, 1, inv.SentCount)
	emails, err := e.app.events.events.Delivery(context.Background(), e.tenant.ID, e.lastEmailDelivery())
	require.NoError(t, err)
	assert.Equal(t, assessments.DirectionOutbound, emails.Direction)
	assert.Equal(t, assessments.DeliveryKindEmail, emails.Kind)
	assert.Equal(t, assessments.DeliveryProcessed, emails.Status)
	assert.Equal(t, 250, emails.HTTPStatus)
	assert.Equal(t, inv.ID, emails.InvitationID)
	var kept string
	require.NoError(t, e.app.DB.R.QueryRow(`SELECT message_id FROM invitation_emails WHERE invitation_id = ? AND status = 'sent'`, inv.ID).Scan(&kept))
	assert.Equal(t, m.Header.Get("Message-ID"), kept, "the Message-ID is kept with the invitation")

	// The reminders and the expiry are queued with the send.
	reminders := e.jobsOf("remind_invitation")
	require.Len(t, reminders, 2)
	for i, day := range []int{2, 5} {
		assert.EqualValues(t, day, reminders[i].Args["day"])
		assert.WithinDuration(t, inv.SentAt.Add(time.Duration(day)*24*time.Hour), reminders[i].ScheduledAt, time.Second)
	}
	expiry := e.jobsOf("expire_invitation")
	require.Len(t, expiry, 1)
	assert.WithinDuration(t, inv.ExpiresAt, expiry[0].ScheduledAt, time.Second)

	// The link opens the assessment.
	p := newBrowser(t).get(link)
	assert.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Equal(t, assessments.StatusOpened, e.invitation(inv.ID).Status)
}

// lastEmailDelivery is the id of the tenant's newest outbound e-mail
// delivery.
func (e *emailEnv) lastEmailDelivery() int64 {
	e.t.Helper()
	var id int64
	require.NoError(e.t, e.app.DB.R.QueryRow(`SELECT COALESCE(MAX(id), 0) FROM deliveries
		WHERE tenant_id = ? AND direction = 'outbound' AND kind = 'email'`, e.tenant.ID).Scan(&id))
	require.NotZero(e.t, id, "no e-mail delivery recorded")
	return id
}

func TestEmailTemporaryFailureIsRetriedThenDeliveredOnce(t *testing.T) {
	e := newEmailEnv(t, nil)
	e.smtp.FailNextData(1, &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"})
	wid := e.newApplication("Tess", "Retry", "tess@example.org")
	e.move(wid, icimstest.StatusAssessment)
	inv := e.invitationOf()

	inv = e.waitStatus(inv.ID, assessments.StatusSent)
	got := e.smtp.Received()
	require.Len(t, got, 1)
	assert.Equal(t, 2, e.smtp.DataAttempts(), "refused once, accepted on the retry")
	assert.Equal(t, 1, inv.SentCount)

	d, err := e.app.events.events.Delivery(context.Background(), e.tenant.ID, e.lastEmailDelivery())
	require.NoError(t, err)
	assert.Equal(t, assessments.DeliveryProcessed, d.Status)
	assert.Equal(t, 2, d.Attempts)
	attempts, err := e.app.events.events.Attempts(context.Background(), e.tenant.ID, d.ID)
	require.NoError(t, err)
	require.Len(t, attempts, 2)
	assert.Equal(t, 451, attempts[0].ResponseStatus)
	assert.Contains(t, attempts[0].Error, "Try again later")
	assert.Equal(t, 250, attempts[1].ResponseStatus)
	assert.Equal(t, attempts[0].RequestHeaders["Message-ID"], attempts[1].RequestHeaders["Message-ID"], "the retry reuses the Message-ID")
	assert.Equal(t, attempts[1].RequestHeaders["Message-ID"], parseMail(t, got[0].Data).Header.Get("Message-ID"))

	require.Eventually(t, func() bool {
		jobs := e.jobsOf("send_invitation")
		return len(jobs) == 1 && jobs[0].State == "completed"
	}, 10*time.Second, 20*time.Millisecond)
	assert.Len(t, e.smtp.Received(), 1, "delivered once")
}

func TestEmailPermanentFailureMarksTheInvitationFailed(t *testing.T) {
	e := newEmailEnv(t, func(s *mailtest.Server) {
		s.RcptErr = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
	})
	wid := e.newApplication("Nobody", "Here", "nobody@example.org")
	e.move(wid, icimstest.StatusAssessment)
	inv := e.invitationOf()

	inv = e.waitStatus(inv.ID, assessments.StatusFailed)
	assert.Zero(t, inv.SentCount)
	assert.Empty(t, e.smtp.Received())
	events, err := storage.NewInvitationStore(e.app.DB, nil, assessments.SystemClock{}, nil).Events(context.Background(), e.tenant.ID, inv.ID)
	require.NoError(t, err)
	last := events[len(events)-1]
	assert.Equal(t, assessments.StatusFailed, last.Status)
	assert.Contains(t, last.Detail, "The mail server refused the e-mail to nobody@example.org")
	assert.Contains(t, last.Detail, "No such user")

	d, err := e.app.events.events.Delivery(context.Background(), e.tenant.ID, e.lastEmailDelivery())
	require.NoError(t, err)
	assert.Equal(t, assessments.DeliveryFailed, d.Status)
	assert.Equal(t, 550, d.HTTPStatus)
	require.Eventually(t, func() bool {
		jobs := e.jobsOf("send_invitation")
		return len(jobs) == 1 && jobs[0].State == "cancelled"
	}, 10*time.Second, 20*time.Millisecond, "a permanent failure is not retried")
	assert.Empty(t, e.jobsOf("remind_invitation"), "nothing to remind")
}
