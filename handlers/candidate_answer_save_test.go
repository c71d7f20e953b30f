package handlers_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/storage"
)

// startedPage consents, begins the first part and returns the base path
// and the first question page.
func startedPage(t *testing.T, c *client, token string) (string, response) {
	t.Helper()
	base := "/a/" + token
	c.get(base)
	require.Equal(t, http.StatusSeeOther, c.post(base+"/start", url.Values{"consent": {"yes"}}).Status)
	require.Equal(t, base+"/step/1", c.post(base+"/step/0", url.Values{"nav": {"next"}}).Location)
	page := c.get(base + "/step/1")
	require.Equal(t, http.StatusOK, page.Status)
	return base, page
}

func TestCandidateAnswerSaveKeepsEachAnswer(t *testing.T) {
	s := newSite(t)
	sb := s.seed(t, storage.SandboxSeed{})
	c := s.client(t)
	base, page := startedPage(t, c, sb.Token)
	assert.Contains(t, page.Body, `data-save="`+base+`/step/1/answer"`, "the form names where its script saves")
	assert.Contains(t, page.Body, `<script src="/static/candidate.`, "the page loads its script as a static file")

	names := radioName.FindAllStringSubmatch(page.Body, -1)
	require.NotEmpty(t, names)
	first := names[0][1]
	shown := strconv.FormatInt(siteNow.UnixMilli(), 10)
	saved := c.post(base+"/step/1/answer", url.Values{first: {"4"}, "shown": {shown}})
	require.Equal(t, http.StatusNoContent, saved.Status, saved.Body)

	again := c.get(base + "/step/1")
	assert.Contains(t, again.Body, `name="`+first+`" value="4" checked`, "a reload shows the saved answer")
	assert.Contains(t, again.Body, "1 of 40 questions answered")

	// The page's own submit still works as before, over the saved answer.
	assert.Equal(t, base+"/step/2", c.post(base+"/step/1", withNav(answerPage(page.Body, 3), "next")).Location)
}

func TestCandidateAnswerSaveRefuses(t *testing.T) {
	cases := []struct {
		name   string
		prep   func(t *testing.T, s *site, base string)
		path   string
		form   url.Values
		status int
		body   string
	}{
		{name: "unknown link", path: "/a/not-a-real-link-000000000000/step/1/answer",
			form: url.Values{"a.e01": {"3"}}, status: http.StatusNotFound},
		{name: "value not among the options", path: "/step/1/answer",
			form: url.Values{"a.e01": {"9"}}, status: http.StatusUnprocessableEntity, body: "not one of the options"},
		{name: "page not reached", path: "/step/3/answer",
			form: url.Values{"a.e21": {"3"}}, status: http.StatusUnprocessableEntity, body: "cannot take answers"},
		{name: "instructions step", path: "/step/0/answer",
			form: url.Values{"a.e01": {"3"}}, status: http.StatusUnprocessableEntity, body: "cannot take answers"},
		{name: "not a page number", path: "/step/x/answer",
			form: url.Values{"a.e01": {"3"}}, status: http.StatusNotFound},
		{name: "finished invitation", path: "/step/1/answer", form: url.Values{"a.e01": {"3"}}, status: http.StatusConflict,
			prep: func(t *testing.T, s *site, base string) {
				c := s.client(t)
				for n := 1; n <= 4; n++ {
					c.post(base+"/step/"+strconv.Itoa(n), url.Values{"nav": {"next"}})
				}
				require.Equal(t, http.StatusSeeOther, c.post(base+"/submit", nil).Status)
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSite(t)
			sb := s.seed(t, storage.SandboxSeed{})
			c := s.client(t)
			base, _ := startedPage(t, c, sb.Token)
			if tc.prep != nil {
				tc.prep(t, s, base)
			}
			path := tc.path
			if strings.HasPrefix(path, "/step/") {
				path = base + path
			}
			res := c.post(path, tc.form)
			assert.Equal(t, tc.status, res.Status, res.Body)
			assert.Contains(t, res.Body, tc.body)
			if tc.prep == nil {
				assert.Contains(t, c.get(base+"/step/1").Body, "0 of 40 questions answered", "nothing was saved")
			}
		})
	}
}

func TestCandidateAnswerSaveRespectsTheTimeLimit(t *testing.T) {
	s := newSite(t)
	sb := s.seed(t, storage.SandboxSeed{PackageName: "Reasoning", InstrumentIDs: []string{"reasoning"}})
	c := s.client(t)
	base, page := startedPage(t, c, sb.Token)
	assert.Contains(t, page.Body, `id="timer"`)
	assert.Contains(t, page.Body, `data-remaining="720000"`, "the script counts down from the server's time left")

	inTime := c.post(base+"/step/1/answer", url.Values{"a.n01": {"b"}})
	require.Equal(t, http.StatusNoContent, inTime.Status, inTime.Body)

	// Within the grace a press made in time still counts; after it, no.
	s.clock.Advance(12*time.Minute + 10*time.Second)
	assert.Equal(t, http.StatusNoContent, c.post(base+"/step/1/answer", url.Values{"a.n02": {"a"}}).Status)
	s.clock.Advance(10 * time.Second)
	late := c.post(base+"/step/1/answer", url.Values{"a.n01": {"c"}, "a.n03": {"a"}})
	assert.Equal(t, http.StatusConflict, late.Status)
	assert.Contains(t, late.Body, "time for this part is up")
	// The server's own page now says time is up, with the answers given in time.
	assert.Contains(t, c.get(base+"/step/1").Body, "Time is up for")
}
