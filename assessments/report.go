package assessments

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/jobcannon/jobcannon/routes"
)

// Signer signs and verifies links; secrets.Keyring is one.
type Signer interface {
	Sign(msg []byte) string
	Verify(msg []byte, sig string) bool
}

// ReportPathPrefix is where report links live: the signed token follows.
const ReportPathPrefix = routes.ReportPrefix + "/"

// reportMessage is what a report link signs; the prefix keeps a report
// signature from being valid for any other kind of link.
func reportMessage(reportID string) []byte { return []byte("report:" + reportID) }

// ReportPath returns the path of the signed report link for a report id.
func ReportPath(signer Signer, reportID string) string {
	return routes.ReportShow(reportID + "." + signer.Sign(reportMessage(reportID)))
}

// ReportURL returns the absolute report link that the write-back sends to
// iCIMS as assessmenturl. The invitation's ReportID exists from creation,
// so the link can go out with the Sent row and shows the result once the
// candidate completes.
func ReportURL(base *url.URL, signer Signer, reportID string) string {
	return strings.TrimRight(base.String(), "/") + ReportPath(signer, reportID)
}

// ParseReportToken checks the last path segment of a report link and
// returns its report id.
func ParseReportToken(signer Signer, token string) (string, bool) {
	id, sig, ok := strings.Cut(token, ".")
	if !ok || id == "" || !signer.Verify(reportMessage(id), sig) {
		return "", false
	}
	return id, true
}

// Reports opens recruiter reports from their signed links.
type Reports struct {
	Signer      Signer
	Library     *Library
	Catalog     CatalogStore
	Invitations InvitationStore
	Results     ResultStore
	// Tenants gives the report its tenant's time zone.
	Tenants TenantStore
}

// Report is what the recruiter report shows.
type Report struct {
	Invitation Invitation
	Package    Package
	// Completed is false while the candidate has not finished; Result and
	// Parts are then empty.
	Completed bool
	Result    PackageResult
	Parts     []ReportPart
	// Why explains the verdict: traits against their ideal ranges and
	// what each validity flag means.
	Why VerdictReason
	// Zone is the tenant's time zone: the recruiter reads the report's
	// times as the tenant's admins read them.
	Zone *time.Location
}

// ReportPart is one instrument's section of a report.
type ReportPart struct {
	Name     string
	Kind     InstrumentKind
	Headline string
	Rows     []ReportRow
	Flags    []ValidityFlag
	Result   Result
}

// ReportRow is one scale of a report.
type ReportRow struct {
	Scale          string
	Name           string
	Low, High      string
	Scored         bool
	Score          float64
	Band           Band
	Percentile     ScalePercentile
	Interpretation string
	// Ideal is the package profile's range for the scale, if it has one.
	Ideal    ScaleRange
	HasIdeal bool
}

// errBadReportLink is one answer for every link that does not open a
// report, so a guesser learns nothing about which part was wrong.
func errBadReportLink() error {
	return Errorf(ENOTFOUND, "This report link is not valid. Open the report again from the candidate's record in iCIMS.")
}

// Open checks a report link's signature and returns its report. A
// withdrawn link is EFORBIDDEN.
func (r *Reports) Open(ctx context.Context, token string) (Report, error) {
	id, ok := ParseReportToken(r.Signer, token)
	if !ok {
		return Report{}, errBadReportLink()
	}
	inv, err := r.Invitations.InvitationByReportID(ctx, id)
	if ErrorCode(err) == ENOTFOUND {
		return Report{}, errBadReportLink()
	} else if err != nil {
		return Report{}, err
	}
	pkg, err := r.Catalog.Package(ctx, inv.TenantID, inv.PackageID)
	if err != nil {
		return Report{}, err
	}
	tenant, err := r.Tenants.Tenant(ctx, inv.TenantID)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Invitation: inv, Package: pkg, Zone: tenant.Location()}
	if inv.Status != StatusCompleted {
		return rep, nil
	}
	res, err := r.Results.ResultByInvitation(ctx, inv.TenantID, inv.ID)
	if err != nil {
		return Report{}, err
	}
	if !res.RevokedAt.IsZero() {
		return Report{}, Errorf(EFORBIDDEN, "This report link has been withdrawn by %s. Ask your JobCannon admin if you still need it.", nonEmpty(inv.CompanyName, "the company"))
	}
	rep.Completed, rep.Result = true, res
	insts := make([]*Instrument, 0, len(res.Instruments))
	results := make([]Result, 0, len(res.Instruments))
	for _, ir := range res.Instruments {
		inst, err := r.Library.Get(ir.InstrumentID)
		if err != nil {
			return Report{}, err
		}
		rep.Parts = append(rep.Parts, reportPart(inst, pkg.Profile, ir))
		insts, results = append(insts, inst), append(results, ir.Result)
	}
	rep.Why = ExplainVerdict(pkg, insts, results, res.Overall, res.Verdict)
	return rep, nil
}

func reportPart(inst *Instrument, profile TargetProfile, ir InstrumentResult) ReportPart {
	res := ir.Result
	part := ReportPart{Name: inst.Name, Kind: inst.Kind, Flags: res.Flags, Result: res}
	switch inst.Kind {
	case KindAbility:
		part.Headline = FormatScore(res.PercentCorrect) + "% correct (difficulty-weighted " + FormatScore(res.WeightedPercent) + "%)"
		if p, ok := ir.Percentile(OverallScaleID); ok && p.Normed {
			part.Headline += ", percentile " + whole(p.Percentile)
		}
	case KindForcedChoice:
		if res.PrimaryStyle != "" {
			part.Headline = "Primary style " + scaleName(inst, res.PrimaryStyle) + ", secondary " + scaleName(inst, res.SecondaryStyle)
		}
	}
	for _, sc := range res.Scales {
		s, _ := inst.Scale(sc.Scale)
		row := ReportRow{
			Scale: sc.Scale, Name: nonEmpty(s.Name, sc.Scale), Low: s.Low, High: s.High,
			Scored: sc.Scored, Score: sc.Score, Band: sc.Band,
		}
		if sc.Scored {
			row.Interpretation = s.Interpret(sc.Band)
		}
		row.Percentile, _ = ir.Percentile(sc.Scale)
		row.Ideal, row.HasIdeal = profile.Ranges[sc.Scale]
		part.Rows = append(part.Rows, row)
	}
	return part
}

// FlagText explains a validity flag to a recruiter.
func FlagText(f ValidityFlag) string {
	switch f {
	case FlagStraightLining:
		return "Many answers in a row were the same, or the answers hardly varied: the scores may not describe the candidate."
	case FlagTooFast:
		return "The answers came faster than most people can read the questions: the scores may not describe the candidate."
	case FlagTooManySkipped:
		return "Many questions were left unanswered, so the scores rest on fewer answers than usual."
	case FlagOverTime:
		return "Some answers came after the time limit and were not counted."
	}
	return string(f)
}

func nonEmpty(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
