package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

func TestEventsAutoRuleSendsOnStageEntry(t *testing.T) {
	e := newEventsEnv(t)
	bigFive := e.pkg[icimstest.AssessmentBigFive]
	ruleID := e.addRule(url.Values{"name": {"Assessment stage"}, "mode": {"auto"},
		"to_0": {icimstest.StatusAssessment}, "package_id": {idString(bigFive.ID)}})

	// A move to another status matches no rule.
	res := e.move(icimstest.USWorkflow1, icimstest.StatusReviewed)
	require.Equal(t, http.StatusOK, res.StatusCode, string(res.Body))
	d := e.lastDelivery()
	assert.Equal(t, assessments.DeliveryIgnored, d.Status)
	assert.Empty(t, e.sendJobs())

	res = e.move(icimstest.USWorkflow1, icimstest.StatusAssessment)
	require.Equal(t, http.StatusOK, res.StatusCode, string(res.Body))
	d = e.settled()
	require.Equal(t, assessments.DeliveryProcessed, d.Status, d.Message)
	assert.Equal(t, ruleID, d.RuleID)
	require.NotZero(t, d.InvitationID)
	assert.Equal(t, []int64{d.InvitationID}, e.sendJobs(), "one send_invitation job, for the new invitation")

	inv := e.invitation(d.InvitationID)
	assert.Equal(t, bigFive.ID, inv.PackageID)
	assert.Equal(t, "3001", inv.WorkflowID)
	assert.Equal(t, "avery.brooks@example.com", inv.CandidateEmail)
	assert.Equal(t, "Avery", inv.CandidateFirstName)
	assert.Equal(t, "Account Executive", inv.JobTitle)
	assert.Equal(t, e.tenant.Name, inv.CompanyName)
	assert.Equal(t, 1, e.count(`SELECT COUNT(*) FROM routed_invitations WHERE rule_id = ? AND invitation_id = ?`, ruleID, inv.ID))

	// Moving the candidate into the stage again (from elsewhere, so this is
	// a new event, not a redelivery) asks for the live package: iCIMS's
	// required friendly 400, recorded, nothing queued.
	e.move(icimstest.USWorkflow1, icimstest.StatusInterview)
	res = e.move(icimstest.USWorkflow1, icimstest.StatusAssessment)
	assert.Equal(t, http.StatusBadRequest, res.StatusCode)
	assert.Contains(t, string(res.Body), assessments.DuplicateInvitationMessage)
	assert.Equal(t, assessments.DeliveryDuplicate, e.lastDelivery().Status)
	assert.Len(t, e.sendJobs(), 1)
}

