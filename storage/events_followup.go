package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jobcannon/jobcannon/assessments"
)

// followUpDueTx reports, inside a transaction, whether a completed
// invitation was sent by a rule with follow-up actions. Invitations sent by
// a follow-up never start another, so follow-ups cannot chain.
func followUpDueTx(ctx context.Context, tx *sql.Tx, tenantID, invitationID int64) (bool, error) {
	var raw string
	err := tx.QueryRowContext(ctx, `SELECT r.follow_up FROM routed_invitations ri
		JOIN trigger_rules r ON r.tenant_id = ri.tenant_id AND r.id = ri.rule_id
		WHERE ri.tenant_id = ? AND ri.invitation_id = ? AND ri.follow_up_of IS NULL`, tenantID, invitationID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("storage: follow-up due: %w", err)
	}
	var f assessments.FollowUp
	if err := json.Unmarshal([]byte(raw), &f); err != nil {
		return false, fmt.Errorf("storage: follow-up due: %w", err)
	}
	return !f.Empty(), nil
}

// assessments.FollowUpFacts returns the rule and verdict behind a completed
// invitation; found is false when no rule sent it.
func (s *EventStore) FollowUpFacts(ctx context.Context, tenantID, invitationID int64) (assessments.FollowUpFacts, bool, error) {
	var f assessments.FollowUpFacts
	var delivery sql.NullInt64
	var verdict sql.NullString
	err := s.db.R.QueryRowContext(ctx, `SELECT ri.rule_id, ri.delivery_id, res.verdict FROM routed_invitations ri
		LEFT JOIN results res ON res.tenant_id = ri.tenant_id AND res.invitation_id = ri.invitation_id
		WHERE ri.tenant_id = ? AND ri.invitation_id = ?`, tenantID, invitationID).Scan(&f.RuleID, &delivery, &verdict)
	if errors.Is(err, sql.ErrNoRows) {
		return f, false, nil
	} else if err != nil {
		return f, false, fmt.Errorf("storage: follow-up facts: %w", err)
	}
	f.DeliveryID, f.Verdict = delivery.Int64, verdict.String
	return f, true, nil
}

// CreateFollowUp creates the second package of a follow-up (when n is not
// nil; one already live is skipped) with its e-mail job, and queues the
// workflow move (when move is not nil) on the invitation's write-back
// stream, after its result row and scorecard, in one transaction.
func (s *EventStore) CreateFollowUp(ctx context.Context, from assessments.Invitation, ruleID int64, n *assessments.NewInvitation,
	move *assessments.WorkflowMove) (assessments.Invitation, error) {
	var inv assessments.Invitation
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		if n != nil {
			created, _, err := s.invitations.CreateTx(ctx, tx, *n)
			switch assessments.ErrorCode(err) {
			case "":
				inv = created
				if err := s.queueSendTx(ctx, tx, inv); err != nil {
					return err
				}
				if err := linkInvitation(ctx, tx, inv, ruleID, 0, from.ID); err != nil {
					return err
				}
			case assessments.ECONFLICT:
			default:
				return err
			}
		}
		if move != nil {
			return moveTx(ctx, tx, s.db.jobs, s.clock.Now(), *move)
		}
		return nil
	})
	return inv, wrapInternal("create follow-up", err)
}
