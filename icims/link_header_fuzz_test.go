package icims

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// FuzzParseLinkHeader gives the Link parser arbitrary headers: it must
// never panic, refuse only with a bad-Link-header *EventError, return only
// the rels iCIMS uses, and read back what it returned when written in
// RFC 8288's form.
func FuzzParseLinkHeader(f *testing.F) {
	const api = "https://api.icims.com/customers/6268/"
	f.Add(api + `people/244;rel="user";title="Posting User",`)
	f.Add(api + `jobs/1287;rel="job";title="Job Profile",` + api + `people/9631;rel=person,`)
	f.Add(`<https://a.test/1?a=1,2;b>; rel="job"; title="Sales, \"Senior\" Manager", <https://a.test/2>; rel=user`)
	f.Add(`jobs/1;rel="job",` + api + `people/244;rel="user"`)
	f.Add(`<https://a.test/1; rel="job"`)
	f.Add(`https://a.test/1;rel="self";title="x\"`)
	f.Add(",,; ;<>;rel=job")
	f.Fuzz(func(t *testing.T, header string) {
		links, err := ParseLinkHeader([]string{header})
		if err != nil {
			var ee *EventError
			if !errors.As(err, &ee) || ee.Reason != ReasonBadLinkHeader {
				t.Fatalf("refused with %T: %v", err, err)
			}
		}
		known := []string{RelApplicantWorkflow, RelJob, RelPerson, RelUser}
		for _, l := range links {
			if !slices.Contains(known, l.Rel) {
				t.Fatalf("returned rel %q", l.Rel)
			}
			if strings.Contains(l.URL, ">") {
				return // cannot be written between angle brackets
			}
		}
		again, err := ParseLinkHeader([]string{rfc8288(links)})
		if err != nil {
			t.Fatalf("its own links, written back, refused: %v\n%s", err, rfc8288(links))
		}
		if !slices.Equal(links, again) {
			t.Fatalf("round trip changed the links:\n%+v\n%+v", links, again)
		}
	})
}

// rfc8288 writes links in RFC 8288's form, for the fuzz round trip.
func rfc8288(links []Link) string {
	quote := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	parts := make([]string, 0, len(links))
	for _, l := range links {
		s := "<" + l.URL + `>; rel="` + quote.Replace(l.Rel) + `"`
		if l.Title != "" {
			s += `; title="` + quote.Replace(l.Title) + `"`
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}
