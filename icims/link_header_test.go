package icims

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLinkHeaderRoundTrip(t *testing.T) {
	links := []Link{
		{Rel: RelApplicantWorkflow, Title: "Applicant Workflow", URL: "https://api.icims.com/customers/1/applicantworkflows/2"},
		{Rel: RelJob, Title: `A "quoted", comma; semicolon \ title`, URL: "https://api.icims.com/customers/1/jobs/3?a=1,2;b"},
		{Rel: RelUser, URL: "https://api.icims.com/customers/1/people/4"},
	}
	got, err := ParseLinkHeader([]string{FormatLinkHeader(links)})
	require.NoError(t, err)
	assert.Equal(t, links, got)

	got, err = ParseLinkHeader([]string{`<https://a.test/1>; rel=job; foo`, ` <https://a.test/2> ;REL="person"`})
	require.NoError(t, err)
	assert.Equal(t, []Link{{Rel: RelJob, URL: "https://a.test/1"}, {Rel: RelPerson, URL: "https://a.test/2"}}, got)

	got, err = ParseLinkHeader([]string{`<https://a.test/1>; rel=" job "; title=" Ana María "`})
	require.NoError(t, err)
	assert.Equal(t, []Link{{Rel: RelJob, Title: "Ana María", URL: "https://a.test/1"}}, got, "trimmed as the body's fields are")

	// The last was found by FuzzDecodeEvent: a link that is not UTF-8.
	for _, bad := range []string{`<https://a.test/1`, `<https://a.test/1>; title="open`, `<u> x`, `<u>; =x`, "<\xe1>"} {
		_, err := ParseLinkHeader([]string{bad})
		assert.Error(t, err, bad)
	}
}
