package handlers_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/handlers"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/static"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
	"github.com/jobcannon/jobcannon/web"
)

var siteNow = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

// site is the real server (web.New, the one route table) on a real
// database, with the candidate, catalog and report handlers wired.
type site struct {
	URL         string
	db          *storage.DB
	clock       *clocktest.Clock
	lib         *assessments.Library
	keys        *secrets.Keyring
	catalog     *storage.CatalogStore
	invitations *storage.InvitationStore
	results     *storage.ResultStore
	sessions    *scs.SessionManager
	admins      *storage.AdminStore
	templates   *storage.EmailTemplateStore
	types       *fakeTypes
	logs        *syncBuffer
	// resends records the resends the invitation page queues.
	resends *fakeResends
}

// fakeTypes stands in for the tenant's iCIMS Assessment Type and
// Assessment Name lists.
type fakeTypes struct {
	mu        sync.Mutex
	lists     assessments.AssessmentLists
	err       error
	refreshed int
}

func (f *fakeTypes) AssessmentLists(context.Context, int64) (assessments.AssessmentLists, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lists, f.err
}

func (f *fakeTypes) RefreshAssessmentLists(context.Context, int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refreshed++
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newSite(t *testing.T) *site {
	t.Helper()
	env := storetest.New(t, storetest.At(siteNow))
	db, lib, keys := env.DB, env.Library, env.Keyring
	assets, err := static.New()
	require.NoError(t, err)
	clock := env.Clock
	s := &site{db: db, clock: clock, lib: lib, keys: keys, logs: &syncBuffer{},
		types: &fakeTypes{lists: assessments.AssessmentLists{Lists: []assessments.AssessmentList{{
			Name: "Assessment Type", ID: "C70020",
			Nodes: []assessments.AssessmentType{{ID: "D37001", Value: "Sales battery", List: "Assessment Type"}, {ID: "D37002", Value: "Graduate scheme", List: "Assessment Type"}},
		}}}}}
	s.catalog = storage.NewCatalogStore(db, clock)
	s.invitations = storage.NewInvitationStore(db, nil, clock, nil)
	s.results = storage.NewResultStore(db, clock, s.invitations)
	s.admins = storage.NewAdminStore(db, clock)
	s.templates = storage.NewEmailTemplateStore(db, clock)
	s.sessions = scs.New()
	s.sessions.Cookie.Name = "jc_session"
	log := slog.New(slog.NewJSONHandler(s.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	base := &url.URL{Scheme: "http", Host: "127.0.0.1"}
	shared := &handlers.Shared{Log: log, Assets: assets, Clock: clock, BaseURL: base, Sessions: s.sessions}
	candidates := &assessments.CandidateService{Library: lib, Catalog: s.catalog, Invitations: s.invitations,
		Answers: storage.NewAnswerStore(db, s.invitations), Results: s.results, Clock: clock}
	tenants := storage.NewTenantStore(db, keys, clock)
	h := handlers.Areas{
		Shared:    shared,
		Site:      &handlers.Site{Shared: shared, Ready: db},
		Candidate: &handlers.Candidate{Shared: shared, Candidates: candidates, Brands: s.templates},
		Report: &handlers.Report{Shared: shared, Reports: &assessments.Reports{Signer: keys, Library: lib,
			Catalog: s.catalog, Invitations: s.invitations, Results: s.results, Tenants: tenants}},
		Admin: &handlers.Admin{Shared: shared, Tenants: tenants, Admins: s.admins},
		Catalog: &handlers.Catalog{Shared: shared, Library: lib, Catalog: s.catalog, Invitations: s.invitations,
			Candidates: candidates, AssessmentTypes: s.types},
	}
	s.actionAreas(&h, shared)
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

// seed creates an invitation through the sandbox helper.
func (s *site) seed(t *testing.T, seed storage.SandboxSeed) storage.Sandbox {
	t.Helper()
	sb, err := storage.SeedSandboxInvitation(context.Background(), s.invitations, s.catalog, s.lib, seed)
	require.NoError(t, err)
	return sb
}

// client is a browser without JavaScript: cookies, no automatic
// redirects, so each test sees every 303.
type client struct {
	t    *testing.T
	http *http.Client
	base string
}

func (s *site) client(t *testing.T) *client {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &client{t: t, base: s.URL, http: &http.Client{
		Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type response struct {
	Status   int
	Header   http.Header
	Body     string
	Location string
}

func (c *client) do(method, path string, form url.Values) response {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	require.NoError(c.t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.http.Do(req)
	require.NoError(c.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(c.t, err)
	return response{Status: res.StatusCode, Header: res.Header, Body: string(b), Location: res.Header.Get("Location")}
}

func (c *client) get(path string) response { return c.do(http.MethodGet, path, nil) }

func (c *client) post(path string, form url.Values) response {
	if form == nil {
		form = url.Values{}
	}
	return c.do(http.MethodPost, path, form)
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// postForm posts to a form found on page, adding its CSRF token.
func (c *client) postForm(page response, path string, form url.Values) response {
	c.t.Helper()
	m := csrfField.FindStringSubmatch(page.Body)
	require.NotNil(c.t, m, "the page has a CSRF field")
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", m[1])
	return c.post(path, form)
}

// signIn mints an admin session for a new admin of tenantID, as a browser
// test would rather than clicking through the install.
func (s *site) signIn(t *testing.T, c *client, tenantID int64) {
	t.Helper()
	ctx := context.Background()
	admin, err := s.admins.CreateAdmin(ctx, tenantID, "admin"+time.Now().Format("150405.000000")+"@example.com", "Admin", "")
	require.NoError(t, err)
	sctx, err := s.sessions.Load(ctx, "")
	require.NoError(t, err)
	s.sessions.Put(sctx, "tenant_id", tenantID)
	s.sessions.Put(sctx, "admin_id", admin.ID)
	token, _, err := s.sessions.Commit(sctx)
	require.NoError(t, err)
	u, err := url.Parse(s.URL)
	require.NoError(t, err)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: s.sessions.Cookie.Name, Value: token, Path: "/"}})
}
