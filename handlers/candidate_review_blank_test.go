package handlers_test

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/storage"
)

func TestReviewLeadsToTheBlankQuestionAndMarksIt(t *testing.T) {
	s := newSite(t)
	sb := s.seed(t, storage.SandboxSeed{})
	c := s.client(t)
	base, page := startedPage(t, c, sb.Token)

	// Page 1 with its third question left blank, the rest answered.
	form := answerPage(page.Body, 4)
	names := radioName.FindAllStringSubmatch(page.Body, -1)
	var order []string
	for _, m := range names {
		if len(order) == 0 || order[len(order)-1] != m[1] {
			order = append(order, m[1])
		}
	}
	require.GreaterOrEqual(t, len(order), 3)
	blank := order[2][len("a."):]
	form.Del(order[2])
	require.Equal(t, base+"/step/2", c.post(base+"/step/1", withNav(form, "next")).Location)
	for n := 2; n <= 4; n++ {
		next := c.get(base + "/step/" + strconv.Itoa(n))
		c.post(base+"/step/"+strconv.Itoa(n), withNav(answerPage(next.Body, 3), "next"))
	}

	review := c.get(base + "/review")
	require.Equal(t, http.StatusOK, review.Status)
	link := base + "/step/1?blank=1#q-" + blank
	assert.Contains(t, review.Body, `<a href="`+link+`">Page 1, question 3</a>`, "the review names the question and links to it")

	marked := c.get(base + "/step/1?blank=1")
	require.Equal(t, http.StatusOK, marked.Status)
	fieldset := regexp.MustCompile(`<fieldset class="q blank" id="q-` + blank + `" aria-describedby="b-` + blank + `">`)
	assert.Regexp(t, fieldset, marked.Body, "the blank question is marked and described")
	assert.Contains(t, marked.Body, `<p class="message" id="b-`+blank+`">Not answered yet.</p>`)
	assert.Len(t, regexp.MustCompile(`class="q blank"`).FindAllString(marked.Body, -1), 1, "only the blank question is marked")

	// Without the review's query the page is as before.
	assert.NotContains(t, c.get(base+"/step/1").Body, "Not answered yet.")
}
