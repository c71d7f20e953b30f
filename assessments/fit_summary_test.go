package assessments

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSummary(t *testing.T) {
	bigFive := builtin(t, "big-five-work")
	workStyle := builtin(t, "work-style")
	reasoning := builtin(t, "reasoning")

	tests := []struct {
		name   string
		inst   *Instrument
		result Result
		want   string
	}{
		{
			name: "likert",
			inst: bigFive,
			result: Result{Kind: KindLikert, Flags: []ValidityFlag{}, Scales: []ScaleScore{
				{Scale: "extraversion", Score: 93.8, Band: BandHigh, Scored: true},
				{Scale: "agreeableness", Score: 50, Band: BandAverage, Scored: true},
				{Scale: "conscientiousness", Score: 75, Band: BandHigh, Scored: true},
				{Scale: "emotional-stability", Score: 18.8, Band: BandLow, Scored: true},
				{Scale: "openness"},
			}},
			want: "Extraversion 94 (high), Agreeableness 50 (average), Conscientiousness 75 (high), Emotional Stability 19 (low), Openness n/a",
		},
		{
			name: "work style",
			inst: workStyle,
			result: Result{Kind: KindForcedChoice, PrimaryStyle: "driving", SecondaryStyle: "connecting", Scales: []ScaleScore{
				{Scale: "driving", Score: 71.4, Scored: true},
				{Scale: "connecting", Score: 50, Scored: true},
				{Scale: "steady", Score: 28.6, Scored: true},
				{Scale: "analytical", Score: 50, Scored: true},
			}},
			want: "Primary Driving, secondary Connecting. Driving 71, Connecting 50, Steady 29, Analytical 50",
		},
		{
			name: "reasoning with a flag",
			inst: reasoning,
			result: Result{Kind: KindAbility, PercentCorrect: 55.6, WeightedPercent: 45.7, Flags: []ValidityFlag{FlagOverTime}, Scales: []ScaleScore{
				{Scale: "numerical", Score: 50, Scored: true},
				{Scale: "logical", Score: 62.5, Scored: true},
			}},
			want: "Check: over the time limit. 56% correct (weighted 46%). Numerical 50%, Logical 63%",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summary(tt.inst, tt.result)
			assert.Equal(t, tt.want, got)
			assert.LessOrEqual(t, utf8.RuneCountInString(got), SummaryMaxLen)
		})
	}
}

func TestSummaryLength(t *testing.T) {
	long := func(prefix string, n int) string { return prefix + strings.Repeat("x", n) }
	inst := func(names ...string) *Instrument {
		in := &Instrument{Kind: KindLikert}
		for i, n := range names {
			in.Scales = append(in.Scales, Scale{ID: string(rune('a' + i)), Name: n})
		}
		return in
	}
	result := func(in *Instrument, flags ...ValidityFlag) Result {
		r := Result{Kind: in.Kind, Flags: flags}
		for _, s := range in.Scales {
			r.Scales = append(r.Scales, ScaleScore{Scale: s.ID, Score: 55, Band: BandAverage, Scored: true})
		}
		return r
	}

	tests := []struct {
		name      string
		inst      *Instrument
		flags     []ValidityFlag
		wantStart string
	}{
		{"five 60-character names", inst(long("A", 59), long("B", 59), long("C", 59), long("D", 59), long("E", 59)), nil, "A"},
		{"multi-byte names", inst(strings.Repeat("Ü", 80), strings.Repeat("é", 80), strings.Repeat("日", 80)), nil, "Ü"},
		{"every flag and long names", inst(long("A", 40), long("B", 40), long("C", 40)),
			[]ValidityFlag{FlagStraightLining, FlagTooFast, FlagTooManySkipped, FlagOverTime}, "Check: same answer repeated"},
		{"one name longer than the field", inst(long("A", 300)), nil, "A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summary(tt.inst, result(tt.inst, tt.flags...))
			require.True(t, utf8.ValidString(got), "never cuts a character in half")
			assert.LessOrEqual(t, utf8.RuneCountInString(got), SummaryMaxLen)
			assert.True(t, strings.HasPrefix(got, tt.wantStart), got)
			assert.True(t, strings.HasSuffix(got, "..."), "a cut is marked: %q", got)
		})
	}

	// Just fitting: no cut. "a 55 (average)" with a name of n characters is
	// n+13 characters; one scale of 179 characters makes 192 exactly.
	exact := inst(long("A", 178))
	got := Summary(exact, result(exact))
	assert.Equal(t, SummaryMaxLen, utf8.RuneCountInString(got))
	assert.False(t, strings.HasSuffix(got, "..."))
	over := inst(long("A", 179))
	got = Summary(over, result(over))
	assert.Equal(t, SummaryMaxLen, utf8.RuneCountInString(got))
	assert.True(t, strings.HasSuffix(got, "..."))
}
