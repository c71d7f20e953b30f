package app

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/secrets"
)

// TestNewRefusesASecretKeyTheDatabaseWasNotWrittenWith: a second instance
// on the running one's database, started with another secret key, does not
// start, and says why and what to do; with the running one's key behind a
// new one (a rotation) it starts.
func TestNewRefusesASecretKeyTheDatabaseWasNotWrittenWith(t *testing.T) {
	var first Config
	newTestApp(t, func(c *Config) { first = *c })
	other, err := secrets.NewKey()
	require.NoError(t, err)
	second := Config{Addr: "127.0.0.1:0", ShutdownTimeout: first.ShutdownTimeout, MailFrom: first.MailFrom,
		Storage: Storage{DataDir: t.TempDir(), DatabaseURL: first.Storage.DatabaseURL}}

	second.SecretKey = other
	_, err = New(context.Background(), second, slog.New(slog.DiscardHandler))
	require.Error(t, err, "another key does not start")
	t.Logf("refused: %v", err)
	for _, want := range []string{"secret key differs from the one this database was written with",
		"Give every instance the same JOBCANNON_SECRET_KEY", "new key first"} {
		assert.Contains(t, err.Error(), want)
	}

	second.SecretKey = strings.Join([]string{other, first.SecretKey}, ",")
	a, err := New(context.Background(), second, slog.New(slog.DiscardHandler))
	require.NoError(t, err, "a rotated ring, new key first and the shared one after it, starts")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	require.Eventually(t, func() bool {
		res, err := http.Get("http://" + a.ln.Addr().String() + "/healthz")
		if err == nil {
			res.Body.Close()
		}
		return err == nil && res.StatusCode == http.StatusOK
	}, 10*time.Second, 5*time.Millisecond, "the second instance serves")
	cancel()
	require.NoError(t, <-done)
}
