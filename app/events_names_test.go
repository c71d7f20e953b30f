package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// linkLabels are the titles iCIMS gives an event's links (contract §5):
// labels, which must never be shown as a job title or a person's name.
var linkLabels = []string{"Job Profile", "Person Profile", "Applicant Workflow", "Posting User"}

// assertNoLinkLabels checks that a page or message shows none of them.
func assertNoLinkLabels(t *testing.T, where, text string) {
	t.Helper()
	for _, l := range linkLabels {
		assert.NotContains(t, text, l, where)
	}
	assert.NotContains(t, text, "Hello Person", where)
}

// reportOf waits for the workflow's result row in iCIMS and opens the
// recruiter report its assessmenturl links to.
func reportOf(t *testing.T, e *eventsEnv, workflow int) page {
	t.Helper()
	var link string
	require.Eventually(t, func() bool {
		rows, err := e.app.sim.Results(icimstest.CustomerUS, workflow)
		require.NoError(t, err)
		if len(rows) > 0 {
			link = rows[0].URL
		}
		return link != ""
	}, 20*time.Second, 20*time.Millisecond, "no result row with a report link")
	p := newBrowser(t).get(link)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	return p
}

func TestEventsNamesComeFromProfilesWhenSentAutomatically(t *testing.T) {
	e := newEmailEnv(t, nil)
	res := e.move(icimstest.USWorkflow1, icimstest.StatusAssessment) // Avery Brooks, Account Executive
	require.Equal(t, http.StatusOK, res.StatusCode, string(res.Body))
	inv := e.invitationOf()
	assert.Equal(t, "Account Executive", inv.JobTitle)
	assert.Equal(t, "Avery", inv.CandidateFirstName)
	assert.Equal(t, "Brooks", inv.CandidateLastName)

	got := e.smtp.Wait(1, 20*time.Second)
	require.Len(t, got, 1)
	m := parseMail(t, got[0].Data)
	subject := m.decodedSubject(t)
	assert.Contains(t, subject, "Account Executive", "the e-mail subject")
	assertNoLinkLabels(t, "the e-mail subject", subject)
	assertNoLinkLabels(t, "the e-mail", m.Text)

	link := candidateLink.FindString(m.Text)
	require.NotEmpty(t, link, m.Text)
	welcome := newBrowser(t).get(link)
	require.Equal(t, http.StatusOK, welcome.Status, welcome.Body)
	assert.Contains(t, welcome.Body, "Hello Avery,", "the candidate page greets the candidate")
	assert.Contains(t, welcome.Body, "your application for <strong>Account Executive</strong>", "the candidate page")
	assertNoLinkLabels(t, "the candidate page", welcome.Body)

	report := reportOf(t, e.eventsEnv, icimstest.USWorkflow1)
	assert.Contains(t, report.Body, "<title>Assessment report: Avery Brooks", "the report's title")
	assert.Contains(t, report.Body, "<h1>Avery Brooks</h1>")
	assert.Contains(t, report.Body, "Applying for <strong>Account Executive</strong>")
	assertNoLinkLabels(t, "the report", report.Body)

	logs := e.b.get(e.app.URL + "/admin/integrations/icims/logs")
	require.Equal(t, http.StatusOK, logs.Status, logs.Body)
	assert.Contains(t, logs.Body, "Avery Brooks", "the logs page")
	assert.Contains(t, logs.Body, "Account Executive", "the logs page")
	assertNoLinkLabels(t, "the logs page", logs.Body)
}

func TestEventsNamesComeFromProfilesOnTheConfirmPage(t *testing.T) {
	e := newEventsEnv(t)
	reasoning := e.pkg[icimstest.AssessmentReasoning]
	e.addRule(url.Values{"name": {"Recruiter review"}, "mode": {"manual"},
		"to_0": {icimstest.StatusRecruiterReview}, "package_id": {idString(reasoning.ID)}})
	res := e.move(icimstest.USWorkflow2, icimstest.StatusRecruiterReview) // Blake Carter, Customer Support Specialist
	require.Equal(t, http.StatusSeeOther, res.StatusCode, string(res.Body))

	recruiter := newBrowser(t)
	p := recruiter.get(res.Location)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "Blake Carter")
	assert.Contains(t, p.Body, "Customer Support Specialist")
	assertNoLinkLabels(t, "the confirm page", p.Body)

	p = recruiter.submit(p, res.Location, url.Values{"package_id": {idString(reasoning.ID)}, "action": {"send"}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	d := e.lastDelivery()
	require.Equal(t, assessments.DeliveryProcessed, d.Status, d.Message)
	inv := e.invitation(d.InvitationID)
	assert.Equal(t, "Customer Support Specialist", inv.JobTitle, "the invitation the recruiter sent")
	assert.Equal(t, "Blake", inv.CandidateFirstName)
	assert.Equal(t, "Carter", inv.CandidateLastName)
}

func TestEventsNamesComeFromProfilesInTheInlineFlow(t *testing.T) {
	for _, tt := range []struct {
		name     string
		rule     bool // an inline rule with a fixed package: routing reads no job
		workflow int
		first    string
		last     string
	}{
		{"by the job's assessment type", false, icimstest.USWorkflow2, "Blake", "Carter"},
		{"by an inline rule", true, icimstest.USWorkflow5, "Emery", "Fox"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEventsEnv(t)
			if tt.rule {
				e.addRule(url.Values{"name": {"Inline reasoning"}, "mode": {"inline"},
					"package_id": {idString(e.pkg[icimstest.AssessmentReasoning].ID)}})
			}
			res, err := e.app.sim.CompleteApplication(context.Background(), icimstest.CustomerUS, tt.workflow)
			require.NoError(t, err)
			require.Equal(t, http.StatusSeeOther, res.StatusCode, string(res.Body))
			d := e.lastDelivery()
			require.Equal(t, assessments.DeliveryProcessed, d.Status, d.Message)
			inv := e.invitation(d.InvitationID)
			assert.Equal(t, tt.first, inv.CandidateFirstName)
			assert.Equal(t, tt.last, inv.CandidateLastName)
			assert.Equal(t, "Customer Support Specialist", inv.JobTitle) // both are applications to job 2002

			welcome := newBrowser(t).get(res.Location)
			require.Equal(t, http.StatusOK, welcome.Status, welcome.Body)
			assert.Contains(t, welcome.Body, "Hello "+tt.first+",")
			assert.Contains(t, welcome.Body, "your application for <strong>Customer Support Specialist</strong>")
			assertNoLinkLabels(t, "the inline welcome page", welcome.Body)

			report := reportOf(t, e, tt.workflow)
			full := tt.first + " " + tt.last
			assert.Contains(t, report.Body, "<title>Assessment report: "+full, "the report's title")
			assert.Contains(t, report.Body, "<h1>"+full+"</h1>")
			assertNoLinkLabels(t, "the report", report.Body)
			assert.False(t, strings.Contains(report.Body, "<h1>Candidate</h1>"), "the report names the candidate")
		})
	}
}
