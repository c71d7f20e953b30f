package assessments

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestCheckCallLimits(t *testing.T) {
	tests := []struct {
		perMinute, perDay int
		want              string // part of the error, "" for none
	}{
		{0, 0, ""},
		{1, 1, ""},
		{500, 1_000_000, ""},
		{20, 0, ""},
		{501, 0, "Calls a minute must be between 1 and 500"},
		{-1, 0, "Calls a minute"},
		{20, 1_000_001, "Calls a day must be between 1 and 1000000"},
		{20, -5, "Calls a day"},
	}
	for _, tt := range tests {
		err := CheckCallLimits(tt.perMinute, tt.perDay)
		if tt.want == "" {
			assert.NoError(t, err, "%d/%d", tt.perMinute, tt.perDay)
			continue
		}
		assert.Equal(t, EINVALID, ErrorCode(err))
		assert.Contains(t, ErrorMessage(err), tt.want)
	}
}

func TestCallPaceSummary(t *testing.T) {
	now := time.Date(2025, 3, 3, 14, 2, 0, 0, time.UTC)
	held := CallPace{PerMinute: 20, Pace: 10, HeldUntil: now.Add(time.Minute), UsedToday: 120, DailyQuota: 2000}
	assert.Equal(t, "iCIMS asked us to wait until 14:03:00 UTC; pace 10/min, climbing back to 20/min. 120 of 2000 calls used today (UTC).",
		held.Summary(now))
	calm := CallPace{PerMinute: 20, Pace: 20, DailyQuota: 2000}
	assert.Equal(t, "Pace 20/min, the configured limit. 0 of 2000 calls used today (UTC).", calm.Summary(now))
	slowed := CallPace{PerMinute: 20, Pace: 2.5, HeldUntil: now.Add(-time.Second), DailyQuota: 2000}
	assert.Equal(t, "Pace 2.5/min, climbing back to 20/min. 0 of 2000 calls used today (UTC).", slowed.Summary(now))
}
