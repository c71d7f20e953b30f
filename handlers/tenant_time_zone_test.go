package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/storage"
)

// setZone gives the tenant a time zone, as the settings page does.
func (s *site) setZone(t *testing.T, tenantID int64, zone string) {
	t.Helper()
	require.NoError(t, storage.NewTenantStore(s.db, s.keys, s.clock).SetTimeZone(context.Background(), tenantID, zone))
}

// delivery records an inbound event at the instant at, as the events
// endpoint would.
func (s *site) delivery(t *testing.T, tenantID int64, publicID string, at time.Time) int64 {
	t.Helper()
	var id int64
	require.NoError(t, s.db.W.QueryRow(`INSERT INTO deliveries (tenant_id, public_id, direction, kind, status, workflow_id, payload, created_at, updated_at)
		VALUES (?, ?, 'inbound', ?, 'processed', '7701', '{"type":"WorkFlowStatusChangeEvent"}', ?, ?) RETURNING id`,
		tenantID, publicID, assessments.EventStatusChange, at, at).Scan(&id))
	return id
}

// Every admin page family and the recruiter's report show their times in
// the tenant's zone, named by the abbreviation in force at that instant
// (EDT in May), and none of them says UTC.
func TestAdminPagesAndTheReportShowTheTenantsTimeZone(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	sb := s.seed(t, storage.SandboxSeed{FirstName: "Nia", LastName: "York", PackageName: "Reasoning", InstrumentIDs: []string{"reasoning"}})
	s.setZone(t, sb.TenantID, "America/New_York")
	_, err := s.invitations.RequestAccommodation(ctx, sb.TenantID, sb.Invitation.ID, "Screen reader user")
	require.NoError(t, err)
	logID := s.delivery(t, sb.TenantID, "ny-1", siteNow)
	c := s.client(t)
	s.signIn(t, c, sb.TenantID)
	_, err = s.db.W.Exec(`UPDATE admins SET last_login_at = ? WHERE tenant_id = ?`, siteNow, sb.TenantID)
	require.NoError(t, err)

	// The logs chart counts stored UTC days, and says so; nothing else
	// on these pages is in UTC.
	const chartUTC = "Deliveries per UTC day"
	// siteNow is 10:00 UTC on 4 May 2026: 06:00 in New York.
	require.Equal(t, time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC), siteNow)
	cases := []struct {
		name, path string
		want       []string
	}{
		{"invitation list", routes.InvitationList(), []string{"<td>2026-05-04 06:00 EDT</td>"}},
		{"invitation", routes.InvitationShow(sb.Invitation.ID), []string{"2026-05-04 06:00 EDT: Created",
			"The end of this day, America/New_York."}},
		{"accommodation requests", routes.CatalogAccommodationList(), []string{"asked 2026-05-04 06:00 EDT"}},
		{"admins", routes.AdminList(), []string{"2026-05-04 06:00 EDT"}},
		{"logs", routes.LogsPath, []string{"2026-05-04 06:00:00 EDT", "Times and the date filter are in America/New_York.",
			chartUTC}},
		{"log entry", routes.LogsShow(logID), []string{"<dd>2026-05-04 06:00:00 EDT</dd>"}},
		{"report", assessments.ReportPath(s.keys, sb.Invitation.ReportID), []string{"<dd>2026-05-04 06:00 EDT</dd>"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page := c.get(tc.path)
			require.Equal(t, http.StatusOK, page.Status, page.Body)
			for _, want := range tc.want {
				assert.Contains(t, page.Body, want)
			}
			assert.NotContains(t, strings.ReplaceAll(page.Body, chartUTC, ""), "UTC")
		})
	}
}

// The logs' date filter means the tenant's days: 23:30 in Tokyo on 4 May
// is 4 May there, 00:30 the next hour is 5 May, though both are 4 May in
// UTC.
func TestLogsDateFilterTakesTheTenantsDays(t *testing.T) {
	s := newSite(t)
	tenantID := s.tenant(t, "4300")
	s.setZone(t, tenantID, "Asia/Tokyo")
	may4 := s.delivery(t, tenantID, "tokyo-4", time.Date(2026, 5, 4, 14, 30, 0, 0, time.UTC))
	may5 := s.delivery(t, tenantID, "tokyo-5", time.Date(2026, 5, 4, 15, 30, 0, 0, time.UTC))
	c := s.client(t)
	s.signIn(t, c, tenantID)

	cases := []struct {
		from, to  string
		in, notIn []int64
	}{
		{"2026-05-04", "2026-05-04", []int64{may4}, []int64{may5}},
		{"2026-05-05", "2026-05-05", []int64{may5}, []int64{may4}},
		{"2026-05-05", "", []int64{may5}, []int64{may4}},
		{"", "2026-05-04", []int64{may4}, []int64{may5}},
		{"2026-05-04", "2026-05-05", []int64{may4, may5}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.from+" to "+tc.to, func(t *testing.T) {
			page := c.get(routes.LogsPath + "?" + url.Values{"from": {tc.from}, "to": {tc.to}}.Encode())
			require.Equal(t, http.StatusOK, page.Status, page.Body)
			for _, id := range tc.in {
				assert.Contains(t, page.Body, `href="`+routes.LogsShow(id)+`"`)
			}
			for _, id := range tc.notIn {
				assert.NotContains(t, page.Body, `href="`+routes.LogsShow(id)+`"`)
			}
		})
	}
	page := c.get(routes.LogsPath)
	assert.Contains(t, page.Body, "2026-05-04 23:30:00 JST")
	assert.Contains(t, page.Body, "2026-05-05 00:30:00 JST")
}

