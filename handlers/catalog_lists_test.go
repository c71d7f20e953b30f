package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
)

// bothLists is a tenant whose vendor loaded its packages into both lists.
func bothLists() assessments.AssessmentLists {
	node := func(id, value, list string) assessments.AssessmentType {
		return assessments.AssessmentType{ID: id, Value: value, List: list}
	}
	return assessments.AssessmentLists{Lists: []assessments.AssessmentList{
		{Name: "Assessment Type", ID: "C70020", Nodes: []assessments.AssessmentType{node("C70021", "Sales battery", "Assessment Type")}},
		{Name: "Assessment Name", ID: "C70030", Nodes: []assessments.AssessmentType{node("C70031", "Sales battery", "Assessment Name")}},
	}}
}

func TestCatalogListsPickerGroupsByList(t *testing.T) {
	s := newSite(t)
	s.types.set(bothLists())
	tenantID := s.tenant(t, "1234")
	c := s.client(t)
	s.signIn(t, c, tenantID)

	form := c.get("/admin/catalog/new")
	require.Equal(t, http.StatusOK, form.Status)
	body := html.UnescapeString(form.Body)
	assert.Contains(t, body, `<optgroup label="Assessment Type"><option value="C70021">Sales battery</option></optgroup>`)
	assert.Contains(t, body, `<optgroup label="Assessment Name"><option value="C70031">Sales battery</option></optgroup>`)
	assert.NotContains(t, body, `<input id="f-assessment_type"`, "no free-text node id")

	saved := c.postForm(form, "/admin/catalog", packageForm("Sales", "C70031"))
	require.Equal(t, http.StatusSeeOther, saved.Status, saved.Body)
	p, err := s.catalog.PackageByAssessmentType(context.Background(), tenantID, "C70031")
	require.NoError(t, err)
	assert.Equal(t, "Sales battery", p.AssessmentTypeName)
	assert.Equal(t, "Assessment Name", p.AssessmentList, "the list the chosen node is in")

	// The node leaves iCIMS: editing shows it rather than choosing nothing.
	onlyTypes := bothLists()
	onlyTypes.Lists[1].Nodes = nil
	s.types.set(onlyTypes)
	edit := html.UnescapeString(c.get(catalogPath(p.ID, "")).Body)
	assert.Contains(t, edit, `<option value="C70031" selected>Sales battery (no longer in your iCIMS lists)</option>`)
}

func TestCatalogListsMissingListAndFreeText(t *testing.T) {
	s := newSite(t)
	tenantID := s.tenant(t, "1234")
	c := s.client(t)
	s.signIn(t, c, tenantID)

	namesOnly := bothLists()
	namesOnly.Lists, namesOnly.Missing = namesOnly.Lists[1:], []string{"Assessment Type"}
	s.types.set(namesOnly)
	body := html.UnescapeString(c.get("/admin/catalog/new").Body)
	assert.Contains(t, body, "Create the Assessment Type custom list in iCIMS")
	assert.Contains(t, body, `<select id="f-assessment_type"`, "the list that exists is still offered")

	s.types.set(assessments.AssessmentLists{Missing: []string{"Assessment Type", "Assessment Name"}})
	body = html.UnescapeString(c.get("/admin/catalog/new").Body)
	assert.Contains(t, body, "Your iCIMS has neither an Assessment Type nor an Assessment Name custom list.")
	assert.Contains(t, body, `<input id="f-assessment_type" name="assessment_type" type="text"`)
	assert.NotContains(t, body, `<select id="f-assessment_type"`)
}

func TestCatalogListsRefresh(t *testing.T) {
	s := newSite(t)
	s.types.set(bothLists())
	tenantID := s.tenant(t, "1234")
	c := s.client(t)
	s.signIn(t, c, tenantID)

	form := c.get("/admin/catalog/new")
	assert.Contains(t, form.Body, `action="/admin/catalog/lists/refresh"`)
	res := c.postForm(form, "/admin/catalog/lists/refresh", url.Values{"return": {"/admin/catalog/new"}})
	require.Equal(t, http.StatusSeeOther, res.Status, res.Body)
	assert.Equal(t, "/admin/catalog/new", res.Location)
	assert.Equal(t, 1, s.types.refreshes(), "the cache is dropped")
	back := html.UnescapeString(c.get(res.Location).Body)
	assert.Contains(t, back, "Read from iCIMS: Assessment Type (1 entry), Assessment Name (1 entry).")
	assert.Equal(t, 1, strings.Count(back, "Read from iCIMS:"), "shown once")

	bad := c.post("/admin/catalog/lists/refresh", url.Values{"return": {"/admin/catalog/new"}})
	assert.NotEqual(t, http.StatusSeeOther, bad.Status, "without the CSRF token nothing happens")
	assert.Equal(t, 1, s.types.refreshes())
}

func (f *fakeTypes) set(l assessments.AssessmentLists) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lists = l
}

func (f *fakeTypes) refreshes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refreshed
}
