package icims

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseLinkHeaderForms(t *testing.T) {
	const api = "https://api.icims.com/customers/6268/"
	tests := []struct {
		name   string
		values []string
		want   []Link
	}{
		{"iCIMS's form with a trailing comma", []string{api + `people/244;rel="user";title="Posting User",`},
			[]Link{{Rel: RelUser, Title: "Posting User", URL: api + "people/244"}}},
		{"iCIMS's form, several links", []string{api + `applicantworkflows/11742;rel="applicantWorkflow";title="Applicant Workflow",` +
			api + `jobs/1287;rel="job";title="Job Profile",` + api + `people/9631;rel="person";title="Person Profile",`},
			[]Link{
				{Rel: RelApplicantWorkflow, Title: "Applicant Workflow", URL: api + "applicantworkflows/11742"},
				{Rel: RelJob, Title: "Job Profile", URL: api + "jobs/1287"},
				{Rel: RelPerson, Title: "Person Profile", URL: api + "people/9631"},
			}},
		{"iCIMS's form with spaces and bare values", []string{` ` + api + `jobs/1 ; rel=job ; title="A, b; c" , `},
			[]Link{{Rel: RelJob, Title: "A, b; c", URL: api + "jobs/1"}}},
		{"RFC 8288", []string{`<https://a.test/1?a=1,2;b>; rel="job"; title="Sales, \"Senior\" Manager", <https://a.test/2> ;REL="person"`},
			[]Link{{Rel: RelJob, Title: `Sales, "Senior" Manager`, URL: "https://a.test/1?a=1,2;b"}, {Rel: RelPerson, URL: "https://a.test/2"}}},
		{"both forms in one header", []string{`<https://a.test/1>; rel=job, https://a.test/2;rel="user",`},
			[]Link{{Rel: RelJob, URL: "https://a.test/1"}, {Rel: RelUser, URL: "https://a.test/2"}}},
		{"rel is case-insensitive", []string{`https://a.test/1;rel="APPLICANTWORKFLOW"`},
			[]Link{{Rel: RelApplicantWorkflow, URL: "https://a.test/1"}}},
		{"unknown rels and flags are ignored", []string{`https://a.test/1;rel="self",https://a.test/2;rel="job";foo,<https://a.test/3>`},
			[]Link{{Rel: RelJob, URL: "https://a.test/2"}}},
		{"trimmed as the body's fields are", []string{`<https://a.test/1>; rel=" job "; title=" Ana María "`},
			[]Link{{Rel: RelJob, Title: "Ana María", URL: "https://a.test/1"}}},
		{"empty", []string{"", " , ,"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLinkHeader(tt.values)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseLinkHeaderKeepsWhatItCanRead(t *testing.T) {
	good := Link{Rel: RelUser, Title: "Posting User", URL: "https://api.icims.com/customers/6268/people/244"}
	// The last was found by FuzzDecodeEvent: a link that is not UTF-8.
	for _, bad := range []string{`<https://a.test/1`, `<https://a.test/1>; title="open`, `<u> x`, `<u>; =x`,
		`http:/;rel=job`, `jobs/1;rel="job"`, `;rel="job"`, "<\xe1>"} {
		t.Run(bad, func(t *testing.T) {
			got, err := ParseLinkHeader([]string{bad})
			var ee *EventError
			require.True(t, errors.As(err, &ee), "want *EventError, got %v", err)
			assert.Equal(t, ReasonBadLinkHeader, ee.Reason)
			assert.Empty(t, got)

			got, err = ParseLinkHeader([]string{bad + `,` + good.URL + `;rel="user";title="Posting User",`})
			assert.Error(t, err)
			if bad != "<\xe1>" && bad != `<https://a.test/1` && bad != `<https://a.test/1>; title="open` {
				assert.Equal(t, []Link{good}, got, "the readable link after the bad one is kept")
			}
			got, err = ParseLinkHeader([]string{good.URL + `;rel="user";title="Posting User"`, bad})
			assert.Error(t, err)
			assert.Equal(t, []Link{good}, got, "the readable link before the bad one is kept")
		})
	}
}
