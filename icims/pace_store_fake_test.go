package icims

import (
	"context"
	"sync"
	"testing"
)

// fakePaceStore keeps a PaceRecord in memory for the tests inside this
// package, which cannot import the database (it imports this package); the
// pacer's own tests run on the database, outside it.
type fakePaceStore struct {
	mu  sync.Mutex
	rec PaceRecord
}

func (s *fakePaceStore) LoadPace(context.Context) (PaceRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rec, nil
}

func (s *fakePaceStore) SavePace(_ context.Context, rec PaceRecord) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec.Version != s.rec.Version {
		return false, nil
	}
	rec.Version++
	s.rec = rec
	return true, nil
}

// BenchmarkPacerWaitInMemory is the pacer's own cost per call, its state
// in memory, for comparison with BenchmarkPacerWait's database.
func BenchmarkPacerWaitInMemory(b *testing.B) {
	p := NewPacer(&fakePaceStore{}, PacerConfig{PerMinute: 1 << 30, Burst: 1 << 20, DailyQuota: 1 << 30,
		Clock: SystemClock{}})
	for range b.N {
		if err := p.Wait(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
