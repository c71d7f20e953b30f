package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/storage"
)

// hostileEnv is one service with two installed tenants, Acme (the US
// sandbox customer, whose admin the attacks run as) and Globex (the EU
// customer, whose objects Acme's admin must never reach), each with a
// package, an auto rule, an invitation from a real event and its e-mail.
type hostileEnv struct {
	*eventsEnv
	other    *browser // Globex's admin
	otherTen assessments.Tenant
	// Acme's inbound credentials, one per mode.
	basic, hmac, oauth assessments.IssuedCredential
	bearer             string
	// Acme's candidate link token and report path, from the invitation
	// e-mail and the results row in iCIMS; an expired and a withdrawn
	// link; a recruiter's confirm link.
	token, report      string
	expired, cancelled string
	confirm            string
	// recruiter has opened the confirm page: it holds the CSRF cookie.
	recruiter *browser
	// Globex's objects, by kind, for the other-tenant sweep.
	otherIDs map[string]int64
	// otherToken is Globex's candidate's link token, otherReport its
	// report path.
	otherToken, otherReport string
}

func newHostileEnv(t *testing.T) *hostileEnv {
	t.Helper()
	ctx := context.Background()
	e := &hostileEnv{eventsEnv: newEventsEnv(t), otherIDs: map[string]int64{}}
	app := e.app
	e.addRule(url.Values{"name": {"Assessment stage"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"package_id": {idString(e.pkg[icimstest.AssessmentBigFive].ID)}})

	var err error
	for mode, into := range map[assessments.InboundMode]*assessments.IssuedCredential{
		assessments.InboundBasic: &e.basic, assessments.InboundHMAC: &e.hmac, assessments.InboundOAuth: &e.oauth,
	} {
		*into, err = app.events.inbound.Issue(ctx, e.tenant.ID, mode)
		require.NoError(t, err)
	}
	e.bearer = e.tokenFor(e.oauth.Identifier, e.oauth.Secret)

	// Acme's candidate: the real road, so the link and the report link are
	// the ones people get.
	e.move(icimstest.USWorkflow1, icimstest.StatusAssessment)
	e.token = e.mailedToken("avery.brooks@example.com")
	e.report = e.reportPath(icimstest.CustomerUS, icimstest.USWorkflow1)
	// The candidate consents and reads the instructions: the next page is
	// the first page of questions.
	p := e.b.submit(e.b.get(app.URL+"/a/"+e.token), "/a/"+e.token+"/start", url.Values{"consent": {"yes"}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	p = e.b.post(app.URL+"/a/"+e.token+"/step/0", url.Values{"nav": {"next"}})
	require.Equal(t, "/a/"+e.token+"/step/1", p.URL.Path)
	p = newBrowser(t).post(app.URL+"/a/"+e.token+"/accommodation", url.Values{"message": {"Extra time, please."}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	// A link past its expiry; the first visit records the expiry (and
	// tells iCIMS), as the expiry job would have.
	e.expired = e.invite(icimstest.USWorkflow4)
	_, err = app.DB.W.Exec(`UPDATE invitations SET expires_at = ? WHERE tenant_id = ? AND workflow_id = ?`,
		time.Now().Add(-time.Hour).UTC(), e.tenant.ID, strconv.Itoa(icimstest.USWorkflow4))
	require.NoError(t, err)
	require.Equal(t, http.StatusGone, newBrowser(t).get(app.URL+"/a/"+e.expired).Status)
	e.cancelled = e.invite(icimstest.USWorkflow5)
	cancelID := e.scalar(`SELECT id FROM invitations WHERE tenant_id = ? AND workflow_id = ?`, e.tenant.ID, strconv.Itoa(icimstest.USWorkflow5))
	p = e.b.submit(e.b.get(app.URL+"/admin/invitations/"+idString(cancelID)), "/admin/invitations/"+idString(cancelID)+"/cancel",
		url.Values{"reason": {"Position filled"}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	e.addRule(url.Values{"name": {"Recruiter review"}, "mode": {"manual"}, "to_0": {icimstest.StatusRecruiterReview},
		"package_id": {idString(e.pkg[icimstest.AssessmentBigFive].ID)}})
	res := e.move(icimstest.USWorkflow3, icimstest.StatusRecruiterReview)
	require.Equal(t, http.StatusSeeOther, res.StatusCode, string(res.Body))
	loc, err := url.Parse(res.Location)
	require.NoError(t, err)
	e.confirm = loc.Path
	e.recruiter = newBrowser(t)
	require.Equal(t, http.StatusOK, e.recruiter.get(app.URL+e.confirm).Status)

	// Globex, installed by its own admin.
	e.other = newBrowser(t)
	p = approve(t, e.other, consentFor(t, app, e.other, icimstest.CustomerEU, "eu"), allScopes)
	p = e.other.submit(p, "/admin/setup", url.Values{"company": {"Globex"}, "email": {"ops@globex.example"}, "password": {testPassword}})
	require.Equal(t, "/admin", p.URL.Path, p.Body)
	e.otherTen, err = app.tenants.TenantByCustomer(ctx, icimstest.CustomerEU)
	require.NoError(t, err)
	lib, err := assessments.BuiltinInstruments()
	require.NoError(t, err)
	pkg, err := storage.NewCatalogStore(app.DB, assessments.SystemClock{}).SavePackage(ctx, lib, assessments.Package{
		TenantID: e.otherTen.ID, Name: "Globex Big Five", InstrumentIDs: []string{"big-five-work"},
		AssessmentTypeID: icimstest.AssessmentBigFiveEU, AssessmentTypeName: "Big Five", Enabled: true})
	require.NoError(t, err)
	e.otherIDs["package"] = pkg.ID
	p = e.other.submit(e.other.get(app.URL+"/admin/rules/new"), "/admin/rules", url.Values{"name": {"Globex rule"},
		"mode": {"auto"}, "enabled": {"true"}, "jobs": {"all"}, "to_0": {icimstest.StatusAssessmentEU}, "package_id": {idString(pkg.ID)}})
	require.Equal(t, "/admin/rules", p.URL.Path, p.Body)
	e.otherIDs["rule"] = e.scalar(`SELECT MAX(id) FROM trigger_rules WHERE tenant_id = ?`, e.otherTen.ID)
	_, err = app.sim.MoveWorkflow(ctx, icimstest.CustomerEU, icimstest.EUWorkflow1, icimstest.StatusAssessmentEU, 0)
	require.NoError(t, err)
	e.otherToken = e.mailedTokenOfTenant(e.otherTen.ID)
	e.otherReport = e.reportPath(icimstest.CustomerEU, icimstest.EUWorkflow1)
	e.otherIDs["invitation"] = e.scalar(`SELECT MAX(id) FROM invitations WHERE tenant_id = ?`, e.otherTen.ID)
	e.otherIDs["delivery"] = e.scalar(`SELECT MAX(id) FROM deliveries WHERE tenant_id = ?`, e.otherTen.ID)
	p = newBrowser(t).post(app.URL+"/a/"+e.otherToken+"/accommodation", url.Values{"message": {"Large print, please."}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	e.otherIDs["accommodation"] = e.scalar(`SELECT MAX(id) FROM accommodation_requests WHERE tenant_id = ?`, e.otherTen.ID)
	// An assessment-first link of each tenant.
	for _, l := range []struct{ tenant, pkg int64 }{{e.tenant.ID, e.pkg[icimstest.AssessmentBigFive].ID}, {e.otherTen.ID, pkg.ID}} {
		_, err = app.DB.W.Exec(`INSERT INTO apply_links (tenant_id, package_id, job_id, job_title, source, source_label, created_at)
			VALUES (?, ?, '2001', 'Job', 'Job Board', 'JobCannon', CURRENT_TIMESTAMP)`, l.tenant, l.pkg)
		require.NoError(t, err)
	}
	e.otherIDs["apply_link"] = e.scalar(`SELECT MAX(id) FROM apply_links WHERE tenant_id = ?`, e.otherTen.ID)
	e.otherIDs["admin"] = e.scalar(`SELECT MAX(id) FROM admins WHERE tenant_id = ?`, e.otherTen.ID)
	e.settleJobs()
	return e
}

// invite creates an invitation for a seeded US application through the
// service's own store and returns its link token.
func (e *hostileEnv) invite(wid int) string {
	e.t.Helper()
	n := wid - icimstest.USWorkflow1
	_, token, err := e.app.invitations.Create(context.Background(), assessments.NewInvitation{TenantID: e.tenant.ID,
		PackageID: e.pkg[icimstest.AssessmentBigFive].ID, WorkflowID: strconv.Itoa(wid),
		PersonID: strconv.Itoa(icimstest.USPerson1 + n), JobID: strconv.Itoa(icimstest.USJob1 + n%3),
		CandidateFirstName: "Cand", CandidateLastName: strconv.Itoa(n), CandidateEmail: "cand" + strconv.Itoa(n) + "@example.com"})
	require.NoError(e.t, err)
	return token
}

func (e *hostileEnv) scalar(query string, args ...any) int64 {
	e.t.Helper()
	var n sql.NullInt64
	require.NoError(e.t, e.app.DB.R.QueryRow(query, args...).Scan(&n))
	require.True(e.t, n.Valid, "no row for %s", query)
	return n.Int64
}

// tokenFor trades inbound client credentials for a Bearer token, as iCIMS
// does before it posts events.
func (e *hostileEnv) tokenFor(id, secret string) string {
	e.t.Helper()
	res, err := http.PostForm(e.app.URL+"/oauth/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {id}, "client_secret": {secret}})
	require.NoError(e.t, err)
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	require.Equal(e.t, http.StatusOK, res.StatusCode, string(body))
	m := regexp.MustCompile(`"access_token":"([^"]+)"`).FindSubmatch(body)
	require.NotNil(e.t, m, string(body))
	return string(m[1])
}

var linkToken = regexp.MustCompile(`/a/([A-Za-z0-9_-]{20,})`)

// mailedToken waits for the invitation e-mail to the address and returns
// the link token it carries.
func (e *hostileEnv) mailedToken(address string) string {
	e.t.Helper()
	return e.waitMail(`SELECT text FROM dev_mailbox WHERE to_address = ? ORDER BY id DESC LIMIT 1`, address)
}

func (e *hostileEnv) mailedTokenOfTenant(tenantID int64) string {
	e.t.Helper()
	return e.waitMail(`SELECT text FROM dev_mailbox WHERE tenant_id = ? ORDER BY id DESC LIMIT 1`, tenantID)
}

func (e *hostileEnv) waitMail(query string, arg any) string {
	e.t.Helper()
	var token string
	require.Eventually(e.t, func() bool {
		var text string
		if e.app.DB.R.QueryRow(query, arg).Scan(&text) != nil {
			return false
		}
		m := linkToken.FindStringSubmatch(text)
		if m != nil {
			token = m[1]
		}
		return m != nil
	}, 20*time.Second, 20*time.Millisecond, "no invitation e-mail")
	return token
}

// reportPath waits for the results row in iCIMS and returns the path of
// the report link it holds.
func (e *hostileEnv) reportPath(cid string, wid int) string {
	e.t.Helper()
	var link string
	require.Eventually(e.t, func() bool {
		rows, err := e.app.sim.Results(cid, wid)
		if err != nil || len(rows) == 0 || rows[0].URL == "" {
			return false
		}
		link = rows[0].URL
		return true
	}, 20*time.Second, 20*time.Millisecond, "no results row with a report link")
	u, err := url.Parse(link)
	require.NoError(e.t, err)
	return u.Path
}

// settleJobs waits until no job is due or running: the attacks must start
// from a still database, or a background job would look like their doing.
// (River writes its times as RFC 3339 text.)
func (e *hostileEnv) settleJobs() {
	e.t.Helper()
	soon := `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+5 seconds')`
	if e.app.DB.Dialect() == storage.Postgres {
		soon = `now() + interval '5 seconds'`
	}
	busy := `SELECT id, kind, state, errors FROM river_job WHERE state IN ('available', 'running', 'retryable', 'pending')
		OR (state = 'scheduled' AND scheduled_at <= ` + soon + `)`
	ok := assert.Eventually(e.t, func() bool {
		var id int64
		return e.app.DB.R.QueryRow(busy).Scan(&id, new(string), new(string), new(sql.NullString)) == sql.ErrNoRows
	}, 30*time.Second, 50*time.Millisecond, "jobs never settled")
	if !ok {
		rows, err := e.app.DB.R.Query(busy)
		require.NoError(e.t, err)
		defer rows.Close()
		for rows.Next() {
			var id int64
			var kind, state string
			var errs sql.NullString
			require.NoError(e.t, rows.Scan(&id, &kind, &state, &errs))
			e.t.Logf("job %d %s %s %s", id, kind, state, errs.String)
		}
		e.t.FailNow()
	}
}

// volatile are tables that change without any request: sessions (every
// signed-in request renews one), the job queue's own bookkeeping, and
// retention's periodic runs.
var volatile = []string{"sessions", "retention_runs", "retention_purges", "goose_db_version"}

// snapshot fingerprints everything an attack could change: every table's
// rows, the jobs queued (not the queue's bookkeeping), the calls iCIMS
// received and the e-mails sent.
type snapshot map[string]string

func (e *hostileEnv) snapshot() snapshot {
	e.t.Helper()
	s := snapshot{}
	tablesSQL := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'river_%'`
	if e.app.DB.Dialect() == storage.Postgres {
		tablesSQL = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
			AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'river_%'`
	}
	rows, err := e.app.DB.R.Query(tablesSQL)
	require.NoError(e.t, err)
	var tables []string
	for rows.Next() {
		var name string
		require.NoError(e.t, rows.Scan(&name))
		if !slices.Contains(volatile, name) {
			tables = append(tables, name)
		}
	}
	require.NoError(e.t, rows.Err())
	rows.Close()
	for _, table := range tables {
		s[table] = e.tableHash(table)
	}
	s["river_job"] = strconv.Itoa(e.count(`SELECT COUNT(*) FROM river_job WHERE kind <> 'retention_purge'`))
	s["icims calls 1234"] = strconv.Itoa(len(e.app.sim.Calls(icimstest.CustomerUS)))
	s["icims calls 5678"] = strconv.Itoa(len(e.app.sim.Calls(icimstest.CustomerEU)))
	return s
}

func (e *hostileEnv) tableHash(table string) string {
	e.t.Helper()
	rows, err := e.app.DB.R.Query(`SELECT * FROM "` + table + `"`)
	require.NoError(e.t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(e.t, err)
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(e.t, rows.Scan(ptrs...))
		lines = append(lines, fmt.Sprintf("%q", vals))
	}
	require.NoError(e.t, rows.Err())
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return fmt.Sprintf("%d rows %s", len(lines), hex.EncodeToString(sum[:8]))
}

// changed lists what differs between two snapshots.
func (s snapshot) changed(after snapshot) []string {
	var out []string
	for k, v := range after {
		if s[k] != v {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// answer is a response as an attacker sees it.
type answer struct {
	Status   int
	Header   http.Header
	Body     string
	Location string
}

// raw sends a request exactly as given: target is sent as the request
// line's path, unnormalised, so path tricks reach the server as written.
func (e *hostileEnv) raw(client *http.Client, method, target string, header http.Header, body []byte) answer {
	e.t.Helper()
	req, err := http.NewRequest(method, e.app.URL, bytes.NewReader(body))
	require.NoError(e.t, err)
	req.URL.Opaque = target
	for k, vs := range header {
		req.Header[k] = vs
	}
	if client == nil {
		client = &http.Client{}
	}
	c := *client
	c.Timeout = 20 * time.Second
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := c.Do(req)
	require.NoError(e.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(e.t, err)
	return answer{Status: res.StatusCode, Header: res.Header, Body: string(b), Location: res.Header.Get("Location")}
}

// form posts a form as a signed-in browser would, or without the CSRF
// token when csrf is empty.
func (e *hostileEnv) form(b *browser, path, csrf string, form url.Values) answer {
	e.t.Helper()
	form = maps.Clone(form)
	if csrf != "" {
		form.Set("_csrf", csrf)
	}
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Accept": {"text/html"}}
	return e.raw(b.client, http.MethodPost, path, h, []byte(form.Encode()))
}

// csrf is the CSRF token a signed-in admin's pages carry.
func (e *hostileEnv) csrf(b *browser) string {
	e.t.Helper()
	return csrfOf(e.t, b.get(e.app.URL+"/admin/rules/new"))
}

// get fetches a page as a browser that does not follow redirects.
func (e *hostileEnv) get(b *browser, path string) answer {
	e.t.Helper()
	var c *http.Client
	if b != nil {
		c = b.client
	}
	return e.raw(c, http.MethodGet, path, http.Header{"Accept": {"text/html"}}, nil)
}

// unchanged runs an attack and requires that it changed nothing but the
// tables it may (a refused event is recorded in its tenant's logs).
func (e *hostileEnv) unchanged(t *testing.T, may []string, attack func() answer) answer {
	t.Helper()
	if slices.Contains(may, readsICIMS) {
		// A call to iCIMS takes a slot of the customer's pace, which every
		// instance shares through the database.
		may = append(slices.Clone(may), "icims_pace")
	}
	before := e.snapshot()
	a := attack()
	e.settleJobs()
	got := before.changed(e.snapshot())
	var unexpected []string
	for _, k := range got {
		if !slices.Contains(may, k) {
			unexpected = append(unexpected, k)
		}
	}
	assert.Empty(t, unexpected, "the attack changed these (answer %d: %.300s)", a.Status, a.Body)
	return a
}
