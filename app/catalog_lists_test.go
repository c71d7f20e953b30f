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
	"github.com/jobcannon/jobcannon/storage"
)

// option is the HTML of a picker entry.
func option(id, value string) string {
	return `<option value="` + id + `">` + value + `</option>`
}

func TestCatalogPickerOffersBothSeededListsFromICIMS(t *testing.T) {
	app := newTestApp(t)
	b, _ := signInAdmin(t, app, "ops@acme.example")
	p := b.get(app.URL + "/admin/catalog/new")
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	body := htmlUnescape(p.Body)

	typeGroup := strings.Index(body, `<optgroup label="Assessment Type">`)
	nameGroup := strings.Index(body, `<optgroup label="Assessment Name">`)
	require.True(t, typeGroup > 0 && nameGroup > typeGroup, "one picker, grouped by list: %s", body)
	for _, o := range []struct {
		id, value string
		inNames   bool
	}{
		{icimstest.AssessmentBigFive, "Big Five Work Personality", false},
		{icimstest.AssessmentWorkStyle, "Work Style Profile", false},
		{icimstest.AssessmentReasoning, "Reasoning", false},
		{icimstest.AssessmentNameBigFive, "Big Five Work Personality", true},
		{icimstest.AssessmentNameWorkStyle, "Work Style Profile", true},
		{icimstest.AssessmentNameReasoning, "Reasoning", true},
	} {
		at := strings.Index(body, option(o.id, o.value))
		require.Positive(t, at, "%s is offered", o.id)
		assert.Equal(t, o.inNames, at > nameGroup, "%s sits under its own list", o.id)
	}
	assert.NotContains(t, body, "C43001", "a custom list that is not an assessment list is not offered")
	assert.NotContains(t, body, `<input id="f-assessment_type"`, "no free-text node id while the lists can be read")
	assert.Contains(t, body, `value="Refresh from iCIMS"`)

	// The admin adds a package to the Assessment Name list in iCIMS and
	// refreshes: the new entry is offered at once, despite the cache.
	require.NoError(t, app.sim.SetCustomList(icimstest.CustomerUS, icimstest.ListAssessmentNames, "Assessment Name", []icimstest.ListNode{
		{ID: icimstest.AssessmentNameBigFive, Value: "Big Five Work Personality"}, {ID: "C42009", Value: "Situational Judgement"},
	}))
	assert.NotContains(t, b.get(app.URL+"/admin/catalog/new").Body, "C42009", "cached until refreshed")
	p = b.submit(p, "/admin/catalog/lists/refresh", url.Values{"return": {"/admin/catalog/new"}})
	require.Equal(t, "/admin/catalog/new", p.URL.Path)
	body = htmlUnescape(p.Body)
	assert.Contains(t, body, option("C42009", "Situational Judgement"))
	assert.Contains(t, body, "Read from iCIMS: Assessment Type (3 entries), Assessment Name (2 entries).")
}

func TestCatalogSaysWhichListToCreateInICIMS(t *testing.T) {
	app := newTestApp(t)
	b, _ := signInAdmin(t, app, "ops@acme.example")
	require.NoError(t, app.sim.DeleteCustomList(icimstest.CustomerUS, icimstest.ListAssessmentTypes))
	p := b.get(app.URL + "/admin/catalog/new")
	body := htmlUnescape(p.Body)
	assert.Contains(t, body, "Your iCIMS has no custom list named “Assessment Type”. Create the Assessment Type custom list in iCIMS")
	assert.Contains(t, body, option(icimstest.AssessmentNameBigFive, "Big Five Work Personality"), "the other list is still offered")
	assert.NotContains(t, body, `<input id="f-assessment_type"`)

	// With neither list, and after a refresh, the page says why and takes a
	// node id by hand.
	require.NoError(t, app.sim.DeleteCustomList(icimstest.CustomerUS, icimstest.ListAssessmentNames))
	p = b.submit(p, "/admin/catalog/lists/refresh", url.Values{"return": {"/admin/catalog/new"}})
	body = htmlUnescape(p.Body)
	assert.Contains(t, body, "Your iCIMS has neither an Assessment Type nor an Assessment Name custom list.")
	assert.Contains(t, body, "Create the Assessment Name custom list in iCIMS")
	assert.Contains(t, body, `<input id="f-assessment_type" name="assessment_type" type="text"`)
}

func TestCatalogRefreshReturnsOnlyToCatalogPages(t *testing.T) {
	app := newTestApp(t)
	b, _ := signInAdmin(t, app, "ops@acme.example")
	p := b.get(app.URL + "/admin/catalog/new")
	for _, back := range []string{"https://evil.example/", "//evil.example", "/admin/catalog/../settings", "/admin/catalog/-1"} {
		got := b.submit(p, "/admin/catalog/lists/refresh", url.Values{"return": {back}})
		assert.Equal(t, "/admin/catalog", got.URL.Path, back)
	}
}

// TestWritebackWritesTheMappedAssessmentNameNode maps the package to a node
// of the Assessment Name list on the catalog page; the results row the
// write-back adds in iCIMS names that node.
func TestWritebackWritesTheMappedAssessmentNameNode(t *testing.T) {
	e := newWritebackEnv(t)
	edit := e.app.URL + "/admin/catalog/" + strconv.FormatInt(e.pkg.ID, 10)
	p := e.b.get(edit)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	p = e.b.submit(p, "/admin/catalog/"+strconv.FormatInt(e.pkg.ID, 10), url.Values{
		"name": {"Big Five"}, "instruments": {"big-five-work"}, "enabled": {"true"},
		"assessment_type": {icimstest.AssessmentNameBigFive},
		"sc_field":        {icimstest.FieldAssessmentScore}, "sc_source": {assessments.SourceOverall},
	})
	require.Equal(t, "/admin/catalog", p.URL.Path, p.Body)
	pkg, err := storage.NewCatalogStore(e.app.DB, assessments.SystemClock{}).Package(e.ctx, e.tenant.ID, e.pkg.ID)
	require.NoError(t, err)
	assert.Equal(t, icimstest.AssessmentNameBigFive, pkg.AssessmentTypeID)
	assert.Equal(t, assessments.ListAssessmentName, pkg.AssessmentList)
	e.pkg = pkg

	c := e.invite(1)
	c.sent()
	c.waitFor(assessments.WritebackDone)
	c.startAndComplete(81, assessments.VerdictRecommended)
	c.waitFor(assessments.WritebackDone)
	rows := c.rows()
	require.Len(t, rows, 1)
	assert.Equal(t, icimstest.AssessmentNameBigFive, rows[0].AssessmentName, "the Assessment Name node, as mapped")
	assert.Equal(t, icimstest.AssessmentComplete, rows[0].AssessmentStatus)
}

func TestCatalogRefusesANodeInNeitherList(t *testing.T) {
	app := newTestApp(t)
	b, _ := signInAdmin(t, app, "ops@acme.example")
	p := b.get(app.URL + "/admin/catalog/new")
	p = b.submit(p, "/admin/catalog", url.Values{"name": {"Vets"}, "instruments": {"big-five-work"}, "enabled": {"true"},
		"assessment_type": {"C43001"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.Status)
	assert.Contains(t, htmlUnescape(p.Body), "the one sent is in neither")
}
