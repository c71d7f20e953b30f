package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/storage"
)

// eventsEnv is the whole service with the US sandbox customer connected,
// an admin signed in and three packages mapped to the customer's
// Assessment Type list.
type eventsEnv struct {
	t      *testing.T
	app    *testApp
	b      *browser
	tenant assessments.Tenant
	// pkg holds the packages by Assessment Type node.
	pkg map[string]assessments.Package
}

func newEventsEnv(t *testing.T) *eventsEnv {
	t.Helper()
	return eventsEnvSignedIn(t, signInAdmin)
}

// newInstalledEventsEnv is newEventsEnv installed from the sandbox
// Marketplace (the whole OAuth install), for tests of what an OAuth
// tenant sees: token health, re-authorization, the Marketplace steps.
func newInstalledEventsEnv(t *testing.T) *eventsEnv {
	t.Helper()
	return eventsEnvSignedIn(t, installAndSignIn)
}

func eventsEnvSignedIn(t *testing.T, signIn signInFunc) *eventsEnv {
	t.Helper()
	return newAdminEnv(t, newTestApp(t), signIn,
		assessments.Package{Name: "Big Five", InstrumentIDs: []string{"big-five-work"}, AssessmentTypeID: icimstest.AssessmentBigFive},
		assessments.Package{Name: "Work Style", InstrumentIDs: []string{"work-style"}, AssessmentTypeID: icimstest.AssessmentWorkStyle},
		assessments.Package{Name: "Reasoning", InstrumentIDs: []string{"reasoning"}, AssessmentTypeID: icimstest.AssessmentReasoning})
}

// signInFunc connects the US sandbox customer and signs its admin in:
// signInAdmin (through the stores) or installAndSignIn (the OAuth install).
type signInFunc func(t *testing.T, app *testApp, email string) (*browser, page)

// newAdminEnv is the set-up the app-level tests share: on app, the US
// sandbox customer connected and an admin signed in by signIn, and
// pkgs saved for it, enabled, each named as its Assessment Type node
// unless it says otherwise; e.pkg holds them by node.
func newAdminEnv(t *testing.T, app *testApp, signIn signInFunc, pkgs ...assessments.Package) *eventsEnv {
	t.Helper()
	ctx := context.Background()
	b, _ := signIn(t, app, "ops@acme.example")
	tenant, err := app.tenants.TenantByCustomer(ctx, icimstest.CustomerUS)
	require.NoError(t, err)
	e := &eventsEnv{t: t, app: app, b: b, tenant: tenant, pkg: map[string]assessments.Package{}}
	lib, err := assessments.BuiltinInstruments()
	require.NoError(t, err)
	catalog := storage.NewCatalogStore(app.DB, assessments.SystemClock{})
	for _, p := range pkgs {
		p.TenantID, p.Enabled = tenant.ID, true
		if p.AssessmentTypeName == "" {
			p.AssessmentTypeName = p.Name
		}
		saved, err := catalog.SavePackage(ctx, lib, p)
		require.NoError(t, err)
		e.pkg[p.AssessmentTypeID] = saved
	}
	return e
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

// addRule creates a rule through the admin pages and returns its id.
func (e *eventsEnv) addRule(fields url.Values) int64 {
	e.t.Helper()
	form := url.Values{"enabled": {"true"}, "jobs": {"all"}}
	for k, v := range fields {
		form[k] = v
	}
	p := e.b.submit(e.b.get(e.app.URL+"/admin/rules/new"), "/admin/rules", form)
	require.Equal(e.t, http.StatusOK, p.Status, p.Body)
	require.Equal(e.t, "/admin/rules", p.URL.Path, p.Body)
	var id int64
	require.NoError(e.t, e.app.DB.R.QueryRow(`SELECT MAX(id) FROM trigger_rules WHERE tenant_id = ?`, e.tenant.ID).Scan(&id))
	return id
}

// lastDelivery returns the tenant's newest inbound delivery.
func (e *eventsEnv) lastDelivery() assessments.Delivery {
	e.t.Helper()
	var id int64
	require.NoError(e.t, e.app.DB.R.QueryRow(`SELECT COALESCE(MAX(id), 0) FROM deliveries WHERE tenant_id = ? AND direction = 'inbound'`, e.tenant.ID).Scan(&id))
	require.NotZero(e.t, id, "no delivery recorded")
	d, err := e.app.events.events.Delivery(context.Background(), e.tenant.ID, id)
	require.NoError(e.t, err)
	return d
}

// settled waits until the newest delivery's processing has an outcome.
func (e *eventsEnv) settled() assessments.Delivery {
	e.t.Helper()
	var d assessments.Delivery
	require.Eventually(e.t, func() bool {
		d = e.lastDelivery()
		return d.Status != assessments.DeliveryReceived
	}, 20*time.Second, 20*time.Millisecond, "the delivery was not processed")
	return d
}

// sendJobs lists the invitation ids of the queued send_invitation jobs.
func (e *eventsEnv) sendJobs() []int64 {
	e.t.Helper()
	return e.jobArgs("send_invitation", "invitation_id")
}

func (e *eventsEnv) jobArgs(kind, field string) []int64 {
	e.t.Helper()
	// json(args) reads River's JSONB as text on both stores (on PostgreSQL
	// it is a cast); the field is picked out here, not with SQLite's json_extract.
	rows, err := e.app.DB.R.Query(`SELECT json(args) FROM river_job WHERE kind = ? ORDER BY id`, kind)
	require.NoError(e.t, err)
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var raw []byte
		require.NoError(e.t, rows.Scan(&raw))
		var args map[string]json.RawMessage
		require.NoError(e.t, json.Unmarshal(raw, &args))
		var id int64
		require.NoError(e.t, json.Unmarshal(args[field], &id), "%s has no %s: %s", kind, field, raw)
		out = append(out, id)
	}
	require.NoError(e.t, rows.Err())
	return out
}

func (e *eventsEnv) invitation(id int64) assessments.Invitation {
	e.t.Helper()
	inv, err := storage.NewInvitationStore(e.app.DB, nil, assessments.SystemClock{}, nil).Invitation(context.Background(), e.tenant.ID, id)
	require.NoError(e.t, err)
	return inv
}

func (e *eventsEnv) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	require.NoError(e.t, e.app.DB.R.QueryRow(query, args...).Scan(&n))
	return n
}

// move moves a seeded US workflow in the simulator, which posts the event.
func (e *eventsEnv) move(workflow int, status string) icimstest.EventResult {
	e.t.Helper()
	res, err := e.app.sim.MoveWorkflow(context.Background(), icimstest.CustomerUS, workflow, status, 0)
	require.NoError(e.t, err)
	return res
}
