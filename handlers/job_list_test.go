package handlers_test

import (
	"context"
	"encoding/json"
	"html"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/handlers"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/static"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
	"github.com/jobcannon/jobcannon/web"
)

// jobSite is the real server with the Jobs page and the rule pages wired
// to the real stores; iCIMS's statuses are a fake. The store queues the
// job sync itself; queue reads what it queued.
type jobSite struct {
	*site
	jobs  *storage.JobListingStore
	rules *storage.RuleStore
	queue *queuedSyncs
}

// queuedSyncs reads the job syncs the store queued, by tenant, from
// River's table.
type queuedSyncs struct {
	t  *testing.T
	db *storage.DB
}

func (q *queuedSyncs) queued() []int64 {
	q.t.Helper()
	// json(args) reads River's JSONB as text on both stores (on PostgreSQL
	// it is a cast); the args are decoded here, not with SQLite's json_extract.
	rows, err := q.db.R.Query(`SELECT json(args) FROM river_job WHERE kind = ? ORDER BY id`,
		jobargs.JobSyncArgs{}.Kind())
	require.NoError(q.t, err)
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var raw []byte
		require.NoError(q.t, rows.Scan(&raw))
		var args jobargs.JobSyncArgs
		require.NoError(q.t, json.Unmarshal(raw, &args))
		out = append(out, args.TenantID)
	}
	require.NoError(q.t, rows.Err())
	return out
}

type fakeStatuses struct{}

func (fakeStatuses) WorkflowStatuses(context.Context, assessments.Tenant) ([]assessments.WorkflowStatus, error) {
	return []assessments.WorkflowStatus{{ID: "C51003", Value: "Assessment"}, {ID: "C51005", Value: "Interview"}}, nil
}

func newJobSite(t *testing.T) *jobSite {
	t.Helper()
	env := storetest.New(t, storetest.At(siteNow))
	db, lib, keys, clock := env.DB, env.Library, env.Keyring, env.Clock
	assets, err := static.New()
	require.NoError(t, err)
	s := &jobSite{site: &site{db: db, clock: clock, lib: lib, keys: keys, logs: &syncBuffer{}, types: &fakeTypes{}},
		queue: &queuedSyncs{t: t, db: db}}
	s.catalog = storage.NewCatalogStore(db, clock)
	s.admins = storage.NewAdminStore(db, clock)
	s.jobs = storage.NewJobListingStore(db, clock)
	s.rules = storage.NewRuleStore(db, clock)
	s.sessions = scs.New()
	s.sessions.Cookie.Name = "jc_session"
	log := slog.New(slog.NewJSONHandler(s.logs, nil))
	base := &url.URL{Scheme: "http", Host: "127.0.0.1"}
	shared := &handlers.Shared{Log: log, Assets: assets, Clock: clock, BaseURL: base, Sessions: s.sessions}
	listings := &assessments.JobListings{Store: s.jobs}
	h := handlers.Areas{
		Shared:  shared,
		Site:    &handlers.Site{Shared: shared, Ready: db},
		Admin:   &handlers.Admin{Shared: shared, Tenants: storage.NewTenantStore(db, keys, clock), Admins: s.admins},
		Catalog: &handlers.Catalog{Shared: shared, Library: lib, Catalog: s.catalog, AssessmentTypes: s.types},
		Rules: &handlers.Rules{Shared: shared, Rules: s.rules, Catalog: s.catalog, Statuses: fakeStatuses{},
			JobListings: listings},
		Jobs: &handlers.Jobs{Shared: shared, JobListings: listings},
	}
	srv, err := web.New(web.Config{BaseURL: base, Log: log}, h)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	})
	s.URL = "http://" + ln.Addr().String()
	return s
}

// connected makes a tenant that is connected to iCIMS.
func (s *jobSite) connected(t *testing.T, customerID string) int64 {
	t.Helper()
	id := s.tenant(t, customerID)
	_, err := s.db.W.Exec(`UPDATE tenants SET auth_mode = 'basic' WHERE id = ?`, id)
	require.NoError(t, err)
	return id
}

