package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// startSandbox runs `jobcannon sandbox` in-process on a free port. It
// returns the startup log record and a function that stops the sandbox and
// returns run's error.
func startSandbox(t *testing.T, args []string, environ map[string]string) (map[string]any, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"sandbox", "--log-format", "json"}, args...), env(environ), strings.NewReader(""), io.Discard, pw)
		pw.Close()
	}()
	started := make(chan map[string]any, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			var rec map[string]any
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec["msg"] == "JobCannon sandbox is running" {
				started <- rec
			}
		}
	}()
	var rec map[string]any
	select {
	case rec = <-started:
	case err := <-done:
		cancel()
		t.Fatalf("sandbox stopped before it was ready: %v", err)
	case <-time.After(20 * time.Second):
		cancel()
		t.Fatal("sandbox did not start")
	}
	var once sync.Once
	var stopErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			stopErr = <-done
		})
		return stopErr
	}
	t.Cleanup(func() { _ = stop() })
	return rec, stop
}

func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func TestSandboxServesTheSimulatorAndStopsCleanly(t *testing.T) {
	rec, stop := startSandbox(t, []string{"--addr", "127.0.0.1:0", "--vendor-url", "http://jobcannon.test:8080/"}, nil)
	addr := "http://" + rec["addr"].(string)
	_, port, err := net.SplitHostPort(rec["addr"].(string))
	require.NoError(t, err)
	base := "http://localhost:" + port
	assert.Equal(t, base, rec["url"], "the base URL defaults to localhost and the port listened on")
	assert.Equal(t, base+"/sandbox/icims/api", rec["api"])
	assert.Equal(t, base+"/sandbox/icims/oauth/authorize", rec["authorize"])
	assert.Equal(t, base+"/sandbox/icims/oauth/token", rec["token"])
	assert.Equal(t, base+"/sandbox/marketplace", rec["marketplace"])
	assert.Equal(t, "http://jobcannon.test:8080/icims/events", rec["vendor_events"])

	t.Run("/ leads to the sandbox", func(t *testing.T) {
		resp, err := noRedirect().Get(addr + "/")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusFound, resp.StatusCode)
		assert.Equal(t, "/sandbox/", resp.Header.Get("Location"))

		resp, err = http.Get(addr + "/sandbox/")
		require.NoError(t, err)
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Contains(t, string(page), icimstest.BasicUser(icimstest.CustomerUS), "the home page shows the seeded credentials")
	})

	t.Run("the API answers the seeded Basic credentials", func(t *testing.T) {
		c, err := icims.New(icims.Config{CustomerID: icimstest.CustomerUS, BaseURL: addr + "/sandbox/icims/api", Auth: icims.Basic{
			User: icimstest.BasicUser(icimstest.CustomerUS), Password: icimstest.BasicPassword(icimstest.CustomerUS)}})
		require.NoError(t, err)
		p, err := c.GetPerson(context.Background(), "1001", nil)
		require.NoError(t, err)
		assert.Equal(t, "Avery", p.FirstName)

		wrong, err := icims.New(icims.Config{CustomerID: icimstest.CustomerUS, BaseURL: addr + "/sandbox/icims/api", Auth: icims.Basic{User: "api-1234", Password: "guess"}})
		require.NoError(t, err)
		_, err = wrong.GetPerson(context.Background(), "1001", nil)
		assert.True(t, icims.NeedsReauthorization(err), "got %v", err)
	})

	t.Run("Install opens the vendor's authorize URL", func(t *testing.T) {
		resp, err := noRedirect().Get(addr + "/sandbox/marketplace/install?customer_id=1234")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusFound, resp.StatusCode)
		assert.Equal(t, "http://jobcannon.test:8080/oauth/authorize?customer_id=1234", resp.Header.Get("Location"))
	})

	t.Run("unknown paths are not found", func(t *testing.T) {
		resp, err := http.Get(addr + "/oauth/authorize")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	})

	require.NoError(t, stop(), "a cancelled context is a clean stop")
	_, err = http.Get(addr + "/sandbox/")
	assert.Error(t, err, "the listener is closed")
}

