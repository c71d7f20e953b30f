package app

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/storage"
)

var signOutForm = regexp.MustCompile(`<form method="post" action="/admin/logout"><input type="hidden" name="_csrf" value="[^"]+">`)

func TestSignOutIsOnEveryAdminPage(t *testing.T) {
	app := newTestApp(t)
	b, dash := signInAdmin(t, app, "ops@acme.example")
	for _, path := range []string{"/admin", "/admin/rules", "/admin/rules/new", "/admin/catalog", "/admin/invitations",
		"/admin/email", "/admin/writeback", "/admin/integrations/icims/logs", "/admin/connection", "/admin/settings",
		"/admin/admins", "/admin/account/password"} {
		p := b.get(app.URL + path)
		require.Equal(t, http.StatusOK, p.Status, path)
		assert.Regexp(t, signOutForm, p.Body, "%s has the sign-out form", path)
	}
	out := b.submit(dash, "/admin/logout", nil)
	assert.Equal(t, "/admin/login", out.URL.Path)
	again := b.get(app.URL + "/admin/rules")
	assert.Equal(t, "/admin/login", again.URL.Path, "the session is gone")
}

// secondAdmin adds another admin to the signed-in admin's tenant.
func secondAdmin(t *testing.T, app *testApp, email string) assessments.Admin {
	t.Helper()
	ctx := context.Background()
	tenant, err := app.tenants.TenantByCustomer(ctx, icimstest.CustomerUS)
	require.NoError(t, err)
	clock := assessments.SystemClock{}
	accounts := assessments.NewAccounts(storage.NewAdminStore(app.DB, clock), clock, rand.Reader, bcrypt.MinCost)
	a, err := accounts.CreateAdmin(ctx, tenant.ID, assessments.AccountInput{Email: email, Password: testPassword})
	require.NoError(t, err)
	return a
}

func login(t *testing.T, app *testApp, email, password string) (*browser, page) {
	t.Helper()
	b := newBrowser(t)
	form := b.get(app.URL + "/admin/login")
	return b, b.submit(form, "/admin/login", url.Values{"email": {email}, "password": {password}})
}

func TestPasswordChangeNeedsTheCurrentOneAndEndsOtherSessions(t *testing.T) {
	app := newTestApp(t)
	here, _ := signInAdmin(t, app, "ops@acme.example")
	elsewhere, p := login(t, app, "ops@acme.example", testPassword)
	require.Equal(t, "/admin", p.URL.Path, p.Body)

	form := here.get(app.URL + "/admin/account/password")
	bad := here.submit(form, "/admin/account/password", url.Values{"current": {"wrong password"}, "password": {"short"}})
	assert.Equal(t, http.StatusUnprocessableEntity, bad.Status)
	assert.Contains(t, bad.Body, "There are 2 problems")
	assert.Contains(t, bad.Body, `<p class="message" id="current-msg" role="alert">That is not your current password.</p>`)
	assert.Contains(t, bad.Body, `<p class="message" id="password-msg" role="alert">Use at least 10 characters for the password.</p>`)
	assert.Contains(t, bad.Body, `aria-describedby="password-hint password-msg" aria-invalid="true"`)
	assert.Contains(t, bad.Body, `<a href="#current">That is not your current password.</a>`, "the summary links to the field")
	assert.Equal(t, "/admin", elsewhere.get(app.URL+"/admin").URL.Path, "a refused change ends nothing")

	const newPassword = "a much better passphrase"
	ok := here.submit(form, "/admin/account/password", url.Values{"current": {testPassword}, "password": {newPassword}})
	require.Equal(t, "/admin", ok.URL.Path, ok.Body)
	assert.Contains(t, ok.Body, "Your password is changed. You were signed out everywhere else.")
	assert.Equal(t, "/admin", here.get(app.URL + "/admin/rules").URL.Path[:6], "this session stays signed in")
	assert.Equal(t, "/admin/login", elsewhere.get(app.URL+"/admin/rules").URL.Path, "the other session ended")

	_, old := login(t, app, "ops@acme.example", testPassword)
	assert.Equal(t, http.StatusUnauthorized, old.Status, "the old password no longer works")
	_, fresh := login(t, app, "ops@acme.example", newPassword)
	assert.Equal(t, "/admin", fresh.URL.Path, fresh.Body)
}

var resetLink = regexp.MustCompile(`https?://[^\s]+/admin/password/reset/[A-Za-z0-9_-]{43}`)

// mailboxTexts is the text of every message in the dev mailbox, newest
// first.
func mailboxTexts(t *testing.T, app *testApp) []string {
	t.Helper()
	b := newBrowser(t)
	var out []string
	for _, row := range mailboxRow.FindAllStringSubmatch(b.get(app.URL+"/sandbox/mailbox").Body, -1) {
		out = append(out, b.get(app.URL+row[1]+"/text").Body)
	}
	return out
}