// seedJobs stores three jobs as a sync would: two open, one closed.
func (s *jobSite) seedJobs(t *testing.T, tenantID int64) {
	t.Helper()
	ctx := context.Background()
	synced := siteNow.Add(-time.Hour)
	require.NoError(t, s.jobs.SaveJobListings(ctx, tenantID, []assessments.JobListing{
		{JobID: "2001", Title: "Account Executive", JobCode: "REQ-1", Location: "Boston, MA", FolderName: "Approved", SyncedAt: synced,
			AssessmentTypes: []assessments.AssessmentType{{ID: "C70021", Value: "Big Five Work Personality"}, {ID: "C70023", Value: "Reasoning"}}},
		{JobID: "2002", Title: "Customer Support Specialist", JobCode: "REQ-2", Location: "Austin, TX", FolderName: "Approved", SyncedAt: synced},
		{JobID: "2003", Title: "Data Analyst", JobCode: "REQ-3", Location: "Remote, US", FolderName: "Closed", SyncedAt: synced,
			RemovedAt: synced, RemovedReason: "moved to the Closed folder in iCIMS"},
	}))
	require.NoError(t, s.jobs.SaveJobSyncState(ctx, assessments.JobSyncState{TenantID: tenantID, Since: synced,
		LastSweepAt: synced, LastFinishedAt: synced}))
}

func TestJobsPageListsTheJobsReadFromICIMS(t *testing.T) {
	s := newJobSite(t)
	tenantID := s.connected(t, "1234")
	other := s.connected(t, "5678")
	s.seedJobs(t, tenantID)
	require.NoError(t, s.jobs.SaveJobListings(context.Background(), other, []assessments.JobListing{
		{JobID: "9001", Title: "Other customer's job", SyncedAt: siteNow}}))
	c := s.client(t)
	s.signIn(t, c, tenantID)

	page := c.get("/admin/jobs")
	require.Equal(t, http.StatusOK, page.Status, page.Body)
	body := html.UnescapeString(page.Body)
	assert.Contains(t, body, `href="/admin/jobs"`, "the admin navigation links to the page")
	for _, want := range []string{"Account Executive", "REQ-1", "Boston, MA", "Approved", "Big Five Work Personality, Reasoning",
		"2026-05-04 09:00 UTC", "Removed from iCIMS on 2026-05-04 09:00 UTC", "moved to the Closed folder in iCIMS",
		`<a href="/admin/jobs/2001/share">Share an assessment link`, "Refresh jobs", "3 jobs"} {
		assert.Contains(t, body, want)
	}
	assert.NotContains(t, body, `href="/admin/jobs/2003/share"`, "no link for a job removed from iCIMS")
	assert.NotContains(t, body, "Other customer's job", "one tenant never sees another's jobs")

	cases := []struct {
		q          string
		want, not  []string
		countLabel string
	}{
		{"boston", []string{"Account Executive"}, []string{"Customer Support", "Data Analyst"}, "1 of 3 jobs"},
		{"REQ-2", []string{"Customer Support"}, []string{"Account Executive"}, "1 of 3 jobs"},
		{"reasoning", []string{"Account Executive"}, []string{"Customer Support"}, "1 of 3 jobs"},
		{"nothing like it", nil, []string{"Account Executive"}, "No job matches"},
	}
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			body := html.UnescapeString(c.get("/admin/jobs?q=" + url.QueryEscape(tc.q)).Body)
			assert.Contains(t, body, tc.countLabel)
			for _, w := range tc.want {
				assert.Contains(t, body, w)
			}
			for _, n := range tc.not {
				assert.NotContains(t, body, n)
			}
		})
	}
}

func TestJobsRefreshQueuesASyncThatSweeps(t *testing.T) {
	s := newJobSite(t)
	tenantID := s.connected(t, "1234")
	c := s.client(t)
	s.signIn(t, c, tenantID)

	page := c.get("/admin/jobs")
	assert.Contains(t, page.Body, "have not been read from iCIMS yet")
	res := c.postForm(page, "/admin/jobs/refresh", nil)
	require.Equal(t, http.StatusSeeOther, res.Status, res.Body)
	assert.Equal(t, "/admin/jobs", res.Location)
	assert.Equal(t, []int64{tenantID}, s.queue.queued())
	st, err := s.jobs.JobSyncState(context.Background(), tenantID)
	require.NoError(t, err)
	assert.True(t, st.SweepRequested, "the run lists every open job, to find removed ones")
	assert.Contains(t, c.get("/admin/jobs").Body, "Reading the jobs from iCIMS now")

	t.Run("without a CSRF token nothing is queued", func(t *testing.T) {
		res := c.post("/admin/jobs/refresh", nil)
		assert.Equal(t, http.StatusBadRequest, res.Status)
		assert.Len(t, s.queue.queued(), 1)
	})

	t.Run("a tenant not connected to iCIMS is told so", func(t *testing.T) {
		s2 := newJobSite(t)
		id := s2.tenant(t, "4321")
		c2 := s2.client(t)
		s2.signIn(t, c2, id)
		res := c2.postForm(c2.get("/admin/jobs"), "/admin/jobs/refresh", nil)
		assert.Equal(t, http.StatusServiceUnavailable, res.Status)
		assert.Contains(t, res.Body, "Connect JobCannon to iCIMS")
		assert.Empty(t, s2.queue.queued())
	})
}

