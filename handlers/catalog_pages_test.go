package handlers_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/storage"
)

func (s *site) tenant(t *testing.T, customerID string) int64 {
	t.Helper()
	var id int64
	require.NoError(t, s.db.W.QueryRow(`INSERT INTO tenants (customer_id, name, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
		customerID, "Acme "+customerID, siteNow, siteNow).Scan(&id))
	return id
}

func packageForm(name, typeID string) url.Values {
	return url.Values{
		"name": {name}, "instruments": {"big-five-work", "reasoning"}, "assessment_type": {typeID}, "enabled": {"true"},
		"time_limit": {"0"}, "expiry": {"10"}, "reminders": {"2, 5"}, "recommended": {"75"}, "consider": {"55"},
		"min.extraversion": {"60"}, "max.extraversion": {"100"}, "weight.extraversion": {"2"},
		"min.overall": {"50"}, "max.overall": {"100"},
		"min.driving": {"10"}, "max.driving": {"20"}, // work style is not chosen: dropped
		"sc_field": {"rcf3001", "rcf3002", ""}, "sc_source": {"overall", "percentile:extraversion", ""},
	}
}

func TestCatalogNeedsAnAdmin(t *testing.T) {
	s := newSite(t)
	c := s.client(t)
	res := c.get("/admin/catalog")
	assert.Equal(t, http.StatusSeeOther, res.Status)
	assert.Contains(t, res.Location, "/admin/login")
}

func TestCatalogCreateEditAndSwitchOff(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	tenantID := s.tenant(t, "1234")
	c := s.client(t)
	s.signIn(t, c, tenantID)

	list := c.get("/admin/catalog")
	require.Equal(t, http.StatusOK, list.Status, list.Body)
	assert.Contains(t, list.Body, "No packages yet")

	form := c.get("/admin/catalog/new")
	require.Equal(t, http.StatusOK, form.Status)
	assert.Contains(t, form.Body, "Sales battery", "the tenant's Assessment Type list is offered")
	assert.Contains(t, form.Body, "Big Five Work Personality")

	saved := c.postForm(form, "/admin/catalog", packageForm("Sales", "D37001"))
	require.Equal(t, http.StatusSeeOther, saved.Status, saved.Body)
	pkgs, err := s.catalog.Packages(ctx, tenantID)
	require.NoError(t, err)
	require.Len(t, pkgs, 1)
	p := pkgs[0]
	assert.Equal(t, "Sales battery", p.AssessmentTypeName)
	assert.Equal(t, []string{"big-five-work", "reasoning"}, p.InstrumentIDs)
	assert.Equal(t, 10, p.ExpiryDays)
	assert.Equal(t, []int{2, 5}, p.ReminderDays)
	assert.Equal(t, assessments.Thresholds{Recommended: 75, Consider: 55}, p.Thresholds)
	assert.Equal(t, map[string]assessments.ScaleRange{"extraversion": {Min: 60, Max: 100}, "overall": {Min: 50, Max: 100}}, p.Profile.Ranges)
	assert.Equal(t, map[string]float64{"extraversion": 2}, p.Profile.Weights)
	assert.Equal(t, []assessments.ScorecardMapping{{Field: "rcf3001", Source: "overall"}, {Field: "rcf3002", Source: "percentile:extraversion"}}, p.Scorecard)
	list = c.get(saved.Location)
	assert.Contains(t, list.Body, "Saved “Sales”.")

	edit := c.get(catalogPath(p.ID, ""))
	require.Equal(t, http.StatusOK, edit.Status)
	assert.Contains(t, edit.Body, `value="60"`, "the form shows the stored profile")
	changed := packageForm("Sales v2", "D37001")
	changed.Set("expiry", "14")
	require.Equal(t, http.StatusSeeOther, c.postForm(edit, catalogPath(p.ID, ""), changed).Status)
	got, err := s.catalog.Package(ctx, tenantID, p.ID)
	require.NoError(t, err)
	assert.Equal(t, "Sales v2", got.Name)
	assert.Equal(t, 14, got.ExpiryDays)

	off := c.postForm(c.get("/admin/catalog"), catalogPath(p.ID, "/enabled"), url.Values{"enabled": {"false"}})
	require.Equal(t, http.StatusSeeOther, off.Status)
	got, err = s.catalog.Package(ctx, tenantID, p.ID)
	require.NoError(t, err)
	assert.False(t, got.Enabled)
	assert.Contains(t, c.get("/admin/catalog").Body, "is off")

	// Without the CSRF token nothing changes.
	bad := c.post(catalogPath(p.ID, "/enabled"), url.Values{"enabled": {"true"}})
	assert.NotEqual(t, http.StatusSeeOther, bad.Status)
	got, err = s.catalog.Package(ctx, tenantID, p.ID)
	require.NoError(t, err)
	assert.False(t, got.Enabled)
}

func TestCatalogFormShowsProblems(t *testing.T) {
	s := newSite(t)
	tenantID := s.tenant(t, "1234")
	c := s.client(t)
	s.signIn(t, c, tenantID)
	form := c.get("/admin/catalog/new")

	cases := []struct {
		name string
		edit func(url.Values)
		says string
	}{
		{"no name", func(v url.Values) { v.Set("name", "") }, "Give the package a name"},
		{"no instruments", func(v url.Values) {
			v.Del("instruments")
			v.Del("min.extraversion")
			v.Del("max.extraversion")
			v.Del("min.overall")
			v.Del("max.overall")
			v.Del("sc_field")
		}, "Pick at least one assessment"},
		{"no type", func(v url.Values) { v.Set("assessment_type", "") }, "Choose the iCIMS Assessment Type"},
		{"words for days", func(v url.Values) { v.Set("expiry", "a week") }, "whole number of days"},
		{"reminder after expiry", func(v url.Values) { v.Set("reminders", "2, 12") }, "12 does not"},
		{"half a range", func(v url.Values) { v.Set("max.extraversion", "") }, "give both ends of the ideal range for Extraversion"},
		{"crossed thresholds", func(v url.Values) { v.Set("consider", "90") }, "consider ≤ recommended"},
		{"bad field", func(v url.Values) { v.Set("sc_field", "rcf 1") }, "not an iCIMS field name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := packageForm("Sales", "D37001")
			tc.edit(v)
			res := c.postForm(form, "/admin/catalog", v)
			assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
			assert.Contains(t, res.Body, `role="alert"`)
			assert.Contains(t, res.Body, tc.says)
		})
	}
	pkgs, err := s.catalog.Packages(context.Background(), tenantID)
	require.NoError(t, err)
	assert.Empty(t, pkgs, "nothing was saved")

	require.Equal(t, http.StatusSeeOther, c.postForm(form, "/admin/catalog", packageForm("Sales", "D37001")).Status)
	dup := c.postForm(form, "/admin/catalog", packageForm("Graduates", "D37001"))
	assert.Equal(t, http.StatusUnprocessableEntity, dup.Status)
	assert.Contains(t, dup.Body, "each type maps to one package")
}

func TestCatalogFormWithoutTheTypeList(t *testing.T) {
	s := newSite(t)
	s.types.err = errors.New("iCIMS is down")
	tenantID := s.tenant(t, "1234")
	c := s.client(t)
	s.signIn(t, c, tenantID)
	form := c.get("/admin/catalog/new")
	require.Equal(t, http.StatusOK, form.Status)
	assert.Contains(t, form.Body, "could not read your Assessment Type and Assessment Name lists from iCIMS")
	res := c.postForm(form, "/admin/catalog", packageForm("Sales", "D99"))
	require.Equal(t, http.StatusSeeOther, res.Status, res.Body)
	p, err := s.catalog.PackageByAssessmentType(context.Background(), tenantID, "D99")
	require.NoError(t, err)
	assert.Equal(t, "D99", p.AssessmentTypeName, "the id stands in for the name")
}

func TestCatalogIsScopedToTheAdminsTenant(t *testing.T) {
	s := newSite(t)
	theirs := s.seed(t, storage.SandboxSeed{CustomerID: "999"})
	mine := s.tenant(t, "1234")
	c := s.client(t)
	s.signIn(t, c, mine)
	for _, path := range []string{"", "/preview", "/preview/step/1"} {
		res := c.get(catalogPath(theirs.Package.ID, path))
		assert.Equal(t, http.StatusNotFound, res.Status, path)
	}
	assert.NotContains(t, c.get("/admin/catalog").Body, theirs.Package.Name)
}

func TestCatalogPreviewStoresNothing(t *testing.T) {
	s := newSite(t)
	sb := s.seed(t, storage.SandboxSeed{})
	c := s.client(t)
	s.signIn(t, c, sb.TenantID)
	base := catalogPath(sb.Package.ID, "/preview")

	welcome := c.get(base)
	require.Equal(t, http.StatusOK, welcome.Status)
	assert.Contains(t, welcome.Body, "Preview.")
	assert.Contains(t, welcome.Body, `method="get"`)
	page := c.get(base + "/step/1")
	require.Equal(t, http.StatusOK, page.Status)
	assert.Equal(t, 10, strings.Count(page.Body, `<fieldset class="q"`))
	next := c.get(base + "/step/1?nav=next&" + answerPage(page.Body, 4).Encode())
	require.Equal(t, http.StatusSeeOther, next.Status)
	assert.Equal(t, base+"/step/2", next.Location)
	assert.Contains(t, c.get(base+"/review").Body, "Submit my answers")
	assert.Contains(t, c.get(base+"/done").Body, "Thank you")

	var n int
	require.NoError(t, s.db.R.QueryRow(`SELECT (SELECT COUNT(*) FROM answers) + (SELECT COUNT(*) FROM attempts) + (SELECT COUNT(*) FROM results)`).Scan(&n))
	assert.Zero(t, n)
	inv, err := s.invitations.Invitation(context.Background(), sb.TenantID, sb.Invitation.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.StatusCreated, inv.Status, "the real invitation is untouched")
}

func TestAccommodationGrantFromTheAdminPage(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	sb := s.seed(t, storage.SandboxSeed{PackageName: "Reasoning", InstrumentIDs: []string{"reasoning"}})
	_, err := s.invitations.RequestAccommodation(ctx, sb.TenantID, sb.Invitation.ID, "Screen reader user")
	require.NoError(t, err)
	c := s.client(t)
	s.signIn(t, c, sb.TenantID)
	assert.Contains(t, c.get("/admin/catalog").Body, "1 accommodation request waiting")
	page := c.get("/admin/catalog/accommodations")
	require.Equal(t, http.StatusOK, page.Status)
	assert.Contains(t, page.Body, "Screen reader user")
	reqs, err := s.invitations.AccommodationRequests(ctx, sb.TenantID)
	require.NoError(t, err)

	bad := c.postForm(page, "/admin/catalog/accommodations/"+itoa(reqs[0].ID), url.Values{"extra_minutes": {"lots"}})
	assert.Equal(t, http.StatusUnprocessableEntity, bad.Status)
	res := c.postForm(page, "/admin/catalog/accommodations/"+itoa(reqs[0].ID), url.Values{"extra_minutes": {"10"}})
	require.Equal(t, http.StatusSeeOther, res.Status, res.Body)
	inv, err := s.invitations.Invitation(ctx, sb.TenantID, sb.Invitation.ID)
	require.NoError(t, err)
	assert.Equal(t, 10, inv.ExtraTimeMinutes)

	// The candidate now sees the longer limit.
	cand := s.client(t)
	welcome := cand.get("/a/" + sb.Token)
	assert.Contains(t, welcome.Body, "timed, 22 minutes")
}

func catalogPath(id int64, suffix string) string { return "/admin/catalog/" + itoa(id) + suffix }
