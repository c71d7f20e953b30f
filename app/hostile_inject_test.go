package app

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// payload is script and SQL at once, in every text field people fill.
const payload = `<script>alert("x")</script>'; DROP TABLE trigger_rules; --`

// readsICIMS is what a saved form may change besides its own table: the
// pages read the customer's lists from iCIMS.
const readsICIMS = "icims calls 1234"

// escaped checks that the page shows the payload as text and that the
// table holding it still answers with the payload stored verbatim.
func escaped(table, column string) func(*testing.T, *hostileEnv, answer) {
	return func(t *testing.T, e *hostileEnv, a answer) {
		assert.Contains(t, a.Body, html.EscapeString(payload), "the text comes back escaped")
		assert.NotContains(t, a.Body, `<script>alert("x")`)
		n := e.count(`SELECT COUNT(*) FROM "`+table+`" WHERE `+column+` LIKE ?`, "%"+payload+"%")
		assert.Equal(t, 1, n, "%s.%s holds the text as typed", table, column)
		assert.Positive(t, e.count(`SELECT COUNT(*) FROM trigger_rules`), "the database is intact")
	}
}

// show saves a form and returns the page that shows what was saved.
func (e *hostileEnv) saveAndShow(b *browser, path string, form url.Values, show string) answer {
	e.t.Helper()
	a := e.form(b, path, e.csrf(b), form)
	require.Equal(e.t, http.StatusSeeOther, a.Status, "saved: %.400s", a.Body)
	return e.get(b, show)
}

