package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/storage"
)

var radioName = regexp.MustCompile(`type="radio" name="(a\.[a-z0-9-]+)"`)

// answerPage fills every question of a Likert page, varying the answers.
func answerPage(body string, value int) url.Values {
	form := url.Values{}
	seen := map[string]bool{}
	for i, m := range radioName.FindAllStringSubmatch(body, -1) {
		if seen[m[1]] {
			continue
		}
		seen[m[1]] = true
		v := value
		if i%3 == 0 {
			v = 6 - value
		}
		form.Set(m[1], strconv.Itoa(v))
	}
	return form
}

func TestCandidateJourneyWithoutJavaScript(t *testing.T) {
	s := newSite(t)
	sb := s.seed(t, storage.SandboxSeed{FirstName: "Ana", CompanyName: "Acme Ltd", JobTitle: "Account Executive"})
	c := s.client(t)
	base := "/a/" + sb.Token

	welcome := c.get(base)
	require.Equal(t, http.StatusOK, welcome.Status)
	assert.Equal(t, "no-store", welcome.Header.Get("Cache-Control"))
	assert.Contains(t, welcome.Body, "Hello Ana")
	assert.Contains(t, welcome.Body, "Acme Ltd")
	assert.Contains(t, welcome.Body, "Account Executive")
	assert.Contains(t, welcome.Body, "Your privacy")
	assert.Contains(t, welcome.Body, "I need an accommodation")
	assert.NotContains(t, welcome.Body, "htmx", "no JavaScript on candidate pages")

	noConsent := c.post(base+"/start", nil)
	assert.Equal(t, http.StatusUnprocessableEntity, noConsent.Status)
	assert.Contains(t, noConsent.Body, `role="alert"`)
	assert.Contains(t, noConsent.Body, "tick the box")

	started := c.post(base+"/start", url.Values{"consent": {"yes"}})
	require.Equal(t, http.StatusSeeOther, started.Status)
	assert.Equal(t, base+"/step/0", started.Location)

	intro := c.get(base + "/step/0")
	require.Equal(t, http.StatusOK, intro.Status)
	assert.Contains(t, intro.Body, "Instructions")
	next := c.post(base+"/step/0", url.Values{"nav": {"next"}})
	require.Equal(t, base+"/step/1", next.Location)

	// Page one, then leave half-way through page two.
	page := c.get(base + "/step/1")
	require.Equal(t, http.StatusOK, page.Status)
	assert.Equal(t, 10, strings.Count(page.Body, `<fieldset class="q"`), "ten questions a page, each a fieldset")
	assert.Equal(t, 10, strings.Count(page.Body, "<legend>"))
	assert.Contains(t, page.Body, "0 of 40 questions answered")
	saved := c.post(base+"/step/1", withNav(answerPage(page.Body, 4), "next"))
	require.Equal(t, base+"/step/2", saved.Location)
	page2 := c.get(base + "/step/2")
	assert.Contains(t, page2.Body, "10 of 40 questions answered")
	half := url.Values{}
	for k, v := range answerPage(page2.Body, 2) {
		if len(half) < 4 {
			half[k] = v
		}
	}
	require.Equal(t, base+"/step/1", c.post(base+"/step/2", withNav(half, "back")).Location)

	// A new browser (the tab was closed) resumes on the furthest page, with
	// the answers already given checked.
	other := s.client(t)
	resume := other.get(base)
	require.Equal(t, http.StatusSeeOther, resume.Status)
	assert.Equal(t, base+"/step/2", resume.Location)
	again := other.get(base + "/step/2")
	assert.Equal(t, 4, strings.Count(again.Body, " checked"), "the four answers given are shown")
	assert.Contains(t, again.Body, "14 of 40 questions answered")
	assert.Equal(t, base+"/step/2", other.get(base+"/step/9").Location, "pages not reached yet are not shown")

	for n := 2; n <= 4; n++ {
		p := other.get(base + "/step/" + strconv.Itoa(n))
		res := other.post(base+"/step/"+strconv.Itoa(n), withNav(answerPage(p.Body, 4), "next"))
		require.Equal(t, http.StatusSeeOther, res.Status, res.Body)
	}
	review := other.get(base + "/review")
	require.Equal(t, http.StatusOK, review.Status)
	assert.Contains(t, review.Body, "40 of 40 questions answered")

	done := other.post(base+"/submit", nil)
	require.Equal(t, http.StatusSeeOther, done.Status)
	assert.Equal(t, base, done.Location)
	thanks := other.get(base)
	assert.Equal(t, http.StatusOK, thanks.Status)
	assert.Contains(t, thanks.Body, "Thank you")
	assert.Contains(t, thanks.Body, "Acme Ltd")

	twice := c.post(base+"/submit", nil)
	assert.Equal(t, http.StatusSeeOther, twice.Status, "a double submit is harmless")
	assert.Equal(t, base, twice.Location)
	var results int
	require.NoError(t, s.db.R.QueryRow(`SELECT COUNT(*) FROM results`).Scan(&results))
	assert.Equal(t, 1, results)
	late := c.post(base+"/step/3", withNav(answerPage(page.Body, 1), "next"))
	assert.Equal(t, http.StatusOK, late.Status, "answers after completion get the thank-you page")
	assert.Contains(t, late.Body, "Thank you")

	assert.Equal(t, http.StatusNotFound, c.get(base+"/no-such-page").Status)
	assert.NotContains(t, s.logs.String(), sb.Token, "the token never reaches the logs")
	assert.Contains(t, s.logs.String(), `"route":"/a/:token/step/:n"`)
}

