package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/e2e/chrometest"
	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/storage"
)

// TestBrandedSpanishCandidatePagesHaveNoAxeViolations walks a candidate of
// an employer with a light brand colour (the hardest to read) through the
// pages in Spanish on a phone: axe-core must find nothing, the colour must
// reach the page through its stylesheet, and the page must not break the
// Content-Security-Policy.
func TestBrandedSpanishCandidatePagesHaveNoAxeViolations(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	sb, err := storage.SeedSandboxInvitation(ctx, s.invitations, s.catalog, s.lib,
		storage.SandboxSeed{WorkflowID: "1", FirstName: "Ana", CompanyName: "Acme Ltd", JobTitle: "Analista"})
	require.NoError(t, err)
	tmpl := mail.DefaultTemplate()
	tmpl.BrandColor, tmpl.LogoURL = "#ffd400", "/static/img/logo.svg"
	require.NoError(t, s.templates.SaveTemplate(ctx, sb.TenantID, 0, tmpl))
	link := s.URL + "/a/" + sb.Token

	tab := newChrome(t, 360, 740)
	problems := chrometest.Watch(t, tab)
	check := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		do(t, tab, actions...)
		screenshot(t, tab, "brand", strings.ReplaceAll(name, " ", "-"))
		for _, v := range chrometest.Axe(t, tab) {
			assert.Failf(t, "axe violation", "%s: %s", name, v)
		}
	}
	click := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }
	ready := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.WaitReady(chromedp.CSS(sel)) }
	submit := `form button[type="submit"]`

	check("welcome in English", chromedp.Navigate(link), ready(`input[name="consent"]`))
	assert.Equal(t, "Acme Ltd", strings.TrimSpace(eval[string](t, tab, `document.querySelector(".topbar .brand").textContent`)))
	assert.Equal(t, "rgb(255, 212, 0)", eval[string](t, tab, `getComputedStyle(document.querySelector(".topbar")).borderTopColor`),
		"the brand colour marks the top bar")
	assert.NotEqual(t, "rgb(29, 78, 216)", eval[string](t, tab, `getComputedStyle(document.querySelector("button")).backgroundColor`),
		"the button no longer wears the default blue")
	assert.True(t, eval[bool](t, tab, `document.querySelector("img.employer-logo").naturalWidth > 0`), "the logo loads")

	check("welcome in Spanish", click(`a[hreflang="es"]`), chromedp.WaitVisible(`//h2[contains(., "Su privacidad")]`))
	assert.Equal(t, "es", eval[string](t, tab, `document.documentElement.lang`))
	check("consent error in Spanish", click(submit), ready(`#consent-error`))
	check("instructions in Spanish", click(`input[name="consent"]`), click(submit), ready(`input[type="hidden"][name="nav"]`))
	check("question page in Spanish", click(submit), ready(`input[name="a.e01"]`))
	assert.Contains(t, eval[string](t, tab, `document.querySelector("legend").textContent`), "Disfruto abriendo una reunión")
	saveDoc(t, tab, "candidate-phone-brand-es")
	do(t, tab, click(`input[name="a.e01"][value="4"]`),
		chromedp.WaitVisible(`//p[@id="save-status"][contains(., "Respuesta guardada.")]`))
	assert.Equal(t, "1 de 40 preguntas respondidas", strings.TrimSpace(eval[string](t, tab, `document.getElementById("answered").textContent`)),
		"the script counts in Spanish too")

	assert.Empty(t, problems.CSP(), "Content-Security-Policy violations")
	assert.Empty(t, problems.Scripts(), "script errors")
}
