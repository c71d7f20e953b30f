package assessments

import (
	"errors"
	"fmt"
	"path"
	"strings"
)

// DefinitionError is one problem in an instrument definition file. Item is
// the id of the item (or forced-choice block) at fault, empty when the
// problem is with the instrument as a whole or one of its scales.
type DefinitionError struct {
	File    string
	Item    string
	Problem string
}

// Error implements the error interface.
func (e *DefinitionError) Error() string {
	if e.Item == "" {
		return fmt.Sprintf("instruments: %s: %s", e.File, e.Problem)
	}
	return fmt.Sprintf("instruments: %s: item %q: %s", e.File, e.Item, e.Problem)
}

// Bounds of a definition: a rating scale is read on one screen, and a
// timed instrument is taken in one sitting.
const (
	MaxLikertPoints     = 11
	MaxTimeLimitSeconds = 24 * 60 * 60
)

// validID keeps ids safe in URLs, form field names and JSON keys: lowercase
// letters, digits, '-' and '_', starting with a letter or digit.
func validID(id string) bool {
	for i, r := range id {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
		case (r == '-' || r == '_') && i > 0:
		default:
			return false
		}
	}
	return id != ""
}

// checker collects every problem in a definition, so that an author fixes a
// file in one pass rather than one error per run.
type checker struct {
	file     string
	scaleIDs []string // in definition order, so problems come out in a stable order
	problems []error
}

func (c *checker) add(item, format string, args ...any) {
	c.problems = append(c.problems, &DefinitionError{File: c.file, Item: item, Problem: fmt.Sprintf(format, args...)})
}

func (c *checker) err() error { return errors.Join(c.problems...) }

// validate checks a decoded definition and returns every problem found,
// joined, or nil.
func validate(file string, inst *Instrument) error {
	c := &checker{file: file}
	c.header(inst)
	scales := c.scales(inst)
	switch inst.Kind {
	case KindLikert:
		c.responseFormat(inst.ResponseFormat)
		c.items(inst, scales, c.likertItem)
	case KindForcedChoice:
		if len(c.scaleIDs) < 2 {
			// With one statement a block has no "least like me" to pick.
			c.add("", "a forced-choice instrument needs at least two styles")
		}
		c.items(inst, scales, c.block)
	case KindAbility:
		c.items(inst, scales, c.question)
	}
	c.translations(inst)
	return c.err()
}

func (c *checker) header(inst *Instrument) {
	if !validID(inst.ID) {
		c.add("", "instrument id %q must be lowercase letters, digits, '-' or '_'", inst.ID)
	} else if want := strings.TrimSuffix(path.Base(c.file), ".json"); inst.ID != want {
		c.add("", "instrument id %q does not match the file name", inst.ID)
	}
	if inst.Name == "" {
		c.add("", "name is missing")
	}
	if inst.Version == "" {
		c.add("", "version is missing")
	}
	switch inst.Kind {
	case KindLikert, KindForcedChoice, KindAbility:
	default:
		c.add("", "kind %q is not likert, forced_choice or ability", inst.Kind)
	}
	if inst.TimeLimitSeconds < 0 {
		c.add("", "time limit %d is negative", inst.TimeLimitSeconds)
	} else if inst.TimeLimitSeconds > MaxTimeLimitSeconds {
		// Past this, seconds overflow a time.Duration and every answer
		// would count as late.
		c.add("", "time limit %d is over a day", inst.TimeLimitSeconds)
	}
	if inst.EstimatedMinutes <= 0 {
		c.add("", "estimated minutes must be positive")
	}
	if inst.PageSize < 0 {
		c.add("", "page size %d is negative", inst.PageSize)
	}
	cut := inst.BandCutoffs
	if (cut != BandCutoffs{}) && !(0 < cut.Low && cut.Low < cut.High && cut.High < 100) {
		c.add("", "band cutoffs must satisfy 0 < low < high < 100")
	}
	v := inst.Validity
	if v.MaxRun < 0 || v.MinStdDev < 0 || v.MinMedianMS < 0 || v.MaxSkippedPercent < 0 || v.MaxSkippedPercent > 100 {
		c.add("", "validity thresholds must not be negative, and max skipped percent at most 100")
	}
}

// scales checks the scale list and returns the set of known scale ids.
func (c *checker) scales(inst *Instrument) map[string]bool {
	known := map[string]bool{}
	if len(inst.Scales) == 0 {
		c.add("", "no scales")
	}
	for _, s := range inst.Scales {
		switch {
		case !validID(s.ID):
			c.add("", "scale id %q must be lowercase letters, digits, '-' or '_'", s.ID)
		case s.ID == OverallScaleID:
			c.add("", "scale id %q is reserved", s.ID)
		case known[s.ID]:
			c.add("", "duplicate scale id %q", s.ID)
		}
		if !known[s.ID] {
			c.scaleIDs = append(c.scaleIDs, s.ID)
		}
		known[s.ID] = true
		if s.Name == "" || s.Low == "" || s.High == "" {
			c.add("", "scale %q needs a name and what low and high mean", s.ID)
		}
		if s.Bands.Low == "" || s.Bands.Average == "" || s.Bands.High == "" {
			c.add("", "scale %q needs an interpretation for each band (low, average, high)", s.ID)
		}
	}
	return known
}

