package assessments

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestWriteHealthPolicyRecord(t *testing.T) {
	p := WriteHealthPolicy{Failures: 3, For: 10 * time.Minute}
	t0 := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	failing := WriteHealth{Failures: 3, FirstFailureAt: t0, FailingAt: t0.Add(10 * time.Minute)}
	cases := []struct {
		name   string
		in     WriteHealth
		ok     bool
		now    time.Time
		want   WriteHealth
		notice HealthNotice
	}{
		{"a success while healthy", WriteHealth{}, true, t0, WriteHealth{}, NoNotice},
		{"a first failure starts the run", WriteHealth{}, false, t0, WriteHealth{Failures: 1, FirstFailureAt: t0}, NoNotice},
		{"enough failures too quickly", WriteHealth{Failures: 4, FirstFailureAt: t0}, false, t0.Add(time.Minute),
			WriteHealth{Failures: 5, FirstFailureAt: t0}, NoNotice},
		{"long enough but too few", WriteHealth{Failures: 1, FirstFailureAt: t0}, false, t0.Add(time.Hour),
			WriteHealth{Failures: 2, FirstFailureAt: t0}, NoNotice},
		{"both: failing", WriteHealth{Failures: 2, FirstFailureAt: t0}, false, t0.Add(10 * time.Minute),
			WriteHealth{Failures: 3, FirstFailureAt: t0, FailingAt: t0.Add(10 * time.Minute)}, NoticeFailing},
		{"failing again says nothing", failing, false, t0.Add(time.Hour),
			WriteHealth{Failures: 4, FirstFailureAt: t0, FailingAt: t0.Add(10 * time.Minute)}, NoNotice},
		{"a success after failing: recovered", failing, true, t0.Add(time.Hour), WriteHealth{}, NoticeRecovered},
		{"a success after a blip: nothing", WriteHealth{Failures: 2, FirstFailureAt: t0}, true, t0.Add(time.Hour), WriteHealth{}, NoNotice},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, notice := p.Record(c.in, c.ok, c.now)
			assert.Equal(t, c.want, got)
			assert.Equal(t, c.notice, notice)
		})
	}
	t.Run("unset means the default", func(t *testing.T) {
		assert.Equal(t, DefaultWriteHealthPolicy, WriteHealthPolicy{}.OrDefault())
	})
}
