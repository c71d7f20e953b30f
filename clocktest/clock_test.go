package clocktest_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// The one fake clock stands in for every clock the product injects.
var (
	_ assessments.Clock = (*clocktest.Clock)(nil)
	_ icims.Clock       = (*clocktest.Clock)(nil)
	_ icimstest.Clock   = (*clocktest.Clock)(nil)
)

func TestClockMovesOnlyWhenTold(t *testing.T) {
	est := time.FixedZone("EST", -5*3600)
	cases := []struct {
		name string
		move func(c *clocktest.Clock)
		want time.Time
	}{
		{"untouched", func(*clocktest.Clock) {}, start},
		{"advance", func(c *clocktest.Clock) { c.Advance(90 * time.Second) }, start.Add(90 * time.Second)},
		{"advance backwards does nothing", func(c *clocktest.Clock) { c.Advance(-time.Hour) }, start},
		{"set backwards", func(c *clocktest.Clock) { c.Set(start.Add(-time.Hour)) }, start.Add(-time.Hour)},
		{"set keeps the zone", func(c *clocktest.Clock) { c.Set(start.In(est)) }, start.In(est)},
		{"sleep advances", func(c *clocktest.Clock) {
			require.NoError(t, c.Sleep(context.Background(), time.Minute))
			require.NoError(t, c.Sleep(context.Background(), time.Minute))
		}, start.Add(2 * time.Minute)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := clocktest.New(start)
			tc.move(c)
			got := c.Now()
			assert.True(t, tc.want.Equal(got), "got %v, want %v", got, tc.want)
			assert.Equal(t, tc.want.Location(), got.Location())
		})
	}
}

func TestSleepRefusesADoneContext(t *testing.T) {
	for name, c := range map[string]*clocktest.Clock{
		"new":    clocktest.New(start),
		"shared": clocktest.NewShared(start, 1),
	} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			assert.ErrorIs(t, c.Sleep(ctx, time.Minute), context.Canceled)
			assert.Equal(t, start, c.Now(), "a refused sleep lets no time pass")
		})
	}
}

func TestConcurrentSleepsAddUp(t *testing.T) {
	c := clocktest.New(start)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			_ = c.Now()
			require.NoError(t, c.Sleep(context.Background(), time.Second))
		})
	}
	wg.Wait()
	assert.Equal(t, start.Add(20*time.Second), c.Now())
}

// TestSharedClockKeepsEachSleepersTime runs three callers that each sleep
// their own delays; each must wake exactly at its own times, which a clock
// that adds every sleep to the shared time would not do.
func TestSharedClockKeepsEachSleepersTime(t *testing.T) {
	c := clocktest.NewShared(start, 3)
	delays := [][]time.Duration{
		{time.Second, time.Second, time.Second},
		{3 * time.Second},
		{2 * time.Second, 5 * time.Second},
	}
	woke := make([][]time.Duration, len(delays))
	var wg sync.WaitGroup
	for i, ds := range delays {
		wg.Go(func() {
			defer c.Done()
			for _, d := range ds {
				require.NoError(t, c.Sleep(context.Background(), d))
				woke[i] = append(woke[i], c.Now().Sub(start))
			}
		})
	}
	wg.Wait()
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 3 * time.Second}, woke[0])
	assert.Equal(t, []time.Duration{3 * time.Second}, woke[1])
	assert.Equal(t, []time.Duration{2 * time.Second, 7 * time.Second}, woke[2])
	assert.Equal(t, start.Add(7*time.Second), c.Now())
}

func TestSharedSleepEndsWithItsContext(t *testing.T) {
	c := clocktest.NewShared(start, 2)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- c.Sleep(ctx, time.Minute) }()
	cancel()
	require.ErrorIs(t, <-errc, context.Canceled, "the other caller is awake, so only the context can end the sleep")
	c.Done()
	c.Done()
	assert.Equal(t, start, c.Now(), "an abandoned sleep moves no time")
}
