package assessments

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// Problem is one thing wrong with a form, tied to the field that shows it.
type Problem struct {
	Field   string
	Message string
}

// Problems lists everything wrong with a package, in the order the form
// shows its fields, so an admin can fix it all in one go. An empty list
// means the package is valid.
func (p Package) Problems(lib *Library) []Problem {
	var out []Problem
	add := func(field, format string, args ...any) {
		out = append(out, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	name := strings.TrimSpace(p.Name)
	switch {
	case name == "":
		add("name", "Give the package a name, such as “Sales personality”.")
	case utf8.RuneCountInString(name) > maxPackageName:
		add("name", "Keep the name to %d characters.", maxPackageName)
	}
	insts := p.problemsInstruments(lib, add)
	if strings.TrimSpace(p.AssessmentTypeID) == "" {
		add("assessment_type", "Choose the iCIMS Assessment Type this package answers to.")
	}
	if p.TimeLimitMinutes < 0 || p.TimeLimitMinutes > MaxTimeLimitMinutes {
		add("time_limit", "The time limit must be between 0 (each assessment's own) and %d minutes.", MaxTimeLimitMinutes)
	}
	expiry := p.ExpiryDays
	if expiry == 0 {
		expiry = DefaultExpiryDays
	}
	if expiry < 1 || expiry > MaxExpiryDays {
		add("expiry", "Invitations must expire after 1 to %d days.", MaxExpiryDays)
	}
	p.problemsReminders(expiry, add)
	p.problemsProfile(insts, add)
	if err := p.Thresholds.Validate(); err != nil {
		add("thresholds", "%s", ErrorMessage(err))
	}
	p.problemsScorecard(insts, add)
	return out
}

// Validate returns an EINVALID error naming every problem, or nil.
func (p Package) Validate(lib *Library) error {
	problems := p.Problems(lib)
	if len(problems) == 0 {
		return nil
	}
	msgs := make([]string, len(problems))
	for i, pr := range problems {
		msgs[i] = pr.Message
	}
	return Errorf(EINVALID, "%s", strings.Join(msgs, " "))
}

type addFunc func(field, format string, args ...any)

// problemsInstruments checks the instrument list and returns the known
// instruments, so later checks can look up their scales.
func (p Package) problemsInstruments(lib *Library, add addFunc) []*Instrument {
	if len(p.InstrumentIDs) == 0 {
		add("instruments", "Pick at least one assessment.")
		return nil
	}
	var insts []*Instrument
	seen := map[string]bool{}
	owner := map[string]string{} // scale id → instrument name
	for _, id := range p.InstrumentIDs {
		if seen[id] {
			add("instruments", "%q is listed twice.", id)
			continue
		}
		seen[id] = true
		inst, err := lib.Get(id)
		if err != nil {
			add("instruments", "There is no assessment %q.", id)
			continue
		}
		for _, sid := range scaleIDs(inst) {
			if other, dup := owner[sid]; dup {
				add("instruments", "%s and %s both have a scale %q; put them in separate packages.", other, inst.Name, sid)
			}
			owner[sid] = inst.Name
		}
		insts = append(insts, inst)
	}
	return insts
}

func (p Package) problemsReminders(expiry int, add addFunc) {
	if len(p.ReminderDays) > MaxReminders {
		add("reminders", "Send at most %d reminders.", MaxReminders)
		return
	}
	prev := 0
	for _, d := range p.ReminderDays {
		switch {
		case d < 1 || d >= expiry:
			add("reminders", "Reminder days must fall between day 1 and the day before the invitation expires (day %d); %d does not.", expiry, d)
			return
		case d <= prev:
			add("reminders", "List reminder days once each, in order, such as 2, 5.")
			return
		}
		prev = d
	}
}

// problemsProfile checks each range against the instrument that owns its
// scale, since scale ids are only meaningful within an instrument.
func (p Package) problemsProfile(insts []*Instrument, add addFunc) {
	ownerOf := func(id string) *Instrument {
		for _, inst := range insts {
			if slices.Contains(scaleIDs(inst), id) {
				return inst
			}
		}
		return nil
	}
	for _, id := range slices.Sorted(maps.Keys(p.Profile.Ranges)) {
		inst := ownerOf(id)
		if inst == nil {
			add("profile", "No assessment in this package has a scale %q.", id)
			continue
		}
		sub := TargetProfile{Ranges: map[string]ScaleRange{id: p.Profile.Ranges[id]}}
		if err := sub.Validate(inst); err != nil {
			add("profile", "%s: %s", scaleLabel(inst, id), rangeMessage(p.Profile.Ranges[id]))
		}
	}
	for _, id := range slices.Sorted(maps.Keys(p.Profile.Weights)) {
		inst := ownerOf(id)
		switch {
		case inst == nil:
			add("profile", "No assessment in this package has a scale %q.", id)
		case p.Profile.Weights[id] < 0 || p.Profile.Weights[id] > 10:
			add("profile", "%s: the weight must be between 0 and 10.", scaleLabel(inst, id))
		}
	}
}

func rangeMessage(r ScaleRange) string {
	return fmt.Sprintf("the ideal range %g–%g must lie within 0–100 with the lower end first.", r.Min, r.Max)
}

func scaleLabel(inst *Instrument, id string) string {
	if id == OverallScaleID {
		return inst.Name + " (percent correct)"
	}
	return scaleName(inst, id)
}

func (p Package) problemsScorecard(insts []*Instrument, add addFunc) {
	if len(p.Scorecard) > MaxScorecardRows {
		add("scorecard", "Map at most %d scorecard fields.", MaxScorecardRows)
		return
	}
	sources := ScorecardSources(insts)
	seen := map[string]bool{}
	for _, m := range p.Scorecard {
		switch {
		case !validFieldName(m.Field):
			add("scorecard", "%q is not an iCIMS field name; use the field's id, such as rcf3001.", m.Field)
		case seen[m.Field]:
			add("scorecard", "The field %s is mapped twice.", m.Field)
		case !slices.Contains(sources, m.Source):
			add("scorecard", "The field %s is mapped to %q, which this package does not produce.", m.Field, m.Source)
		}
		seen[m.Field] = true
	}
}

// validFieldName accepts iCIMS field ids: letters, digits and underscores,
// starting with a letter.
func validFieldName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '_'):
		default:
			return false
		}
	}
	return true
}
