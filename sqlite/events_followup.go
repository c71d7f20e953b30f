package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jobcannon/jobcannon/assessments"
)

// FollowUpDueTx reports, inside a transaction, whether a completed
// invitation was sent by a rule with follow-up actions. Invitations sent by
// a follow-up never start another, so follow-ups cannot chain.
func (s *EventStore) FollowUpDueTx(ctx context.Context, tx *sql.Tx, tenantID, invitationID int64) (bool, error) {
	var raw string
	err := tx.QueryRowContext(ctx, `SELECT r.follow_up FROM routed_invitations ri
		JOIN trigger_rules r ON r.tenant_id = ri.tenant_id AND r.id = ri.rule_id
		WHERE ri.tenant_id = ? AND ri.invitation_id = ? AND ri.follow_up_of IS NULL`, tenantID, invitationID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("sqlite: follow-up due: %w", err)
	}
	var f assessments.FollowUp
	if err := json.Unmarshal([]byte(raw), &f); err != nil {
		return false, fmt.Errorf("sqlite: follow-up due: %w", err)
	}
	return !f.Empty(), nil
}

// FollowUpFacts is what a follow-up needs: the rule that sent the
// invitation and the verdict of its result.
type FollowUpFacts struct {
	RuleID  int64
	Verdict string
	// DeliveryID is the delivery that asked for the invitation, if any.
	DeliveryID int64
}

// FollowUpFacts returns the rule and verdict behind a completed
// invitation; found is false when no rule sent it.
func (s *EventStore) FollowUpFacts(ctx context.Context, tenantID, invitationID int64) (FollowUpFacts, bool, error) {
	var f FollowUpFacts
	var delivery sql.NullInt64
	var verdict sql.NullString
	err := s.db.R.QueryRowContext(ctx, `SELECT ri.rule_id, ri.delivery_id, res.verdict FROM routed_invitations ri
		LEFT JOIN results res ON res.tenant_id = ri.tenant_id AND res.invitation_id = ri.invitation_id
		WHERE ri.tenant_id = ? AND ri.invitation_id = ?`, tenantID, invitationID).Scan(&f.RuleID, &delivery, &verdict)
	if errors.Is(err, sql.ErrNoRows) {
		return f, false, nil
	} else if err != nil {
		return f, false, fmt.Errorf("sqlite: follow-up facts: %w", err)
	}
	f.DeliveryID, f.Verdict = delivery.Int64, verdict.String
	return f, true, nil
}

// CreateFollowUp creates the second package of a follow-up (when n is not
// nil; one already live is skipped) and runs then, which queues the
// workflow moves, in one transaction.
func (s *EventStore) CreateFollowUp(ctx context.Context, from assessments.Invitation, ruleID int64, n *assessments.NewInvitation,
	then func(ctx context.Context, tx *sql.Tx) error) (assessments.Invitation, error) {
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
		if then != nil {
			return then(ctx, tx)
		}
		return nil
	})
	return inv, wrapInternal("create follow-up", err)
}
