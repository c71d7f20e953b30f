package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/handlers"
	"github.com/jobcannon/jobcannon/static"
)

type fakeReady struct{ err error }

func (f fakeReady) Ready(context.Context) error { return f.err }

type testServer struct {
	*Server
	URL string
}

// startServer runs a server on 127.0.0.1:0 with extra test routes added by
// setup before it starts.
func startServer(t *testing.T, cfg Config, ready error, setup func(e *echo.Echo)) *testServer {
	t.Helper()
	assets, err := static.New()
	require.NoError(t, err)
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.BaseURL == nil {
		cfg.BaseURL = &url.URL{Scheme: "http", Host: "localhost"}
	}
	shared := &handlers.Shared{Log: cfg.Log, Assets: assets, Sessions: scs.New()}
	h := handlers.Areas{Shared: shared, Site: &handlers.Site{Shared: shared, Ready: fakeReady{ready}}}
	s, err := New(cfg, h)
	require.NoError(t, err)
	if setup != nil {
		setup(s.Echo)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Shutdown(ctx)
		<-done
	})
	return &testServer{Server: s, URL: "http://" + ln.Addr().String()}
}

func get(t *testing.T, url string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, string(b)
}

func TestHealthEndpoints(t *testing.T) {
	s := startServer(t, Config{}, nil, nil)
	res, body := get(t, s.URL+"/healthz", nil)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.JSONEq(t, `{"status":"ok"}`, body)
	res, body = get(t, s.URL+"/readyz", nil)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.JSONEq(t, `{"status":"ready"}`, body)

	down := startServer(t, Config{}, errors.New("schema version 0, want 1"), nil)
	res, body = get(t, down.URL+"/readyz", nil)
	assert.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
	assert.Contains(t, body, "schema version 0")
	res, _ = get(t, down.URL+"/healthz", nil)
	assert.Equal(t, http.StatusOK, res.StatusCode, "alive even when not ready")
}

func panicky(e *echo.Echo) {
	h := func(c echo.Context) error { panic("boom: secret internals") }
	e.GET("/panic", h)
	e.GET("/api/panic", h)
	e.POST("/icims/panic", h)
	e.GET("/domain", func(c echo.Context) error {
		return assessments.Errorf(assessments.ENOTFOUND, "Invitation not found.")
	})
}

