package assessments

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Submit scores a finished invitation, stores its result and completes the
// invitation, which it returns as it was before completing (for its return
// URL). A second submit finds the invitation completed and gets a
// LinkCompleted error, which the pages treat as success.
func (s *CandidateService) Submit(ctx context.Context, token string) (Invitation, PackageResult, error) {
	sess, err := s.Load(ctx, token)
	if err != nil {
		return Invitation{}, PackageResult{}, err
	}
	if sess.Progress.Step < sess.ReviewStep() {
		return sess.Invitation, PackageResult{}, Errorf(EINVALID, "Please go through every part before you submit.")
	}
	res, err := s.score(ctx, sess)
	if err != nil {
		return sess.Invitation, PackageResult{}, err
	}
	res, err = s.Results.Complete(ctx, res)
	return sess.Invitation, res, err
}

// score turns the saved work into a result: each instrument scored and
// placed in the tenant's norms as they are now, then the package's fit.
func (s *CandidateService) score(ctx context.Context, sess Session) (PackageResult, error) {
	now := s.Clock.Now()
	inv := sess.Invitation
	res := PackageResult{
		TenantID: inv.TenantID, InvitationID: inv.ID, PackageID: sess.Package.ID,
		StartedAt: inv.StartedAt, CompletedAt: now, Flags: []ValidityFlag{},
	}
	results := make([]Result, len(sess.Instruments))
	for i, inst := range sess.Instruments {
		a := sess.Attempt(i)
		r := Responses{StartedAt: a.StartedAt, FinishedAt: a.FinishedAt, Answers: a.Answers}
		if r.StartedAt.IsZero() {
			r.StartedAt = inv.StartedAt
		}
		if r.FinishedAt.IsZero() || r.FinishedAt.Before(r.StartedAt) {
			r.FinishedAt = latestAnswer(a.Answers, r.StartedAt)
		}
		scored, err := Score(inst, r)
		if err != nil {
			return PackageResult{}, fmt.Errorf("score %s: %w", inst.ID, err)
		}
		norms, err := s.Results.Norms(ctx, inv.TenantID, inst.ID, s.MinNormGroup)
		if err != nil {
			return PackageResult{}, fmt.Errorf("norms %s: %w", inst.ID, err)
		}
		results[i] = scored
		res.Instruments = append(res.Instruments, InstrumentResult{
			InstrumentID: inst.ID, Result: scored, Percentiles: percentiles(norms, scored),
		})
		for _, f := range scored.Flags {
			if !slices.Contains(res.Flags, f) {
				res.Flags = append(res.Flags, f)
			}
		}
	}
	res.Overall, res.Verdict = PackageFit(sess.Package, sess.Instruments, results)
	res.Summary = PackageSummary(sess.Instruments, results)
	return res, nil
}

// percentiles places each scored scale (and an ability test's percent
// correct) in the norms.
func percentiles(n Norms, r Result) []ScalePercentile {
	out := []ScalePercentile{}
	add := func(scale string, score float64) {
		pct, size, ok := n.Percentile(scale, score)
		out = append(out, ScalePercentile{Scale: scale, Percentile: pct, GroupSize: size, Normed: ok})
	}
	for _, sc := range r.Scales {
		if sc.Scored {
			add(sc.Scale, sc.Score)
		}
	}
	if r.Kind == KindAbility {
		add(OverallScaleID, r.PercentCorrect)
	}
	return out
}

// latestAnswer is when the last answer was saved, or start if none was.
func latestAnswer(answers map[string]Answer, start time.Time) time.Time {
	last := start
	for _, a := range answers {
		if a.AnsweredAt.After(last) {
			last = a.AnsweredAt
		}
	}
	return last
}
