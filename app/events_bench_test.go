package app

// Helpers to measure POST /icims/events with wrk; see
// testdata/events_bench.lua for the commands. They are tests that skip
// unless their environment variable is set, so the bare handler never
// becomes a route of the service.

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/handlers"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/storage"
)

// TestEventsBenchSetup prepares JOBCANNON_BENCH_DIR for `jobcannon serve
// --data-dir DIR`: the US sandbox customer connected by Basic auth to the
// sandbox API at JOBCANNON_BENCH_API, a package, an auto rule for the
// Assessment status (so every event is routed and queues its processing
// job), Basic inbound credentials (auth.txt), and JOBCANNON_BENCH_EVENTS
// distinct gzip events shaped like the simulator's (bodies.bin and
// bodies.idx, "offset length" per line).
func TestEventsBenchSetup(t *testing.T) {
	dir := os.Getenv("JOBCANNON_BENCH_DIR")
	if dir == "" {
		t.Skip("set JOBCANNON_BENCH_DIR to prepare a benchmark data directory")
	}
	ctx := context.Background()
	apiURL := cmp(os.Getenv("JOBCANNON_BENCH_API"), "http://127.0.0.1:8180/sandbox/icims/api")
	n, _ := strconv.Atoi(cmp(os.Getenv("JOBCANNON_BENCH_EVENTS"), "200000"))
	require.NoError(t, os.MkdirAll(dir, 0o700))
	keys, _, _, err := secrets.LoadOrCreateKeyFile(dir)
	require.NoError(t, err)
	keyring, err := secrets.NewKeyring(keys...)
	require.NoError(t, err)
	db, err := storage.Open(ctx, filepath.Join(dir, "jobcannon.db"), "")
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Migrate(ctx)
	require.NoError(t, err)

	clock := assessments.SystemClock{}
	cid := icimstest.CustomerUS
	tenant, err := storage.NewTenantStore(db, keyring, clock).Connect(ctx, assessments.Connection{CustomerID: cid, Name: "Acme Corporation",
		Region: assessments.RegionUS, APIURL: apiURL, AuthMode: assessments.AuthBasic,
		Credentials: assessments.Credentials{Username: icimstest.BasicUser(cid), Password: icimstest.BasicPassword(cid)}})
	require.NoError(t, err)
	lib, err := assessments.BuiltinInstruments()
	require.NoError(t, err)
	pkg, err := storage.NewCatalogStore(db, clock).SavePackage(ctx, lib, assessments.Package{TenantID: tenant.ID, Name: "Big Five",
		InstrumentIDs: []string{"big-five-work"}, AssessmentTypeID: icimstest.AssessmentBigFive, Enabled: true})
	require.NoError(t, err)
	_, err = storage.NewRuleStore(db, clock).SaveRule(ctx, assessments.Actor{Email: "bench"}, assessments.Rule{TenantID: tenant.ID,
		Name: "Assessment stage", Mode: assessments.RuleAuto, Enabled: true, PackageID: pkg.ID,
		Conditions: assessments.RuleConditions{Statuses: []assessments.StatusPair{{To: icimstest.StatusAssessment}}}})
	require.NoError(t, err)
	cred, err := storage.NewInboundStore(db, keyring, clock, rand.Reader, 0).Issue(ctx, tenant.ID, assessments.InboundBasic)
	require.NoError(t, err)
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(cred.Identifier+":"+cred.Secret))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "auth.txt"), []byte(auth+"\n"), 0o600))
	writeBenchBodies(t, dir, cid, apiURL, n)
}

// writeBenchBodies writes n distinct gzip events: each is a move of its
// own application, so neither redelivery nor the duplicate check
// short-circuits the intake.
func writeBenchBodies(t *testing.T, dir, cid, apiURL string, n int) {
	var blob, index bytes.Buffer
	for i := range n {
		wid, pid := strconv.Itoa(100000+i), strconv.Itoa(500000+i)
		base := apiURL + "/customers/" + cid + "/"
		ev := icims.Event{EventType: icims.WorkFlowStatusChangeEvent, CustomerID: cid, SystemID: wid, JobID: "2001", PersonID: pid,
			UserID: "900", OldStatus: icimstest.StatusReviewed, NewStatus: icimstest.StatusAssessment, Links: []icims.Link{
				{Rel: icims.RelApplicantWorkflow, Title: "Candidate " + pid + " - Account Executive", URL: base + "applicantworkflows/" + wid},
				{Rel: icims.RelJob, Title: "Account Executive", URL: base + "jobs/2001"},
				{Rel: icims.RelPerson, Title: "Candidate " + pid, URL: base + "people/" + pid},
				{Rel: icims.RelUser, Title: "Riley Recruiter", URL: base + "people/900"},
			}}
		raw, err := json.Marshal(ev)
		require.NoError(t, err)
		start := blob.Len()
		zw := gzip.NewWriter(&blob)
		_, _ = zw.Write(raw)
		require.NoError(t, zw.Close())
		fmt.Fprintf(&index, "%d %d\n", start, blob.Len()-start)
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bodies.bin"), blob.Bytes(), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bodies.idx"), index.Bytes(), 0o600))
}

func cmp(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}

// TestEventsBenchBare serves, at JOBCANNON_BENCH_BARE_ADDR, a bare Echo
// handler that only reads, inflates and parses an event (the intake's own
// parser) and answers 200: the baseline /icims/events is compared with.
// It runs until interrupted.
func TestEventsBenchBare(t *testing.T) {
	addr := os.Getenv("JOBCANNON_BENCH_BARE_ADDR")
	if addr == "" {
		t.Skip("set JOBCANNON_BENCH_BARE_ADDR to serve the bare handler")
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.POST("/icims/events", func(c echo.Context) error {
		ev, _, err := icims.ParseEvent(c.Request(), handlers.MaxEventBytes)
		if err != nil {
			return c.JSON(http.StatusBadRequest, map[string]string{"error": err.Error()})
		}
		return c.JSON(http.StatusOK, map[string]string{"message": "Received.", "debug": ev.SystemID})
	})
	ln, err := net.Listen("tcp", addr)
	require.NoError(t, err)
	srv := &http.Server{Handler: e}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		_ = srv.Shutdown(context.Background())
	}()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		require.NoError(t, err)
	}
}
