package assessments

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestFormatScore(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{86.66, "86.7"},
		{86.7, "86.7"},
		{70, "70"},
		{69.96, "70"},
		{69.94, "69.9"},
		{0, "0"},
		{100, "100"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, FormatScore(tt.in), "%v", tt.in)
	}
}

func TestScoreFigureDecidesTheVerdict(t *testing.T) {
	// A fit of 69.96 shows as 70, so it must be Recommended at 70: the
	// verdict is decided on the figure recruiters see.
	r := Result{Kind: KindAbility, PercentCorrect: 69.96}
	overall, verdict := PackageFit(Package{}.WithDefaults(), []*Instrument{{Kind: KindAbility}}, []Result{r})
	assert.Equal(t, 70.0, overall)
	assert.Equal(t, "70", FormatScore(overall))
	assert.Equal(t, VerdictRecommended, verdict)
}

func TestTimeTaken(t *testing.T) {
	part := func(ms int64) InstrumentResult { return InstrumentResult{Result: Result{DurationMS: ms}} }
	start := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		res  PackageResult
		want time.Duration
	}{
		{"one part: its answering time, not start to submit",
			PackageResult{StartedAt: start, CompletedAt: start.Add(54 * time.Second), Instruments: []InstrumentResult{part(49_400)}},
			49 * time.Second},
		{"parts add up after each is cut to whole seconds",
			PackageResult{Instruments: []InstrumentResult{part(10_900), part(20_900)}}, 30 * time.Second},
		{"untimed parts fall back to start to submit",
			PackageResult{StartedAt: start, CompletedAt: start.Add(54*time.Second + 600*time.Millisecond), Instruments: []InstrumentResult{part(0)}},
			54 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.res.TimeTaken())
		})
	}
}

func TestFormatTimeTaken(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "—"},
		{49*time.Second + 900*time.Millisecond, "49 s"},
		{12*time.Minute + 5*time.Second, "12 min 5 s"},
		{time.Hour + 3*time.Minute + 59*time.Second, "1 h 3 min"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, FormatTimeTaken(tt.in), "%v", tt.in)
	}
}
