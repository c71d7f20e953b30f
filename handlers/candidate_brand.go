package handlers

import (
	"context"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// BrandSource reads the employer's look: the logo and colour admins set
// with the invitation e-mail, so the e-mail and the pages it links to
// match.
type BrandSource interface {
	Template(ctx context.Context, tenantID int64) (mail.Template, bool, error)
}

// brand is the employer's look on a candidate page for an invitation. A
// failure to read it is logged and the page keeps the default look: a
// candidate mid-test must not lose a page over a logo.
func (h *Candidate) brand(c echo.Context, inv assessments.Invitation) views.Brand {
	if inv.CompanyName == "" {
		return views.Brand{}
	}
	b := views.Brand{Name: inv.CompanyName}
	if h.Brands == nil || inv.TenantID == 0 {
		return b
	}
	t, custom, err := h.Brands.Template(c.Request().Context(), inv.TenantID)
	if err != nil {
		h.Log.WarnContext(c.Request().Context(), "brand not read", "tenant", inv.TenantID, "err", err)
		return b
	}
	if !custom {
		return b
	}
	if _, ok := views.ParseBrandColor(t.BrandColor); ok && strings.HasPrefix(t.BrandColor, "#") {
		b.Stylesheet = routes.BrandStylesheet(t.BrandColor)
	}
	if origin, ok := logoOrigin(t.LogoURL); ok {
		b.LogoURL = t.LogoURL
		allowImageOrigin(c, origin)
	} else if strings.HasPrefix(t.LogoURL, routes.Static("")) {
		b.LogoURL = t.LogoURL
	}
	return b
}

// logoOrigin is the https origin of an external logo, when the URL is one
// with a plain host.
func logoOrigin(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if raw == "" || err != nil || u.Scheme != "https" || !plainHost.MatchString(u.Host) {
		return "", false
	}
	return "https://" + u.Host, true
}

// allowImageOrigin lets this one response load images from the employer's
// logo host. Only that origin is added, not every https: image, so a page
// still cannot be made to fetch from anywhere else; the candidate's token
// does not leak to it because the pages send no referrer.
func allowImageOrigin(c echo.Context, origin string) {
	h := c.Response().Header()
	policy := h.Get("Content-Security-Policy")
	h.Set("Content-Security-Policy", strings.Replace(policy, "img-src 'self'", "img-src 'self' "+origin, 1))
}
