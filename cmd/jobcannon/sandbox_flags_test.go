package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSandboxFlagForms: every way of writing the setting means what it
// says; "--sandbox false" is not a stray argument.
func TestSandboxFlagForms(t *testing.T) {
	client := map[string]string{"JOBCANNON_ICIMS_CLIENT_ID": "app", "JOBCANNON_ICIMS_CLIENT_SECRET": "s",
		"JOBCANNON_ICIMS_AUTHORIZE_URL": "https://login.icims.com/oauth/authorize"}
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want bool
	}{
		{"--sandbox false", []string{"--sandbox", "false"}, nil, false},
		{"--sandbox=false", []string{"--sandbox=false"}, nil, false},
		{"-sandbox false, then more flags", []string{"-sandbox", "false", "--addr", ":7000"}, nil, false},
		{"JOBCANNON_SANDBOX=false", nil, map[string]string{"JOBCANNON_SANDBOX": "false"}, false},
		{"--sandbox alone", []string{"--sandbox"}, client, true},
		{"--sandbox alone, then more flags", []string{"--sandbox", "--addr", ":7000"}, client, true},
		{"--sandbox true", []string{"--sandbox", "true"}, client, true},
		{"--sandbox auto without iCIMS", []string{"--sandbox", "auto"}, nil, true},
		{"--sandbox auto with iCIMS", []string{"--sandbox", "auto"}, client, false},
		{"flag wins over JOBCANNON_SANDBOX", []string{"--sandbox", "false"}, map[string]string{"JOBCANNON_SANDBOX": "true"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := parseServe(c.args, env(c.env), io.Discard)
			require.NoError(t, err)
			assert.Equal(t, c.want, cfg.Sandbox)
		})
	}
	_, err := parseServe([]string{"--sandbox", "maybe"}, env(nil), io.Discard)
	assert.ErrorContains(t, err, `unexpected argument "maybe"`)
	_, err = parseServe([]string{"--sandbox=maybe"}, env(nil), io.Discard)
	assert.ErrorContains(t, err, "want true, false or auto")
}

// TestSandboxNeverTurnsItselfOnAtAPublicURL: the dev mailbox shows every
// e-mail sent (candidate links included), so it may only start by itself
// where nobody else can reach it.
func TestSandboxNeverTurnsItselfOnAtAPublicURL(t *testing.T) {
	cases := []struct {
		base string
		want bool
	}{
		{"", true},
		{"http://localhost:8080", true},
		{"http://127.0.0.5:9000", true},
		{"http://[::1]:8080", true},
		{"https://jobs.example.com", false},
		{"http://10.0.0.5:8080", false},
		{"http://localhost.example.com", false},
	}
	for _, c := range cases {
		t.Run(c.base, func(t *testing.T) {
			cfg, err := parseServe(nil, env(map[string]string{"JOBCANNON_BASE_URL": c.base}), io.Discard)
			require.NoError(t, err)
			assert.Equal(t, c.want, cfg.Sandbox)
		})
	}
	cfg, err := parseServe([]string{"--sandbox", "--base-url", "https://jobs.example.com"}, env(nil), io.Discard)
	require.NoError(t, err)
	assert.True(t, cfg.Sandbox, "asked for explicitly, it is allowed")
}

// serveRecords runs `jobcannon serve` with args until it is running, stops
// it, and returns every log record it wrote.
func serveRecords(t *testing.T, args ...string) []map[string]any {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--log-format", "json", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir()}, args...),
			env(nil), strings.NewReader(""), io.Discard, pw)
		pw.Close()
	}()
	var recs []map[string]any
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		var rec map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec), sc.Text())
		recs = append(recs, rec)
		if rec["msg"] == "JobCannon is running" {
			cancel()
		}
	}
	require.NoError(t, <-done)
	return recs
}

// TestSandboxAtAPublicURLIsLoud: asked for at a public URL, the sandbox
// starts with a warning that names the URL and what is exposed; left to
// itself there, it stays off.
func TestSandboxAtAPublicURLIsLoud(t *testing.T) {
	warning := func(recs []map[string]any) map[string]any {
		for _, r := range recs {
			if r["level"] == "WARN" && strings.Contains(fmt.Sprint(r["msg"]), "SANDBOX IS ON") {
				return r
			}
		}
		return nil
	}
	recs := serveRecords(t, "--sandbox", "--base-url", "https://jobs.example.com")
	w := warning(recs)
	require.NotNil(t, w, "a WARN line says the sandbox is on: %v", recs)
	assert.Equal(t, "https://jobs.example.com/sandbox/", w["url"])
	assert.Contains(t, w["msg"], "PUBLIC")
	assert.Contains(t, w["msg"], "dev mailbox")
	assert.Contains(t, w["msg"], "simulator")

	recs = serveRecords(t, "--base-url", "https://jobs.example.com")
	assert.Nil(t, warning(recs))
	for _, r := range recs {
		if r["msg"] == "JobCannon is running" {
			assert.Equal(t, false, r["sandbox"], "auto stays off at a public URL")
		}
	}
}

func TestConfigTrustedProxies(t *testing.T) {
	c, err := parseServe(nil, env(map[string]string{"JOBCANNON_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.1,2001:db8::/32"}), io.Discard)
	require.NoError(t, err)
	nets, err := c.ProxyNets()
	require.NoError(t, err)
	var got []string
	for _, n := range nets {
		got = append(got, n.String())
	}
	assert.Equal(t, []string{"10.0.0.0/8", "192.0.2.1/32", "2001:db8::/32"}, got)
	for _, bad := range []string{"10.0.0.0/33", "proxy.internal", "10.0.0.0/8;"} {
		_, err := parseServe([]string{"--trusted-proxies", bad}, env(nil), io.Discard)
		assert.ErrorContains(t, err, "--trusted-proxies", bad)
	}
}
