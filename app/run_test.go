package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// logMessages are the msg fields of the JSON records in logs.
func logMessages(t *testing.T, logs *lockedBuffer) []string {
	t.Helper()
	var msgs []string
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec struct{ Msg string }
		require.NoError(t, json.Unmarshal([]byte(line), &rec), line)
		msgs = append(msgs, rec.Msg)
	}
	return msgs
}

// TestRunShutsDownInOrder builds the service as the binary does (New on
// a data directory, no key given) and checks that when ctx ends Run stops
// HTTP first, then the workers, then closes the database, and returns
// nil.
func TestRunShutsDownInOrder(t *testing.T) {
	logs := &lockedBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	cfg := Config{Addr: "127.0.0.1:0", Storage: Storage{DataDir: t.TempDir()}, MailFrom: "assessments@jobcannon.test",
		ShutdownTimeout: 5 * time.Second, passwordCost: bcrypt.MinCost}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := New(ctx, cfg, log)
	require.NoError(t, err)
	assert.Equal(t, "localhost", a.base.Hostname(), "no --base-url: http://localhost and the port")

	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	require.Eventually(t, func() bool {
		res, err := http.Get("http://" + a.ln.Addr().String() + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	}, 10*time.Second, 10*time.Millisecond)
	cancel()
	require.NoError(t, <-done)

	msgs := logMessages(t, logs)
	order := []string{"JobCannon is running", "shutting down", "http server stopped", "jobs stopped", "database closed"}
	last := -1
	for _, m := range order {
		i := slices.Index(msgs, m)
		require.NotEqual(t, -1, i, "%q logged: %v", m, msgs)
		assert.Greater(t, i, last, "%q comes after %v: %v", m, order[:slices.Index(order, m)], msgs)
		last = i
	}
	assert.Error(t, a.db.R.Ping(), "the database is closed")
	_, err = net.Dial("tcp", a.ln.Addr().String())
	assert.Error(t, err, "nothing listens any more")
}

// TestNewFailsCleanly: New refuses settings it cannot run with and says
// which one.
func TestNewFailsCleanly(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()
	cases := []struct {
		name string
		cfg  Config
		want string
	}{
		{"address in use", Config{Addr: busy.Addr().String(), Storage: Storage{DataDir: t.TempDir()}}, "listen on " + busy.Addr().String()},
		{"bad secret key", Config{Addr: "127.0.0.1:0", SecretKey: "not-base64!", Storage: Storage{DataDir: t.TempDir()}}, "--secret-key"},
		{"bad database URL", Config{Addr: "127.0.0.1:0", Storage: Storage{DataDir: t.TempDir(), DatabaseURL: "mysql://db/jobcannon"}}, "sqlite"},
		{"unreachable PostgreSQL", Config{Addr: "127.0.0.1:0", Storage: Storage{DataDir: t.TempDir(), DatabaseURL: "postgres://u:secret@127.0.0.1:1/jobcannon"}},
			"storage: open postgres://u:xxxxx@127.0.0.1:1/jobcannon"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(context.Background(), c.cfg, slog.New(slog.DiscardHandler))
			assert.ErrorContains(t, err, c.want)
		})
	}
}
