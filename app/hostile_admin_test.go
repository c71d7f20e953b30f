package app

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/views"
)

// adminRoutes lists the admin routes of the route table with the given
// method: the sweeps below cover every one, including routes added later.
func (e *hostileEnv) adminRoutes(methods ...string) []string {
	var out []string
	for _, r := range e.app.server.Echo.Routes() {
		if slices.Contains(methods, r.Method) && strings.HasPrefix(r.Path, "/admin") && !strings.Contains(r.Path, "*") {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// idKind names what the :id of an admin route stands for; "" when the
// sweep does not know it, which fails the sweep so that a new route gets
// its case.
func idKind(path string) string {
	switch {
	case strings.HasPrefix(path, "/admin/catalog/accommodations/"):
		return "accommodation"
	case strings.HasPrefix(path, "/admin/catalog/"):
		return "package"
	case strings.HasPrefix(path, "/admin/rules/"):
		return "rule"
	case strings.HasPrefix(path, "/admin/invitations/"), strings.HasPrefix(path, "/admin/writeback/"):
		return "invitation"
	case strings.HasPrefix(path, views.LogsPath+"/"):
		return "delivery"
	case strings.HasPrefix(path, "/admin/jobs/"):
		return "apply_link"
	case strings.HasPrefix(path, "/admin/admins/"):
		return "admin"
	}
	return ""
}

// fill puts ids into a route's parameters.
func fill(t *testing.T, path string, ids map[string]int64) string {
	t.Helper()
	if strings.Contains(path, ":id") {
		kind := idKind(path)
		require.NotEmpty(t, kind, "%s takes an id the sweep does not know: add it to idKind", path)
		id, ok := ids[kind]
		require.True(t, ok, "no %s id for %s", kind, path)
		path = strings.ReplaceAll(path, ":id", idString(id))
	}
	return strings.NewReplacer(":token", forged, ":n", "1").Replace(path)
}

// anyForm is a form with a plausible value for every admin form's fields,
// so that a route that forgot a check would act on it.
var anyForm = url.Values{"name": {"Hijacked"}, "enabled": {"true"}, "mode": {"auto"}, "jobs": {"all"},
	"to_0": {icimstest.StatusInterview}, "direction": {"up"}, "reason": {"hijacked"}, "days": {"30"},
	"extra_minutes": {"30"}, "instruments": {"big-five-work"}, "email": {"mallory@evil.example"},
	"password": {testPassword}, "company": {"Hijacked"}, "confirm": {"yes"}, "subject": {"Hijacked"},
	"body": {"{{assessment_link}}"}, "days_kept": {"1"}}

// sweepCSRF posts to every admin route, signed in but without the CSRF
// token: each is refused and nothing changes.
func sweepCSRF(t *testing.T, e *hostileEnv) int {
	own := map[string]int64{
		"package":       e.pkg[icimstest.AssessmentBigFive].ID,
		"rule":          e.scalar(`SELECT MIN(id) FROM trigger_rules WHERE tenant_id = ?`, e.tenant.ID),
		"invitation":    e.scalar(`SELECT MIN(id) FROM invitations WHERE tenant_id = ?`, e.tenant.ID),
		"accommodation": e.scalar(`SELECT MIN(id) FROM accommodation_requests WHERE tenant_id = ?`, e.tenant.ID),
		"delivery":      e.scalar(`SELECT MIN(id) FROM deliveries WHERE tenant_id = ?`, e.tenant.ID),
		"apply_link":    e.scalar(`SELECT MIN(id) FROM apply_links WHERE tenant_id = ?`, e.tenant.ID),
		"admin":         e.scalar(`SELECT MIN(id) FROM admins WHERE tenant_id = ?`, e.tenant.ID),
	}
	routes := e.adminRoutes(http.MethodPost)
	for _, r := range routes {
		path := strings.TrimPrefix(r, "POST ")
		t.Run("no CSRF token: "+r, func(t *testing.T) {
			e.t = t
			target := fill(t, path, own)
			a := e.unchanged(t, nil, func() answer { return e.form(e.b, target, "", url.Values(anyForm)) })
			assert.Equal(t, http.StatusBadRequest, a.Status, "%.300s", a.Body)
			htmlPage(t, a)
		})
	}
	e.t = t
	assert.Equal(t, "/admin", e.b.get(e.app.URL+"/admin").URL.Path, "still signed in: the logout without a token did nothing")
	return len(routes)
}

// sweepOtherTenant opens every admin route that takes an id with
// Globex's ids, as Acme's admin (with a valid CSRF token): each is not
// found, shows nothing of Globex, and changes nothing.
func sweepOtherTenant(t *testing.T, e *hostileEnv) int {
	n := 0
	for _, r := range e.adminRoutes(http.MethodGet, http.MethodPost) {
		method, path, _ := strings.Cut(r, " ")
		if !strings.Contains(path, ":id") {
			continue
		}
		n++
		t.Run("Globex's id: "+r, func(t *testing.T) {
			e.t = t
			target := fill(t, path, e.otherIDs)
			a := e.unchanged(t, nil, func() answer {
				if method == http.MethodGet {
					return e.get(e.b, target)
				}
				return e.form(e.b, target, e.csrf(e.b), url.Values(anyForm))
			})
			assert.Equal(t, http.StatusNotFound, a.Status, "%.300s", a.Body)
			htmlPage(t, a)
			for _, secret := range []string{"Globex", "Large print", "5678"} {
				assert.NotContains(t, a.Body, secret)
			}
		})
	}
	return n
}
