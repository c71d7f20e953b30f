package assessments

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
)

//go:embed instruments/*.json
var builtinInstrumentFiles embed.FS

// Library is a set of validated instruments, keyed by id.
type Library struct {
	byID map[string]*Instrument
	all  []*Instrument // sorted by id
}

// BuiltinInstruments loads the instruments shipped with the product.
func BuiltinInstruments() (*Library, error) {
	sub, err := fs.Sub(builtinInstrumentFiles, "instruments")
	if err != nil {
		return nil, fmt.Errorf("instruments: builtin: %w", err)
	}
	return LoadInstruments(sub)
}

// LoadInstruments parses and validates every *.json file at the root of fsys.
// It reports every problem of every file at once, each as a *DefinitionError
// joined into the returned error, and returns no library if there is any.
func LoadInstruments(fsys fs.FS) (*Library, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("instruments: list: %w", err)
	}
	if len(names) == 0 {
		return nil, errors.New("instruments: no *.json definitions found")
	}
	lib := &Library{byID: map[string]*Instrument{}}
	var problems []error
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			problems = append(problems, fmt.Errorf("instruments: %s: %w", name, err))
			continue
		}
		inst, err := ParseInstrument(name, data)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		lib.byID[inst.ID] = inst
		lib.all = append(lib.all, inst)
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	sort.Slice(lib.all, func(i, j int) bool { return lib.all[i].ID < lib.all[j].ID })
	return lib, nil
}

// ParseInstrument decodes and validates one definition. file names the source
// in errors, and its base name must be the instrument's id plus ".json", so
// that ids stay unique across a directory and a definition is easy to find.
// Unknown JSON fields are rejected because a misspelt "reverse" would
// otherwise silently score an item the wrong way round.
func ParseInstrument(file string, data []byte) (*Instrument, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var inst Instrument
	if err := dec.Decode(&inst); err != nil {
		return nil, &DefinitionError{File: file, Problem: "invalid JSON: " + err.Error()}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &DefinitionError{File: file, Problem: "invalid JSON: data after the definition"}
	}
	if err := validate(file, &inst); err != nil {
		return nil, err
	}
	inst.applyDefaults()
	return &inst, nil
}

// applyDefaults fills the optional settings so that a loaded instrument shows
// the values that scoring actually uses.
func (inst *Instrument) applyDefaults() {
	if inst.PageSize == 0 {
		inst.PageSize = DefaultPageSize
	}
	if inst.BandCutoffs == (BandCutoffs{}) {
		inst.BandCutoffs = BandCutoffs{Low: DefaultBandLow, High: DefaultBandHigh}
	}
	inst.Validity = inst.Validity.withDefaults(inst.Kind)
}

// Get returns the instrument with the given id, or an ENOTFOUND error.
func (l *Library) Get(id string) (*Instrument, error) {
	inst, ok := l.byID[id]
	if !ok {
		return nil, Errorf(ENOTFOUND, "Unknown assessment %q.", id)
	}
	return inst, nil
}

// All returns every instrument, sorted by id. The slice is the caller's; the
// instruments are shared and must not be changed.
func (l *Library) All() []*Instrument {
	return append([]*Instrument(nil), l.all...)
}
