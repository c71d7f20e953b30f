package main

import (
	"bytes"
	"context"
	"flag"
	"testing"
	"time"

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

func TestBenchAnswersEveryQuestionOfAPage(t *testing.T) {
	page := `<fieldset class="q"><input type="radio" name="a.e01" value="1"/><input type="radio" name="a.e01" value="2"/>
		<input type="radio" name="a.e02" value="1"/><input type="radio" name="a.e02" value="2"/></fieldset>`
	form := answerForm(page)
	assert.Len(t, form, 2)
	assert.Contains(t, []string{"1", "2"}, form.Get("a.e01"))
	assert.Contains(t, []string{"1", "2"}, form.Get("a.e02"))
	assert.Empty(t, answerForm("<p>Instructions</p>"))
}

func TestBenchPercentile(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	var sorted []time.Duration
	for i := 1; i <= 100; i++ {
		sorted = append(sorted, ms(i))
	}
	assert.Equal(t, ms(51), percentile(sorted, 0.5))
	assert.Equal(t, ms(100), percentile(sorted, 0.99))
	assert.Equal(t, time.Duration(0), percentile(nil, 0.5))
}
