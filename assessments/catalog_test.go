package assessments

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func builtinLib(t *testing.T) *Library {
	t.Helper()
	lib, err := BuiltinInstruments()
	require.NoError(t, err)
	return lib
}

func validPackage() Package {
	return Package{
		TenantID: 1, Name: "Sales", InstrumentIDs: []string{"big-five-work", "reasoning"},
		AssessmentTypeID: "D1", AssessmentTypeName: "Sales", Enabled: true, ExpiryDays: 7, ReminderDays: []int{2, 5},
		Profile: TargetProfile{
			Ranges:  map[string]ScaleRange{"extraversion": {Min: 60, Max: 100}, OverallScaleID: {Min: 50, Max: 100}},
			Weights: map[string]float64{"extraversion": 2},
		},
		Thresholds: Thresholds{Recommended: 75, Consider: 55},
		Scorecard: []ScorecardMapping{
			{Field: "rcf3001", Source: SourceOverall}, {Field: "rcf3002", Source: SourceVerdict},
			{Field: "rcf3003", Source: "extraversion"}, {Field: "rcf3004", Source: "percentile:overall"},
			{Field: "rcf3005", Source: SourceReportURL},
		},
	}
}

func TestPackageValidation(t *testing.T) {
	lib := builtinLib(t)
	require.Empty(t, validPackage().Problems(lib))
	require.NoError(t, validPackage().Validate(lib))

	cases := []struct {
		name  string
		edit  func(*Package)
		field string
		msg   string
	}{
		{"no name", func(p *Package) { p.Name = "  " }, "name", "Give the package a name"},
		{"long name", func(p *Package) { p.Name = strings.Repeat("x", 101) }, "name", "100 characters"},
		{"no instruments", func(p *Package) { p.InstrumentIDs = nil; p.Profile = TargetProfile{}; p.Scorecard = nil }, "instruments", "at least one"},
		{"unknown instrument", func(p *Package) { p.InstrumentIDs = append(p.InstrumentIDs, "iq-9000") }, "instruments", `no assessment "iq-9000"`},
		{"instrument twice", func(p *Package) { p.InstrumentIDs = append(p.InstrumentIDs, "reasoning") }, "instruments", "listed twice"},
		{"no assessment type", func(p *Package) { p.AssessmentTypeID = "" }, "assessment_type", "Assessment Type"},
		{"negative time limit", func(p *Package) { p.TimeLimitMinutes = -1 }, "time_limit", "between 0"},
		{"huge time limit", func(p *Package) { p.TimeLimitMinutes = 241 }, "time_limit", "240 minutes"},
		{"expiry too long", func(p *Package) { p.ExpiryDays = 91 }, "expiry", "1 to 90 days"},
		{"reminder on expiry day", func(p *Package) { p.ReminderDays = []int{2, 7} }, "reminders", "7 does not"},
		{"reminders out of order", func(p *Package) { p.ReminderDays = []int{5, 2} }, "reminders", "in order"},
		{"too many reminders", func(p *Package) { p.ExpiryDays = 30; p.ReminderDays = []int{1, 2, 3, 4, 5, 6} }, "reminders", "at most 5"},
		{"range on a scale of no instrument", func(p *Package) { p.Profile.Ranges["driving"] = ScaleRange{Min: 1, Max: 2} }, "profile", `has a scale "driving"`},
		{"range upside down", func(p *Package) { p.Profile.Ranges["openness"] = ScaleRange{Min: 80, Max: 20} }, "profile", "Openness: the ideal range 80–20"},
		{"range past 100", func(p *Package) { p.Profile.Ranges["openness"] = ScaleRange{Min: 20, Max: 120} }, "profile", "within 0–100"},
		{"negative weight", func(p *Package) { p.Profile.Weights["openness"] = -1 }, "profile", "weight must be between 0 and 10"},
		{"thresholds crossed", func(p *Package) { p.Thresholds = Thresholds{Recommended: 40, Consider: 60} }, "thresholds", "consider ≤ recommended"},
		{"field name", func(p *Package) { p.Scorecard[0].Field = "rcf 3001" }, "scorecard", "not an iCIMS field name"},
		{"field twice", func(p *Package) { p.Scorecard[1].Field = "rcf3001" }, "scorecard", "mapped twice"},
		{"source of another instrument", func(p *Package) { p.Scorecard[2].Source = "driving" }, "scorecard", `"driving", which this package does not produce`},
		{"unknown source", func(p *Package) { p.Scorecard[2].Source = "percentile:nope" }, "scorecard", "does not produce"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := validPackage()
			p.Profile.Ranges = map[string]ScaleRange{"extraversion": {Min: 60, Max: 100}, OverallScaleID: {Min: 50, Max: 100}}
			p.Profile.Weights = map[string]float64{"extraversion": 2}
			c.edit(&p)
			problems := p.Problems(lib)
			require.NotEmpty(t, problems)
			assert.Equal(t, c.field, problems[0].Field)
			assert.Contains(t, problems[0].Message, c.msg)
			err := p.Validate(lib)
			assert.Equal(t, EINVALID, ErrorCode(err))
			assert.Contains(t, ErrorMessage(err), c.msg)
		})
	}
}

