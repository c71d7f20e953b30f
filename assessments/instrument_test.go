package assessments

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// definitionErrors flattens a joined load error into its problems.
func definitionErrors(err error) []*DefinitionError {
	var out []*DefinitionError
	var walk func(error)
	walk = func(err error) {
		var de *DefinitionError
		if errors.As(err, &de) && err == error(de) {
			out = append(out, de)
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
		}
	}
	walk(err)
	return out
}

func TestBuiltinInstruments(t *testing.T) {
	lib, err := BuiltinInstruments()
	require.NoError(t, err)

	var ids []string
	for _, inst := range lib.All() {
		ids = append(ids, inst.ID)
	}
	assert.Equal(t, []string{"big-five-work", "reasoning", "work-style"}, ids)

	t.Run("big-five-work", func(t *testing.T) {
		inst, err := lib.Get("big-five-work")
		require.NoError(t, err)
		assert.Equal(t, "Big Five Work Personality", inst.Name)
		assert.Equal(t, KindLikert, inst.Kind)
		assert.GreaterOrEqual(t, len(inst.Items), 40)
		reversed := map[string]int{}
		total := map[string]int{}
		for _, it := range inst.Items {
			total[it.Scale]++
			if it.Reverse {
				reversed[it.Scale]++
			}
		}
		require.Len(t, inst.Scales, 5)
		for _, s := range inst.Scales {
			// Half reverse-keyed on every scale, so agreeing with everything
			// lands in the middle instead of at the top.
			assert.Equal(t, total[s.ID], 2*reversed[s.ID], s.ID)
		}
		assert.Equal(t, ResponseFormat{Min: 1, Max: 5, Labels: inst.ResponseFormat.Labels}, inst.ResponseFormat)
	})
	t.Run("work-style", func(t *testing.T) {
		inst, err := lib.Get("work-style")
		require.NoError(t, err)
		assert.Equal(t, KindForcedChoice, inst.Kind)
		assert.Len(t, inst.Scales, 4)
		assert.GreaterOrEqual(t, len(inst.Items), 16)
		for _, it := range inst.Items {
			assert.Len(t, it.Statements, 4, it.ID)
		}
	})
	t.Run("reasoning", func(t *testing.T) {
		inst, err := lib.Get("reasoning")
		require.NoError(t, err)
		assert.Equal(t, KindAbility, inst.Kind)
		assert.Positive(t, inst.TimeLimitSeconds)
		assert.GreaterOrEqual(t, len(inst.Items), 16)
		for _, it := range inst.Items {
			assert.Len(t, it.Choices, 4, it.ID)
		}
	})
	t.Run("unknown id", func(t *testing.T) {
		_, err := lib.Get("disc")
		assert.Equal(t, ENOTFOUND, ErrorCode(err))
	})
}

func TestInstrumentDefaults(t *testing.T) {
	lib, err := LoadInstruments(os.DirFS("testdata/valid"))
	require.NoError(t, err)
	inst, err := lib.Get("tiny-likert")
	require.NoError(t, err)
	assert.Equal(t, DefaultPageSize, inst.PageSize)
	assert.Equal(t, BandCutoffs{Low: DefaultBandLow, High: DefaultBandHigh}, inst.BandCutoffs)
	assert.Equal(t, DefaultValidity(KindLikert), inst.Validity)

	builtin, err := BuiltinInstruments()
	require.NoError(t, err)
	reasoning, err := builtin.Get("reasoning")
	require.NoError(t, err)
	assert.Equal(t, 50.0, reasoning.Validity.MaxSkippedPercent, "set in the definition")
	assert.Equal(t, DefaultValidity(KindAbility).MinMedianMS, reasoning.Validity.MinMedianMS, "left to the default")
}

func TestInstrumentPages(t *testing.T) {
	lib, err := BuiltinInstruments()
	require.NoError(t, err)
	inst, err := lib.Get("reasoning")
	require.NoError(t, err)
	pages := inst.Pages()
	require.Len(t, pages, (len(inst.Items)+inst.PageSize-1)/inst.PageSize)
	var ids []string
	for _, p := range pages {
		assert.LessOrEqual(t, len(p), inst.PageSize)
		for _, it := range p {
			ids = append(ids, it.ID)
		}
	}
	assert.Equal(t, inst.Items[0].ID, ids[0])
	assert.Len(t, ids, len(inst.Items))
}

