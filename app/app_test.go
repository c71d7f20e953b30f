package app

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// testApp is the whole service, wired as serve wires it, with the sandbox
// on, a real SQLite file and the server on a loopback port.
type testApp struct {
	*App
	URL string
	DB  *storage.DB
}

func newTestApp(t *testing.T, configure ...func(*Config)) *testApp {
	t.Helper()
	return newLoggedTestApp(t, io.Discard, configure...)
}

// newLoggedTestApp is newTestApp with the service's log written to w at
// debug level, for tests that read what the service logs.
func newLoggedTestApp(t *testing.T, w io.Writer, configure ...func(*Config)) *testApp {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	// The store comes from storetest, like every store test's, so another
	// database plugs in there for the whole service too.
	store := storetest.New(t)
	dir := t.TempDir()
	key, err := secrets.NewKey()
	require.NoError(t, err)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	cfg := Config{Sandbox: true, Storage: Storage{DataDir: dir, DatabaseURL: store.URL}, passwordCost: bcrypt.MinCost,
		MailFrom: "assessments@jobcannon.test", SecretKey: key, ShutdownTimeout: 5 * time.Second}
	for _, f := range configure {
		f(&cfg)
	}
	base := cfg.baseURL(ln.Addr())
	base.Host = ln.Addr().String()
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	if w == io.Discard {
		opts = nil // nobody reads it: spend nothing on debug records
	}
	log := slog.New(slog.NewTextHandler(w, opts))
	a, err := newOn(ctx, cfg, ln, base, log)
	if err != nil {
		cancel()
		require.NoError(t, err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	// Run starts the workers before it serves: once HTTP answers, both run.
	require.Eventually(t, func() bool {
		res, err := http.Get("http://" + ln.Addr().String() + "/healthz")
		if err == nil {
			res.Body.Close()
		}
		return err == nil
	}, 10*time.Second, 5*time.Millisecond, "the service starts")
	return &testApp{App: a, URL: base.String(), DB: a.db}
}

// browser is a cookie-keeping HTTP client that, like a browser, follows
// redirects and remembers the last page.
type browser struct {
	t      *testing.T
	client *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &browser{t: t, client: &http.Client{Jar: jar, Timeout: 20 * time.Second}}
}

type page struct {
	Status   int
	URL      *url.URL
	Location string // of a redirect the client was told not to follow
	Body     string
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	req.Header.Set("Accept", "text/html")
	res, err := b.client.Do(req)
	require.NoError(b.t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(b.t, err)
	return page{Status: res.StatusCode, URL: res.Request.URL, Location: res.Header.Get("Location"), Body: string(body)}
}

func (b *browser) get(u string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	require.NoError(b.t, err)
	return b.do(req)
}

func (b *browser) post(u string, form url.Values) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	require.NoError(b.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// submit posts a page's form (the first whose action matches) with the
// hidden fields it carries plus fields.
func (b *browser) submit(p page, action string, fields url.Values) page {
	b.t.Helper()
	form := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(p.Body, -1) {
		form.Set(m[1], htmlUnescape(m[2]))
	}
	for k, v := range fields {
		form[k] = v
	}
	target, err := p.URL.Parse(action)
	require.NoError(b.t, err)
	return b.post(target.String(), form)
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">").Replace(s)
}
