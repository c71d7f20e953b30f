package icims

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/clocktest"
)

// gatedPaceStore counts saves and holds the first one until the pacer has
// the given number of changes queued behind it.
type gatedPaceStore struct {
	fakePaceStore
	p       *Pacer
	waitFor int

	mu    sync.Mutex
	saves int
}

func (s *gatedPaceStore) SavePace(ctx context.Context, rec PaceRecord) (bool, error) {
	s.mu.Lock()
	s.saves++
	first := s.saves == 1
	s.mu.Unlock()
	if first {
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			s.p.qmu.Lock()
			n := len(s.p.queued)
			s.p.qmu.Unlock()
			if n >= s.waitFor {
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
	return s.fakePaceStore.SavePace(ctx, rec)
}

// newGatedPacer returns a pacer whose store holds its first save until
// queued changes wait behind it.
func newGatedPacer(queued int, cfg PacerConfig) (*Pacer, *gatedPaceStore) {
	cfg.Clock = clocktest.New(time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC))
	store := &gatedPaceStore{waitFor: queued}
	p := NewPacer(store, cfg)
	store.p = p
	return p, store
}

// Reservations made while a save is under way are written together by the
// next save, each with a turn of its own in the order they were applied:
// a batch of deliveries reserving their turns costs two writes, not one a
// delivery, and never two deliveries the same turn.
func TestPacerWritesReservationsMadeDuringASaveTogether(t *testing.T) {
	const n = 12
	p, store := newGatedPacer(n-1, PacerConfig{PerMinute: 60, Burst: 1, DailyQuota: 100})

	slots := make([]*Slot, n)
	var wg sync.WaitGroup
	for i := range n {
		slots[i] = &Slot{SnoozeAfter: time.Millisecond}
		wg.Go(func() {
			err := p.Wait(WithSlot(context.Background(), slots[i]))
			var e *Error
			if err != nil && !(errors.As(err, &e) && e.Kind == RateLimited) {
				t.Errorf("wait %d: %v", i, err)
			}
		})
	}
	wg.Wait()

	assert.Equal(t, 2, store.saves, "the first reservation's save, then one for the eleven queued behind it")
	seen := map[time.Time]bool{}
	var turns []time.Time
	for _, s := range slots {
		if s.At.IsZero() {
			continue // the first call's turn was now: it went at once
		}
		require.False(t, seen[s.At], "two reservations got the turn %s", s.At)
		seen[s.At] = true
		turns = append(turns, s.At)
	}
	require.Len(t, turns, n-1)
	used, _ := p.Used()
	assert.Equal(t, n, used, "every reservation counts against the quota once")
	last := turns[0]
	for _, at := range turns {
		if at.After(last) {
			last = at
		}
	}
	assert.Equal(t, p.clock.Now().Add(time.Duration(n-1)*time.Second), last, "the turns follow one another a second apart at 60 a minute")
}

// A change that fails (today's quota spent) saves nothing of its own and
// costs the others queued with it nothing.
func TestPacerOneFailedChangeDoesNotFailTheOthersSavedWithIt(t *testing.T) {
	const n = 6
	p, store := newGatedPacer(n-1, PacerConfig{PerMinute: 600, Burst: 100, DailyQuota: 4})

	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = p.Wait(context.Background()) })
	}
	wg.Wait()
	var ok, exhausted int
	for _, err := range errs {
		var e *Error
		switch {
		case err == nil:
			ok++
		case errors.As(err, &e) && e.Kind == QuotaExhausted:
			exhausted++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	assert.Equal(t, 4, ok, "the quota's four calls")
	assert.Equal(t, 2, exhausted)
	used, quota := p.Used()
	assert.Equal(t, 4, used)
	assert.Equal(t, 4, quota)
	assert.Equal(t, 2, store.saves)
}
