package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/secrets"
)

// EmailHook runs inside the transaction of an e-mail's acceptance or of an
// extension, with the invitation as it now is: the lifecycle jobs are
// queued there, so they commit with the change or not at all. It is an
// alias so that the jobs package can name the same type without importing
// this one.
type EmailHook = func(ctx context.Context, tx *sql.Tx, inv assessments.Invitation) error

// EmailStore keeps what invitation e-mails need beside the invitation: its
// candidate link, sealed, and a row per e-mail with its Message-ID and
// state. Each e-mail is also an outbound delivery (kind "email") with one
// attempt row per try, so the logs page shows sends beside iCIMS calls.
type EmailStore struct {
	db          *DB
	keys        *secrets.Keyring
	clock       assessments.Clock
	random      io.Reader
	invitations *InvitationStore
}

// NewEmailStore returns an EmailStore. keys seals the candidate tokens;
// random (crypto/rand when nil) names deliveries.
func NewEmailStore(db *DB, keys *secrets.Keyring, clock assessments.Clock, invitations *InvitationStore, random io.Reader) *EmailStore {
	if random == nil {
		random = rand.Reader
	}
	return &EmailStore{db: db, keys: keys, clock: clock, random: random, invitations: invitations}
}

// linkContext binds a sealed token to its invitation: copied to another
// row, it does not open.
func linkContext(invitationID int64) string { return fmt.Sprintf("invitation:%d:token", invitationID) }

// Link returns an invitation's candidate token, or ENOTFOUND when none was
// kept (an invitation made before links were kept).
func (s *EmailStore) Link(ctx context.Context, tenantID, invitationID int64) (string, error) {
	var sealed string
	err := s.db.R.QueryRowContext(ctx, `SELECT token_sealed FROM invitation_links WHERE tenant_id = ? AND invitation_id = ?`,
		tenantID, invitationID).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return "", assessments.Errorf(assessments.ENOTFOUND, "The candidate link of this invitation was not kept, so it cannot be e-mailed.")
	} else if err != nil {
		return "", fmt.Errorf("storage: invitation link: %w", err)
	}
	token, err := s.keys.Open(sealed, linkContext(invitationID))
	if err != nil {
		return "", fmt.Errorf("storage: open invitation link %d: %w", invitationID, err)
	}
	return string(token), nil
}

// InvitationTenant returns the tenant of an invitation. The send job's
// arguments name only the invitation; every other read is then scoped by
// the tenant found here.
func (s *EmailStore) InvitationTenant(ctx context.Context, invitationID int64) (int64, error) {
	var tenantID int64
	err := s.db.R.QueryRowContext(ctx, `SELECT tenant_id FROM invitations WHERE id = ?`, invitationID).Scan(&tenantID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, assessments.Errorf(assessments.ENOTFOUND, "Invitation not found.")
	} else if err != nil {
		return 0, fmt.Errorf("storage: invitation tenant: %w", err)
	}
	return tenantID, nil
}

const emailColumns = `id, tenant_id, invitation_id, kind, send_key, message_id, status, COALESCE(delivery_id, 0),
	attempts, error, possible_duplicate, created_at, sent_at, updated_at`

func scanEmail(row scanner) (assessments.InvitationEmail, error) {
	var e assessments.InvitationEmail
	var kind, status string
	var sent sql.NullTime
	err := row.Scan(&e.ID, &e.TenantID, &e.InvitationID, &kind, &e.Key, &e.MessageID, &status, &e.DeliveryID,
		&e.Attempts, &e.Error, &e.PossibleDuplicate, &e.CreatedAt, &sent, &e.UpdatedAt)
	if err != nil {
		return e, err
	}
	e.Kind, e.Status = assessments.EmailKind(kind), assessments.EmailStatus(status)
	e.CreatedAt, e.UpdatedAt, e.SentAt = utc(e.CreatedAt), utc(e.UpdatedAt), utc(sent.Time)
	return e, nil
}

