package main

import (
	"context"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEventsBenchServe runs the real service, as `jobcannon serve` with
// JOBCANNON_BENCH_SERVE's flags, inside the test binary, so that a run
// under wrk can be profiled with -test.cpuprofile. It runs until
// interrupted.
func TestEventsBenchServe(t *testing.T) {
	flags := os.Getenv("JOBCANNON_BENCH_SERVE")
	if flags == "" {
		t.Skip("set JOBCANNON_BENCH_SERVE to the serve flags, e.g. --data-dir /tmp/jcbench --addr 127.0.0.1:8180")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	args := append([]string{"serve"}, strings.Fields(flags)...)
	require.NoError(t, run(ctx, args, os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}