func withNav(v url.Values, nav string) url.Values {
	v.Set("nav", nav)
	return v
}

func TestCandidateLinkStatesGetKindPages(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	c := s.client(t)

	cancelled := s.seed(t, storage.SandboxSeed{WorkflowID: "w-c", CompanyName: "Acme Ltd"})
	_, err := s.invitations.Cancel(ctx, cancelled.TenantID, cancelled.Invitation.ID, "position filled")
	require.NoError(t, err)
	expired := s.seed(t, storage.SandboxSeed{WorkflowID: "w-e", CompanyName: "Acme Ltd"})
	_, err = s.invitations.Expire(ctx, expired.TenantID, expired.Invitation.ID)
	require.NoError(t, err)
	notIssued, err := assessments.NewToken(strings.NewReader(strings.Repeat("z", 64)))
	require.NoError(t, err)

	cases := []struct {
		name, path string
		status     int
		says       string
	}{
		{"unknown", "/a/" + notIssued, http.StatusNotFound, "We can't find this assessment"},
		{"malformed", "/a/short", http.StatusNotFound, "We can't find this assessment"},
		{"unknown question page", "/a/" + notIssued + "/step/3", http.StatusNotFound, "We can't find this assessment"},
		{"cancelled", "/a/" + cancelled.Token, http.StatusGone, "no longer needed"},
		{"expired", "/a/" + expired.Token, http.StatusGone, "has expired"},
		{"expired review", "/a/" + expired.Token + "/review", http.StatusGone, "has expired"},
		{"expired accommodation", "/a/" + expired.Token + "/accommodation", http.StatusGone, "has expired"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := c.get(tc.path)
			assert.Equal(t, tc.status, res.Status)
			assert.Contains(t, res.Body, tc.says)
			assert.Contains(t, res.Body, "contact", "says whom to contact")
			assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
		})
	}
	res := c.post("/a/"+expired.Token+"/start", url.Values{"consent": {"yes"}})
	assert.Equal(t, http.StatusGone, res.Status, "a POST to a dead link gets the same page")

	// Overdue but not yet expired by the job: the page expires it.
	overdue := s.seed(t, storage.SandboxSeed{WorkflowID: "w-o"})
	s.clock.Advance(8 * 24 * time.Hour)
	res = c.get("/a/" + overdue.Token)
	assert.Equal(t, http.StatusGone, res.Status)
	got, err := s.invitations.Invitation(ctx, overdue.TenantID, overdue.Invitation.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.StatusExpired, got.Status)
}

func TestCandidateForcedChoiceProblemsAreAnnounced(t *testing.T) {
	s := newSite(t)
	sb := s.seed(t, storage.SandboxSeed{PackageName: "Styles", InstrumentIDs: []string{"work-style"}})
	c := s.client(t)
	base := "/a/" + sb.Token
	c.get(base)
	c.post(base+"/start", url.Values{"consent": {"yes"}})
	c.post(base+"/step/0", url.Values{"nav": {"next"}})
	page := c.get(base + "/step/1")
	require.Contains(t, page.Body, "Most like me")
	res := c.post(base+"/step/1", url.Values{"m.b01": {"b01-1"}, "l.b01": {"b01-1"}, "m.b02": {"b02-3"}, "nav": {"next"}})
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Contains(t, res.Body, `role="alert"`)
	assert.Contains(t, res.Body, "Group 1: choose a different statement")
	assert.Contains(t, res.Body, "Group 2: also choose the statement least like you")
	assert.Contains(t, res.Body, `href="#q-b01"`, "each problem links to its question")
	assert.Regexp(t, `name="m.b02" value="b02-3" checked`, res.Body, "a half-made choice is kept")
}

