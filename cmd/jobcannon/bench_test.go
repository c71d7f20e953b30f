package main

import (
	"bytes"
	"context"
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The bench itself runs for minutes (go run ./cmd/jobcannon bench); these
// check its command line and the parts that need no service.
func TestBenchCommandLine(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"bench", "--help"}, env(nil), nil, &out, &out)
	require.ErrorIs(t, err, flag.ErrHelp)
	for _, f := range []string{"--duration", "--quick", "--workers", "--candidates", "--rate", "--icims-limit", "--fuzz"} {
		assert.Contains(t, out.String(), f)
	}
	out.Reset()
	_ = run(context.Background(), []string{"help"}, env(nil), nil, &out, &out)
	assert.Contains(t, out.String(), "bench", "the top-level usage lists the command")

	for _, args := range [][]string{{"--workers", "0"}, {"--workers", "many"}, {"--duration", "-1s"}, {"extra"}} {
		err := run(context.Background(), append([]string{"bench"}, args...), env(nil), nil, &out, &out)
		assert.Error(t, err, "%v", args)
	}
}
