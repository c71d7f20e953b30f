package handlers

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/views"
)

// blankScorecardRows is how many empty rows the form offers for new
// scorecard mappings; saving and editing again offers more.
const blankScorecardRows = 2

// catalogFormFor fills the form from a stored (or new) package.
func (h *Catalog) catalogFormFor(ctx context.Context, tenantID int64, pkg assessments.Package) views.CatalogForm {
	pkg = pkg.WithDefaults()
	f := views.CatalogForm{
		ID: pkg.ID, Name: pkg.Name, InstrumentIDs: pkg.InstrumentIDs, Enabled: pkg.Enabled,
		AssessmentTypeID: pkg.AssessmentTypeID, AssessmentTypeName: pkg.AssessmentTypeName, AssessmentList: pkg.AssessmentList,
		TimeLimit: strconv.Itoa(pkg.TimeLimitMinutes), Expiry: strconv.Itoa(pkg.ExpiryDays),
		Reminders: joinInts(pkg.ReminderDays), Language: pkg.Language,
		Recommended: formatNumber(pkg.Thresholds.Recommended), Consider: formatNumber(pkg.Thresholds.Consider),
		Ranges: map[string][3]string{}, Scorecard: pkg.Scorecard,
	}
	for id, r := range pkg.Profile.Ranges {
		w := ""
		if wt, ok := pkg.Profile.Weights[id]; ok {
			w = formatNumber(wt)
		}
		f.Ranges[id] = [3]string{formatNumber(r.Min), formatNumber(r.Max), w}
	}
	h.fillCatalogChoices(ctx, tenantID, &f)
	return f
}

// fillCatalogChoices adds what the form offers: instruments, scorecard
// sources, blank scorecard rows and the tenant's Assessment Type and
// Assessment Name lists.
func (h *Catalog) fillCatalogChoices(ctx context.Context, tenantID int64, f *views.CatalogForm) {
	f.Instruments = h.Library.All()
	f.Sources = sourceOptions(f.Instruments)
	for range blankScorecardRows {
		f.Scorecard = append(f.Scorecard, assessments.ScorecardMapping{})
	}
	if h.AssessmentTypes == nil {
		f.TypesError = "The iCIMS Assessment Type and Assessment Name lists are not available on this server yet."
		return
	}
	lists, err := h.AssessmentTypes.AssessmentLists(ctx, tenantID)
	switch {
	case err != nil:
		h.Log.WarnContext(ctx, "load assessment lists", "tenant", tenantID, "err", err)
		f.TypesError = "JobCannon could not read your Assessment Type and Assessment Name lists from iCIMS. " + assessments.ErrorMessage(err)
	case lists.Empty():
		f.TypesError = "Your iCIMS has neither an Assessment Type nor an Assessment Name custom list."
	default:
		f.Lists = lists.Lists
	}
	f.ListsMissing = lists.Missing
}

// sourceOptions names every result a scorecard field can receive.
func sourceOptions(insts []*assessments.Instrument) []views.SourceOption {
	out := []views.SourceOption{
		{Value: "", Label: "—"},
		{Value: assessments.SourceOverall, Label: "Overall score (0–100)"},
		{Value: assessments.SourceVerdict, Label: "Verdict"},
		{Value: assessments.SourceReportURL, Label: "Report link"},
	}
	for _, inst := range insts {
		for _, s := range inst.Scales {
			out = append(out, views.SourceOption{Value: s.ID, Label: inst.Name + ": " + s.Name})
		}
		if inst.Kind == assessments.KindAbility {
			out = append(out, views.SourceOption{Value: assessments.PercentilePrefix + assessments.OverallScaleID, Label: inst.Name + ": percent correct, percentile"})
		}
		for _, s := range inst.Scales {
			out = append(out, views.SourceOption{Value: assessments.PercentilePrefix + s.ID, Label: inst.Name + ": " + s.Name + ", percentile"})
		}
	}
	return out
}

