package handlers

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// languageCookie remembers the language a candidate chose with the
// switcher, for every later page of their link.
const languageCookie = "jc_lang"

// language picks the candidate pages' language: the candidate's own choice
// (the switcher's ?lang=, then its cookie) first, then the package's
// language set by the admin, then the browser's Accept-Language, then
// English.
func (h *Candidate) language(c echo.Context, inv assessments.Invitation) string {
	if tag, ok := views.SupportedLanguage(c.QueryParam("lang")); ok && c.Request().Method == http.MethodGet {
		c.SetCookie(&http.Cookie{Name: languageCookie, Value: tag, Path: routes.CandidateRoot, MaxAge: int((90 * 24 * time.Hour).Seconds()),
			HttpOnly: true, Secure: h.BaseURL.Scheme == "https", SameSite: http.SameSiteLaxMode})
		return tag
	}
	if ck, err := c.Cookie(languageCookie); err == nil {
		if tag, ok := views.SupportedLanguage(ck.Value); ok {
			return tag
		}
	}
	if tag, ok := views.SupportedLanguage(h.packageLanguage(c, inv)); ok {
		return tag
	}
	if tag, ok := acceptedLanguage(c.Request().Header.Get("Accept-Language")); ok {
		return tag
	}
	return views.DefaultLanguage
}

// packageLanguage is the language the admin set on the invitation's
// package, or "" for "the candidate's browser decides".
func (h *Candidate) packageLanguage(c echo.Context, inv assessments.Invitation) string {
	if inv.PackageID == 0 || h.Candidates == nil || h.Candidates.Catalog == nil {
		return ""
	}
	pkg, err := h.Candidates.Catalog.Package(c.Request().Context(), inv.TenantID, inv.PackageID)
	if err != nil {
		return ""
	}
	return pkg.Language
}

// acceptedLanguage is the supported language the browser prefers most, by
// the q-values of its Accept-Language header.
func acceptedLanguage(header string) (string, bool) {
	type choice struct {
		tag string
		q   float64
	}
	var choices []choice
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		if supported, ok := views.SupportedLanguage(tag); ok && q > 0 {
			choices = append(choices, choice{supported, q})
		}
	}
	sort.SliceStable(choices, func(i, j int) bool { return choices[i].q > choices[j].q })
	if len(choices) == 0 {
		return "", false
	}
	return choices[0].tag, true
}

// languageLinks is the switcher: this page in each language. A page shown
// in answer to a form post links to the welcome page, which resumes where
// the candidate is.
func languageLinks(c echo.Context, current string) []views.LanguageLink {
	path := c.Request().URL.Path
	if c.Request().Method != http.MethodGet {
		path = routes.CandidateShow(c.Param("token"))
	}
	var links []views.LanguageLink
	for _, l := range views.Languages() {
		links = append(links, views.LanguageLink{Language: l, URL: path + "?lang=" + l.Tag, Current: l.Tag == current})
	}
	return links
}
