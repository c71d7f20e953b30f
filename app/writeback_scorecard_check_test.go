package app

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

func TestScorecardMappingIsCheckedAgainstICIMSOnSave(t *testing.T) {
	e := newWritebackEnv(t)
	editURL := e.app.URL + "/admin/catalog/" + strconv.FormatInt(e.pkg.ID, 10)
	save := func(fields, sources []string) page {
		t.Helper()
		form := url.Values{"name": {"Big Five"}, "instruments": {"big-five-work"}, "assessment_type": {icimstest.AssessmentBigFive},
			"enabled": {"true"}, "expiry": {"7"}, "sc_field": fields, "sc_source": sources}
		return e.b.submit(e.b.get(editURL), editURL, form)
	}
	stored := func() string {
		var raw string
		require.NoError(t, e.app.DB.R.QueryRow(`SELECT scorecard FROM packages WHERE id = ?`, e.pkg.ID).Scan(&raw))
		return raw
	}
	searches := func() int {
		n := 0
		for _, c := range e.app.sim.Calls(icimstest.CustomerUS) {
			if strings.Contains(c.Path, "/search/people") {
				n++
			}
			assert.Equal(t, http.MethodGet, c.Method, "the check writes nothing: %s %s", c.Method, c.Path)
		}
		return n
	}

	cases := []struct {
		name    string
		faults  icimstest.Faults
		fields  []string
		sources []string
		status  int
		says    string
	}{
		{"a field iCIMS does not have", icimstest.Faults{}, []string{"rcf3001", "rcf9999"},
			[]string{assessments.SourceOverall, assessments.SourceVerdict}, http.StatusUnprocessableEntity,
			"Scorecard field not found: iCIMS has no field rcf9999"},
		{"a field deleted in iCIMS", icimstest.Faults{DeletedFields: []string{icimstest.FieldAssessmentVerdict}},
			[]string{"rcf3001", "rcf3002"}, []string{assessments.SourceOverall, assessments.SourceVerdict}, http.StatusUnprocessableEntity,
			"Scorecard field not found: iCIMS has no field rcf3002"},
		{"text into a number field", icimstest.Faults{}, []string{"rcf3001"},
			[]string{assessments.SourceVerdict}, http.StatusUnprocessableEntity, "The iCIMS field rcf3001 holds numbers"},
		{"fields that exist", icimstest.Faults{}, []string{"rcf3002", "rcf3001"},
			[]string{assessments.SourceVerdict, assessments.SourceOverall}, http.StatusOK, "Saved"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.faults(c.faults)
			before := stored()
			p := save(c.fields, c.sources)
			assert.Equal(t, c.status, p.Status)
			assert.Contains(t, htmlUnescape(p.Body), c.says)
			if c.status != http.StatusOK {
				assert.Equal(t, before, stored(), "a refused mapping is not saved")
			}
		})
	}
	e.faults(icimstest.Faults{})
	assert.Contains(t, stored(), `"field":"rcf3002","source":"verdict"`)

	// When every field exists, the check costs one read-only search.
	n := searches()
	p := save([]string{"rcf3002", "rcf3001"}, []string{assessments.SourceVerdict, assessments.SourceOverall})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Equal(t, n+1, searches())
}
