package handlers_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/storage"
)

// TestCandidateScriptTextsAreInThePagesLanguage reads the texts the
// question page hands its script (the countdown, the save status, the
// progress line): each comes from the message catalogue in the page's
// language, with "{name}" where the script puts a figure.
func TestCandidateScriptTextsAreInThePagesLanguage(t *testing.T) {
	cases := []struct {
		lang string
		want map[string]string
	}{
		{lang: "en", want: map[string]string{
			"data-t-clock":        "{clock} left",
			"data-t-about":        "About {minutes} left. Time is up at {end}.",
			"data-t-less":         "Less than {minutes} left. Time is up at {end}.",
			"data-t-seconds":      "Less than 30 seconds left. Time is up at {end}.",
			"data-t-up":           "Time is up.",
			"data-t-minute-one":   "1 minute",
			"data-t-minute-other": "{n} minutes",
			"data-t-saved":        "Answer saved.",
			"data-t-offline":      "Not saved yet: no connection. Your answers are sent when you go to the next page.",
			"data-t-answered":     "{n} of 18 questions answered",
		}},
		{lang: "es", want: map[string]string{
			"data-t-clock":        "Quedan {clock}",
			"data-t-about":        "Quedan unos {minutes}. El tiempo se acaba a las {end}.",
			"data-t-less":         "Quedan menos de {minutes}. El tiempo se acaba a las {end}.",
			"data-t-seconds":      "Quedan menos de 30 segundos. El tiempo se acaba a las {end}.",
			"data-t-up":           "Se acabó el tiempo.",
			"data-t-minute-one":   "1 minuto",
			"data-t-minute-other": "{n} minutos",
			"data-t-saved":        "Respuesta guardada.",
			"data-t-offline":      "Aún no se ha guardado: no hay conexión. Sus respuestas se envían al pasar a la página siguiente.",
			"data-t-answered":     "{n} de 18 preguntas respondidas",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.lang, func(t *testing.T) {
			s := newSite(t)
			sb := s.seed(t, storage.SandboxSeed{PackageName: "Reasoning", InstrumentIDs: []string{"reasoning"}})
			c := s.client(t)
			base := "/a/" + sb.Token
			c.get(base + "?lang=" + tc.lang)
			require.Equal(t, http.StatusSeeOther, c.post(base+"/start", url.Values{"consent": {"yes"}}).Status)
			c.post(base+"/step/0", url.Values{"nav": {"next"}})
			page := c.get(base + "/step/1")
			require.Equal(t, http.StatusOK, page.Status)
			got := map[string]string{}
			for _, m := range regexp.MustCompile(`(data-t-[a-z-]+)="([^"]*)"`).FindAllStringSubmatch(page.Body, -1) {
				got[m[1]] = html.UnescapeString(m[2])
			}
			for attr, want := range tc.want {
				assert.Equal(t, want, got[attr], attr)
			}
		})
	}
}