func TestCandidateInlineReturnsToICIMS(t *testing.T) {
	s := newSite(t)
	sb := s.seed(t, storage.SandboxSeed{PackageName: "Styles", InstrumentIDs: []string{"work-style"},
		ReturnURL: "https://customer.icims.example/return?x=1"})
	c := s.client(t)
	base := "/a/" + sb.Token
	c.get(base)
	c.post(base+"/start", url.Values{"consent": {"yes"}})
	for n := 0; n <= 4; n++ {
		form := url.Values{"nav": {"next"}}
		for b := n*4 - 3; n > 0 && b <= n*4; b++ {
			id := fmt.Sprintf("b%02d", b)
			form.Set("m."+id, id+"-1")
			form.Set("l."+id, id+"-2")
		}
		require.Equal(t, http.StatusSeeOther, c.post(base+"/step/"+strconv.Itoa(n), form).Status)
	}
	res := c.post(base+"/submit", nil)
	require.Equal(t, http.StatusSeeOther, res.Status)
	assert.Equal(t, "https://customer.icims.example/return?x=1", res.Location)
	res = c.post(base+"/submit", nil)
	assert.Equal(t, "https://customer.icims.example/return?x=1", res.Location, "again on a double submit")
	thanks := c.get(base)
	assert.Contains(t, thanks.Body, "Return to your application")
}

func TestCandidateAccommodationRequest(t *testing.T) {
	s := newSite(t)
	sb := s.seed(t, storage.SandboxSeed{CompanyName: "Acme Ltd"})
	c := s.client(t)
	base := "/a/" + sb.Token
	form := c.get(base + "/accommodation")
	require.Equal(t, http.StatusOK, form.Status)
	assert.Contains(t, form.Body, `<label for="message">`)

	empty := c.post(base+"/accommodation", url.Values{"message": {" "}})
	assert.Equal(t, http.StatusUnprocessableEntity, empty.Status)
	assert.Contains(t, empty.Body, `aria-invalid="true"`)

	sent := c.post(base+"/accommodation", url.Values{"message": {"I need extra time."}})
	require.Equal(t, http.StatusSeeOther, sent.Status)
	assert.Contains(t, c.get(sent.Location).Body, "Your request has been sent to Acme Ltd")
	reqs, err := s.invitations.AccommodationRequests(context.Background(), sb.TenantID)
	require.NoError(t, err)
	require.Len(t, reqs, 1)
	assert.Equal(t, "I need extra time.", reqs[0].Message)
}

func TestFirstQuestionPageFitsTheBudget(t *testing.T) {
	s := newSite(t)
	sb := s.seed(t, storage.SandboxSeed{})
	c := s.client(t)
	base := "/a/" + sb.Token
	c.get(base)
	c.post(base+"/start", url.Values{"consent": {"yes"}})
	c.post(base+"/step/0", url.Values{"nav": {"next"}})
	page := c.get(base + "/step/1")
	require.Equal(t, http.StatusOK, page.Status)
	total := len(page.Body)
	assets := regexp.MustCompile(`(?:href|src)="(/static/[^"]+\.(?:css|js))"`).FindAllStringSubmatch(page.Body, -1)
	for _, m := range assets {
		total += len(c.get(m[1]).Body)
	}
	// One script, and only as progressive enhancement: our own static
	// file, external and deferred, with nothing inline.
	assert.Len(t, regexp.MustCompile(`(?i)<script\b`).FindAllString(page.Body, -1), 1, "exactly one script")
	assert.Regexp(t, `<script src="/static/candidate\.[0-9a-f]+\.js" defer></script>`, page.Body, "the one script is static/candidate.js, external and deferred, nothing inline")
	assert.Less(t, total, 40*1024, "HTML %d bytes, with CSS %d", len(page.Body), total)
	t.Logf("first question page: HTML %d bytes, HTML+CSS+JS %d bytes", len(page.Body), total)
}