func TestParseInstrumentErrors(t *testing.T) {
	tests := []struct {
		file    string
		item    string
		problem string
	}{
		{"unknown-scale.json", "i2", `unknown scale "alfa"`},
		{"duplicate-item-id.json", "i1", "duplicate item id"},
		{"reverse-forced-choice.json", "b2", "reverse key on a non-likert item"},
		{"reverse-ability.json", "q1", "reverse key on a non-likert item"},
		{"block-style-twice.json", "b1", `style "beta" has 2`},
		{"block-missing-style.json", "b2", `style "beta" has 0`},
		{"statement-unknown-style.json", "b1", `unknown style "delta"`},
		{"missing-answer-key.json", "q2", "missing answer key"},
		{"answer-not-a-choice.json", "q1", `answer key "e" is not one of the choices`},
		{"difficulty-out-of-range.json", "q2", "difficulty 4 is not 1, 2 or 3"},
		{"negative-time-limit.json", "", "time limit -60 is negative"},
		{"unknown-kind.json", "", `kind "essay" is not likert`},
		{"misspelt-field.json", "", `unknown field "reversed"`},
		{"likert-label-count.json", "", "4 labels for 5 points"},
		{"scale-without-items.json", "", `scale "gamma" has no items`},
		{"duplicate-scale-id.json", "", `duplicate scale id "beta"`},
		{"missing-band-text.json", "", `scale "alpha" needs an interpretation for each band`},
		{"id-not-file-name.json", "", `instrument id "someone-else" does not match the file name`},
		// Found by FuzzParseInstrument: definitions that loaded but could
		// not be taken or scored.
		{"forced-choice-one-style.json", "", "needs at least two styles"},
		{"likert-range-overflow.json", "", "has more than 11 points"},
		{"time-limit-over-a-day.json", "", "is over a day"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "invalid", tt.file))
			require.NoError(t, err)

			inst, err := ParseInstrument(tt.file, data)
			require.Error(t, err)
			assert.Nil(t, inst)
			assert.Contains(t, err.Error(), tt.file)

			problems := definitionErrors(err)
			require.NotEmpty(t, problems)
			found := false
			for _, p := range problems {
				assert.Equal(t, tt.file, p.File)
				if p.Item == tt.item && strings.Contains(p.Problem, tt.problem) {
					found = true
				}
			}
			assert.True(t, found, "want item %q with %q, got %v", tt.item, tt.problem, err)
		})
	}
}

func TestLoadInstrumentsReportsEveryFile(t *testing.T) {
	good, err := os.ReadFile("testdata/valid/tiny-likert.json")
	require.NoError(t, err)
	bad1, err := os.ReadFile("testdata/invalid/unknown-scale.json")
	require.NoError(t, err)
	bad2, err := os.ReadFile("testdata/invalid/missing-answer-key.json")
	require.NoError(t, err)
	fsys := fstest.MapFS{
		"tiny-likert.json":        {Data: good},
		"unknown-scale.json":      {Data: bad1},
		"missing-answer-key.json": {Data: bad2},
		"README.md":               {Data: []byte("not a definition")},
	}

	lib, err := LoadInstruments(fsys)
	require.Error(t, err)
	assert.Nil(t, lib)
	var files []string
	for _, p := range definitionErrors(err) {
		files = append(files, p.File)
	}
	assert.ElementsMatch(t, []string{"unknown-scale.json", "missing-answer-key.json"}, files)

	delete(fsys, "unknown-scale.json")
	delete(fsys, "missing-answer-key.json")
	lib, err = LoadInstruments(fsys)
	require.NoError(t, err)
	assert.Len(t, lib.All(), 1)

	_, err = LoadInstruments(fstest.MapFS{})
	assert.ErrorContains(t, err, "no *.json definitions")
}

func TestDefinitionErrorMessage(t *testing.T) {
	assert.Equal(t, `instruments: x.json: item "i2": unknown scale "alfa"`,
		(&DefinitionError{File: "x.json", Item: "i2", Problem: `unknown scale "alfa"`}).Error())
	assert.Equal(t, `instruments: x.json: no items`,
		(&DefinitionError{File: "x.json", Problem: "no items"}).Error())
}