// TestSandboxEventsGoToTheVendor moves a candidate in the sandbox UI and
// checks that the event reaches --vendor-url, also after the UI's Reset.
func TestSandboxEventsGoToTheVendor(t *testing.T) {
	var mu sync.Mutex
	var got []string
	vendor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wire, err := icims.ReadWireBody(r, 1<<20)
		if err == nil {
			var ev icims.Event
			ev, _, err = icims.DecodeEvent(r.Header, wire, 1<<20)
			mu.Lock()
			got = append(got, r.URL.Path+" "+ev.EventType+" "+ev.SystemID+" "+ev.NewStatus)
			mu.Unlock()
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
		}
	}))
	t.Cleanup(vendor.Close)
	rec, _ := startSandbox(t, []string{"--base-url", "http://sandbox.test:9999/"}, map[string]string{
		"JOBCANNON_SANDBOX_ADDR": "127.0.0.1:0", "JOBCANNON_SANDBOX_VENDOR_URL": vendor.URL,
	})
	addr := "http://" + rec["addr"].(string)
	assert.Equal(t, "http://sandbox.test:9999/sandbox/icims/api", rec["api"], "--base-url builds the links")

	move := func(wid, status string) {
		t.Helper()
		resp, err := noRedirect().PostForm(addr+"/sandbox/customers/1234/workflows/"+wid+"/move", url.Values{"status": {status}})
		require.NoError(t, err)
		resp.Body.Close()
		require.Less(t, resp.StatusCode, 400)
	}
	move("3001", icimstest.StatusAssessment)

	resp, err := noRedirect().Post(addr+"/sandbox/reset", "application/x-www-form-urlencoded", nil)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	move("3002", icimstest.StatusRecruiterReview)

	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{
		"/icims/events WorkFlowStatusChangeEvent 3001 " + icimstest.StatusAssessment,
		"/icims/events WorkFlowStatusChangeEvent 3002 " + icimstest.StatusRecruiterReview,
	}, got)
}

func TestSandboxSettings(t *testing.T) {
	t.Run("help lists every flag and its variable", func(t *testing.T) {
		var out bytes.Buffer
		err := run(context.Background(), []string{"sandbox", "--help"}, env(nil), nil, &out, io.Discard)
		assert.ErrorIs(t, err, flag.ErrHelp)
		for _, s := range newSandboxFlags(&sandboxConfig{}, env(nil), io.Discard).settings {
			assert.Contains(t, out.String(), "--"+s.flag)
			assert.Contains(t, out.String(), s.env)
		}
		assert.Contains(t, out.String(), "default :8090")
		assert.Contains(t, out.String(), "default http://localhost:8080")
	})
	t.Run("the top usage names the command", func(t *testing.T) {
		var out bytes.Buffer
		require.NoError(t, run(context.Background(), []string{"help"}, env(nil), nil, &out, io.Discard))
		assert.Contains(t, out.String(), "sandbox")
	})

	bad := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"address", []string{"--addr", "8090"}, nil, "--addr"},
		{"address from the environment", nil, map[string]string{"JOBCANNON_SANDBOX_ADDR": "nowhere"}, "--addr"},
		{"relative base url", []string{"--addr", "127.0.0.1:0", "--base-url", "/sandbox"}, nil, "--base-url"},
		{"vendor url with a query", []string{"--addr", "127.0.0.1:0", "--vendor-url", "http://x.test/?a=b"}, nil, "--vendor-url"},
		{"vendor url not http", []string{"--addr", "127.0.0.1:0", "--vendor-url", "ftp://x.test"}, nil, "--vendor-url"},
		{"log level", []string{"--addr", "127.0.0.1:0", "--log-level", "loud"}, nil, "want debug"},
		{"log format", []string{"--addr", "127.0.0.1:0", "--log-format", "xml"}, nil, "want text or json"},
		{"stray argument", []string{"--addr", "127.0.0.1:0", "extra"}, nil, `unexpected argument "extra"`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), append([]string{"sandbox"}, tt.args...), env(tt.env), nil, io.Discard, io.Discard)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}
