package static

import (
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestURLsNameTheContent(t *testing.T) {
	a1, err := load(fstest.MapFS{"app.css": {Data: []byte("body{}")}})
	require.NoError(t, err)
	a2, err := load(fstest.MapFS{"app.css": {Data: []byte("body{color:red}")}})
	require.NoError(t, err)
	assert.NotEqual(t, a1.URL("app.css"), a2.URL("app.css"), "new content, new URL")
	assert.True(t, strings.HasPrefix(a1.URL("app.css"), "/static/app."))
	assert.True(t, strings.HasSuffix(a1.URL("app.css"), ".css"))

	f, ok := a1.Lookup(strings.TrimPrefix(a1.URL("app.css"), Prefix))
	require.True(t, ok)
	assert.True(t, f.Immutable)
	assert.Equal(t, "text/css; charset=utf-8", f.ContentType)

	f, ok = a1.Lookup("app.css")
	require.True(t, ok)
	assert.False(t, f.Immutable, "the unhashed name must not be cached for good")

	_, ok = a1.Lookup("app.0000000000.css")
	assert.False(t, ok)
	assert.Panics(t, func() { a1.URL("missing.css") })
}

func TestEmbeddedAssets(t *testing.T) {
	a, err := New()
	require.NoError(t, err)
	for _, name := range []string{"app.css", "vendor/htmx-2.0.11.min.js", "img/logo.svg"} {
		f, ok := a.Lookup(strings.TrimPrefix(a.URL(name), Prefix))
		require.True(t, ok, name)
		assert.NotEmpty(t, f.Data)
	}
}

// TestCandidateScriptHoldsNoText keeps the candidate pages' words out of
// their script: every text it shows comes from the page, in the page's
// language, so no string in the script reads as a sentence.
func TestCandidateScriptHoldsNoText(t *testing.T) {
	src, err := embedded.ReadFile("candidate.js")
	require.NoError(t, err)
	literals := regexp.MustCompile(`"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'`).FindAllString(string(src), -1)
	require.NotEmpty(t, literals)
	for _, l := range literals {
		if l == `"use strict"` {
			continue
		}
		assert.NotRegexp(t, `[A-Za-z]+ [A-Za-z]+`, l, "a text in the script: it belongs in the message catalogue")
	}
}