// StartSend returns the e-mail named by n's invitation and key, creating it
// (status sending, with n.MessageID) and its outbound delivery when it is
// new. An existing e-mail is returned as it is: a retried job sends the
// Message-ID of its first attempt, and a duplicate job finds it sent.
func (s *EmailStore) StartSend(ctx context.Context, n assessments.NewSend) (assessments.InvitationEmail, error) {
	var out assessments.InvitationEmail
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		e, err := scanEmail(tx.QueryRowContext(ctx, `SELECT `+emailColumns+` FROM invitation_emails
			WHERE tenant_id = ? AND invitation_id = ? AND send_key = ?`, n.TenantID, n.InvitationID, n.Key))
		if err == nil {
			out = e
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		inv, err := s.invitations.getTx(ctx, tx, n.TenantID, n.InvitationID)
		if err != nil {
			return err
		}
		publicID, err := assessments.NewDeliveryID(s.random, s.clock.Now())
		if err != nil {
			return err
		}
		now := s.clock.Now()
		var deliveryID int64
		err = tx.QueryRowContext(ctx, `
			INSERT INTO deliveries (tenant_id, public_id, direction, kind, status, workflow_id, person_id, job_id,
				invitation_id, message, created_at, updated_at)
			VALUES (?, ?, 'outbound', ?, 'received', ?, ?, ?, ?, ?, ?, ?)
			RETURNING id`,
			n.TenantID, publicID, assessments.DeliveryKindEmail, inv.WorkflowID, inv.PersonID, inv.JobID, inv.ID,
			n.Summary, now, now).Scan(&deliveryID)
		if err != nil {
			return fmt.Errorf("insert delivery: %w", err)
		}
		out, err = scanEmail(tx.QueryRowContext(ctx, `
			INSERT INTO invitation_emails (tenant_id, invitation_id, kind, send_key, message_id, status, delivery_id,
				created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, 'sending', ?, ?, ?)
			RETURNING `+emailColumns,
			n.TenantID, n.InvitationID, string(n.Kind), n.Key, n.MessageID, deliveryID, now, now))
		return err
	})
	return out, wrapInternal("start e-mail", err)
}

// BeginAttempt marks e as being handed to the mail server, just before the
// SMTP conversation. If the previous attempt was marked so and never
// recorded an outcome (the process died mid-send), the server may have
// taken it: the e-mail is then marked a possible duplicate, for good. It
// returns e as it now is; an e-mail settled meanwhile comes back as it is.
func (s *EmailStore) BeginAttempt(ctx context.Context, e assessments.InvitationEmail) (assessments.InvitationEmail, error) {
	out, err := scanEmail(s.db.W.QueryRowContext(ctx, `UPDATE invitation_emails
		SET possible_duplicate = (possible_duplicate OR in_flight), in_flight = TRUE, updated_at = ?
		WHERE tenant_id = ? AND id = ? AND status = 'sending'
		RETURNING `+emailColumns, s.clock.Now(), e.TenantID, e.ID))
	if errors.Is(err, sql.ErrNoRows) {
		out, err = scanEmail(s.db.W.QueryRowContext(ctx, `SELECT `+emailColumns+` FROM invitation_emails
			WHERE tenant_id = ? AND id = ?`, e.TenantID, e.ID))
	}
	return out, wrapInternal("begin e-mail attempt", err)
}

// SendAccepted records that the mail server took e: in one transaction the
// e-mail becomes sent, its delivery processed with the attempt, and, when
// markSent, the invitation is marked sent (created → sent, or a resend
// counted) through the store's transition, so its write-back is queued; then, when not
// nil, runs last with the invitation as it now is. An invitation cancelled
// or finished while its e-mail was on the way is left as it is.
func (s *EmailStore) SendAccepted(ctx context.Context, e assessments.InvitationEmail, o assessments.SendOutcome, markSent bool, then EmailHook) (assessments.Invitation, error) {
	var inv assessments.Invitation
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		now := s.clock.Now()
		res, err := tx.ExecContext(ctx, `UPDATE invitation_emails SET status = 'sent', attempts = attempts + 1, error = '',
				in_flight = FALSE, sent_at = ?, updated_at = ?
			WHERE tenant_id = ? AND id = ? AND status = 'sending'`, now, now, e.TenantID, e.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return assessments.Errorf(assessments.ECONFLICT, "The e-mail was already settled by another attempt.")
		}
		if err := s.attemptTx(ctx, tx, e, o, assessments.DeliveryProcessed); err != nil {
			return err
		}
		inv, err = s.invitations.getTx(ctx, tx, e.TenantID, e.InvitationID)
		if err != nil || !markSent || inv.Status.Final() {
			return err
		}
		if inv, err = s.invitations.markSentTx(ctx, tx, e.TenantID, e.InvitationID); err != nil {
			return err
		}
		if then != nil {
			return then(ctx, tx, inv)
		}
		return nil
	})
	return inv, wrapInternal("record e-mail sent", err)
}

