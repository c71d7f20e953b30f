package assessments

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScoreRejectsInvalidResponses(t *testing.T) {
	bigFive := builtin(t, "big-five-work")
	workStyle := builtin(t, "work-style")
	reasoning := builtin(t, "reasoning")
	t0 := attemptStart()

	tests := []struct {
		name string
		inst *Instrument
		r    Responses
		msg  string
	}{
		{"no instrument", nil, Responses{}, "No assessment"},
		{"likert value below range", bigFive, Responses{Answers: map[string]Answer{"e01": {Value: 0}}}, "outside 1–5"},
		{"likert value above range", bigFive, Responses{Answers: map[string]Answer{"e01": {Value: 6}}}, "outside 1–5"},
		{"unknown item", bigFive, Responses{Answers: map[string]Answer{"e99": {Value: 3}}}, `Unknown item "e99"`},
		{"likert given a choice", bigFive, Responses{Answers: map[string]Answer{"e01": {Value: 3, Choice: "a"}}}, "takes a rating"},
		{"negative time", bigFive, Responses{Answers: map[string]Answer{"e01": {Value: 3, ElapsedMS: -1}}}, "negative time"},
		{"most equals least", workStyle, Responses{Answers: map[string]Answer{"b01": {Most: "b01-1", Least: "b01-1"}}}, "both most and least"},
		{"statement of another block", workStyle, Responses{Answers: map[string]Answer{"b01": {Most: "b01-1", Least: "b02-2"}}}, `no statement "b02-2"`},
		{"least missing", workStyle, Responses{Answers: map[string]Answer{"b01": {Most: "b01-1"}}}, "choose both"},
		{"forced choice given a value", workStyle, Responses{Answers: map[string]Answer{"b01": {Most: "b01-1", Least: "b01-2", Value: 2}}}, "takes a most and a least"},
		{"unknown choice", reasoning, Responses{StartedAt: t0, Answers: map[string]Answer{"n01": {Choice: "e"}}}, `no choice "e"`},
		{"timed without start", reasoning, Responses{Answers: map[string]Answer{"n01": {Choice: "a"}}}, "needs its start time"},
		{"finished before started", bigFive, Responses{StartedAt: t0, FinishedAt: t0.Add(-time.Second)}, "finished before it started"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Score(tt.inst, tt.r)
			require.Error(t, err)
			assert.Equal(t, EINVALID, ErrorCode(err))
			assert.Contains(t, ErrorMessage(err), tt.msg)
		})
	}
}

func TestResultJSON(t *testing.T) {
	inst := builtin(t, "work-style")
	t0 := attemptStart()
	res, err := Score(inst, Responses{StartedAt: t0, FinishedAt: t0.Add(time.Minute), Answers: map[string]Answer{
		"b01": {Most: "b01-1", Least: "b01-2", ElapsedMS: 100},
	}})
	require.NoError(t, err)

	data, err := json.Marshal(res)
	require.NoError(t, err)
	var keys map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(data, &keys))
	want := []string{
		"instrument_id", "instrument_version", "kind", "scales", "primary_style", "secondary_style",
		"percent_correct", "weighted_percent", "answered", "skipped", "late", "duration_ms",
		"median_answer_ms", "flags",
	}
	var got []string
	for k := range keys {
		got = append(got, k)
	}
	assert.ElementsMatch(t, want, got)
	assert.JSONEq(t, `["too_fast","too_many_skipped"]`, string(keys["flags"]))
	assert.JSONEq(t, `{"scale":"driving","raw":1,"score":100,"band":"high","answered":1,"scored":true}`,
		string(mustIndex(t, keys["scales"], 0)))

	var back Result
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, res, back)

	clean, err := Score(builtin(t, "big-five-work"), Responses{Answers: variedLikert(builtin(t, "big-five-work"), 3000)})
	require.NoError(t, err)
	require.Empty(t, clean.Flags)
	data, err = json.Marshal(clean)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"flags":[]`, "never null, so stored results read the same")
}

func mustIndex(t *testing.T, array json.RawMessage, i int) json.RawMessage {
	t.Helper()
	var items []json.RawMessage
	require.NoError(t, json.Unmarshal(array, &items))
	require.Greater(t, len(items), i)
	return items[i]
}