// The extend form's days are the tenant's: its bounds are Tokyo's dates
// and the chosen day ends at 23:59:59 in Tokyo.
func TestExtendDeadlineEndsTheDayInTheTenantsZone(t *testing.T) {
	s := newSite(t)
	sb := s.seed(t, storage.SandboxSeed{FirstName: "Kei", LastName: "Tokyo"})
	s.setZone(t, sb.TenantID, "Asia/Tokyo")
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	require.NoError(t, err)
	// 20:00 UTC on 4 May is 05:00 on 5 May in Tokyo.
	s.clock.Advance(10 * time.Hour)
	c := s.client(t)
	s.signIn(t, c, sb.TenantID)

	page := c.get(routes.InvitationShow(sb.Invitation.ID))
	require.Equal(t, http.StatusOK, page.Status, page.Body)
	assert.Contains(t, page.Body, `min="2026-05-06"`, "a day after Tokyo's today")
	assert.Contains(t, page.Body, `max="2026-08-03"`, "90 days after Tokyo's today")
	assert.Contains(t, page.Body, "The end of this day, Asia/Tokyo.")

	res := c.postForm(page, routes.InvitationExtend(sb.Invitation.ID), url.Values{"until": {"2026-05-20"}})
	require.Equal(t, http.StatusSeeOther, res.Status, res.Body)
	want := time.Date(2026, 5, 20, 23, 59, 59, 0, tokyo)
	assert.True(t, want.Equal(s.resends.extendedTo()), "extended to %s", s.resends.extendedTo().UTC())
	assert.Equal(t, time.Date(2026, 5, 20, 14, 59, 59, 0, time.UTC), s.resends.extendedTo().UTC())
	assert.Contains(t, c.get(res.Location).Body, "Extended to Wednesday, May 20, 2026 23:59 JST.")
}

// The jobs page and a rule's audit trail read in the tenant's zone too.
func TestJobsAndRuleAuditShowTheTenantsTimeZone(t *testing.T) {
	s := newJobSite(t)
	tenantID := s.connected(t, "1234")
	s.setZone(t, tenantID, "America/New_York")
	s.seedJobs(t, tenantID)
	pkg, err := s.catalog.SavePackage(context.Background(), s.lib, assessments.Package{TenantID: tenantID, Name: "Sales",
		InstrumentIDs: []string{"big-five-work"}, AssessmentTypeID: "C70021", AssessmentTypeName: "Big Five Work Personality", Enabled: true})
	require.NoError(t, err)
	c := s.client(t)
	s.signIn(t, c, tenantID)

	// The jobs were synced at 09:00 UTC: 05:00 in New York.
	jobs := html.UnescapeString(c.get("/admin/jobs").Body)
	assert.Contains(t, jobs, "<td>2026-05-04 05:00 EDT</td>")
	assert.Contains(t, jobs, "Removed from iCIMS on 2026-05-04 05:00 EDT")
	assert.Contains(t, jobs, "Last synced 2026-05-04 05:00 EDT")
	assert.NotContains(t, jobs, "UTC")

	form := c.get("/admin/rules/new")
	saved := c.postForm(form, "/admin/rules", url.Values{"name": {"Sales roles"}, "mode": {"auto"}, "to_0": {"C51003"},
		"jobs": {"chosen"}, "job_ids": {"2001"}, "package_id": {strconv.FormatInt(pkg.ID, 10)}})
	require.Equal(t, http.StatusSeeOther, saved.Status, saved.Body)
	rules, err := s.rules.Rules(context.Background(), tenantID)
	require.NoError(t, err)
	require.Len(t, rules, 1)
	edit := html.UnescapeString(c.get("/admin/rules/" + strconv.FormatInt(rules[0].ID, 10)).Body)
	assert.Contains(t, edit, "<td>2026-05-04 06:00:00 EDT</td>", "the audit row, saved at 10:00 UTC")
	assert.NotContains(t, edit, "UTC")
}