func TestEventsAutoRuleUsingJobData(t *testing.T) {
	e := newEventsEnv(t)
	// Sends whatever the job's Assessment Type names: decided in the job,
	// after the answer, with the job read from iCIMS once and cached.
	e.addRule(url.Values{"name": {"By assessment type"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"jobs": {"assessment_type"}, "package_id": {"0"}})
	res := e.move(icimstest.USWorkflow1, icimstest.StatusAssessment) // job 2001: Big Five + Reasoning
	require.Equal(t, http.StatusOK, res.StatusCode, string(res.Body))
	d := e.settled()
	require.Equal(t, assessments.DeliveryProcessed, d.Status, d.Message)
	sent := e.sendJobs()
	require.Len(t, sent, 2)
	assert.Equal(t, e.pkg[icimstest.AssessmentBigFive].ID, e.invitation(sent[0]).PackageID)
	assert.Equal(t, e.pkg[icimstest.AssessmentReasoning].ID, e.invitation(sent[1]).PackageID)

	res = e.move(icimstest.USWorkflow4, icimstest.StatusAssessment) // also job 2001
	require.Equal(t, http.StatusOK, res.StatusCode)
	d = e.settled()
	require.Equal(t, assessments.DeliveryProcessed, d.Status, d.Message)
	assert.Len(t, e.sendJobs(), 4, d.Message)
	jobReads := 0
	for _, c := range e.app.sim.Calls(icimstest.CustomerUS) {
		if strings.Contains(c.Path, "/jobs/2001") {
			jobReads++
		}
	}
	assert.Equal(t, 1, jobReads, "job data is cached per job")
}

func TestEventsManualRuleWaitsForTheRecruiter(t *testing.T) {
	e := newEventsEnv(t)
	reasoning := e.pkg[icimstest.AssessmentReasoning]
	e.addRule(url.Values{"name": {"Recruiter review"}, "mode": {"manual"},
		"to_0": {icimstest.StatusRecruiterReview}, "package_id": {idString(reasoning.ID)}})

	res := e.move(icimstest.USWorkflow2, icimstest.StatusRecruiterReview)
	require.Equal(t, http.StatusSeeOther, res.StatusCode, string(res.Body))
	require.Contains(t, res.Location, "/icims/confirm/")
	assert.Equal(t, assessments.DeliveryReceived, e.lastDelivery().Status, "nothing happens before the click")
	assert.Empty(t, e.sendJobs())

	// The recruiter arrives from iCIMS with no session of ours.
	recruiter := newBrowser(t)
	p := recruiter.get(res.Location)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "Blake Carter", "the candidate, read from iCIMS")
	assert.Contains(t, p.Body, "Customer Support Specialist", "the job, read from iCIMS")
	assert.Contains(t, p.Body, `value="`+idString(reasoning.ID)+`" checked`, "the rule's package is preselected")

	// The recruiter changes the package and sends.
	workStyle := e.pkg[icimstest.AssessmentWorkStyle]
	form := p
	p = recruiter.submit(form, res.Location, url.Values{"package_id": {idString(workStyle.ID)}, "action": {"send"}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "Sent.")
	d := e.lastDelivery()
	require.Equal(t, assessments.DeliveryProcessed, d.Status, d.Message)
	require.Equal(t, []int64{d.InvitationID}, e.sendJobs())
	inv := e.invitation(d.InvitationID)
	assert.Equal(t, workStyle.ID, inv.PackageID)
	assert.Equal(t, "blake.carter@example.com", inv.CandidateEmail)

	// A replayed form sends nothing more.
	again := recruiter.submit(form, res.Location, url.Values{"package_id": {idString(reasoning.ID)}, "action": {"send"}})
	assert.Equal(t, http.StatusOK, again.Status)
	assert.Contains(t, again.Body, "Sent.", "the page says what already happened")
	assert.Len(t, e.sendJobs(), 1)

	// A form posted from elsewhere, without the CSRF token, is refused.
	res = e.move(icimstest.USWorkflow5, icimstest.StatusRecruiterReview)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	forged := newBrowser(t).post(res.Location, url.Values{"package_id": {idString(reasoning.ID)}, "action": {"send"}})
	assert.Equal(t, http.StatusForbidden, forged.Status)
	assert.Len(t, e.sendJobs(), 1)
}

func TestEventsManualRuleCancelAndLinkChecks(t *testing.T) {
	e := newEventsEnv(t)
	e.addRule(url.Values{"name": {"Recruiter review"}, "mode": {"manual"},
		"to_0": {icimstest.StatusRecruiterReview}, "package_id": {idString(e.pkg[icimstest.AssessmentBigFive].ID)}})
	res := e.move(icimstest.USWorkflow3, icimstest.StatusRecruiterReview)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)

	recruiter := newBrowser(t)
	p := recruiter.get(res.Location)
	require.Equal(t, http.StatusOK, p.Status)
	p = recruiter.submit(p, res.Location, url.Values{"action": {"cancel"}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "Cancelled: nothing was sent.")
	assert.Equal(t, assessments.DeliveryIgnored, e.lastDelivery().Status)
	assert.Empty(t, e.sendJobs())

	// A tampered link shows a page, not iCIMS's JSON.
	bad := recruiter.get(res.Location[:len(res.Location)-2] + "xx")
	assert.Equal(t, http.StatusNotFound, bad.Status)
	assert.Contains(t, bad.Body, "This confirmation link is not valid")
}

func TestEventsInlineAssessmentRedirectsTheCandidate(t *testing.T) {
	e := newEventsEnv(t)
	// No inline rule: the job's Assessment Type (job 2002: Work Style)
	// names the package.
	res, err := e.app.sim.CompleteApplication(context.Background(), icimstest.CustomerUS, icimstest.USWorkflow2)
	require.NoError(t, err)
	require.Equal(t, http.StatusSeeOther, res.StatusCode, string(res.Body))
	loc, err := url.Parse(res.Location)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(loc.Path, "/a/"), res.Location)

	d := e.lastDelivery()
	require.Equal(t, assessments.DeliveryProcessed, d.Status, d.Message)
	inv := e.invitation(d.InvitationID)
	assert.Equal(t, e.pkg[icimstest.AssessmentWorkStyle].ID, inv.PackageID)
	assert.Contains(t, inv.ReturnURL, "/application-complete", "the candidate goes back to iCIMS at the end")
	assert.Equal(t, "Blake", inv.CandidateFirstName, "read from iCIMS's person profile")
	assert.Empty(t, e.sendJobs(), "the candidate is redirected, not e-mailed")

	candidate := newBrowser(t)
	p := candidate.get(res.Location)
	assert.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "Customer Support Specialist")

	// An inline rule overrides the job's Assessment Type.
	e.addRule(url.Values{"name": {"Inline reasoning"}, "mode": {"inline"}, "package_id": {idString(e.pkg[icimstest.AssessmentReasoning].ID)}})
	res, err = e.app.sim.CompleteApplication(context.Background(), icimstest.CustomerUS, icimstest.USWorkflow5)
	require.NoError(t, err)
	require.Equal(t, http.StatusSeeOther, res.StatusCode, string(res.Body))
	assert.Equal(t, e.pkg[icimstest.AssessmentReasoning].ID, e.invitation(e.lastDelivery().InvitationID).PackageID)
}