func (c *checker) responseFormat(f ResponseFormat) {
	if f.Min >= f.Max {
		c.add("", "response format min %d must be below max %d", f.Min, f.Max)
		return
	}
	// The span in unsigned arithmetic is exact: Max-Min in ints can
	// overflow and make an absurd range look like one with no labels.
	span := uint64(f.Max) - uint64(f.Min)
	if span >= MaxLikertPoints {
		c.add("", "response format from %d to %d has more than %d points", f.Min, f.Max, MaxLikertPoints)
		return
	}
	if len(f.Labels) != int(span)+1 {
		c.add("", "response format has %d labels for %d points", len(f.Labels), span+1)
	}
}

// items checks what every kind shares (unique ids, every scale used) and
// hands each item to the kind's own check, which returns the scales it used.
func (c *checker) items(inst *Instrument, scales map[string]bool, check func(Item, map[string]bool) []string) {
	if len(inst.Items) == 0 {
		c.add("", "no items")
	}
	seen := map[string]bool{}
	used := map[string]bool{}
	for _, it := range inst.Items {
		if !validID(it.ID) {
			c.add(it.ID, "item id must be lowercase letters, digits, '-' or '_'")
		} else if seen[it.ID] {
			c.add(it.ID, "duplicate item id")
		}
		seen[it.ID] = true
		for _, s := range check(it, scales) {
			used[s] = true
		}
	}
	for _, s := range inst.Scales {
		if !used[s.ID] && len(inst.Items) > 0 {
			c.add("", "scale %q has no items", s.ID)
		}
	}
}

func (c *checker) scaleRef(item, scale string, scales map[string]bool) {
	if scale == "" {
		c.add(item, "scale is missing")
	} else if !scales[scale] {
		c.add(item, "unknown scale %q", scale)
	}
}

func (c *checker) likertItem(it Item, scales map[string]bool) []string {
	if it.Text == "" {
		c.add(it.ID, "text is missing")
	}
	c.scaleRef(it.ID, it.Scale, scales)
	if len(it.Statements) > 0 || len(it.Choices) > 0 || it.Answer != "" || it.Difficulty != 0 {
		c.add(it.ID, "a likert item has only text, scale and reverse")
	}
	return []string{it.Scale}
}

func (c *checker) block(it Item, scales map[string]bool) []string {
	if it.Reverse {
		c.add(it.ID, "reverse key on a non-likert item")
	}
	if it.Scale != "" || len(it.Choices) > 0 || it.Answer != "" || it.Difficulty != 0 {
		c.add(it.ID, "a forced-choice block has only an optional text and statements")
	}
	count := map[string]int{}
	ids := map[string]bool{}
	var styles []string
	for _, st := range it.Statements {
		if st.ID == "" || ids[st.ID] {
			c.add(it.ID, "statement id %q is missing or repeated", st.ID)
		}
		ids[st.ID] = true
		if st.Text == "" {
			c.add(it.ID, "statement %q has no text", st.ID)
		}
		if !scales[st.Style] {
			c.add(it.ID, "statement %q: unknown style %q", st.ID, st.Style)
			continue
		}
		count[st.Style]++
		styles = append(styles, st.Style)
	}
	for _, s := range c.scaleIDs {
		if count[s] != 1 {
			c.add(it.ID, "block needs exactly one statement per style: style %q has %d", s, count[s])
		}
	}
	return styles
}

func (c *checker) question(it Item, scales map[string]bool) []string {
	if it.Text == "" {
		c.add(it.ID, "question text is missing")
	}
	if it.Reverse {
		c.add(it.ID, "reverse key on a non-likert item")
	}
	if len(it.Statements) > 0 {
		c.add(it.ID, "an ability question has choices, not statements")
	}
	c.scaleRef(it.ID, it.Scale, scales)
	if len(it.Choices) < 2 {
		c.add(it.ID, "needs at least two choices")
	}
	ids := map[string]bool{}
	for _, ch := range it.Choices {
		if ch.ID == "" || ids[ch.ID] {
			c.add(it.ID, "choice id %q is missing or repeated", ch.ID)
		}
		ids[ch.ID] = true
		if ch.Text == "" {
			c.add(it.ID, "choice %q has no text", ch.ID)
		}
	}
	switch {
	case it.Answer == "":
		c.add(it.ID, "missing answer key")
	case !ids[it.Answer]:
		c.add(it.ID, "answer key %q is not one of the choices", it.Answer)
	}
	if it.Difficulty < 1 || it.Difficulty > 3 {
		c.add(it.ID, "difficulty %d is not 1, 2 or 3", it.Difficulty)
	}
	return []string{it.Scale}
}
