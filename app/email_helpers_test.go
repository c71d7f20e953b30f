package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/mail/mailtest"
)

// emailEnv is the whole service sending through an in-process SMTP server,
// with the US sandbox customer installed, an admin signed in, the events
// engineer's three packages and an auto rule that sends Big Five when a
// candidate enters the Assessment stage.
type emailEnv struct {
	*eventsEnv
	smtp *mailtest.Server
}

func newEmailEnv(t *testing.T, configureSMTP func(*mailtest.Server)) *emailEnv {
	t.Helper()
	srv := mailtest.Start(t, mailtest.PlainOnly, nil, configureSMTP)
	app := newTestApp(t, func(c *Config) { c.SMTPURL = srv.URL() })
	e := newAdminEnv(t, app, signInAdmin,
		assessments.Package{Name: "Big Five", InstrumentIDs: []string{"big-five-work"}, AssessmentTypeID: icimstest.AssessmentBigFive,
			ReminderDays: []int{2, 5}},
		assessments.Package{Name: "Work Style", InstrumentIDs: []string{"work-style"}, AssessmentTypeID: icimstest.AssessmentWorkStyle,
			ReminderDays: []int{2, 5}})
	e.addRule(url.Values{"name": {"Assessment stage"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"package_id": {idString(e.pkg[icimstest.AssessmentBigFive].ID)}})
	return &emailEnv{eventsEnv: e, smtp: srv}
}

// icims returns an iCIMS client for the sandbox customer, to change what
// the simulator holds as a recruiter would. It has a pacer of its own, so
// the setup does not use up the service's iCIMS rate limit.
func (e *emailEnv) icims() *icims.Client {
	e.t.Helper()
	cid := icimstest.CustomerUS
	c, err := icims.New(icims.Config{CustomerID: cid, BaseURL: e.app.sim.APIBase(),
		Auth: icims.Basic{User: icimstest.BasicUser(cid), Password: icimstest.BasicPassword(cid)}})
	require.NoError(e.t, err)
	return c
}

// newApplication creates a candidate and an application to job 2001 in
// the simulator and returns the workflow id.
func (e *emailEnv) newApplication(first, last, email string) int {
	e.t.Helper()
	ctx := context.Background()
	c := e.icims()
	pid, _, err := c.CreatePerson(ctx, map[string]any{"firstname": first, "lastname": last, "email": email})
	require.NoError(e.t, err)
	wid, _, err := c.CreateApplicantWorkflow(ctx, icims.NewApplicantWorkflow{JobID: strconv.Itoa(icimstest.USJob1), PersonID: pid})
	require.NoError(e.t, err)
	n, err := strconv.Atoi(wid)
	require.NoError(e.t, err)
	return n
}

// invitationOf waits until the newest delivery is processed and returns
// the invitation it created.
func (e *emailEnv) invitationOf() assessments.Invitation {
	e.t.Helper()
	d := e.settled()
	require.Equal(e.t, assessments.DeliveryProcessed, d.Status, d.Message)
	require.NotZero(e.t, d.InvitationID)
	return e.invitation(d.InvitationID)
}

// waitStatus waits until the invitation has the status.
func (e *emailEnv) waitStatus(id int64, want assessments.InvitationStatus) assessments.Invitation {
	e.t.Helper()
	var inv assessments.Invitation
	require.Eventually(e.t, func() bool {
		inv = e.invitation(id)
		return inv.Status == want
	}, 20*time.Second, 20*time.Millisecond, "invitation %d never became %s", id, want)
	return inv
}

// parsedMail is a received message's headers and decoded parts.
type parsedMail struct {
	Header netmail.Header
	Text   string
	HTML   string
}

// parseMail decodes a multipart/alternative message as the sender writes
// it.
func parseMail(t *testing.T, data []byte) parsedMail {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(data))
	require.NoError(t, err)
	out := parsedMail{Header: msg.Header}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(t, err)
	require.Equal(t, "multipart/alternative", mediaType, "both an HTML and a text part")
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		var r io.Reader = p
		if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			r = quotedprintable.NewReader(p)
		}
		body, err := io.ReadAll(r)
		require.NoError(t, err)
		ct, _, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		require.NoError(t, err)
		switch ct {
		case "text/plain":
			out.Text = string(body)
		case "text/html":
			out.HTML = string(body)
		}
	}
	return out
}

// decodedSubject is the Subject header, RFC 2047 decoded.
func (m parsedMail) decodedSubject(t *testing.T) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	require.NoError(t, err)
	return s
}
