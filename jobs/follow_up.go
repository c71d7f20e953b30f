package jobs

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/sqlite"
)

// WorkflowMove asks for an application to be moved to a status, as a
// custom-workflow rule's follow-up after a completed assessment.
type WorkflowMove struct {
	TenantID     int64
	WorkflowID   string
	StatusID     string
	InvitationID int64
	RuleID       int64
	Verdict      string
}

// MoveQueuer queues a workflow move in the caller's transaction. The
// write-back provides it (its job PATCHes the application's status).
type MoveQueuer func(ctx context.Context, tx *sql.Tx, m WorkflowMove) error

// ErrMovesNotWired is what a follow-up with a move fails with (and
// retries) until the write-back provides its MoveQueuer.
var ErrMovesNotWired = errors.New("workflow moves are not wired yet")

// FollowUpStore is what follow-ups need of the event store;
// *sqlite.EventStore is one.
type FollowUpStore interface {
	FollowUpDueTx(ctx context.Context, tx *sql.Tx, tenantID, invitationID int64) (bool, error)
	FollowUpFacts(ctx context.Context, tenantID, invitationID int64) (sqlite.FollowUpFacts, bool, error)
	CreateFollowUp(ctx context.Context, from assessments.Invitation, ruleID int64, n *assessments.NewInvitation,
		then func(ctx context.Context, tx *sql.Tx) error) (assessments.Invitation, error)
}

// FollowUpHook is an invitation transition hook: when an invitation sent
// by a rule with follow-up actions completes, it queues the follow-up in
// the same transaction. Chain it with the write-back's hook.
func FollowUpHook(store FollowUpStore, q *Enqueuer) sqlite.TransitionHook {
	return func(ctx context.Context, tx *sql.Tx, inv assessments.Invitation, from, to assessments.InvitationStatus) error {
		if to != assessments.StatusCompleted || from == assessments.StatusCompleted {
			return nil
		}
		due, err := store.FollowUpDueTx(ctx, tx, inv.TenantID, inv.ID)
		if err != nil || !due {
			return err
		}
		return q.Queue.InsertManyTx(ctx, tx, []river.InsertManyParams{{Args: FollowUpArgs{TenantID: inv.TenantID, InvitationID: inv.ID}}})
	}
}

// ChainTransitionHooks runs hooks in order in the same transaction; nil
// hooks are skipped and the first error stops the chain.
func ChainTransitionHooks(hooks ...sqlite.TransitionHook) sqlite.TransitionHook {
	return func(ctx context.Context, tx *sql.Tx, inv assessments.Invitation, from, to assessments.InvitationStatus) error {
		for _, h := range hooks {
			if h == nil {
				continue
			}
			if err := h(ctx, tx, inv, from, to); err != nil {
				return err
			}
		}
		return nil
	}
}

// FollowUpWorker runs a rule's follow-up actions for a completed
// invitation: the second package goes out (with its e-mail) and the move
// is queued, in one transaction.
type FollowUpWorker struct {
	river.WorkerDefaults[FollowUpArgs]
	Store       FollowUpStore
	Rules       assessments.RuleStore
	Invitations assessments.InvitationStore
	QueueMove   MoveQueuer
	Log         *slog.Logger
}

// Work implements river.Worker.
func (w *FollowUpWorker) Work(ctx context.Context, job *river.Job[FollowUpArgs]) error {
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
	if status != "" && w.QueueMove == nil {
		return ErrMovesNotWired
	}
	var second *assessments.NewInvitation
	if f.SecondPackageID != 0 {
		second = &assessments.NewInvitation{
			TenantID: inv.TenantID, PackageID: f.SecondPackageID, WorkflowID: inv.WorkflowID, PersonID: inv.PersonID,
			JobID: inv.JobID, CandidateFirstName: inv.CandidateFirstName, CandidateLastName: inv.CandidateLastName,
			CandidateEmail: inv.CandidateEmail, JobTitle: inv.JobTitle, CompanyName: inv.CompanyName,
		}
	}
	move := func(ctx context.Context, tx *sql.Tx) error {
		if status == "" {
			return nil
		}
		return w.QueueMove(ctx, tx, WorkflowMove{TenantID: inv.TenantID, WorkflowID: inv.WorkflowID, StatusID: status,
			InvitationID: inv.ID, RuleID: rule.ID, Verdict: facts.Verdict})
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