// injectionCases put the payload in every text field the admin and the
// candidate fill: each is saved as typed and shown escaped.
func injectionCases() []hostileCase {
	return []hostileCase{
		{name: "inject: rule name", status: 200, may: []string{"trigger_rules", "trigger_rule_audit", readsICIMS},
			check: escaped("trigger_rules", "name"),
			attack: func(e *hostileEnv) answer {
				return e.saveAndShow(e.b, "/admin/rules", url.Values{"name": {payload}, "mode": {"auto"}, "jobs": {"all"},
					"to_0": {icimstest.StatusInterview}, "package_id": {idString(e.pkg[icimstest.AssessmentBigFive].ID)}}, "/admin/rules")
			}},
		{name: "inject: package name", status: 200, may: []string{"packages", readsICIMS},
			check: escaped("packages", "name"),
			attack: func(e *hostileEnv) answer {
				id := idString(e.pkg[icimstest.AssessmentReasoning].ID)
				return e.saveAndShow(e.b, "/admin/catalog/"+id, url.Values{"name": {payload}, "instruments": {"reasoning"},
					"assessment_type": {icimstest.AssessmentReasoning}, "enabled": {"true"}}, "/admin/catalog")
			}},
		{name: "inject: e-mail subject, body and sender name", status: 200, may: []string{"email_templates", readsICIMS},
			check: func(t *testing.T, e *hostileEnv, a answer) {
				escaped("email_templates", "subject")(t, e, a)
				escaped("email_templates", "body")(t, e, a)
				escaped("email_templates", "sender_name")(t, e, a)
				frame := e.get(e.b, "/admin/email/preview")
				assert.Contains(t, frame.Body, html.EscapeString(payload), "the e-mail's HTML escapes it too")
				assert.NotContains(t, frame.Body, `<script>alert("x")`)
			},
			attack: func(e *hostileEnv) answer {
				return e.saveAndShow(e.b, "/admin/email", url.Values{"subject": {payload}, "sender_name": {payload},
					"body": {"Hi {{candidate_first_name}},\n\n" + payload + "\n\n{{assessment_link}}"}}, "/admin/email")
			}},
		{name: "inject: an e-mail header through the sender name and subject", status: 422,
			want: []string{"The subject must be a single line.", "The sender name must be a single line."},
			attack: func(e *hostileEnv) answer {
				return e.form(e.b, "/admin/email", e.csrf(e.b), url.Values{"sender_name": {"Acme\r\nBcc: mallory@evil.example"},
					"subject": {"Hello\r\nBcc: mallory@evil.example"}, "body": {"{{assessment_link}}"}})
			}},
		{name: "admin form over the body limit", status: 413, check: pageSays("That request is too large"),
			attack: func(e *hostileEnv) answer {
				return e.form(e.b, "/admin/rules", e.csrf(e.b), url.Values{"name": {strings.Repeat("x", 2<<20)}, "mode": {"auto"}})
			}},
		// Forms are read as forms: a JSON body (with a valid token in the
		// header) is an empty form, which the form page says.
		{name: "admin form sent as JSON", status: 422, check: pageSays(`class="alert bad"`),
			attack: func(e *hostileEnv) answer {
				h := http.Header{"Content-Type": {"application/json"}, "Accept": {"text/html"}, "X-CSRF-Token": {e.csrf(e.b)}}
				return e.raw(e.b.client, http.MethodPost, "/admin/rules", h, []byte(`{"name":"From JSON","mode":"auto","to_0":"C51004"}`))
			}},
		{name: "inject: company name", status: 200, may: []string{"tenants", readsICIMS},
			check: escaped("tenants", "name"),
			attack: func(e *hostileEnv) answer {
				return e.saveAndShow(e.b, "/admin/company", url.Values{"company": {payload}}, "/admin/connection")
			}},
		{name: "inject: admin name", status: 200, may: []string{"admins", "admin_invites", "dev_mailbox"},
			check: escaped("admins", "name"),
			attack: func(e *hostileEnv) answer {
				a := e.form(e.b, "/admin/admins/invite", e.csrf(e.b), url.Values{"email": {"new@acme.example"}})
				require.Equal(e.t, http.StatusSeeOther, a.Status, a.Body)
				var text string
				require.NoError(e.t, e.app.DB.R.QueryRow(`SELECT text FROM dev_mailbox WHERE to_address = ?`, "new@acme.example").Scan(&text))
				link := regexp.MustCompile(`/admin/invite/\S+`).FindString(text)
				require.NotEmpty(e.t, link, text)
				invited := newBrowser(e.t)
				p := invited.get(e.app.URL + link)
				p = invited.submit(p, link, url.Values{"name": {payload}, "password": {testPassword}})
				require.Equal(e.t, "/admin", p.URL.Path, p.Body)
				return e.get(e.b, "/admin/admins")
			}},
		// The request queues and sends the admins' notice e-mail (issue 16).
		{name: "inject: accommodation request", status: 200, may: []string{"accommodation_requests", "invitation_events", "river_job", "dev_mailbox"},
			check: escaped("accommodation_requests", "message"),
			attack: func(e *hostileEnv) answer {
				a := e.form(newBrowser(e.t), "/a/"+e.token+"/accommodation", "", url.Values{"message": {payload}})
				require.Equal(e.t, http.StatusSeeOther, a.Status, a.Body)
				return e.get(e.b, "/admin/catalog/accommodations")
			}},
		{name: "inject: a candidate's answer value", status: 400,
			check: func(t *testing.T, e *hostileEnv, a answer) {
				htmlPage(t, a)
				assert.Contains(t, a.Body, "That answer is not one of the options.")
				assert.NotContains(t, a.Body, `<script>alert("x")`)
				assert.Zero(t, e.count(`SELECT COUNT(*) FROM answers WHERE most LIKE '%script%' OR least LIKE '%script%' OR choice LIKE '%script%'`))
			},
			attack: func(e *hostileEnv) answer {
				return e.form(newBrowser(e.t), "/a/"+e.token+"/step/1", "", url.Values{"a.e01": {payload}, "nav": {"next"}})
			}},
		// The unknown name is ignored: the page is saved as the candidate
		// left it (nothing answered), which moves them on.
		{name: "inject: a candidate's answer to an item that does not exist", status: 0,
			may: []string{"invitations", "invitation_events"},
			check: func(t *testing.T, e *hostileEnv, a answer) {
				assert.Contains(t, []int{http.StatusSeeOther, http.StatusUnprocessableEntity}, a.Status)
				assert.Zero(t, e.count(`SELECT COUNT(*) FROM answers WHERE item_id LIKE '%script%'`))
			},
			attack: func(e *hostileEnv) answer {
				return e.form(newBrowser(e.t), "/a/"+e.token+"/step/1", "", url.Values{"a." + payload: {"3"}, "nav": {"next"}})
			}},
	}
}