// parseCatalogForm reads the posted form into a package, keeping the form
// as typed and listing what could not be read.
func (h *Catalog) parseCatalogForm(c echo.Context, tenantID, id int64) (assessments.Package, views.CatalogForm, []assessments.Problem) {
	ctx := c.Request().Context()
	params, _ := c.FormParams()
	f := views.CatalogForm{
		ID: id, Name: strings.TrimSpace(c.FormValue("name")), InstrumentIDs: params["instruments"],
		AssessmentTypeID: strings.TrimSpace(c.FormValue("assessment_type")), AssessmentTypeName: c.FormValue("assessment_type_name"),
		Enabled: c.FormValue("enabled") == "true", TimeLimit: c.FormValue("time_limit"), Expiry: c.FormValue("expiry"),
		Reminders: c.FormValue("reminders"), Recommended: c.FormValue("recommended"), Consider: c.FormValue("consider"),
		Ranges: map[string][3]string{}, Language: c.FormValue("language"),
	}
	var problems []assessments.Problem
	bad := func(field, msg string) { problems = append(problems, assessments.Problem{Field: field, Message: msg}) }
	pkg := assessments.Package{
		ID: id, TenantID: tenantID, Name: f.Name, InstrumentIDs: f.InstrumentIDs, Enabled: f.Enabled,
		AssessmentTypeID: f.AssessmentTypeID, AssessmentTypeName: f.AssessmentTypeName,
		Profile: assessments.TargetProfile{Ranges: map[string]assessments.ScaleRange{}, Weights: map[string]float64{}},
	}
	var ok bool
	if pkg.TimeLimitMinutes, ok = parseInt(f.TimeLimit, 0); !ok {
		bad("time_limit", "Enter the time limit as a whole number of minutes.")
	}
	if pkg.ExpiryDays, ok = parseInt(f.Expiry, assessments.DefaultExpiryDays); !ok {
		bad("expiry", "Enter the expiry as a whole number of days.")
	}
	if tag, ok := views.SupportedLanguage(f.Language); ok && tag == f.Language {
		pkg.Language = tag
	} else if f.Language != "" {
		bad("language", "Choose one of the languages offered.")
	}
	for _, part := range strings.FieldsFunc(f.Reminders, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		d, err := strconv.Atoi(part)
		if err != nil {
			bad("reminders", "Enter reminder days as whole numbers separated by commas, such as 2, 5.")
			break
		}
		pkg.ReminderDays = append(pkg.ReminderDays, d)
	}
	rec, ok1 := parseFloat(f.Recommended, assessments.DefaultThresholds().Recommended)
	con, ok2 := parseFloat(f.Consider, assessments.DefaultThresholds().Consider)
	if !ok1 || !ok2 {
		bad("thresholds", "Enter the thresholds as numbers from 0 to 100.")
	}
	pkg.Thresholds = assessments.Thresholds{Recommended: rec, Consider: con}
	h.parseProfile(c, &f, &pkg, bad)
	fields, sources := params["sc_field"], params["sc_source"]
	for i, field := range fields {
		field = strings.TrimSpace(field)
		if field == "" {
			continue
		}
		src := ""
		if i < len(sources) {
			src = sources[i]
		}
		pkg.Scorecard = append(pkg.Scorecard, assessments.ScorecardMapping{Field: field, Source: src})
	}
	f.Scorecard = pkg.Scorecard
	h.fillCatalogChoices(ctx, tenantID, &f)
	h.resolveAssessmentNode(&f, &pkg, bad)
	return pkg, f, problems
}

// resolveAssessmentNode takes the chosen node's name and list from the
// lists read from iCIMS. A node in none of them is refused, since iCIMS
// would refuse it in the results row; only when no list could be read is a
// typed node id taken as it is.
func (h *Catalog) resolveAssessmentNode(f *views.CatalogForm, pkg *assessments.Package, bad func(field, msg string)) {
	pkg.AssessmentTypeName, pkg.AssessmentList = "", ""
	if pkg.AssessmentTypeID == "" {
		return
	}
	if len(f.Lists) == 0 {
		pkg.AssessmentTypeName = pkg.AssessmentTypeID
		f.AssessmentTypeName = pkg.AssessmentTypeName
		return
	}
	found := assessments.AssessmentLists{Lists: f.Lists}
	n, ok := found.Node(pkg.AssessmentTypeID)
	if !ok {
		bad("assessment_type", "Choose an entry of your iCIMS Assessment Type or Assessment Name list; the one sent is in neither. If you just added it in iCIMS, use Refresh from iCIMS.")
		return
	}
	pkg.AssessmentTypeName, pkg.AssessmentList = n.Value, n.List
	f.AssessmentTypeName, f.AssessmentList = n.Value, n.List
}

// parseProfile reads the ideal ranges of the chosen instruments' scales;
// ranges typed for instruments that are not chosen are dropped.
func (h *Catalog) parseProfile(c echo.Context, f *views.CatalogForm, pkg *assessments.Package, bad func(field, msg string)) {
	for _, inst := range h.Library.All() {
		chosen := slices.Contains(pkg.InstrumentIDs, inst.ID)
		scales := inst.Scales
		if inst.Kind == assessments.KindAbility {
			scales = append([]assessments.Scale{{ID: assessments.OverallScaleID, Name: "percent correct"}}, scales...)
		}
		for _, sc := range scales {
			id := sc.ID
			raw := [3]string{c.FormValue("min." + id), c.FormValue("max." + id), c.FormValue("weight." + id)}
			f.Ranges[id] = raw
			if !chosen || (raw[0] == "" && raw[1] == "") {
				continue
			}
			lo, ok1 := parseFloat(raw[0], -1)
			hi, ok2 := parseFloat(raw[1], -1)
			if !ok1 || !ok2 || lo < 0 || hi < 0 {
				bad("profile", inst.Name+": give both ends of the ideal range for "+sc.Name+" as numbers from 0 to 100.")
				continue
			}
			pkg.Profile.Ranges[id] = assessments.ScaleRange{Min: lo, Max: hi}
			if raw[2] != "" {
				w, ok := parseFloat(raw[2], 1)
				if !ok {
					bad("profile", inst.Name+": the weight of "+sc.Name+" must be a number.")
					continue
				}
				pkg.Profile.Weights[id] = w
			}
		}
	}
}

func parseInt(s string, empty int) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return empty, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func parseFloat(s string, empty float64) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return empty, true
	}
	x, err := strconv.ParseFloat(s, 64)
	return x, err == nil
}

func formatNumber(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(x)
	}
	return strings.Join(parts, ", ")
}