func TestRuleFormPicksJobsByName(t *testing.T) {
	s := newJobSite(t)
	tenantID := s.connected(t, "1234")
	s.seedJobs(t, tenantID)
	pkg, err := s.catalog.SavePackage(context.Background(), s.lib, assessments.Package{TenantID: tenantID, Name: "Sales",
		InstrumentIDs: []string{"big-five-work"}, AssessmentTypeID: "C70021", AssessmentTypeName: "Big Five Work Personality", Enabled: true})
	require.NoError(t, err)
	c := s.client(t)
	s.signIn(t, c, tenantID)

	form := c.get("/admin/rules/new")
	require.Equal(t, http.StatusOK, form.Status, form.Body)
	body := html.UnescapeString(form.Body)
	assert.Contains(t, body, `<select id="f-job_ids" name="job_ids" multiple`)
	assert.Contains(t, body, `<option value="2001">Account Executive (REQ-1, Boston, MA)</option>`)
	assert.Contains(t, body, `Data Analyst (REQ-3, Remote, US) (removed from iCIMS)`)
	assert.NotContains(t, body, `placeholder="2001, 2002"`, "no typed job ids once jobs are known")

	saved := c.postForm(form, "/admin/rules", url.Values{"name": {"Sales roles"}, "mode": {"auto"}, "to_0": {"C51003"},
		"jobs": {"chosen"}, "job_ids": {"2001", "2002"}, "package_id": {strconv.FormatInt(pkg.ID, 10)}})
	require.Equal(t, http.StatusSeeOther, saved.Status, saved.Body)
	rules, err := s.rules.Rules(context.Background(), tenantID)
	require.NoError(t, err)
	require.Len(t, rules, 1)
	assert.Equal(t, []string{"2001", "2002"}, rules[0].Conditions.JobIDs, "every chosen job, not only the first")

	edit := html.UnescapeString(c.get("/admin/rules/" + strconv.FormatInt(rules[0].ID, 10)).Body)
	assert.Contains(t, edit, `<option value="2001" selected>Account Executive (REQ-1, Boston, MA)</option>`)
	assert.Contains(t, edit, `<option value="2002" selected>Customer Support Specialist (REQ-2, Austin, TX)</option>`)
	assert.NotContains(t, edit, "was removed from iCIMS")

	t.Run("a chosen job that leaves iCIMS needs attention", func(t *testing.T) {
		require.NoError(t, s.jobs.MarkJobsRemoved(context.Background(), tenantID, []string{"2002"}, "no longer found in iCIMS", siteNow))
		edit := html.UnescapeString(c.get("/admin/rules/" + strconv.FormatInt(rules[0].ID, 10)).Body)
		assert.Contains(t, edit, "The chosen job Customer Support Specialist (REQ-2, Austin, TX) was removed from iCIMS: no longer found in iCIMS.")
		assert.Contains(t, edit, `<option value="2002" selected>Customer Support Specialist (REQ-2, Austin, TX) (removed from iCIMS)</option>`)
	})
}

func TestRuleFormTakesTypedJobIDsBeforeTheFirstSync(t *testing.T) {
	s := newJobSite(t)
	tenantID := s.connected(t, "1234")
	c := s.client(t)
	s.signIn(t, c, tenantID)

	body := html.UnescapeString(c.get("/admin/rules/new").Body)
	assert.Contains(t, body, `<input id="f-job_ids" name="job_ids" type="text"`)
	assert.Contains(t, body, `read them from iCIMS on the <a href="/admin/jobs">Jobs</a> page first`)
	assert.NotContains(t, body, `<select id="f-job_ids"`)
}