// SendRefused records a failed attempt at e. When final, the e-mail and its
// delivery become failed; when failInvitation is set too and the invitation
// may still fail, it moves to failed with reason, through the store's
// transition.
func (s *EmailStore) SendRefused(ctx context.Context, e assessments.InvitationEmail, o assessments.SendOutcome, final, failInvitation bool, reason string) (assessments.Invitation, error) {
	var inv assessments.Invitation
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		status, delivery := assessments.EmailSending, assessments.DeliveryReceived
		if final {
			status, delivery = assessments.EmailFailed, assessments.DeliveryFailed
		}
		_, err := tx.ExecContext(ctx, `UPDATE invitation_emails SET status = ?, attempts = attempts + 1, error = ?, in_flight = FALSE, updated_at = ?
			WHERE tenant_id = ? AND id = ? AND status = 'sending'`,
			string(status), o.Attempt.Error, s.clock.Now(), e.TenantID, e.ID)
		if err != nil {
			return err
		}
		if err := s.attemptTx(ctx, tx, e, o, delivery); err != nil {
			return err
		}
		inv, err = s.invitations.getTx(ctx, tx, e.TenantID, e.InvitationID)
		if err != nil || !final || !failInvitation || inv.Status == assessments.StatusFailed ||
			assessments.CheckTransition(inv.Status, assessments.StatusFailed) != nil {
			return err
		}
		inv, err = s.invitations.transitionTx(ctx, tx, inv, assessments.StatusFailed, reason)
		return err
	})
	return inv, wrapInternal("record e-mail failure", err)
}

// attemptTx logs one attempt on e's delivery and sets the delivery's status.
func (s *EmailStore) attemptTx(ctx context.Context, tx *sql.Tx, e assessments.InvitationEmail, o assessments.SendOutcome, status assessments.DeliveryStatus) error {
	if e.DeliveryID == 0 {
		return nil
	}
	a := o.Attempt
	headers, err := json.Marshal(a.RequestHeaders)
	if err != nil {
		return fmt.Errorf("encode headers: %w", err)
	}
	now := s.clock.Now()
	_, err = tx.ExecContext(ctx, `INSERT INTO delivery_attempts (tenant_id, delivery_id, attempt, method, url, request_headers,
			response_status, response_body, error, latency_ms, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.TenantID, e.DeliveryID, e.Attempts+1, a.Method, a.URL, string(headers), a.ResponseStatus, a.ResponseBody,
		a.Error, a.LatencyMS, now)
	if err != nil {
		return fmt.Errorf("insert attempt: %w", err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE deliveries SET status = ?, message = ?, http_status = ?, attempts = attempts + 1,
			latency_ms = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ?`,
		string(status), o.Summary, a.ResponseStatus, a.LatencyMS, now, e.TenantID, e.DeliveryID)
	if err != nil {
		return fmt.Errorf("update delivery: %w", err)
	}
	return nil
}

// Emails lists the e-mails sent (or being sent) about an invitation, oldest
// first.
func (s *EmailStore) Emails(ctx context.Context, tenantID, invitationID int64) ([]assessments.InvitationEmail, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+emailColumns+` FROM invitation_emails
		WHERE tenant_id = ? AND invitation_id = ? ORDER BY id`, tenantID, invitationID)
	if err != nil {
		return nil, fmt.Errorf("storage: invitation e-mails: %w", err)
	}
	defer rows.Close()
	var out []assessments.InvitationEmail
	for rows.Next() {
		e, err := scanEmail(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: invitation e-mails: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// FirstSent returns when the server first accepted an invitation or resend
// e-mail for the invitation: reminders count their days from there.
func (s *EmailStore) FirstSent(ctx context.Context, tenantID, invitationID int64) (time.Time, bool, error) {
	return firstSent(ctx, s.db.R, tenantID, invitationID)
}

// rowQuerier is what both *sql.DB and *sql.Tx offer for one-row reads.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func firstSent(ctx context.Context, q rowQuerier, tenantID, invitationID int64) (time.Time, bool, error) {
	var at time.Time
	err := q.QueryRowContext(ctx, `SELECT sent_at FROM invitation_emails
		WHERE tenant_id = ? AND invitation_id = ? AND status = 'sent' AND kind IN ('invitation', 'resend')
		ORDER BY sent_at LIMIT 1`, tenantID, invitationID).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	} else if err != nil {
		return time.Time{}, false, fmt.Errorf("storage: first sent: %w", err)
	}
	return utc(at), true, nil
}
