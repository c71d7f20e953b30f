package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// fieldMessages returns the messages shown inside the form field that
// holds the element with id, and whether that field is marked as wrong.
func fieldMessages(t *testing.T, body, id string) (msgs []string, invalid bool) {
	t.Helper()
	root, err := html.Parse(strings.NewReader(body))
	require.NoError(t, err)
	attr := func(n *html.Node, key string) string {
		for _, a := range n.Attr {
			if a.Key == key {
				return a.Val
			}
		}
		return ""
	}
	var text func(*html.Node) string
	text = func(n *html.Node) string {
		if n.Type == html.TextNode {
			return n.Data
		}
		var b strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			b.WriteString(text(c))
		}
		return b.String()
	}
	var holds func(*html.Node) bool
	holds = func(n *html.Node) bool {
		if n.Type == html.ElementNode && attr(n, "id") == id {
			return true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if holds(c) {
				return true
			}
		}
		return false
	}
	var field *html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "div" && strings.Contains(" "+attr(n, "class")+" ", " field ") && holds(n) {
			field = n
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	require.NotNil(t, field, "no field holds #%s", id)
	for c := field.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == "p" && attr(c, "class") == "message" {
			msgs = append(msgs, text(c))
		}
	}
	return msgs, strings.Contains(attr(field, "class"), "error")
}

var previewFrame = regexp.MustCompile(`<iframe title="Preview of the e-mail" src="([^"]+)" sandbox="([^"]*)"`)

// htmxPost posts a form as htmx does: with the CSRF header and
// HX-Request.
func (e *emailEnv) htmxPost(path, csrf string, form url.Values) page {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.app.URL+path, strings.NewReader(form.Encode()))
	require.NoError(e.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", csrf)
	return e.b.do(req)
}

func csrfOf(t *testing.T, p page) string {
	t.Helper()
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(p.Body)
	require.NotNil(t, m, "no CSRF token on the page")
	return m[1]
}