func TestPackageValidationCollidingScales(t *testing.T) {
	// Two ability tests both have the "overall" pseudo-scale, and here the
	// same "alpha" scale too: a profile could not tell them apart.
	data, err := os.ReadFile("testdata/valid/tiny-ability.json")
	require.NoError(t, err)
	copied := strings.Replace(string(data), `"id": "tiny-ability"`, `"id": "tiny-ability-2"`, 1)
	lib, err := LoadInstruments(fstest.MapFS{
		"tiny-ability.json":   {Data: data},
		"tiny-ability-2.json": {Data: []byte(copied)},
	})
	require.NoError(t, err)
	p := Package{Name: "Two", InstrumentIDs: []string{"tiny-ability", "tiny-ability-2"}, AssessmentTypeID: "x"}
	problems := p.Problems(lib)
	require.NotEmpty(t, problems)
	assert.Equal(t, "instruments", problems[0].Field)
	assert.Contains(t, problems[0].Message, "both have a scale")
}

func TestPackageDefaultsAndInstruments(t *testing.T) {
	lib := builtinLib(t)
	p := Package{InstrumentIDs: []string{"big-five-work", "reasoning"}}.WithDefaults()
	assert.Equal(t, DefaultExpiryDays, p.ExpiryDays)
	assert.Equal(t, DefaultThresholds(), p.Thresholds)

	insts, err := p.Instruments(lib, 0)
	require.NoError(t, err)
	assert.Equal(t, 0, insts[0].TimeLimitSeconds)
	assert.Equal(t, 720, insts[1].TimeLimitSeconds, "each instrument's own limit")

	insts, err = p.Instruments(lib, 5)
	require.NoError(t, err)
	assert.Equal(t, 0, insts[0].TimeLimitSeconds, "extra time does not time an untimed instrument")
	assert.Equal(t, 720+300, insts[1].TimeLimitSeconds)

	p.TimeLimitMinutes = 20
	insts, err = p.Instruments(lib, 5)
	require.NoError(t, err)
	assert.Equal(t, 25*60, insts[1].TimeLimitSeconds, "the package's limit replaces the instrument's, plus extra time")
	assert.Equal(t, 25*60, insts[0].TimeLimitSeconds, "and applies to every instrument of the package")
	orig, _ := lib.Get("reasoning")
	assert.Equal(t, 720, orig.TimeLimitSeconds, "the library is not changed")
	assert.Equal(t, 25+25, p.EstimatedMinutes(insts))
}

func TestPackageFitWeighsInstruments(t *testing.T) {
	lib := builtinLib(t)
	big, _ := lib.Get("big-five-work")
	reasoning, _ := lib.Get("reasoning")
	p := Package{
		Profile: TargetProfile{
			Ranges:  map[string]ScaleRange{"extraversion": {Min: 60, Max: 100}, "openness": {Min: 0, Max: 100}, OverallScaleID: {Min: 80, Max: 100}},
			Weights: map[string]float64{"openness": 0},
		},
	}.WithDefaults()
	personality := Result{Kind: KindLikert, Scales: []ScaleScore{{Scale: "extraversion", Score: 35, Scored: true}, {Scale: "openness", Score: 90, Scored: true}}}
	ability := Result{Kind: KindAbility, PercentCorrect: 80}
	// Big Five: extraversion is 25 below its range: 100*(1-25/50) = 50, weight 1
	// (openness weighs 0). Reasoning: inside its range, 100, weight 1.
	overall, verdict := PackageFit(p, []*Instrument{big, reasoning}, []Result{personality, ability})
	assert.Equal(t, 75.0, overall)
	assert.Equal(t, VerdictRecommended, verdict)

	p.Profile.Weights[OverallScaleID] = 3
	overall, _ = PackageFit(p, []*Instrument{big, reasoning}, []Result{personality, ability})
	assert.Equal(t, 87.5, overall, "(50*1 + 100*3) / 4")

	overall, verdict = PackageFit(Package{}.WithDefaults(), []*Instrument{reasoning}, []Result{{Kind: KindAbility, PercentCorrect: 40}})
	assert.Equal(t, 40.0, overall, "no profile: percent correct")
	assert.Equal(t, VerdictNotRecommended, verdict)
}

func TestScorecardSources(t *testing.T) {
	lib := builtinLib(t)
	big, _ := lib.Get("big-five-work")
	reasoning, _ := lib.Get("reasoning")
	got := ScorecardSources([]*Instrument{big, reasoning})
	assert.Equal(t, []string{SourceOverall, SourceVerdict, SourceReportURL}, got[:3])
	assert.Contains(t, got, "openness")
	assert.Contains(t, got, "percentile:openness")
	assert.Contains(t, got, "percentile:overall")
	assert.Equal(t, 1, strings.Count(strings.Join(got, ","), ",overall,")+boolInt(got[0] == "overall"), "overall appears once as a plain source")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
