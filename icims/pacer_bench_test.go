package icims_test

import (
	"context"
	"testing"
	"time"

	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/icims"
)

// unpacedLimits never make a call wait, so a benchmark measures what the
// pacer's bookkeeping costs a call, not the pace.
var unpacedLimits = icims.PacerConfig{PerMinute: 1 << 30, Burst: 1 << 20, DailyQuota: 1 << 30}

// BenchmarkPacerWait is the cost per call of the pacer's state in the
// database: one instance (one versioned UPDATE a call), and two instances
// taking turns (each call finds the other's save, reads and saves again).
func BenchmarkPacerWait(b *testing.B) {
	ctx := context.Background()
	b.Run("one instance", func(b *testing.B) {
		cfg := unpacedLimits
		cfg.Clock = clocktest.New(time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC))
		p := icims.NewPacer(newPaceStore(b), cfg)
		b.ResetTimer()
		for range b.N {
			if err := p.Wait(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("two instances", func(b *testing.B) {
		cfg := unpacedLimits
		cfg.Clock = clocktest.New(time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC))
		store := newPaceStore(b)
		pacers := []*icims.Pacer{icims.NewPacer(store, cfg), icims.NewPacer(store, cfg)}
		b.ResetTimer()
		for i := range b.N {
			if err := pacers[i%2].Wait(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
