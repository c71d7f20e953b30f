package app

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// policy is a Content-Security-Policy, directive by directive.
type policy map[string][]string

func parsePolicy(header string) policy {
	p := policy{}
	for d := range strings.SplitSeq(header, ";") {
		fields := strings.Fields(d)
		if len(fields) > 0 {
			p[strings.ToLower(fields[0])] = fields[1:]
		}
	}
	return p
}

// source is the sources a directive allows, falling back to default-src
// as browsers do.
func (p policy) source(directive string) []string {
	if v, ok := p[directive]; ok {
		return v
	}
	return p["default-src"]
}

// checkHeaders requires the security headers and a strict policy: scripts
// from this origin only (or none), no inline or eval'd script, no
// plugins, no framing by other sites.
func checkHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	require.NotEmpty(t, csp, "%s has no Content-Security-Policy", what)
	p := parsePolicy(csp)
	scripts := p.source("script-src")
	require.NotEmpty(t, scripts, "%s: the policy says nothing about scripts: %s", what, csp)
	for _, s := range scripts {
		assert.Contains(t, []string{"'self'", "'none'"}, s, "%s: script source %s in %s", what, s, csp)
	}
	assert.Equal(t, []string{"'none'"}, p.source("object-src"), "%s: %s", what, csp)
	assert.NotEmpty(t, p["frame-ancestors"], "%s: %s", what, csp)
	assert.Equal(t, "nosniff", h.Get("X-Content-Type-Options"), what)
	assert.Equal(t, "no-referrer", h.Get("Referrer-Policy"), what)
	assert.Equal(t, "SAMEORIGIN", h.Get("X-Frame-Options"), what)
	assert.Equal(t, "same-origin", h.Get("Cross-Origin-Opener-Policy"), what)
	assert.Contains(t, h.Get("Permissions-Policy"), "camera=()", what)
}

// pageTargets fills every GET route of the route table with real ids and
// links, and adds the simulator's pages, the error pages and the answers
// of the JSON endpoints.
func pageTargets(t *testing.T, e *hostileEnv) map[string]string {
	t.Helper()
	ids := map[string]int64{
		"package":       e.pkg[icimstest.AssessmentBigFive].ID,
		"rule":          e.scalar(`SELECT MIN(id) FROM trigger_rules WHERE tenant_id = ?`, e.tenant.ID),
		"invitation":    e.scalar(`SELECT MIN(id) FROM invitations WHERE tenant_id = ?`, e.tenant.ID),
		"accommodation": e.scalar(`SELECT MIN(id) FROM accommodation_requests WHERE tenant_id = ?`, e.otherTen.ID),
		"delivery":      e.scalar(`SELECT MIN(id) FROM deliveries WHERE tenant_id = ?`, e.tenant.ID),
		"admin":         e.scalar(`SELECT MIN(id) FROM admins WHERE tenant_id = ?`, e.tenant.ID),
	}
	mail := e.scalar(`SELECT MIN(id) FROM dev_mailbox`)
	report := strings.TrimPrefix(e.report, "/r/")
	confirm := strings.TrimPrefix(e.confirm, "/icims/confirm/")
	targets := map[string]string{}
	for _, r := range e.app.server.Echo.Routes() {
		if r.Method != http.MethodGet || strings.Contains(r.Path, "*") {
			continue
		}
		path := r.Path
		switch {
		case strings.HasPrefix(path, "/a/"):
			path = strings.NewReplacer(":token", e.token, ":n", "1").Replace(path)
		case strings.HasPrefix(path, "/r/"):
			path = strings.ReplaceAll(path, ":token", report)
		case strings.HasPrefix(path, "/icims/confirm/"):
			path = strings.ReplaceAll(path, ":token", confirm)
		case strings.HasPrefix(path, "/sandbox/mailbox/"):
			path = strings.ReplaceAll(path, ":id", idString(mail))
		default:
			path = fill(t, path, ids)
		}
		targets["GET "+r.Path] = path
	}
	for _, p := range []string{"/sandbox/", "/sandbox/marketplace", "/sandbox/customers/1234", "/sandbox/customers/1234/workflows/3001",
		"/sandbox/customers/1234/log", "/sandbox/customers/1234/faults", "/sandbox/customers/1234/vendor",
		"/sandbox/customers/1234/workflows/3001/application-complete", "/sandbox/customers/0/workflows/1",
		"/static/app.css", "/no-such-page", "/admin/no-such-page", "/icims/no-such-page"} {
		targets["GET "+p] = p
	}
	return targets
}

// TestHeadersOnEveryPage fetches every page type (home, admin, candidate,
// report, confirm, sandbox, error pages, JSON endpoints, assets) and
// checks the security headers and the policy of each.
func TestHeadersOnEveryPage(t *testing.T) {
	e := newHostileEnv(t)
	targets := pageTargets(t, e)
	require.Greater(t, len(targets), 40)
	for name, path := range targets {
		t.Run(name, func(t *testing.T) {
			e.t = t
			a := e.get(e.b, path)
			assert.Less(t, a.Status, 500, "%s: %.300s", path, a.Body)
			checkHeaders(t, path, a.Header)
		})
	}
	e.t = t

	// Answers that are not pages: JSON, iCIMS's error shape, refusals.
	others := map[string]func() answer{
		"POST /icims/events without credentials": func() answer {
			return e.raw(nil, http.MethodPost, "/icims/events", http.Header{"Content-Type": {"application/json"}}, []byte(`{}`))
		},
		"POST /oauth/token with a wrong secret": func() answer {
			return e.raw(nil, http.MethodPost, "/oauth/token", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
				[]byte(url.Values{"grant_type": {"client_credentials"}, "client_id": {"x"}, "client_secret": {"y"}}.Encode()))
		},
		"POST a body over the limit": func() answer {
			return e.form(e.b, "/admin/rules", e.csrf(e.b), url.Values{"name": {string(bytes.Repeat([]byte("x"), 2<<20))}})
		},
		"GET a POST-only route": func() answer { return e.get(e.b, "/admin/logout") },
		"GET /healthz as JSON": func() answer {
			return e.raw(nil, http.MethodGet, "/healthz", http.Header{"Accept": {"application/json"}}, nil)
		},
		"GET /admin as JSON": func() answer {
			return e.raw(nil, http.MethodGet, "/admin/rules/999999", http.Header{"Accept": {"application/json"}}, nil)
		},
	}
	names := make([]string, 0, len(others))
	for n := range others {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			a := others[n]()
			checkHeaders(t, n, a.Header)
		})
	}
}
