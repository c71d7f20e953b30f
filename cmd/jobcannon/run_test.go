package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/app"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// startService runs `jobcannon serve` in-process and returns its base URL
// and a function that stops it and returns run's error.
func startService(t *testing.T, args []string, environ map[string]string) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--log-format", "json", "--addr", "127.0.0.1:0"}, args...), env(environ), strings.NewReader(""), io.Discard, pw)
		pw.Close()
	}()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			var rec map[string]any
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec["msg"] == "JobCannon is running" {
				urls <- "http://" + rec["addr"].(string)
			}
		}
	}()
	var base string
	select {
	case base = <-urls:
	case err := <-done:
		cancel()
		t.Fatalf("service stopped before it was ready: %v", err)
	case <-time.After(20 * time.Second):
		cancel()
		t.Fatal("service did not start")
	}
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		return <-done
	}
	t.Cleanup(func() { _ = stop() })
	return base, stop
}

func TestServeStartsOnAFreshDataDirAndStopsCleanly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	base, stop := startService(t, []string{"--data-dir", dir}, nil)

	res, err := http.Get(base + "/readyz")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)

	st, err := os.Stat(filepath.Join(dir, "secret.key"))
	require.NoError(t, err, "a secret key is generated on first start")
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	key1, err := os.ReadFile(filepath.Join(dir, "secret.key"))
	require.NoError(t, err)
	assert.FileExists(t, filepath.Join(dir, "jobcannon.db"))
	require.NoError(t, stop(), "SIGINT/SIGTERM end in a clean exit")

	// The second start reuses the key and the migrated database.
	base, stop = startService(t, []string{"--data-dir", dir}, nil)
	res, err = http.Get(base + "/readyz")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
	key2, err := os.ReadFile(filepath.Join(dir, "secret.key"))
	require.NoError(t, err)
	assert.Equal(t, key1, key2)
	require.NoError(t, stop())
}

func TestFlagsWinOverEnvironment(t *testing.T) {
	environ := map[string]string{"JOBCANNON_ADDR": ":9999", "JOBCANNON_LOG_LEVEL": "debug", "JOBCANNON_SANDBOX": "false", "JOBCANNON_SHUTDOWN_TIMEOUT": "3s"}
	c, err := parseServe(nil, env(environ), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, ":9999", c.Addr)
	assert.Equal(t, "debug", c.LogLevel)
	assert.False(t, c.Sandbox)
	assert.Equal(t, 3*time.Second, c.ShutdownTimeout)

	c, err = parseServe([]string{"--addr", ":7000", "--log-level", "warn", "--sandbox"}, env(environ), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, ":7000", c.Addr)
	assert.Equal(t, "warn", c.LogLevel)
	assert.True(t, c.Sandbox)

	c, err = parseServe(nil, env(nil), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, ":8080", c.Addr)
	assert.Equal(t, "./data", c.DataDir)
	assert.True(t, c.Sandbox, "the sandbox is on by default")
}

func TestBadSettingsSayWhatIsWrong(t *testing.T) {
	cases := []struct {
		args    []string
		environ map[string]string
		want    string
	}{
		{[]string{"--addr", "nonsense"}, nil, "want host:port"},
		{[]string{"--base-url", "ftp://x"}, nil, "absolute http(s) URL"},
		{nil, map[string]string{"JOBCANNON_SANDBOX": "maybe"}, "JOBCANNON_SANDBOX"},
		{[]string{"--shutdown-timeout", "soon"}, nil, "duration"},
		{[]string{"--no-such-flag"}, nil, "--help"},
		{[]string{"stray"}, nil, "unexpected argument"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			_, err := parseServe(c.args, env(c.environ), io.Discard)
			assert.ErrorContains(t, err, c.want)
		})
	}
	err := run(context.Background(), []string{"serve", "--data-dir", t.TempDir(), "--log-level", "chatty"}, env(nil), nil, io.Discard, io.Discard)
	assert.ErrorContains(t, err, "want debug")
	err = run(context.Background(), []string{"serve", "--data-dir", t.TempDir(), "--secret-key", "short"}, env(nil), nil, io.Discard, io.Discard)
	assert.ErrorContains(t, err, "--secret-key")
	err = run(context.Background(), []string{"frobnicate"}, env(nil), nil, io.Discard, io.Discard)
	assert.ErrorContains(t, err, `unknown command "frobnicate"`)
}

func TestHelpListsEverySetting(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"version", "--help"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), args, env(nil), nil, &out, &out)
			assert.ErrorIs(t, err, flag.ErrHelp)
			assert.Contains(t, out.String(), "Usage:")
		})
	}
	var out bytes.Buffer
	_ = run(context.Background(), []string{"--help"}, env(nil), nil, &out, &out)
	for _, s := range allServeSettings() {
		assert.Contains(t, out.String(), "--"+s.flag)
		assert.Contains(t, out.String(), s.env)
	}
}

func TestMigrateTwice(t *testing.T) {
	dir := t.TempDir()
	for range 2 {
		var out bytes.Buffer
		require.NoError(t, run(context.Background(), []string{"migrate", "--data-dir", dir}, env(nil), nil, &out, io.Discard))
		assert.Contains(t, out.String(), "up to date")
	}
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"version"}, env(nil), nil, &out, io.Discard))
	assert.Contains(t, out.String(), "jobcannon ")
}

func allServeSettings() []setting {
	return newServeFlags(&app.Config{}, env(nil), io.Discard).settings
}

// TestREADMEConfigurationTable keeps the README's table and the real flags in
// step: every flag is documented with its variable and default, and the
// table documents nothing that does not exist.
func TestREADMEConfigurationTable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	rows := map[string][]string{}
	for _, line := range strings.Split(string(readme), "\n") {
		if !strings.HasPrefix(line, "| `--") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		require.GreaterOrEqual(t, len(cells), 4, line)
		for i := range cells {
			cells[i] = strings.Trim(strings.TrimSpace(cells[i]), "`")
		}
		rows[strings.TrimPrefix(cells[0], "--")] = cells
	}
	for _, s := range allServeSettings() {
		row, ok := rows[s.flag]
		if !assert.True(t, ok, "README lacks a row for --%s", s.flag) {
			continue
		}
		assert.Equal(t, s.env, row[1], "--%s env", s.flag)
		assert.Equal(t, s.defText, row[2], "--%s default", s.flag)
		delete(rows, s.flag)
	}
	assert.Empty(t, rows, "README documents flags that do not exist")
}

// TestServeWritesItsCPUProfileWhenItStops: --cpu-profile leaves a CPU
// profile once the service has stopped.
func TestServeWritesItsCPUProfileWhenItStops(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cpu.pprof")
	base, stop := startService(t, []string{"--data-dir", filepath.Join(dir, "data"), "--sandbox=false", "--cpu-profile", path}, nil)
	for range 50 {
		res, err := http.Get(base + "/readyz")
		require.NoError(t, err)
		res.Body.Close()
	}
	require.NoError(t, stop())
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	// A pprof profile is a gzipped protocol buffer naming its sample
	// type, here "cpu" and "nanoseconds".
	zr, err := gzip.NewReader(f)
	require.NoError(t, err, "a gzipped profile")
	raw, err := io.ReadAll(zr)
	require.NoError(t, err)
	assert.Contains(t, string(raw), "nanoseconds")
	assert.Contains(t, string(raw), "cpu")
}
