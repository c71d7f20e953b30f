package app

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConnectionFormReportsEveryErrorAtItsField(t *testing.T) {
	app := newTestApp(t)
	b, _ := signInAdmin(t, app, "ops@acme.example")
	form := b.get(app.URL + "/admin/connection")
	require.Equal(t, http.StatusOK, form.Status)
	for _, mode := range []string{"basic", "hmac", "client_credentials"} {
		assert.Contains(t, form.Body, `<div data-shown-by="mode" data-shown-for="`+mode+`">`, "the %s fields are one section", mode)
	}

	p := b.submit(form, "/admin/connection", url.Values{"mode": {"hmac"}, "region": {"mars"}, "username": {"ignored"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.Status, p.Body)
	assert.Contains(t, p.Body, "There are 3 problems")
	for _, id := range []string{"conn-region", "hmac_user", "hmac_key"} {
		assert.Contains(t, p.Body, `<a href="#`+id+`">`, "the summary links to %s", id)
		assert.Contains(t, p.Body, `id="`+id+`-msg" role="alert"`, "a message sits at %s", id)
	}
	assert.Regexp(t, `id="hmac_key" [^>]*aria-describedby="hmac_key-msg" aria-invalid="true"`, p.Body)
	assert.Equal(t, 2, len(regexp.MustCompile(`aria-invalid="true"`).FindAllString(p.Body, -1)),
		"only the chosen mode's fields are checked")
}
