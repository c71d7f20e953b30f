package assessments

import "time"

// InstrumentKind says how an instrument's items are answered and scored.
type InstrumentKind string

// The three kinds of instrument the engine can score.
const (
	// KindLikert items are statements rated on a numeric agreement scale.
	KindLikert InstrumentKind = "likert"
	// KindForcedChoice items are blocks of statements, one per style, from
	// which the candidate picks the one most and the one least like them.
	KindForcedChoice InstrumentKind = "forced_choice"
	// KindAbility items are questions with one correct option.
	KindAbility InstrumentKind = "ability"
)

// OverallScaleID names the pseudo-scale that carries an ability result's
// percent correct in norms and target profiles; definitions may not use it.
const OverallScaleID = "overall"

// DefaultPageSize is the number of items per page when a definition does not
// set one.
const DefaultPageSize = 10

// Instrument is one assessment definition: what the candidate sees and how
// the answers turn into scores. Instruments are data, loaded from JSON (see
// LoadInstruments), and are not changed after loading.
//
// Items of an ability instrument carry their answer key: views must never
// render Item.Answer.
type Instrument struct {
	ID               string         `json:"id"`
	Name             string         `json:"name"`
	Version          string         `json:"version"`
	Kind             InstrumentKind `json:"kind"`
	Description      string         `json:"description"`
	Instructions     string         `json:"instructions"`
	TimeLimitSeconds int            `json:"time_limit_seconds"`
	EstimatedMinutes int            `json:"estimated_minutes"`
	PageSize         int            `json:"page_size"`
	ResponseFormat   ResponseFormat `json:"response_format"`
	BandCutoffs      BandCutoffs    `json:"band_cutoffs"`
	Validity         ValidityRules  `json:"validity"`
	Scales           []Scale        `json:"scales"`
	Items            []Item         `json:"items"`
	// Translations hold the candidate-facing text in other languages,
	// keyed by language tag ("es"); see In.
	Translations map[string]Translation `json:"translations,omitempty"`
}

// ResponseFormat is the rating scale of a Likert instrument: answers run from
// Min to Max, and Labels names each point in order.
type ResponseFormat struct {
	Min    int      `json:"min"`
	Max    int      `json:"max"`
	Labels []string `json:"labels"`
}

// Band is the coarse reading of a 0–100 score shown to recruiters.
type Band string

// The three bands a scale score falls into.
const (
	BandLow     Band = "low"
	BandAverage Band = "average"
	BandHigh    Band = "high"
)

// Default band cutoffs on the 0–100 score; a third of the range each way
// keeps "average" the widest band, which is where most people are.
const (
	DefaultBandLow  = 35.0
	DefaultBandHigh = 65.0
)

// BandCutoffs splits 0–100 scores into bands: below Low is low, above High is
// high, anything else is average. Zero values mean the defaults.
type BandCutoffs struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// Band returns the band a 0–100 score falls into.
func (c BandCutoffs) Band(score float64) Band {
	if c.Low == 0 && c.High == 0 {
		c = BandCutoffs{Low: DefaultBandLow, High: DefaultBandHigh}
	}
	switch {
	case score < c.Low:
		return BandLow
	case score > c.High:
		return BandHigh
	}
	return BandAverage
}

// Scale is one thing an instrument measures: a personality trait, a work
// style, or an ability area.
type Scale struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Low and High say in a few words what each end of the scale means.
	Low  string `json:"low"`
	High string `json:"high"`
	// Bands holds a plain-language interpretation for each band.
	Bands BandTexts `json:"bands"`
}

// BandTexts is a plain-language interpretation of a scale for each band.
type BandTexts struct {
	Low     string `json:"low"`
	Average string `json:"average"`
	High    string `json:"high"`
}

// Interpret returns the scale's interpretation for a band.
func (s Scale) Interpret(b Band) string {
	switch b {
	case BandLow:
		return s.Bands.Low
	case BandHigh:
		return s.Bands.High
	case BandAverage:
		return s.Bands.Average
	}
	return ""
}

// Item is one thing the candidate answers. Which fields apply depends on the
// instrument's kind:
//   - likert: Text, Scale and Reverse;
//   - forced_choice: an optional Text prompt and Statements, one per scale;
//   - ability: Text (the question), Scale, Choices, Answer and Difficulty.
type Item struct {
	ID         string      `json:"id"`
	Text       string      `json:"text,omitempty"`
	Scale      string      `json:"scale,omitempty"`
	Reverse    bool        `json:"reverse,omitempty"`
	Statements []Statement `json:"statements,omitempty"`
	Choices    []Choice    `json:"choices,omitempty"`
	Answer     string      `json:"answer,omitempty"`
	Difficulty int         `json:"difficulty,omitempty"`
}

// Statement is one of the statements of a forced-choice block, keyed to the
// style (scale) it expresses.
type Statement struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	Style string `json:"style"`
}

// Choice is one option of an ability question.
type Choice struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// TimeLimit returns the instrument's time limit, zero when it has none.
func (inst *Instrument) TimeLimit() time.Duration {
	return time.Duration(inst.TimeLimitSeconds) * time.Second
}

// Scale returns the scale with the given id.
func (inst *Instrument) Scale(id string) (Scale, bool) {
	for _, s := range inst.Scales {
		if s.ID == id {
			return s, true
		}
	}
	return Scale{}, false
}

// Item returns the item with the given id.
func (inst *Instrument) Item(id string) (Item, bool) {
	for _, it := range inst.Items {
		if it.ID == id {
			return it, true
		}
	}
	return Item{}, false
}

// Pages splits the items into pages of PageSize items, in order, as the
// candidate sees them.
func (inst *Instrument) Pages() [][]Item {
	size := inst.PageSize
	if size <= 0 {
		size = DefaultPageSize
	}
	var pages [][]Item
	for start := 0; start < len(inst.Items); start += size {
		end := min(start+size, len(inst.Items))
		pages = append(pages, inst.Items[start:end])
	}
	return pages
}
