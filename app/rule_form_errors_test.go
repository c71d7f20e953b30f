package app

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRuleFormReportsEveryErrorAtItsField(t *testing.T) {
	app := newTestApp(t)
	b, _ := signInAdmin(t, app, "ops@acme.example")
	form := b.get(app.URL + "/admin/rules/new")
	require.Equal(t, http.StatusOK, form.Status)
	assert.Contains(t, form.Body, `<section class="card" data-shown-by="mode" data-shown-for="workflow"><h2>Custom workflow</h2>`,
		"the custom workflow section is marked for its mode")
	assert.Regexp(t, `<script src="/static/forms\.[0-9a-f]+\.js" defer></script>`, form.Body, "the script that hides it is loaded")

	p := b.submit(form, "/admin/rules", url.Values{"name": {""}, "mode": {"auto"}, "jobs": {"chosen"}, "job_ids": {""}, "to_0": {""}})
	require.Equal(t, http.StatusUnprocessableEntity, p.Status, p.Body)
	assert.Contains(t, p.Body, "There are 3 problems")
	for _, c := range []struct{ id, msg string }{
		{"f-name", "Give the rule a name."},
		{"f-to-0", "Choose the status that triggers the rule."},
		{"f-job_ids", "List the iCIMS ids of the jobs the rule applies to."},
	} {
		assert.Contains(t, p.Body, `<a href="#`+c.id+`">`, "the summary links to %s", c.id)
		assert.Contains(t, p.Body, `<p class="message" id="`+c.id+`-msg" role="alert">`+c.msg+`</p>`, "the message sits at %s", c.id)
		assert.Regexp(t, regexp.MustCompile(`id="`+c.id+`" [^>]*aria-describedby="`+c.id+`-msg" aria-invalid="true"`), p.Body,
			"%s points at its message", c.id)
	}
	assert.Equal(t, 3, len(regexp.MustCompile(`aria-invalid="true"`).FindAllString(p.Body, -1)), "no other field is marked")
}
