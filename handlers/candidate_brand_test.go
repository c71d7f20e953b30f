package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/storage"
)

// brandTemplate is the default e-mail with the employer's look set.
func brandTemplate(color, logo string) mail.Template {
	t := mail.DefaultTemplate()
	t.BrandColor, t.LogoURL = color, logo
	return t
}

func TestBrandStylesheetServesOnlyAHexColour(t *testing.T) {
	s := newSite(t)
	c := s.client(t)

	ok := c.get("/brand/ffd400.css")
	require.Equal(t, http.StatusOK, ok.Status, ok.Body)
	assert.Equal(t, "text/css; charset=utf-8", ok.Header.Get("Content-Type"))
	assert.Equal(t, "public, max-age=31536000, immutable", ok.Header.Get("Cache-Control"))
	assert.Contains(t, ok.Body, "border-top: 6px solid #ffd400;", "the true colour marks the top bar")
	assert.NotContains(t, ok.Body, "--brand: #ffd400;", "yellow text would not read on the page: it is darkened")
	assert.Equal(t, ok.Body, c.get("/brand/FFD400.css").Body, "upper case is the same colour")

	for _, path := range []string{
		"/brand/red.css", "/brand/ffd400", "/brand/%23ffd400.css", "/brand/ffd40.css", "/brand/ffd4000.css",
		"/brand/ffd400%7Dbody%7Bdisplay:none.css", "/brand/ffd400;x.css", "/brand/gggggg.css", "/brand/..%2Fapp.css",
	} {
		res := c.get(path)
		assert.Equal(t, http.StatusNotFound, res.Status, path)
		assert.NotContains(t, res.Body, "--brand", path)
	}
}

func TestBrandColourIsRefusedAtSave(t *testing.T) {
	s := newSite(t)
	sb := s.seed(t, storage.SandboxSeed{CompanyName: "Acme Ltd"})
	ctx := context.Background()
	for _, bad := range []string{"red", "#fff", "#ffd400;}body{display:none", "ffd400", "#ffd40g"} {
		err := s.templates.SaveTemplate(ctx, sb.TenantID, 0, brandTemplate(bad, ""))
		require.Error(t, err, bad)
		assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err), bad)
	}
	_, custom, err := s.templates.Template(ctx, sb.TenantID)
	require.NoError(t, err)
	assert.False(t, custom, "nothing was saved")
}

func TestCandidatePagesWearTheEmployersBrand(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()

	t.Run("name, logo and colour", func(t *testing.T) {
		sb := s.seed(t, storage.SandboxSeed{CustomerID: "brand-1", CompanyName: "Acme <b>Ltd</b>"})
		require.NoError(t, s.templates.SaveTemplate(ctx, sb.TenantID, 0, brandTemplate("#0B6E4F", "https://cdn.acme.example/logo.png?v=1&x=2")))
		p := s.client(t).get("/a/" + sb.Token)
		require.Equal(t, http.StatusOK, p.Status, p.Body)
		assert.Contains(t, p.Body, `<title>Welcome · Acme &lt;b&gt;Ltd&lt;/b&gt;</title>`)
		assert.Contains(t, p.Body, `<link rel="stylesheet" href="/brand/0b6e4f.css">`)
		assert.Contains(t, p.Body, `<img class="employer-logo" src="https://cdn.acme.example/logo.png?v=1&amp;x=2" alt="">`)
		assert.NotContains(t, p.Body, "<b>Ltd</b>")
		assert.NotContains(t, p.Body, "· JobCannon</title>")
		csp := p.Header.Get("Content-Security-Policy")
		assert.Contains(t, csp, "img-src 'self' https://cdn.acme.example data:", "only the logo's origin is added")
		assert.Contains(t, csp, "style-src 'self';", "no inline style")
	})

	t.Run("a logo on an odd host is left out and the policy kept", func(t *testing.T) {
		sb := s.seed(t, storage.SandboxSeed{CustomerID: "brand-2", CompanyName: "Beta"})
		require.NoError(t, s.templates.SaveTemplate(ctx, sb.TenantID, 0, brandTemplate("", "https://a.example;script-src*/l.png")))
		p := s.client(t).get("/a/" + sb.Token)
		require.Equal(t, http.StatusOK, p.Status, p.Body)
		assert.NotContains(t, p.Body, "employer-logo")
		assert.NotContains(t, p.Body, "/brand/")
		assert.Contains(t, p.Header.Get("Content-Security-Policy"), "img-src 'self' data:;")
		assert.Contains(t, p.Body, `<title>Welcome · Beta</title>`)
	})

	t.Run("no template: the name only, the default colour", func(t *testing.T) {
		sb := s.seed(t, storage.SandboxSeed{CustomerID: "brand-3", CompanyName: "Gamma"})
		p := s.client(t).get("/a/" + sb.Token)
		assert.Contains(t, p.Body, `<span class="brand">Gamma</span>`)
		assert.NotContains(t, p.Body, "/brand/")
	})
}

func TestBrandedSpanishFirstQuestionPageFitsTheBudget(t *testing.T) {
	s := newSite(t)
	sb := s.seed(t, storage.SandboxSeed{CompanyName: "Acme Ltd"})
	require.NoError(t, s.templates.SaveTemplate(context.Background(), sb.TenantID, 0, brandTemplate("#ffd400", "https://cdn.acme.example/logo.png")))
	c := s.client(t)
	base := "/a/" + sb.Token
	c.get(base + "?lang=es")
	c.post(base+"/start", url.Values{"consent": {"yes"}})
	c.post(base+"/step/0", url.Values{"nav": {"next"}})
	page := c.get(base + "/step/1")
	require.Equal(t, http.StatusOK, page.Status)
	require.Contains(t, page.Body, "Totalmente de acuerdo")
	total := len(page.Body)
	assets := regexp.MustCompile(`(?:href|src)="(/(?:static|brand)/[^"]+\.(?:css|js))"`).FindAllStringSubmatch(page.Body, -1)
	require.Len(t, assets, 3, "app.css, the brand's stylesheet and the candidate script")
	for _, m := range assets {
		total += len(c.get(m[1]).Body)
	}
	assert.Less(t, total, 40*1024, "HTML %d bytes, with CSS %d", len(page.Body), total)
	t.Logf("branded Spanish first question page: HTML %d bytes, HTML+CSS %d bytes", len(page.Body), total)
}
