package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/views"
)

// lockedBuffer collects the service's log, written from many goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// recorder keeps every admin page the browser received.
type recorder struct {
	next  http.RoundTripper
	mu    sync.Mutex
	pages map[string]string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := r.next.RoundTrip(req)
	if err != nil || !strings.HasPrefix(req.URL.Path, "/admin") {
		return res, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	r.pages[req.Method+" "+req.URL.RequestURI()] = string(body)
	r.mu.Unlock()
	return res, nil
}

// secretSet names every secret of a journey by what it is.
type secretSet map[string]string

func (s secretSet) add(name, value string) {
	if len(value) >= 8 { // shorter values would match by chance
		s[name] = value
	}
}

// leaks lists the secrets that text contains.
func (s secretSet) leaks(text string) []string {
	var out []string
	for name, v := range s {
		if strings.Contains(text, v) {
			out = append(out, name)
		}
	}
	return out
}

// TestHeadersNoSecretInLogsPagesOrStoredBodies runs the whole product
// with every kind of credential (an OAuth install with its tokens, the
// three inbound modes with a Bearer token, the three classic connections,
// a candidate's link, the report link, the admin's session) and then
// searches the service's log, every admin page and the bodies the logs
// page keeps for each secret.
func TestHeadersNoSecretInLogsPagesOrStoredBodies(t *testing.T) {
	ctx := context.Background()
	logs := &lockedBuffer{}
	app := newLoggedTestApp(t, logs)
	b, _ := installAndSignIn(t, app, "ops@acme.example")
	rec := &recorder{next: http.DefaultTransport, pages: map[string]string{}}
	b.client.Transport = rec
	tenant, err := app.tenants.TenantByCustomer(ctx, icimstest.CustomerUS)
	require.NoError(t, err)
	e := &eventsEnv{t: t, app: app, b: b, tenant: tenant}
	s := secretSet{}
	creds, err := app.tenants.Credentials(ctx, tenant.ID)
	require.NoError(t, err)
	s.add("OAuth access token", creds.AccessToken)
	s.add("OAuth refresh token", creds.RefreshToken)
	s.add("Marketplace client secret", icimstest.ClientSecret)
	s.add("admin password", testPassword)
	s.add("sandbox events password", app.sim.Vendor(icimstest.CustomerUS).Password)
	for _, c := range b.client.Jar.Cookies(mustURL(t, app.URL+"/admin")) {
		if c.Name == "jc_session" {
			s.add("session cookie", c.Value)
		}
	}
	require.Contains(t, s, "session cookie")

	// Configure as an admin does: a package, an auto rule.
	p := b.submit(b.get(app.URL+"/admin/catalog/new"), "/admin/catalog", url.Values{"name": {"Big Five"},
		"instruments": {"big-five-work"}, "assessment_type": {icimstest.AssessmentBigFive}, "enabled": {"true"}})
	require.Equal(t, "/admin/catalog", p.URL.Path, p.Body)
	pkg := e.count(`SELECT MAX(id) FROM packages`)
	e.addRule(url.Values{"name": {"Assessment stage"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"package_id": {strconv.Itoa(pkg)}})

	// iCIMS posts events with each kind of inbound credential.
	he := &hostileEnv{eventsEnv: e}
	for mode, into := range map[assessments.InboundMode]*assessments.IssuedCredential{
		assessments.InboundBasic: &he.basic, assessments.InboundHMAC: &he.hmac, assessments.InboundOAuth: &he.oauth,
	} {
		*into, err = app.events.inbound.Issue(ctx, tenant.ID, mode)
		require.NoError(t, err)
		s.add("inbound "+string(mode)+" secret", into.Secret)
	}
	he.bearer = he.tokenFor(he.oauth.Identifier, he.oauth.Secret)
	s.add("inbound Bearer token", he.bearer)
	reviewed := func(wid int) []byte {
		return statusEvent(icimstest.CustomerUS, wid, icimstest.StatusNewSubmission, icimstest.StatusReviewed)
	}
	for i, sign := range []func(*http.Request, []byte){
		he.basicAuth(he.basic.Identifier, he.basic.Secret),
		he.hmacAt(he.hmac.Identifier, he.hmac.Secret, time.Now()),
		bearer(he.bearer),
	} {
		a := he.event(reviewed(icimstest.USWorkflow5+i), "application/json", "", sign)
		require.Equal(t, http.StatusOK, a.Status, a.Body)
	}
	// A refused one is logged with its headers too.
	a := he.event(reviewed(icimstest.USWorkflow8), "application/json", "", he.basicAuth(he.basic.Identifier, he.basic.Secret+"-wrong"))
	require.Equal(t, http.StatusUnauthorized, a.Status)
	s.add("a wrong inbound password", he.basic.Secret+"-wrong")

	// A candidate takes the assessment; iCIMS gets every write-back.
	he.move(icimstest.USWorkflow1, icimstest.StatusAssessment)
	token := he.mailedToken("avery.brooks@example.com")
	s.add("candidate token", token)
	takeBigFiveHTTP(t, app.URL, token)
	var report string
	require.Eventually(t, func() bool {
		rows, err := app.sim.Results(icimstest.CustomerUS, icimstest.USWorkflow1)
		if err != nil || len(rows) == 0 || rows[0].AssessmentStatus != icimstest.AssessmentComplete {
			return false
		}
		report = rows[0].URL
		return true
	}, 20*time.Second, 20*time.Millisecond, "no Complete row")
	s.add("report signature", report[strings.LastIndex(report, ".")+1:])
	require.Equal(t, http.StatusOK, newBrowser(t).get(report).Status)

	// The classic connections, each tested against iCIMS and saved; the
	// connection page must not show what was typed.
	cid := icimstest.CustomerUS
	for _, c := range []url.Values{
		{"mode": {"basic"}, "username": {icimstest.BasicUser(cid)}, "password": {icimstest.BasicPassword(cid)}},
		{"mode": {"hmac"}, "hmac_user": {icimstest.HMACUser(cid)}, "hmac_key": {string(icimstest.HMACKey(cid))}},
		{"mode": {"client_credentials"}, "client_id": {icimstest.CCClientID(cid)}, "client_secret": {icimstest.CCClientSecret(cid)}},
	} {
		c.Set("region", "us")
		p := b.submit(b.get(app.URL+"/admin/connection"), "/admin/connection", c)
		require.Equal(t, http.StatusOK, p.Status, p.Body)
		require.Contains(t, p.Body, "Saved.")
	}
	s.add("iCIMS Basic password", icimstest.BasicPassword(cid))
	s.add("iCIMS HMAC key", string(icimstest.HMACKey(cid)))
	s.add("iCIMS client secret", icimstest.CCClientSecret(cid))
	// (Client-credentials access tokens live in memory only.)
	b.submit(b.get(app.URL+"/admin"), "/admin/connection/test", nil)

	// Every admin page, the logs page and each delivery it lists.
	for _, path := range []string{"/admin", "/admin/connection", "/admin/rules", "/admin/catalog", "/admin/invitations",
		"/admin/email", "/admin/writeback", "/admin/admins", "/admin/checklist", "/admin/settings", views.LogsPath} {
		require.Less(t, b.get(app.URL+path).Status, 500, path)
	}
	rows, err := app.DB.R.Query(`SELECT id FROM deliveries WHERE tenant_id = ?`, tenant.ID)
	require.NoError(t, err)
	var ids []int64
	for rows.Next() {
		var id int64
		require.NoError(t, rows.Scan(&id))
		ids = append(ids, id)
	}
	require.NoError(t, rows.Err())
	rows.Close()
	require.GreaterOrEqual(t, len(ids), 8, "the four events, the e-mail and three write-backs are all logged")
	for _, id := range ids {
		p := b.get(fmt.Sprintf("%s%s/%d", app.URL, views.LogsPath, id))
		require.Equal(t, http.StatusOK, p.Status, p.Body)
	}

	require.GreaterOrEqual(t, len(s), 16, "every secret was collected: %v", keys(s))
	t.Run("log lines", func(t *testing.T) {
		out := logs.String()
		require.Contains(t, out, "route=/a/:token", "the log was captured")
		for _, line := range strings.Split(out, "\n") {
			assert.Empty(t, s.leaks(line), "a log line shows a secret: %s", line)
		}
	})
	t.Run("admin pages", func(t *testing.T) {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		require.Greater(t, len(rec.pages), 20)
		for page, body := range rec.pages {
			assert.Empty(t, s.leaks(body), "%s shows a secret", page)
		}
	})
	t.Run("stored bodies", func(t *testing.T) {
		for _, table := range []string{"deliveries", "delivery_attempts"} {
			rows, err := app.DB.R.Query(`SELECT * FROM "` + table + `"`)
			require.NoError(t, err)
			cols, err := rows.Columns()
			require.NoError(t, err)
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				require.NoError(t, rows.Scan(ptrs...))
				for i, v := range vals {
					text := fmt.Sprint(v)
					if b, ok := v.([]byte); ok {
						text = string(b)
					}
					assert.Empty(t, s.leaks(text), "%s.%s keeps a secret", table, cols[i])
				}
			}
			require.NoError(t, rows.Err())
			rows.Close()
		}
	})
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u
}

func keys(s secretSet) []string {
	var out []string
	for k := range s {
		out = append(out, k)
	}
	return out
}

// takeBigFiveHTTP is a candidate taking the Big Five with plain HTTP: the
// consent, the instructions, every page answered, the submit.
func takeBigFiveHTTP(t *testing.T, base, token string) {
	t.Helper()
	lib, err := assessments.BuiltinInstruments()
	require.NoError(t, err)
	inst, err := lib.Get("big-five-work")
	require.NoError(t, err)
	c := newBrowser(t)
	link := base + "/a/" + token
	p := c.submit(c.get(link), "/a/"+token+"/start", url.Values{"consent": {"yes"}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	p = c.post(link+"/step/0", url.Values{"nav": {"next"}})
	n := 0
	for i, items := range inst.Pages() {
		form := url.Values{"nav": {"next"}}
		for _, it := range items {
			n++
			form.Set("a."+it.ID, strconv.Itoa(likertAnswer(it, n)))
		}
		p = c.post(link+"/step/"+strconv.Itoa(i+1), form)
		require.Equal(t, http.StatusOK, p.Status, p.Body)
	}
	require.True(t, strings.HasSuffix(p.URL.Path, "/review"), p.URL.Path)
	p = c.post(link+"/submit", url.Values{})
	require.Contains(t, p.Body, "Thank you")
}