func TestErrorShapes(t *testing.T) {
	s := startServer(t, Config{}, nil, panicky)
	html := http.Header{"Accept": {"text/html,application/xhtml+xml"}}
	jsonAccept := http.Header{"Accept": {"application/json"}}

	t.Run("404 page for a browser", func(t *testing.T) {
		res, body := get(t, s.URL+"/no/such/page", html)
		assert.Equal(t, http.StatusNotFound, res.StatusCode)
		assert.Contains(t, res.Header.Get("Content-Type"), "text/html")
		assert.Contains(t, body, "find that page")
		assert.Contains(t, body, res.Header.Get("X-Request-Id"), "the page quotes the request id")
	})
	t.Run("404 JSON for an API client", func(t *testing.T) {
		res, body := get(t, s.URL+"/no/such/page", jsonAccept)
		assert.Equal(t, http.StatusNotFound, res.StatusCode)
		var got struct {
			Error struct {
				Code      string `json:"code"`
				Message   string `json:"message"`
				RequestID string `json:"request_id"`
			} `json:"error"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &got), body)
		assert.Equal(t, "not_found", got.Error.Code)
		assert.NotEmpty(t, got.Error.RequestID)
	})
	t.Run("404 in iCIMS's shape under /icims", func(t *testing.T) {
		res, body := get(t, s.URL+"/icims/nothing", nil)
		assert.Equal(t, http.StatusNotFound, res.StatusCode)
		assertICIMSError(t, body)
	})
	t.Run("panic page hides internals", func(t *testing.T) {
		res, body := get(t, s.URL+"/panic", html)
		assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
		assert.Contains(t, body, "went wrong on our side")
		assert.NotContains(t, body, "secret internals")
	})
	t.Run("panic JSON", func(t *testing.T) {
		res, body := get(t, s.URL+"/api/panic", nil)
		assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
		assert.Contains(t, body, `"code":"internal"`)
		assert.NotContains(t, body, "secret internals")
	})
	t.Run("panic in iCIMS's shape", func(t *testing.T) {
		res, err := http.Post(s.URL+"/icims/panic", "application/json", strings.NewReader(`{}`))
		require.NoError(t, err)
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
		assertICIMSError(t, string(b))
		assert.NotContains(t, string(b), "secret internals")
	})
	t.Run("domain error keeps its message and maps its code", func(t *testing.T) {
		res, body := get(t, s.URL+"/domain", html)
		assert.Equal(t, http.StatusNotFound, res.StatusCode)
		assert.Contains(t, body, "Invitation not found.")
	})
}

func assertICIMSError(t *testing.T, body string) {
	t.Helper()
	var got struct {
		Error struct {
			UserMessage       string `json:"userMessage"`
			DebugErrorMessage string `json:"debugErrorMessage"`
		} `json:"error"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &got), body)
	assert.NotEmpty(t, got.Error.UserMessage, body)
	assert.Contains(t, got.Error.DebugErrorMessage, "request ", body)
}

func TestSecurityHeaders(t *testing.T) {
	s := startServer(t, Config{}, nil, nil)
	res, _ := get(t, s.URL+"/", nil)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	csp := res.Header.Get("Content-Security-Policy")
	assert.Contains(t, csp, "script-src 'self'")
	assert.Contains(t, csp, "frame-ancestors")
	assert.NotContains(t, csp, "unsafe-inline")
	assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
	assert.Equal(t, "no-referrer", res.Header.Get("Referrer-Policy"))
	assert.Empty(t, res.Header.Get("Strict-Transport-Security"), "no HSTS on plain http")
	res, _ = get(t, s.URL+"/nope", nil)
	assert.NotEmpty(t, res.Header.Get("Content-Security-Policy"), "error pages carry the headers too")

	secure := startServer(t, Config{BaseURL: &url.URL{Scheme: "https", Host: "jc.example.com"}}, nil, nil)
	res, _ = get(t, secure.URL+"/", nil)
	assert.Contains(t, res.Header.Get("Strict-Transport-Security"), "max-age=")
}

func TestStaticAssetsAreCachedByHash(t *testing.T) {
	s := startServer(t, Config{}, nil, nil)
	_, page := get(t, s.URL+"/", nil)
	start := strings.Index(page, `href="/static/app.`)
	require.GreaterOrEqual(t, start, 0, "the layout links the hashed stylesheet")
	href := page[start+len(`href="`):]
	href = href[:strings.IndexByte(href, '"')]
	res, body := get(t, s.URL+href, nil)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, res.Header.Get("Cache-Control"), "immutable")
	assert.Contains(t, res.Header.Get("Content-Type"), "text/css")
	assert.Contains(t, body, ":root")

	res, _ = get(t, s.URL+"/static/app.css", nil)
	assert.Equal(t, "no-cache", res.Header.Get("Cache-Control"))
	res, _ = get(t, s.URL+"/static/app.css", http.Header{"If-None-Match": {res.Header.Get("ETag")}})
	assert.Equal(t, http.StatusNotModified, res.StatusCode)
	res, _ = get(t, s.URL+"/static/../go.mod", nil)
	assert.Equal(t, http.StatusNotFound, res.StatusCode)
}

func TestMetricsToken(t *testing.T) {
	open := startServer(t, Config{}, nil, nil)
	res, body := get(t, open.URL+"/metrics", nil)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, body, "go_goroutines")

	locked := startServer(t, Config{MetricsToken: "s3cret"}, nil, nil)
	get(t, locked.URL+"/healthz", nil)
	res, _ = get(t, locked.URL+"/metrics", nil)
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
	res, _ = get(t, locked.URL+"/metrics", http.Header{"Authorization": {"Bearer wrong"}})
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
	res, body = get(t, locked.URL+"/metrics", http.Header{"Authorization": {"Bearer s3cret"}})
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, body, "http_requests_total", "request metrics are recorded")
}

func TestBodyLimit(t *testing.T) {
	s := startServer(t, Config{BodyLimit: "1K"}, nil, func(e *echo.Echo) {
		e.POST("/icims/echo", func(c echo.Context) error {
			_, err := io.ReadAll(c.Request().Body)
			if err != nil {
				return err
			}
			return c.NoContent(http.StatusOK)
		})
	})
	res, err := http.Post(s.URL+"/icims/echo", "application/json", strings.NewReader(strings.Repeat("x", 4096)))
	require.NoError(t, err)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	assert.Equal(t, http.StatusRequestEntityTooLarge, res.StatusCode)
	assertICIMSError(t, string(b))
}

func TestShutdownFinishesInFlightRequests(t *testing.T) {
	started := make(chan struct{})
	s := startServer(t, Config{}, nil, func(e *echo.Echo) {
		e.GET("/slow", func(c echo.Context) error {
			close(started)
			time.Sleep(300 * time.Millisecond)
			return c.String(http.StatusOK, "finished")
		})
	})
	type result struct {
		status int
		body   string
		err    error
	}
	got := make(chan result, 1)
	go func() {
		res, err := http.Get(s.URL + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		got <- result{status: res.StatusCode, body: string(b)}
	}()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, s.Shutdown(ctx))
	r := <-got
	require.NoError(t, r.err)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "finished", r.body)

	_, err := http.Get(s.URL + "/healthz")
	assert.Error(t, err, "no new connections after shutdown")
}