func TestPasswordResetByEmail(t *testing.T) {
	app := newTestApp(t)
	signedIn, _ := signInAdmin(t, app, "ops@acme.example")
	b := newBrowser(t)
	loginPage := b.get(app.URL + "/admin/login")
	assert.Contains(t, loginPage.Body, `<a href="/admin/password/forgot">Forgot password?</a>`)

	forgot := b.get(app.URL + "/admin/password/forgot")
	require.Equal(t, http.StatusOK, forgot.Status)
	known := b.submit(forgot, "/admin/password/forgot", url.Values{"email": {"OPS@acme.example"}})
	unknown := b.submit(forgot, "/admin/password/forgot", url.Values{"email": {"nobody@acme.example"}})
	require.Equal(t, http.StatusOK, known.Status, known.Body)
	assert.Equal(t, http.StatusOK, unknown.Status)
	answer := func(body string) string {
		return strings.ReplaceAll(regexp.MustCompile(`(?s)<div class="alert ok" role="status">(.*?)</div>`).FindStringSubmatch(body)[1],
			"nobody@acme.example", "ops@acme.example")
	}
	assert.Equal(t, answer(known.Body), answer(unknown.Body), "the answer does not tell whether an account exists")

	texts := mailboxTexts(t, app)
	require.Len(t, texts, 1, "only the known address gets mail")
	link := resetLink.FindString(texts[0])
	require.NotEmpty(t, link, texts[0])
	token := link[strings.LastIndex(link, "/")+1:]
	var stored int
	require.NoError(t, app.DB.R.QueryRow(`SELECT COUNT(*) FROM admin_password_resets WHERE token_hash = ?`, token).Scan(&stored))
	assert.Zero(t, stored, "the token is not stored as it is")
	require.NoError(t, app.DB.R.QueryRow(`SELECT COUNT(*) FROM admin_password_resets WHERE token_hash = ?`,
		assessments.HashToken(token)).Scan(&stored))
	assert.Equal(t, 1, stored, "only its hash is")

	reset := b.get(link)
	require.Equal(t, http.StatusOK, reset.Status, reset.Body)
	short := b.submit(reset, link, url.Values{"password": {"short"}})
	assert.Equal(t, http.StatusUnprocessableEntity, short.Status)
	assert.Contains(t, short.Body, "Use at least 10 characters for the password.")

	const newPassword = "reset to something long"
	done := b.submit(reset, link, url.Values{"password": {newPassword}})
	require.Equal(t, http.StatusOK, done.Status, done.Body)
	assert.Contains(t, done.Body, "Your new password is saved")
	assert.Equal(t, "/admin/login", signedIn.get(app.URL+"/admin/rules").URL.Path, "every earlier session ended")

	assert.Equal(t, http.StatusNotFound, b.get(link).Status, "the link works once")
	assert.Equal(t, http.StatusNotFound, b.submit(reset, link, url.Values{"password": {"another long password"}}).Status)
	_, fresh := login(t, app, "ops@acme.example", newPassword)
	assert.Equal(t, "/admin", fresh.URL.Path, fresh.Body)
}

func TestPasswordResetRequestsAreRateLimited(t *testing.T) {
	app := newTestApp(t)
	b := newBrowser(t)
	forgot := b.get(app.URL + "/admin/password/forgot")
	var last page
	for range 6 {
		last = b.submit(forgot, "/admin/password/forgot", url.Values{"email": {"someone@acme.example"}})
	}
	assert.Equal(t, http.StatusTooManyRequests, last.Status)
	assert.Contains(t, last.Body, "Too many reset requests")
}

func TestRemoveAnAdminEndsTheirSessions(t *testing.T) {
	app := newTestApp(t)
	me, _ := signInAdmin(t, app, "ops@acme.example")
	other := secondAdmin(t, app, "temp@acme.example")
	them, p := login(t, app, "temp@acme.example", testPassword)
	require.Equal(t, "/admin", p.URL.Path, p.Body)

	list := me.get(app.URL + "/admin/admins")
	removeURL := "/admin/admins/" + idString(other.ID) + "/remove"
	assert.Contains(t, list.Body, `<a href="`+removeURL+`" aria-label="Remove temp@acme.example">Remove</a>`)
	assert.Equal(t, 1, strings.Count(list.Body, `/remove"`), "no Remove beside yourself")

	confirm := me.get(app.URL + removeURL)
	require.Equal(t, http.StatusOK, confirm.Status)
	assert.Contains(t, confirm.Body, "Remove temp@acme.example?")
	assert.Equal(t, "/admin", them.get(app.URL+"/admin").URL.Path, "showing the confirmation removes nobody")

	done := me.submit(confirm, removeURL, nil)
	require.Equal(t, "/admin/admins", done.URL.Path, done.Body)
	assert.Contains(t, done.Body, "temp@acme.example is no longer an admin.")
	assert.Equal(t, "/admin/login", them.get(app.URL+"/admin/rules").URL.Path, "their session ended")
	_, again := login(t, app, "temp@acme.example", testPassword)
	assert.Equal(t, http.StatusUnauthorized, again.Status)

	// Nobody removes themself: the page says so and offers no button.
	var myID int64
	require.NoError(t, app.DB.R.QueryRow(`SELECT id FROM admins WHERE email = 'ops@acme.example'`).Scan(&myID))
	selfPage := me.get(app.URL + "/admin/admins/" + idString(myID) + "/remove")
	assert.Contains(t, selfPage.Body, "You cannot remove yourself")
	assert.NotContains(t, selfPage.Body, `class="danger"`)
	refused := me.post(app.URL+"/admin/admins/"+idString(myID)+"/remove", url.Values{"_csrf": {csrfOf(t, selfPage)}})
	assert.Equal(t, http.StatusConflict, refused.Status)

	// The last admin left cannot remove themself.
	self := me.get(app.URL + "/admin/admins")
	mine := regexp.MustCompile(`/admin/admins/(\d+)/remove`).FindStringSubmatch(self.Body)
	assert.Nil(t, mine, "no Remove link when one admin is left")
}
