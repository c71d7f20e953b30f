package icims

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// apiPath is where the fakes serve the API, as the simulator does.
const apiPath = "/sandbox/icims/api"

// cust is the customer base path of the fakes' customer 1234.
const cust = apiPath + "/customers/1234"

type recorded struct {
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
	Body     []byte
}

// fakeAPI is a tiny stand-in for iCIMS: each test supplies the handler and
// reads back what the client sent.
type fakeAPI struct {
	srv *httptest.Server

	mu   sync.Mutex
	reqs []recorded
}

func newFakeAPI(t *testing.T, h http.HandlerFunc) *fakeAPI {
	t.Helper()
	f := &fakeAPI{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, recorded{Method: r.Method, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body})
		f.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.reqs...)
}

func (f *fakeAPI) last(t *testing.T) recorded {
	t.Helper()
	rs := f.requests()
	require.NotEmpty(t, rs, "no request reached the fake")
	return rs[len(rs)-1]
}

func (f *fakeAPI) base() string { return f.srv.URL + apiPath }

// client returns a Client on the fake with Basic auth; mutate adjusts the
// config first.
func (f *fakeAPI) client(t *testing.T, mutate func(*Config)) *Client {
	t.Helper()
	cfg := Config{CustomerID: "1234", BaseURL: f.base(), Auth: Basic{User: "api-1234", Password: "basic-secret-1234"}}
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := New(cfg)
	require.NoError(t, err)
	return c
}

// reply writes status, headers and body.
func reply(w http.ResponseWriter, status int, body string, headers ...string) {
	for i := 0; i+1 < len(headers); i += 2 {
		w.Header().Add(headers[i], headers[i+1])
	}
	if body != "" && w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// observed collects the Observer's calls.
type observed struct {
	mu    sync.Mutex
	calls []Call
}

func (o *observed) observe(_ context.Context, c Call) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, c)
}

func (o *observed) all() []Call {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]Call(nil), o.calls...)
}
