package jobs

import (
	"context"
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// FollowUpWorker runs a rule's follow-up actions for a completed
// invitation: the second package goes out (with its e-mail) and the move
// is queued on the invitation's write-back stream, in one transaction. The
// completion queued this job in its own transaction.
type FollowUpWorker struct {
	river.WorkerDefaults[jobargs.FollowUpArgs]
	Store       assessments.FollowUpStore
	Rules       assessments.RuleStore
	Invitations assessments.InvitationStore
	Log         *slog.Logger
}

// Work implements river.Worker.
func (w *FollowUpWorker) Work(ctx context.Context, job *river.Job[jobargs.FollowUpArgs]) error {
	a := job.Args
	inv, err := w.Invitations.Invitation(ctx, a.TenantID, a.InvitationID)
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	facts, found, err := w.Store.FollowUpFacts(ctx, a.TenantID, a.InvitationID)
	if err != nil || !found {
		return err
	}
	rule, err := w.Rules.Rule(ctx, a.TenantID, facts.RuleID)
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		w.Log.InfoContext(ctx, "follow-up skipped: rule deleted", "tenant", a.TenantID, "invitation_id", inv.ID)
		return nil
	} else if err != nil {
		return err
	}
	f := rule.FollowUp
	status := f.MoveFor(facts.Verdict)
	var second *assessments.NewInvitation
	if f.SecondPackageID != 0 {
		second = &assessments.NewInvitation{
			TenantID: inv.TenantID, PackageID: f.SecondPackageID, WorkflowID: inv.WorkflowID, PersonID: inv.PersonID,
			JobID: inv.JobID, CandidateFirstName: inv.CandidateFirstName, CandidateLastName: inv.CandidateLastName,
			CandidateEmail: inv.CandidateEmail, JobTitle: inv.JobTitle, CompanyName: inv.CompanyName,
		}
	}
	var move *assessments.WorkflowMove
	if status != "" {
		move = &assessments.WorkflowMove{TenantID: inv.TenantID, WorkflowID: inv.WorkflowID, StatusID: status,
			InvitationID: inv.ID, RuleID: rule.ID, Verdict: facts.Verdict}
	}
	created, err := w.Store.CreateFollowUp(ctx, inv, rule.ID, second, move)
	if err != nil {
		// A package switched off or removed since is a permanent problem:
		// the move must still happen, so drop the second package.
		if second != nil && assessments.ErrorCode(err) != assessments.EINTERNAL {
			w.Log.WarnContext(ctx, "follow-up: second package not sent", "tenant", a.TenantID, "invitation_id", inv.ID, "err", err)
			_, err = w.Store.CreateFollowUp(ctx, inv, rule.ID, nil, move)
		}
		return err
	}
	if created.ID != 0 {
		w.Log.InfoContext(ctx, "follow-up invitation created", "tenant", a.TenantID, "invitation_id", created.ID, "rule_id", rule.ID)
	}
	return nil
}
