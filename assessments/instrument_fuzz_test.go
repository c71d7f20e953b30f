package assessments

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// FuzzParseInstrument feeds ParseInstrument arbitrary definitions. A
// definition it accepts must be one the product can use end to end: every
// item can be answered, a complete attempt scores on 0–100, the pages cover
// the items, and the definition survives a round trip through JSON.
func FuzzParseInstrument(f *testing.F) {
	addDefinitionSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var head struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(data, &head)
		file := head.ID + ".json"
		inst, err := ParseInstrument(file, data)
		if err != nil {
			requireDefinitionErrors(t, err)
			return
		}
		checkUsable(t, inst)
		again, err := ParseInstrument(file, mustMarshal(t, inst))
		if err != nil {
			t.Fatalf("the definition as loaded does not load again: %v", err)
		}
		if !reflect.DeepEqual(inst, again) {
			t.Fatalf("round trip changed the definition:\n%+v\n%+v", inst, again)
		}
	})
}

// FuzzLoadInstruments loads a directory of two definitions: the library
// holds both or neither, and every problem is a *DefinitionError.
func FuzzLoadInstruments(f *testing.F) {
	valid, _ := os.ReadFile("testdata/valid/tiny-likert.json")
	invalid, _ := os.ReadFile("testdata/invalid/unknown-scale.json")
	f.Add("tiny-likert.json", valid, "unknown-scale.json", invalid)
	f.Add("tiny-likert.json", valid, "other.txt", invalid)
	f.Add("a.json", []byte(`{}`), "b.json", []byte(`[]`))
	f.Fuzz(func(t *testing.T, name1 string, data1 []byte, name2 string, data2 []byte) {
		if !fs0ValidName(name1) || !fs0ValidName(name2) || name1 == name2 {
			t.Skip()
		}
		lib, err := LoadInstruments(fstest.MapFS{name1: {Data: data1}, name2: {Data: data2}})
		var defs []string
		for _, n := range []string{name1, name2} {
			if strings.HasSuffix(n, ".json") && !strings.Contains(n, "/") {
				defs = append(defs, n)
			}
		}
		if err != nil {
			if lib != nil {
				t.Fatal("a library came with an error")
			}
			return
		}
		if len(lib.All()) != len(defs) {
			t.Fatalf("%d definitions, %d instruments", len(defs), len(lib.All()))
		}
		for _, inst := range lib.All() {
			checkUsable(t, inst)
			if got, err := lib.Get(inst.ID); err != nil || got != inst {
				t.Fatalf("Get(%q) = %v, %v", inst.ID, got, err)
			}
		}
	})
}

func fs0ValidName(n string) bool {
	return n != "" && !strings.HasPrefix(n, "/") && !strings.HasSuffix(n, "/") && !strings.Contains(n, "//") &&
		!strings.Contains(n, "..") && n != "." && !strings.Contains(n, "\x00") && !strings.ContainsAny(n, "\\*?[")
}

