package e2e

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/e2e/chrometest"
	"github.com/jobcannon/jobcannon/handlers"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/static"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
	"github.com/jobcannon/jobcannon/web"
)

// server is the service as a candidate and a recruiter reach it.
type server struct {
	URL         string
	lib         *assessments.Library
	keys        *secrets.Keyring
	catalog     *storage.CatalogStore
	invitations *storage.InvitationStore
	templates   *storage.EmailTemplateStore
	// clock is the server's: the real time, moved on by a test that must
	// reach the end of a timed part without waiting for it.
	clock *shiftClock
}

// shiftClock is the real clock plus an offset a test may move forward.
type shiftClock struct{ offset atomic.Int64 }

// Now is the real time plus the offset.
func (c *shiftClock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// Advance moves the clock on by d.
func (c *shiftClock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// startServer runs web.New on 127.0.0.1:0 over a fresh database, with the
// real clock: answers are timed as a candidate's would be.
func startServer(t *testing.T) *server {
	t.Helper()
	env := storetest.New(t)
	db, lib, keys := env.DB, env.Library, env.Keyring
	assets, err := static.New()
	require.NoError(t, err)
	clock := &shiftClock{}
	catalog := storage.NewCatalogStore(db, clock)
	invitations := storage.NewInvitationStore(db, nil, clock, nil)
	results := storage.NewResultStore(db, clock, invitations)
	templates := storage.NewEmailTemplateStore(db, clock)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	base := &url.URL{Scheme: "http", Host: ln.Addr().String()}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	shared := &handlers.Shared{Log: log, Assets: assets, Clock: clock, BaseURL: base}
	h := handlers.Areas{
		Shared: shared,
		Site:   &handlers.Site{Shared: shared, Ready: db},
		Candidate: &handlers.Candidate{Shared: shared, Candidates: &assessments.CandidateService{Library: lib,
			Catalog: catalog, Invitations: invitations, Answers: storage.NewAnswerStore(db, invitations),
			Results: results, Clock: clock}, Brands: templates},
		Report: &handlers.Report{Shared: shared, Reports: &assessments.Reports{Signer: keys, Library: lib,
			Catalog: catalog, Invitations: invitations, Results: results, Tenants: storage.NewTenantStore(db, keys, clock)}},
	}
	srv, err := web.New(web.Config{BaseURL: base, Log: log}, h)
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	})
	return &server{URL: base.String(), lib: lib, keys: keys, catalog: catalog, invitations: invitations, templates: templates, clock: clock}
}

// invite creates an invitation as an iCIMS event would and returns the
// candidate's link and the report link.
func (s *server) invite(t *testing.T, seed storage.SandboxSeed) (candidate, report string) {
	t.Helper()
	sb, err := storage.SeedSandboxInvitation(context.Background(), s.invitations, s.catalog, s.lib, seed)
	require.NoError(t, err)
	return s.URL + "/a/" + sb.Token, s.URL + assessments.ReportPath(s.keys, sb.Invitation.ReportID)
}

// The browser helpers are chrometest's, under the names these tests use.
var (
	newChrome  = chrometest.New
	do         = chrometest.Do
	screenshot = chrometest.Screenshot
)

// eval evaluates a script and returns its value.
func eval[T any](t *testing.T, ctx context.Context, script string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	return chrometest.Eval[T](t, ctx, script, opts...)
}
