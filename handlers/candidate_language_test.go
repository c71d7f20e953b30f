package handlers_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/storage"
)

// getWith is a GET with request headers.
func (c *client) getWith(path string, header http.Header) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	require.NoError(c.t, err)
	req.Header = header
	res, err := c.http.Do(req)
	require.NoError(c.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(c.t, err)
	return response{Status: res.StatusCode, Header: res.Header, Body: string(b), Location: res.Header.Get("Location")}
}

func TestCandidatePagesChooseTheirLanguage(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	spanishWelcome := []string{`<html lang="es">`, "<title>Bienvenida · Acme</title>", "Su privacidad", "Empezar",
		"Personalidad en el trabajo (Big Five)"}
	englishWelcome := []string{`<html lang="en">`, "<title>Welcome · Acme</title>", "Your privacy", "Start", "Big Five Work Personality"}

	for name, tc := range map[string]struct {
		packageLanguage string
		accept          string
		want            []string
	}{
		"no header, no setting: English":      {want: englishWelcome},
		"the browser asks for Spanish":        {accept: "es-MX,es;q=0.9,en;q=0.5", want: spanishWelcome},
		"the browser prefers English by q":    {accept: "es;q=0.4, en-GB;q=0.8", want: englishWelcome},
		"a language we lack: English":         {accept: "de-DE,fr;q=0.9", want: englishWelcome},
		"the package is Spanish":              {packageLanguage: "es", want: spanishWelcome},
		"the package wins over the browser":   {packageLanguage: "es", accept: "en-US", want: spanishWelcome},
		"an English package, Spanish browser": {packageLanguage: "en", accept: "es", want: englishWelcome},
	} {
		t.Run(name, func(t *testing.T) {
			sb := s.seed(t, storage.SandboxSeed{CustomerID: "lang-" + name, CompanyName: "Acme"})
			if tc.packageLanguage != "" {
				pkg := sb.Package
				pkg.Language = tc.packageLanguage
				_, err := s.catalog.SavePackage(ctx, s.lib, pkg)
				require.NoError(t, err)
			}
			h := http.Header{}
			if tc.accept != "" {
				h.Set("Accept-Language", tc.accept)
			}
			p := s.client(t).getWith("/a/"+sb.Token, h)
			require.Equal(t, http.StatusOK, p.Status, p.Body)
			for _, w := range tc.want {
				assert.Contains(t, p.Body, w)
			}
		})
	}
}

func TestCandidateSwitchesLanguageWithoutJavaScript(t *testing.T) {
	s := newSite(t)
	sb := s.seed(t, storage.SandboxSeed{CompanyName: "Acme", FirstName: "Ana"})
	c := s.client(t)
	base := "/a/" + sb.Token

	welcome := c.get(base)
	assert.Contains(t, welcome.Body, `<a href="`+base+`?lang=es" lang="es" hreflang="es">Español</a>`, "the switch is a plain link")
	es := c.get(base + "?lang=es")
	require.Equal(t, http.StatusOK, es.Status)
	assert.Contains(t, es.Body, "Hola, Ana:")
	assert.Contains(t, es.Body, `aria-current="true">Español</a>`)

	// The choice holds for the pages that follow, forms and all.
	noConsent := c.post(base+"/start", nil)
	assert.Contains(t, noConsent.Body, "Marque la casilla")
	require.Equal(t, http.StatusSeeOther, c.post(base+"/start", url.Values{"consent": {"yes"}}).Status)
	intro := c.get(base + "/step/0")
	assert.Contains(t, intro.Body, "<h2>Instrucciones</h2>")
	assert.Contains(t, intro.Body, "No hay respuestas correctas ni incorrectas")
	assert.Contains(t, intro.Body, "<title>Personalidad en el trabajo (Big Five): instrucciones · Acme</title>")
	require.Equal(t, base+"/step/1", c.post(base+"/step/0", url.Values{"nav": {"next"}}).Location)
	page := c.get(base + "/step/1")
	assert.Contains(t, page.Body, "Disfruto abriendo una reunión con personas con las que no he trabajado antes.")
	assert.Contains(t, page.Body, "<span>Totalmente de acuerdo</span>")
	assert.Contains(t, page.Body, "0 de 40 preguntas respondidas")
	assert.Contains(t, page.Body, "Página siguiente")
	assert.NotContains(t, page.Body, "I enjoy opening a meeting")

	// Answers given in Spanish are the same answers: back in English, they
	// are all there.
	require.Equal(t, http.StatusSeeOther, c.post(base+"/step/1", withNav(answerPage(page.Body, 4), "next")).Status)
	en := c.get(base + "/step/1?lang=en")
	require.Equal(t, http.StatusOK, en.Status)
	assert.Contains(t, en.Body, "I enjoy opening a meeting with people I have not worked with before.")
	assert.Contains(t, en.Body, "10 of 40 questions answered")
	assert.Contains(t, c.get(base+"/step/2").Body, "Next page", "English is remembered now")
}

func TestUntranslatedInstrumentFallsBackToEnglish(t *testing.T) {
	s := newSite(t)
	sb := s.seed(t, storage.SandboxSeed{CompanyName: "Acme", InstrumentIDs: []string{"reasoning"}})
	c := s.client(t)
	base := "/a/" + sb.Token
	c.get(base + "?lang=es")
	require.Equal(t, http.StatusSeeOther, c.post(base+"/start", url.Values{"consent": {"yes"}}).Status)
	intro := c.get(base + "/step/0")
	require.Equal(t, http.StatusOK, intro.Status)
	assert.Contains(t, intro.Body, "<h2>Instrucciones</h2>", "the pages speak Spanish")
	lib := s.lib
	inst, err := lib.Get("reasoning")
	require.NoError(t, err)
	assert.Contains(t, intro.Body, "<h1>"+inst.Name+"</h1>", "the untranslated instrument keeps its English")
}

func TestPackageFormSetsTheLanguage(t *testing.T) {
	s := newSite(t)
	sb := s.seed(t, storage.SandboxSeed{CompanyName: "Acme"})
	c := s.client(t)
	s.signIn(t, c, sb.TenantID)
	edit := routes.CatalogEdit(sb.Package.ID)
	form := c.get(edit)
	require.Equal(t, http.StatusOK, form.Status, form.Body)
	assert.Contains(t, form.Body, `<option value="es">Español</option>`)
	assert.Contains(t, form.Body, `<option value="" selected>The candidate's browser decides</option>`)

	bad := packageForm("Sales", "D37001")
	bad.Set("language", "xx")
	refused := c.postForm(form, routes.CatalogUpdate(sb.Package.ID), bad)
	assert.Equal(t, http.StatusUnprocessableEntity, refused.Status)
	assert.Contains(t, refused.Body, "Choose one of the languages offered.")

	good := packageForm("Sales", "D37001")
	good.Set("language", "es")
	require.Equal(t, http.StatusSeeOther, c.postForm(form, routes.CatalogUpdate(sb.Package.ID), good).Status)
	pkg, err := s.catalog.Package(context.Background(), sb.TenantID, sb.Package.ID)
	require.NoError(t, err)
	assert.Equal(t, "es", pkg.Language)
	assert.Contains(t, c.get(edit).Body, `<option value="es" selected>Español</option>`)
	assert.Contains(t, s.client(t).get("/a/"+sb.Token).Body, `<html lang="es">`)
	preview := c.get(routes.CatalogPreview(sb.Package.ID))
	assert.Contains(t, preview.Body, `<html lang="es">`, "the admin previews the package in its language")
	assert.Contains(t, preview.Body, "Su privacidad")
}