// addDefinitionSeeds adds the shipped and the test definitions.
func addDefinitionSeeds(f *testing.F) {
	for _, glob := range []string{"instruments/*.json", "testdata/valid/*.json", "testdata/invalid/*.json"} {
		names, err := filepath.Glob(glob)
		if err != nil {
			f.Fatal(err)
		}
		for _, n := range names {
			data, err := os.ReadFile(n)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
}

func requireDefinitionErrors(t *testing.T, err error) {
	t.Helper()
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var de *DefinitionError
		if !errors.As(err, &de) {
			t.Fatalf("a problem that is not a *DefinitionError: %T %v", err, err)
		}
	}
	walk(err)
}

// checkUsable proves that a loaded instrument can be taken and scored.
func checkUsable(t *testing.T, inst *Instrument) {
	t.Helper()
	if inst.TimeLimit() < 0 {
		t.Fatalf("time limit %d s is negative as a duration", inst.TimeLimitSeconds)
	}
	n := 0
	for _, p := range inst.Pages() {
		if len(p) == 0 || len(p) > inst.PageSize {
			t.Fatalf("a page of %d items with page size %d", len(p), inst.PageSize)
		}
		n += len(p)
	}
	if n != len(inst.Items) {
		t.Fatalf("pages hold %d of %d items", n, len(inst.Items))
	}
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, pick := range []int{0, 1} {
		answers := map[string]Answer{}
		for _, it := range inst.Items {
			a, ok := someAnswer(inst, it, pick)
			if !ok {
				t.Fatalf("item %q cannot be answered", it.ID)
			}
			answers[it.ID] = a
		}
		// The candidate pages read the same answers from the form.
		for _, page := range inst.Pages() {
			form := formOf(inst, page, answers)
			read, problems, err := ReadPageAnswers(inst, page, func(k string) string { return form[k] })
			if err != nil || len(problems) > 0 || len(read) != len(page) {
				t.Fatalf("a full page read back as %d answers, %v, %v", len(read), problems, err)
			}
		}
		res, err := Score(inst, Responses{StartedAt: start, FinishedAt: start.Add(time.Second), Answers: answers})
		if err != nil {
			t.Fatalf("a complete attempt does not score: %v", err)
		}
		checkResult(t, inst, res)
		if res.Answered != len(inst.Items) {
			t.Fatalf("%d of %d answers scored", res.Answered, len(inst.Items))
		}
	}
	res, err := Score(inst, Responses{StartedAt: start, FinishedAt: start.Add(time.Second)})
	if err != nil {
		t.Fatalf("an empty attempt does not score: %v", err)
	}
	checkResult(t, inst, res)
}

// someAnswer builds a valid answer to an item; pick chooses which.
func someAnswer(inst *Instrument, it Item, pick int) (Answer, bool) {
	switch inst.Kind {
	case KindLikert:
		if pick == 0 {
			return Answer{Value: inst.ResponseFormat.Min, ElapsedMS: 2000}, true
		}
		return Answer{Value: inst.ResponseFormat.Max, ElapsedMS: 2000}, true
	case KindForcedChoice:
		if len(it.Statements) < 2 {
			return Answer{}, false
		}
		m, l := it.Statements[0].ID, it.Statements[1].ID
		if pick == 1 {
			m, l = l, m
		}
		return Answer{Most: m, Least: l, ElapsedMS: 3000}, true
	case KindAbility:
		if pick == 0 {
			return Answer{Choice: it.Answer, ElapsedMS: 4000}, true
		}
		return Answer{Choice: it.Choices[0].ID, ElapsedMS: 4000}, true
	}
	return Answer{}, false
}

// formOf is the form the candidate pages post for the answers of a page.
func formOf(inst *Instrument, page []Item, answers map[string]Answer) map[string]string {
	form := map[string]string{}
	for _, it := range page {
		a := answers[it.ID]
		switch inst.Kind {
		case KindLikert:
			form[AnswerField(it.ID)] = itoa(a.Value)
		case KindForcedChoice:
			form[MostField(it.ID)], form[LeastField(it.ID)] = a.Most, a.Least
		case KindAbility:
			form[AnswerField(it.ID)] = a.Choice
		}
	}
	return form
}

func itoa(v int) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// checkResult holds for every scored result.
func checkResult(t *testing.T, inst *Instrument, res Result) {
	t.Helper()
	if res.Answered+res.Skipped+res.Late != len(inst.Items) || res.Answered < 0 || res.Skipped < 0 || res.Late < 0 {
		t.Fatalf("answered %d + skipped %d + late %d is not %d items", res.Answered, res.Skipped, res.Late, len(inst.Items))
	}
	if len(res.Scales) != len(inst.Scales) {
		t.Fatalf("%d scale scores for %d scales", len(res.Scales), len(inst.Scales))
	}
	for _, s := range res.Scales {
		if math.IsNaN(s.Score) || s.Score < 0 || s.Score > 100 {
			t.Fatalf("scale %q scored %v, outside 0–100", s.Scale, s.Score)
		}
		if s.Scored && s.Band != BandLow && s.Band != BandAverage && s.Band != BandHigh {
			t.Fatalf("scale %q has band %q", s.Scale, s.Band)
		}
	}
	for _, p := range []float64{res.PercentCorrect, res.WeightedPercent} {
		if math.IsNaN(p) || p < 0 || p > 100 {
			t.Fatalf("percent %v outside 0–100", p)
		}
	}
	if res.Flags == nil {
		t.Fatal("flags are nil, stored as null")
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzInstrumentShape builds definitions from fuzzed numbers (kind, rating
// scale, time limit, page size, band cutoffs, validity thresholds, how many
// scales, items and choices), so that the fuzzer explores what a valid
// definition may hold rather than JSON syntax. What loads must be usable
// (see checkUsable).
func FuzzInstrumentShape(f *testing.F) {
	f.Add(uint8(0), 1, 5, uint8(5), 0, 0, 0.0, 0.0, uint8(2), uint8(4), uint8(4), 0, 0.0, int64(0), 0.0, uint64(5))
	f.Add(uint8(1), 0, 0, uint8(0), 600, 3, 30.0, 70.0, uint8(3), uint8(6), uint8(0), 5, 0.5, int64(900), 50.0, uint64(0))
	f.Add(uint8(2), 0, 0, uint8(0), 1200, 10, 0.0, 0.0, uint8(1), uint8(5), uint8(4), 0, 0.0, int64(0), 100.0, uint64(7))
	f.Add(uint8(1), 0, 0, uint8(0), 0, 0, 0.0, 0.0, uint8(1), uint8(2), uint8(0), 0, 0.0, int64(0), 0.0, uint64(0))
	f.Add(uint8(0), -9223372036854775808, 9223372036854775807, uint8(0), 0, 0, 0.0, 0.0, uint8(1), uint8(1), uint8(0), 0, 0.0, int64(0), 0.0, uint64(0))
	f.Fuzz(func(t *testing.T, kind uint8, lo, hi int, labels uint8, timeLimit, pageSize int, low, high float64,
		scales, items, choices uint8, maxRun int, minStd float64, minMedian int64, maxSkip float64, bits uint64) {
		if scales > 8 || items > 40 || choices > 8 || labels > 20 || math.IsNaN(low+high+minStd+maxSkip) ||
			math.IsInf(low+high+minStd+maxSkip, 0) {
			t.Skip()
		}
		k := []InstrumentKind{KindLikert, KindForcedChoice, KindAbility}[int(kind)%3]
		def := map[string]any{"id": "shape", "name": "Shape", "version": "1", "kind": k, "estimated_minutes": 5,
			"time_limit_seconds": timeLimit, "page_size": pageSize, "band_cutoffs": map[string]any{"low": low, "high": high},
			"validity": map[string]any{"max_run": maxRun, "min_stddev": minStd, "min_median_ms": minMedian, "max_skipped_percent": maxSkip}}
		var ss []map[string]any
		for i := range int(scales) {
			id := "s" + itoa(i)
			ss = append(ss, map[string]any{"id": id, "name": id, "low": "l", "high": "h",
				"bands": map[string]string{"low": "l", "average": "a", "high": "h"}})
		}
		def["scales"] = ss
		var its []map[string]any
		for i := range int(items) {
			id := "i" + itoa(i)
			scale := "s" + itoa(i%max(int(scales), 1))
			bit := bits>>(uint(i)%64)&1 == 1
			switch k {
			case KindLikert:
				its = append(its, map[string]any{"id": id, "text": "t", "scale": scale, "reverse": bit})
			case KindForcedChoice:
				var sts []map[string]any
				for j := range int(scales) {
					sts = append(sts, map[string]any{"id": "st" + itoa(j), "text": "t", "style": "s" + itoa(j)})
				}
				its = append(its, map[string]any{"id": id, "statements": sts})
			case KindAbility:
				var chs []map[string]any
				for j := range int(choices) {
					chs = append(chs, map[string]any{"id": "c" + itoa(j), "text": "t"})
				}
				its = append(its, map[string]any{"id": id, "text": "t", "scale": scale, "choices": chs, "answer": "c0",
					"difficulty": 1 + i%3})
			}
		}
		def["items"] = its
		if k == KindLikert {
			ls := make([]string, labels)
			for i := range ls {
				ls[i] = "l" + itoa(i)
			}
			def["response_format"] = map[string]any{"min": lo, "max": hi, "labels": ls}
		}
		data := mustMarshal(t, def)
		inst, err := ParseInstrument("shape.json", data)
		if err != nil {
			requireDefinitionErrors(t, err)
			return
		}
		checkUsable(t, inst)
	})
}