func TestTemplateEditorValidatesPreviewsAndSends(t *testing.T) {
	e := newEmailEnv(t, nil)
	p := e.b.get(e.app.URL + "/admin/email")
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "Default template")
	assert.Contains(t, p.Body, `value="Next step for your {{job_title}} application at {{company_name}}"`)
	csrf := csrfOf(t, p)

	// The live preview: the fields as typed, rendered in a sandboxed frame
	// served under a policy without scripts; what the admin types is text.
	hostile := url.Values{"subject": {"Hi {{candidate_first_name}}"},
		"body": {"Hello {{candidate_first_name}} <script>alert(1)</script>\n\n{{assessment_link}}"}, "brand_color": {"#0b6e4f"}}
	frag := e.htmxPost("/admin/email/preview", csrf, hostile)
	require.Equal(t, http.StatusOK, frag.Status, frag.Body)
	assert.NotContains(t, frag.Body, "<html", "a fragment, not a page")
	assert.Contains(t, frag.Body, `<span id="preview-subject">Hi Alex</span>`)
	m := previewFrame.FindStringSubmatch(frag.Body)
	require.NotNil(t, m, frag.Body)
	assert.Equal(t, "allow-popups allow-popups-to-escape-sandbox", m[2])
	req, err := http.NewRequest(http.MethodGet, e.app.URL+htmlUnescape(m[1]), nil)
	require.NoError(t, err)
	res, err := e.b.client.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	csp := res.Header.Get("Content-Security-Policy")
	assert.Contains(t, csp, "default-src 'none'")
	assert.Contains(t, csp, "sandbox")
	assert.NotContains(t, csp, "script-src")
	frame := e.b.get(e.app.URL + htmlUnescape(m[1]))
	assert.Contains(t, frame.Body, "Hello Alex &lt;script&gt;alert(1)&lt;/script&gt;")
	assert.NotContains(t, frame.Body, "<script")
	assert.Contains(t, frame.Body, "#0b6e4f")

	frag = e.htmxPost("/admin/email/preview", csrf, url.Values{"subject": {"x"}, "body": {"{{salary}} {{assessment_link}}"}})
	assert.Contains(t, frag.Body, "unknown placeholder {{salary}}")
	assert.NotContains(t, frag.Body, "<iframe")

	// Saving checks everything and shows each message next to its field.
	p = e.b.submit(p, "/admin/email", url.Values{"subject": {"For {{name}}"}, "body": {"Hi {{first_name}}"},
		"brand_color": {"red"}, "reply_to": {"talent at acme"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.Status)
	for _, c := range []struct{ id, want string }{
		{"t-subject", "The subject uses the unknown placeholder {{name}}."},
		{"t-body", "The body uses the unknown placeholder {{first_name}}."},
		{"t-body", "must include {{assessment_link}}"},
		{"t-brand_color", `The brand color "red" must be a hex color`},
		{"t-reply_to", `"talent at acme" is not an e-mail address`},
	} {
		msgs, invalid := fieldMessages(t, p.Body, c.id)
		assert.True(t, invalid, c.id)
		assert.Contains(t, strings.Join(msgs, " "), c.want, c.id)
	}
	msgs, invalid := fieldMessages(t, p.Body, "t-sender_name")
	assert.False(t, invalid)
	assert.Empty(t, msgs)
	assert.Contains(t, p.Body, `value="For {{name}}"`, "the form comes back as typed")

	// A valid template is saved and used for the next invitation.
	custom := url.Values{"subject": {"{{candidate_first_name}}, your {{job_title}} assessment"},
		"body":        {"Dear {{candidate_first_name}} <i>{{candidate_last_name}}</i>,\n\n{{assessment_link}}\n\nBy {{deadline}}."},
		"sender_name": {"Acme Talent"}, "reply_to": {"talent@acme.example"}, "brand_color": {"#0b6e4f"}}
	p = e.b.submit(p, "/admin/email", custom)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "Saved.")
	assert.Contains(t, p.Body, "Your template")

	wid := e.newApplication("<img src=x onerror=alert(1)>", "Lee", "lee@example.org")
	e.move(wid, icimstest.StatusAssessment)
	e.invitationOf()
	got := e.smtp.Wait(1, 20*time.Second)
	require.Len(t, got, 1)
	mail := parseMail(t, got[0].Data)
	assert.Equal(t, "<img src=x onerror=alert(1)>, your Account Executive assessment", mail.decodedSubject(t))
	assert.Contains(t, mail.Header.Get("From"), "Acme Talent")
	assert.Contains(t, mail.Header.Get("Reply-To"), "talent@acme.example")
	assert.Contains(t, mail.HTML, "Dear &lt;img src=x onerror=alert(1)&gt; &lt;i&gt;Lee&lt;/i&gt;,")
	assert.NotContains(t, mail.HTML, "<img src=x")
	assert.NotContains(t, mail.HTML, "<i>")
	assert.Contains(t, mail.HTML, "#0b6e4f")

	// "Send me a test e-mail" sends what the form holds to the admin.
	p = e.b.submit(e.b.get(e.app.URL+"/admin/email"), "/admin/email/test", url.Values{
		"subject": {"Trial for {{candidate_first_name}}"}, "body": {"{{assessment_link}}"}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "Test e-mail sent to ops@acme.example.")
	assert.Contains(t, p.Body, `value="Trial for {{candidate_first_name}}"`, "unsaved text stays in the form")
	got = e.smtp.Wait(2, 20*time.Second)
	require.Len(t, got, 2)
	assert.Equal(t, []string{"ops@acme.example"}, got[1].To)
	assert.Equal(t, "[Test] Trial for Alex", parseMail(t, got[1].Data).decodedSubject(t))

	// Reset brings the default back.
	p = e.b.submit(e.b.get(e.app.URL+"/admin/email"), "/admin/email/reset", nil)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "Default template")
	assert.Contains(t, p.Body, `value="Next step for your {{job_title}} application at {{company_name}}"`)
}
