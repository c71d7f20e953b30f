package assessments

import (
	"context"
	"time"
)

// AssessmentType is one node of a tenant's iCIMS Assessment Type or
// Assessment Name custom list: the name a package goes by inside iCIMS (a
// job's assessmenttype field and the assessmentname of a results row).
type AssessmentType struct {
	ID    string
	Value string
	// List is the name of the custom list the node is in, such as
	// "Assessment Name"; empty where iCIMS gives a node on its own (a job's
	// assessmenttype).
	List string
}

// Scorecard sources: what a mapped iCIMS field receives. Besides these, a
// scale id sends that scale's 0–100 score and PercentilePrefix + a scale id
// its percentile.
const (
	SourceOverall    = "overall"
	SourceVerdict    = "verdict"
	SourceReportURL  = "report_url"
	PercentilePrefix = "percentile:"
)

// ScorecardMapping sends one result value to one iCIMS field, such as the
// custom field "rcf3001".
type ScorecardMapping struct {
	Field  string `json:"field"`
	Source string `json:"source"`
}

// Package defaults and bounds.
const (
	DefaultExpiryDays   = 7
	MaxExpiryDays       = 90
	MaxTimeLimitMinutes = 240
	MaxReminders        = 5
	MaxScorecardRows    = 20
	maxPackageName      = 100
)

// Package is what a tenant sends to candidates: one or more instruments
// under one iCIMS Assessment Type node, with its timing, the profile that
// turns scores into a fit and a verdict, and where results go.
type Package struct {
	ID            int64
	TenantID      int64
	Name          string
	InstrumentIDs []string
	// AssessmentTypeID and AssessmentTypeName are the iCIMS list node the
	// package answers to; the name is kept so pages and the write-back need
	// no call to iCIMS.
	AssessmentTypeID   string
	AssessmentTypeName string
	// AssessmentList is the custom list the node is in (the Assessment Type
	// or the Assessment Name list, vendors load packages into both); empty
	// for a node id typed by hand when no list could be read.
	AssessmentList string
	Enabled        bool
	// TimeLimitMinutes, when above zero, replaces the time limit of every
	// instrument in the package; zero keeps each instrument's own.
	TimeLimitMinutes int
	ExpiryDays       int
	// ReminderDays are the days after sending on which an unfinished
	// candidate is reminded, ascending.
	ReminderDays []int
	// Profile holds ideal ranges keyed by scale id; scale ids must therefore
	// be unique across the package's instruments.
	Profile    TargetProfile
	Thresholds Thresholds
	Scorecard  []ScorecardMapping
	// Language is the candidate pages' language for this package, a tag
	// such as "es"; empty lets each candidate's browser decide.
	Language  string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CatalogStore keeps each tenant's packages.
type CatalogStore interface {
	Packages(ctx context.Context, tenantID int64) ([]Package, error)
	Package(ctx context.Context, tenantID, id int64) (Package, error)
	// PackageByAssessmentType finds the package mapped to an iCIMS
	// Assessment Type node, ENOTFOUND if none is.
	PackageByAssessmentType(ctx context.Context, tenantID int64, typeID string) (Package, error)
	// SavePackage creates the package when its ID is zero and updates it
	// otherwise. It validates first; a name or Assessment Type already used
	// by another package of the tenant is ECONFLICT.
	SavePackage(ctx context.Context, lib *Library, p Package) (Package, error)
	SetPackageEnabled(ctx context.Context, tenantID, id int64, enabled bool) error
}

// WithDefaults fills what an admin may leave empty.
func (p Package) WithDefaults() Package {
	if p.ExpiryDays == 0 {
		p.ExpiryDays = DefaultExpiryDays
	}
	if p.Thresholds == (Thresholds{}) {
		p.Thresholds = DefaultThresholds()
	}
	if p.Profile.Ranges == nil {
		p.Profile.Ranges = map[string]ScaleRange{}
	}
	if p.Profile.Weights == nil {
		p.Profile.Weights = map[string]float64{}
	}
	return p
}

// Instruments returns the package's instruments in order, each with the
// package's time limit applied and extraMinutes (an accommodation) added to
// any timed one. The returned instruments are copies: changing them does not
// change the library.
func (p Package) Instruments(lib *Library, extraMinutes int) ([]*Instrument, error) {
	out := make([]*Instrument, 0, len(p.InstrumentIDs))
	for _, id := range p.InstrumentIDs {
		inst, err := lib.Get(id)
		if err != nil {
			return nil, err
		}
		cp := *inst
		if p.TimeLimitMinutes > 0 {
			cp.TimeLimitSeconds = p.TimeLimitMinutes * 60
		}
		if cp.TimeLimitSeconds > 0 && extraMinutes > 0 {
			cp.TimeLimitSeconds += extraMinutes * 60
		}
		out = append(out, &cp)
	}
	return out, nil
}

// EstimatedMinutes is how long the package takes, for the welcome page.
func (p Package) EstimatedMinutes(insts []*Instrument) int {
	total := 0
	for _, inst := range insts {
		m := inst.EstimatedMinutes
		if inst.TimeLimitSeconds > 0 {
			m = max(m, (inst.TimeLimitSeconds+59)/60)
		}
		total += m
	}
	return total
}

// ScorecardSources lists the sources a scorecard row may use for the given
// instruments, in the order a form offers them.
func ScorecardSources(insts []*Instrument) []string {
	out := []string{SourceOverall, SourceVerdict, SourceReportURL}
	for _, inst := range insts {
		ids := scaleIDs(inst)
		for _, id := range ids {
			// "overall" already names the package's fit; an ability test's
			// percent correct is still reachable as its percentile.
			if id != OverallScaleID {
				out = append(out, id)
			}
		}
		for _, id := range ids {
			out = append(out, PercentilePrefix+id)
		}
	}
	return out
}

// scaleIDs are the ids a profile or a scorecard may name for an instrument:
// its scales, and OverallScaleID for an ability test.
func scaleIDs(inst *Instrument) []string {
	ids := make([]string, 0, len(inst.Scales)+1)
	for _, s := range inst.Scales {
		ids = append(ids, s.ID)
	}
	if inst.Kind == KindAbility {
		ids = append(ids, OverallScaleID)
	}
	return ids
}
