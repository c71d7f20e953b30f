package assessments

import (
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// fuzzInstruments are the instruments answers are fuzzed against: the
// shipped ones and the small test definitions, one of each kind at least.
func fuzzInstruments(f *testing.F) []*Instrument {
	lib, err := BuiltinInstruments()
	if err != nil {
		f.Fatal(err)
	}
	out := lib.All()
	names, _ := filepath.Glob("testdata/valid/*.json")
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		inst, err := ParseInstrument(filepath.Base(n), data)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, inst)
	}
	return out
}

// FuzzReadPageAnswers posts arbitrary forms to a page of each instrument,
// as a candidate (or anyone holding a link) can. A page must save only its
// own items, and whatever it saves must be accepted by Score later: a
// saved answer that Score refuses would make the attempt impossible to
// submit.
func FuzzReadPageAnswers(f *testing.F) {
	insts := fuzzInstruments(f)
	for i, inst := range insts {
		for p, page := range inst.Pages() {
			answers := map[string]Answer{}
			for _, it := range page {
				a, _ := someAnswer(inst, it, p%2)
				answers[it.ID] = a
			}
			form := url.Values{}
			for k, v := range formOf(inst, page, answers) {
				form.Set(k, v)
			}
			f.Add(uint8(i), uint8(p), form.Encode())
		}
	}
	f.Add(uint8(0), uint8(0), "a.x=1&a.x=2&nav=next")
	f.Add(uint8(1), uint8(0), "m.b1=s1&l.b1=s1")
	f.Add(uint8(2), uint8(0), "a.q1=%00")
	f.Fuzz(func(t *testing.T, which, pageNo uint8, raw string) {
		inst := insts[int(which)%len(insts)]
		pages := inst.Pages()
		page := pages[int(pageNo)%len(pages)]
		form, err := url.ParseQuery(raw)
		if err != nil {
			t.Skip()
		}
		answers, problems, err := ReadPageAnswers(inst, page, form.Get)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("refused with %v, not EINVALID", err)
			}
			return
		}
		onPage := map[string]bool{}
		for _, it := range page {
			onPage[it.ID] = true
		}
		for id := range answers {
			if !onPage[id] {
				t.Fatalf("saved item %q, which is not on the page", id)
			}
		}
		for _, p := range problems {
			if !onPage[p.Field] || answers[p.Field] != (Answer{}) {
				t.Fatalf("problem %+v is not about an unsaved item of the page", p)
			}
		}
		start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		res, err := Score(inst, Responses{StartedAt: start, FinishedAt: start.Add(time.Minute), Answers: answers})
		if err != nil {
			t.Fatalf("answers the page saved do not score: %v", err)
		}
		checkResult(t, inst, res)
	})
}

// FuzzScore scores arbitrary stored responses (the JSON the answer store
// keeps): Score must refuse what no honest attempt gives with EINVALID,
// never panic, and keep every score it gives on 0–100.
func FuzzScore(f *testing.F) {
	insts := fuzzInstruments(f)
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for i, inst := range insts {
		answers := map[string]Answer{}
		for _, it := range inst.Items {
			a, _ := someAnswer(inst, it, i%2)
			answers[it.ID] = a
		}
		b, _ := json.Marshal(Responses{StartedAt: start, FinishedAt: start.Add(10 * time.Minute), Answers: answers})
		f.Add(uint8(i), b)
	}
	f.Add(uint8(0), []byte(`{"started_at":"2026-03-02T10:00:00Z","finished_at":"2026-03-02T09:00:00Z","answers":{}}`))
	f.Add(uint8(1), []byte(`{"answers":{"x":{"value":3,"elapsed_ms":-1}}}`))
	f.Add(uint8(2), []byte(`{"started_at":"2026-03-02T10:00:00Z","answers":{"q1":{"choice":"a","answered_at":"2099-01-01T00:00:00Z","elapsed_ms":9223372036854775807}}}`))
	f.Fuzz(func(t *testing.T, which uint8, stored []byte) {
		inst := insts[int(which)%len(insts)]
		var r Responses
		if err := json.Unmarshal(stored, &r); err != nil {
			t.Skip()
		}
		res, err := Score(inst, r)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID {
				t.Fatalf("refused with %v, not EINVALID", err)
			}
			return
		}
		checkResult(t, inst, res)
		if res.MedianAnswerMS < 0 {
			t.Fatalf("median answer time %d", res.MedianAnswerMS)
		}
	})
}
