package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jobcannon/jobcannon/assessments"
)

// AcceptInline implements assessments.EventStore: the delivery and the
// invitation it asks for commit together, so iCIMS's redirect never points
// at an invitation that was not kept.
func (s *EventStore) AcceptInline(ctx context.Context, a assessments.Acceptance, n assessments.NewInvitation, location func(token string) string) (assessments.Accepted, error) {
	var out assessments.Accepted
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		// Look before creating the invitation: a redelivery must not make
		// a second one.
		res, ok, err := s.redeliveryTx(ctx, tx, a)
		if err != nil || ok {
			out = res
			return err
		}
		inv, token, err := s.invitations.CreateTx(ctx, tx, n)
		switch assessments.ErrorCode(err) {
		case "":
			a.Answer.Location = location(token)
			a.Delivery.InvitationID = inv.ID
			a.Delivery.Status = assessments.DeliveryProcessed
			a.Delivery.Message = fmt.Sprintf("Invitation %d created; the candidate was sent to the assessment.", inv.ID)
		case assessments.ECONFLICT:
			a.Answer = assessments.EventAnswer{Status: assessments.AnswerBadRequest, UserMessage: assessments.DuplicateInvitationMessage,
				Debug: "duplicate: package " + fmt.Sprint(n.PackageID) + " is live for workflow " + n.WorkflowID}
			a.Delivery.Status = assessments.DeliveryDuplicate
			a.Delivery.Message = assessments.DuplicateInvitationMessage
		default:
			return err
		}
		d, _, err := s.insertTx(ctx, tx, a)
		if err != nil {
			return err
		}
		if inv.ID != 0 {
			if err := linkInvitation(ctx, tx, inv, d.RuleID, d.ID, 0); err != nil {
				return err
			}
		}
		out = assessments.Accepted{Delivery: d, Answer: a.Answer}
		return nil
	})
	if err != nil {
		return assessments.Accepted{}, wrapInternal("accept inline event", err)
	}
	return out, nil
}

// linkInvitation records which rule and delivery made an invitation.
func linkInvitation(ctx context.Context, tx *sql.Tx, inv assessments.Invitation, ruleID, deliveryID, followUpOf int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO routed_invitations (invitation_id, tenant_id, rule_id, delivery_id, follow_up_of)
		VALUES (?, ?, ?, ?, ?)`, inv.ID, inv.TenantID, ruleID, nullInt(deliveryID), nullInt(followUpOf))
	if err != nil {
		return fmt.Errorf("link invitation: %w", err)
	}
	return nil
}

// Dispatch implements assessments.EventStore. Each invitation is created
// with its e-mail job queued; a package already live for the
// workflow is skipped as a duplicate, not an error.
func (s *EventStore) Dispatch(ctx context.Context, d assessments.Dispatch) (assessments.Dispatched, error) {
	var out assessments.Dispatched
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		// A transaction PostgreSQL refuses runs again: start it afresh.
		out = assessments.Dispatched{}
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status FROM deliveries WHERE tenant_id = ? AND id = ?`, d.TenantID, d.DeliveryID).Scan(&status)
		if err == sql.ErrNoRows {
			return assessments.Errorf(assessments.ENOTFOUND, "Delivery not found.")
		} else if err != nil {
			return err
		}
		if d.ExpectStatus != "" && assessments.DeliveryStatus(status) != d.ExpectStatus {
			return assessments.Errorf(assessments.ECONFLICT, "This request was already handled.")
		}
		var created, dups []string
		for _, n := range d.Invitations {
			inv, _, err := s.invitations.CreateTx(ctx, tx, n)
			if assessments.ErrorCode(err) == assessments.ECONFLICT {
				out.Duplicates = append(out.Duplicates, n.PackageID)
				dups = append(dups, packageName(d.Names, n.PackageID))
				continue
			} else if err != nil {
				return err
			}
			if err := s.queueSendTx(ctx, tx, inv); err != nil {
				return err
			}
			if err := linkInvitation(ctx, tx, inv, d.RuleID, d.DeliveryID, 0); err != nil {
				return err
			}
			out.Created = append(out.Created, inv)
			created = append(created, fmt.Sprintf("%s (invitation %d)", packageName(d.Names, n.PackageID), inv.ID))
		}
		o := assessments.Outcome{TenantID: d.TenantID, DeliveryID: d.DeliveryID, RuleID: d.RuleID, Attempt: true}
		var firstID int64
		switch {
		case len(created) > 0:
			o.Status, firstID = assessments.DeliveryProcessed, out.Created[0].ID
			o.Message = "Sent " + strings.Join(created, ", ") + "."
			if len(dups) > 0 {
				o.Message += " Already live, so not sent again: " + strings.Join(dups, ", ") + "."
			}
		case len(dups) > 0:
			o.Status = assessments.DeliveryDuplicate
			o.Message = assessments.DuplicateInvitationMessage + " (" + strings.Join(dups, ", ") + ")"
		default:
			o.Status, o.Message = assessments.DeliveryIgnored, "Nothing to send."
		}
		if err := s.outcomeTx(ctx, tx, o, firstID); err != nil {
			return err
		}
		out.Delivery, err = scanDelivery(tx.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE tenant_id = ? AND id = ?`,
			d.TenantID, d.DeliveryID))
		return err
	})
	if err != nil {
		return assessments.Dispatched{}, wrapInternal("dispatch delivery", err)
	}
	return out, nil
}

func packageName(names map[int64]string, id int64) string {
	if n := names[id]; n != "" {
		return n
	}
	return fmt.Sprintf("package %d", id)
}

// SetOutcome implements assessments.EventStore.
func (s *EventStore) SetOutcome(ctx context.Context, o assessments.Outcome) error {
	return wrapInternal("delivery outcome", s.db.tx(ctx, func(tx *sql.Tx) error {
		return s.outcomeTx(ctx, tx, o, 0)
	}))
}

func (s *EventStore) outcomeTx(ctx context.Context, tx *sql.Tx, o assessments.Outcome, invitationID int64) error {
	code, attempt := outcomeCounts(o)
	query := `UPDATE deliveries SET status = ?, message = ?, icims_code = ?, attempts = attempts + ?,
		rule_id = COALESCE(?, rule_id), invitation_id = COALESCE(?, invitation_id), updated_at = ?
		WHERE tenant_id = ? AND id = ?`
	args := []any{string(o.Status), o.Message, code, attempt, nullInt(o.RuleID), nullInt(invitationID), s.clock.Now(), o.TenantID, o.DeliveryID}
	if o.ExpectStatus != "" {
		query += ` AND status = ?`
		args = append(args, string(o.ExpectStatus))
	}
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if o.ExpectStatus != "" {
			return assessments.Errorf(assessments.ECONFLICT, "This request was already handled.")
		}
		return assessments.Errorf(assessments.ENOTFOUND, "Delivery not found.")
	}
	return nil
}

// outcomeCounts is what an outcome writes into its delivery's iCIMS code
// (NULL when it has none) and adds to its attempts.
func outcomeCounts(o assessments.Outcome) (code any, attempt int) {
	if o.HasICIMSCode {
		code = o.ICIMSCode
	}
	if o.Attempt {
		attempt = 1
	}
	return code, attempt
}

// queueSendTx queues the e-mail of a new invitation, behind less of
// other customers' bulk moves than their own (see jobShares).
func (s *EventStore) queueSendTx(ctx context.Context, tx *sql.Tx, inv assessments.Invitation) error {
	return s.db.queueInvitationEmailTx(ctx, tx, inv.TenantID, inv.ID, s.clock.Now())
}
