package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/secrets"
)

// InvitationStore keeps invitations, their history and accommodation
// requests. Every change of status queues, in its own transaction, the job
// that tells iCIMS (and a completion its rule's follow-up); every new
// invitation keeps its candidate link sealed, so that every e-mail about it
// carries the same link.
type InvitationStore struct {
	db     *DB
	keys   *secrets.Keyring
	clock  assessments.Clock
	random io.Reader
}

// NewInvitationStore returns an InvitationStore that draws tokens from
// random (crypto/rand when nil). keys seals the candidate links; nil keeps
// none, for tests that send no e-mail.
func NewInvitationStore(db *DB, keys *secrets.Keyring, clock assessments.Clock, random io.Reader) *InvitationStore {
	if random == nil {
		random = rand.Reader
	}
	return &InvitationStore{db: db, keys: keys, clock: clock, random: random}
}

var _ assessments.InvitationStore = (*InvitationStore)(nil)

const invitationColumns = `id, tenant_id, package_id, workflow_id, person_id, job_id, candidate_first_name,
	candidate_last_name, candidate_email, job_title, company_name, status, expires_at, return_url, report_id,
	sent_count, extra_time_minutes, created_at, sent_at, opened_at, started_at, completed_at, ended_at, updated_at`

func scanInvitation(row scanner) (assessments.Invitation, error) {
	var inv assessments.Invitation
	var status string
	var sent, opened, started, completed, ended sql.NullTime
	err := row.Scan(&inv.ID, &inv.TenantID, &inv.PackageID, &inv.WorkflowID, &inv.PersonID, &inv.JobID,
		&inv.CandidateFirstName, &inv.CandidateLastName, &inv.CandidateEmail, &inv.JobTitle, &inv.CompanyName,
		&status, &inv.ExpiresAt, &inv.ReturnURL, &inv.ReportID, &inv.SentCount, &inv.ExtraTimeMinutes,
		&inv.CreatedAt, &sent, &opened, &started, &completed, &ended, &inv.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return inv, assessments.Errorf(assessments.ENOTFOUND, "Invitation not found.")
	} else if err != nil {
		return inv, err
	}
	inv.Status = assessments.InvitationStatus(status)
	inv.ExpiresAt, inv.CreatedAt, inv.UpdatedAt = utc(inv.ExpiresAt), utc(inv.CreatedAt), utc(inv.UpdatedAt)
	inv.SentAt, inv.OpenedAt, inv.StartedAt = utc(sent.Time), utc(opened.Time), utc(started.Time)
	inv.CompletedAt, inv.EndedAt = utc(completed.Time), utc(ended.Time)
	return inv, nil
}

// Create implements assessments.InvitationStore.
func (s *InvitationStore) Create(ctx context.Context, n assessments.NewInvitation) (assessments.Invitation, string, error) {
	var inv assessments.Invitation
	var token string
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		inv, token, err = s.CreateTx(ctx, tx, n)
		return err
	})
	if err != nil {
		return assessments.Invitation{}, "", err
	}
	return inv, token, nil
}

// CreateTx is Create inside the caller's transaction, so that an invitation
// and the work it starts (its e-mail job, the delivery that asked for it)
// commit together. The one-live rule holds because SQLite has one writer
// and the check and the insert share the transaction.
func (s *InvitationStore) CreateTx(ctx context.Context, tx *sql.Tx, n assessments.NewInvitation) (assessments.Invitation, string, error) {
	if err := n.Validate(); err != nil {
		return assessments.Invitation{}, "", err
	}
	token, err := assessments.NewToken(s.random)
	if err != nil {
		return assessments.Invitation{}, "", fmt.Errorf("storage: create invitation: %w", err)
	}
	reportID, err := assessments.NewReportID(s.random)
	if err != nil {
		return assessments.Invitation{}, "", fmt.Errorf("storage: create invitation: %w", err)
	}
	now := s.clock.Now()
	var inv assessments.Invitation
	err = func() error {
		var expiryDays int
		var enabled bool
		err := tx.QueryRowContext(ctx, `SELECT expiry_days, enabled FROM packages WHERE tenant_id = ? AND id = ?`,
			n.TenantID, n.PackageID).Scan(&expiryDays, &enabled)
		if errors.Is(err, sql.ErrNoRows) {
			return assessments.Errorf(assessments.ENOTFOUND, "Assessment package not found.")
		} else if err != nil {
			return err
		}
		if !enabled {
			return assessments.Errorf(assessments.EINVALID, "This assessment package is switched off; an admin can switch it on in the catalog.")
		}
		var live int
		err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM invitations WHERE tenant_id = ? AND workflow_id = ? AND package_id = ?
			AND status NOT IN ('completed', 'expired', 'cancelled')`, n.TenantID, n.WorkflowID, n.PackageID).Scan(&live)
		if err != nil {
			return err
		}
		if live > 0 {
			return assessments.Errorf(assessments.ECONFLICT, "%s", assessments.DuplicateInvitationMessage)
		}
		expires := n.ExpiresAt
		if expires.IsZero() {
			expires = now.AddDate(0, 0, expiryDays)
		}
		inv, err = scanInvitation(tx.QueryRowContext(ctx, `
			INSERT INTO invitations (tenant_id, package_id, workflow_id, person_id, job_id, candidate_first_name,
				candidate_last_name, candidate_email, job_title, company_name, status, token_hash, report_id,
				return_url, expires_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'created', ?, ?, ?, ?, ?, ?)
			RETURNING `+invitationColumns,
			n.TenantID, n.PackageID, n.WorkflowID, n.PersonID, n.JobID, n.CandidateFirstName, n.CandidateLastName,
			strings.ToLower(strings.TrimSpace(n.CandidateEmail)), n.JobTitle, n.CompanyName,
			assessments.HashToken(token), reportID, n.ReturnURL, expires.UTC(), now, now))
		if err != nil {
			return err
		}
		if err := s.record(ctx, tx, inv, "", "created"); err != nil {
			return err
		}
		return s.keepLinkTx(ctx, tx, inv, token)
	}()
	if err != nil {
		if isUniqueOn(err, "invitations.workflow_id") {
			return assessments.Invitation{}, "", assessments.Errorf(assessments.ECONFLICT, "%s", assessments.DuplicateInvitationMessage)
		}
		return assessments.Invitation{}, "", wrapInternal("create invitation", err)
	}
	return inv, token, nil
}

// Invitation implements assessments.InvitationStore.
func (s *InvitationStore) Invitation(ctx context.Context, tenantID, id int64) (assessments.Invitation, error) {
	inv, err := scanInvitation(s.db.R.QueryRowContext(ctx,
		`SELECT `+invitationColumns+` FROM invitations WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return inv, wrapInternal("get invitation", err)
}

// InvitationByToken implements assessments.InvitationStore.
func (s *InvitationStore) InvitationByToken(ctx context.Context, token string) (assessments.Invitation, error) {
	inv, err := scanInvitation(s.db.R.QueryRowContext(ctx,
		`SELECT `+invitationColumns+` FROM invitations WHERE token_hash = ?`, assessments.HashToken(token)))
	return inv, wrapInternal("get invitation", err)
}

// InvitationByReportID implements assessments.InvitationStore.
func (s *InvitationStore) InvitationByReportID(ctx context.Context, reportID string) (assessments.Invitation, error) {
	inv, err := scanInvitation(s.db.R.QueryRowContext(ctx,
		`SELECT `+invitationColumns+` FROM invitations WHERE report_id = ?`, reportID))
	return inv, wrapInternal("get invitation", err)
}

func (s *InvitationStore) getTx(ctx context.Context, tx *sql.Tx, tenantID, id int64) (assessments.Invitation, error) {
	return scanInvitation(tx.QueryRowContext(ctx,
		`SELECT `+invitationColumns+` FROM invitations WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// Transition implements assessments.InvitationStore.
func (s *InvitationStore) Transition(ctx context.Context, tenantID, id int64, to assessments.InvitationStatus, detail string) (assessments.Invitation, error) {
	var inv assessments.Invitation
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		cur, err := s.getTx(ctx, tx, tenantID, id)
		if err != nil {
			return err
		}
		inv, err = s.transitionTx(ctx, tx, cur, to, detail)
		return err
	})
	return inv, wrapInternal("transition invitation", err)
}

// transitionTx moves inv to a status inside tx: it validates the move,
// stamps the time of the status, records the event and queues the work the change starts.
func (s *InvitationStore) transitionTx(ctx context.Context, tx *sql.Tx, inv assessments.Invitation, to assessments.InvitationStatus, detail string) (assessments.Invitation, error) {
	if err := assessments.CheckTransition(inv.Status, to); err != nil {
		return inv, err
	}
	now := s.clock.Now()
	// Each status stamps its own column; the first time counts, except for
	// sent, which keeps the latest send.
	// (failed has no column of its own: its event says when.) Stamps reuse
	// updated_at's ?2 so that no parameter goes unused whatever the status:
	// PostgreSQL cannot type a parameter that no expression uses.
	stamp := `sent_at = sent_at`
	switch to {
	case assessments.StatusSent:
		stamp = `sent_at = ?2`
	case assessments.StatusOpened:
		stamp = `opened_at = COALESCE(opened_at, ?2)`
	case assessments.StatusInProgress:
		stamp = `started_at = COALESCE(started_at, ?2)`
	case assessments.StatusCompleted:
		stamp = `completed_at = COALESCE(completed_at, ?2)`
	case assessments.StatusExpired, assessments.StatusCancelled:
		stamp = `ended_at = COALESCE(ended_at, ?2)`
	}
	from := inv.Status
	// The status in the WHERE clause makes a concurrent change fail loudly
	// instead of being overwritten.
	next, err := scanInvitation(tx.QueryRowContext(ctx, `
		UPDATE invitations SET status = ?1, updated_at = ?2, `+stamp+`
		WHERE tenant_id = ?3 AND id = ?4 AND status = ?5
		RETURNING `+invitationColumns,
		string(to), now, inv.TenantID, inv.ID, string(from)))
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		return inv, assessments.Errorf(assessments.ECONFLICT, "The invitation changed at the same time; please try again.")
	} else if err != nil {
		return inv, err
	}
	if err := s.record(ctx, tx, next, from, detail); err != nil {
		return inv, err
	}
	return next, nil
}

// record writes the event of a change and queues the work it starts.
func (s *InvitationStore) record(ctx context.Context, tx *sql.Tx, inv assessments.Invitation, from assessments.InvitationStatus, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO invitation_events (tenant_id, invitation_id, from_status, status, at, detail)
		VALUES (?, ?, ?, ?, ?, ?)`, inv.TenantID, inv.ID, string(from), string(inv.Status), inv.UpdatedAt, detail)
	if err != nil {
		return fmt.Errorf("record event: %w", err)
	}
	return s.queueTransitionTx(ctx, tx, inv, from, inv.Status)
}

// MarkSent implements assessments.InvitationStore.
func (s *InvitationStore) MarkSent(ctx context.Context, tenantID, id int64) (assessments.Invitation, error) {
	var inv assessments.Invitation
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		inv, err = s.markSentTx(ctx, tx, tenantID, id)
		return err
	})
	return inv, wrapInternal("mark invitation sent", err)
}

// markSentTx is MarkSent inside the caller's transaction: the e-mail side
// records the mail server's acceptance in the same one.
func (s *InvitationStore) markSentTx(ctx context.Context, tx *sql.Tx, tenantID, id int64) (assessments.Invitation, error) {
	cur, err := s.getTx(ctx, tx, tenantID, id)
	if err != nil {
		return cur, err
	}
	// Once opened, a resend changes nothing but the count: the status
	// must not step back to sent.
	to := assessments.StatusSent
	if cur.Status == assessments.StatusOpened || cur.Status == assessments.StatusInProgress {
		to = cur.Status
	}
	if err := assessments.CheckTransition(cur.Status, to); err != nil {
		return cur, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET sent_count = sent_count + 1 WHERE tenant_id = ? AND id = ?`,
		tenantID, id); err != nil {
		return cur, err
	}
	cur.SentCount++
	detail := "sent"
	if cur.SentCount > 1 {
		detail = fmt.Sprintf("resent (%d)", cur.SentCount)
	}
	return s.transitionTx(ctx, tx, cur, to, detail)
}

// Extend implements assessments.InvitationStore.
func (s *InvitationStore) Extend(ctx context.Context, tenantID, id int64, until time.Time) (assessments.Invitation, error) {
	if !until.After(s.clock.Now()) {
		return assessments.Invitation{}, assessments.Errorf(assessments.EINVALID, "The new expiry must be in the future.")
	}
	var inv assessments.Invitation
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		inv, err = s.extendTx(ctx, tx, tenantID, id, until)
		return err
	})
	return inv, wrapInternal("extend invitation", err)
}

// extendTx is Extend inside the caller's transaction, after Extend's
// check that until is in the future: the lifecycle side queues the new
// expiry in the same one.
func (s *InvitationStore) extendTx(ctx context.Context, tx *sql.Tx, tenantID, id int64, until time.Time) (assessments.Invitation, error) {
	cur, err := s.getTx(ctx, tx, tenantID, id)
	if err != nil {
		return cur, err
	}
	if err := assessments.CheckTransition(cur.Status, cur.Status); err != nil {
		return cur, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET expires_at = ? WHERE tenant_id = ? AND id = ?`,
		until.UTC(), tenantID, id); err != nil {
		return cur, err
	}
	cur.ExpiresAt = until.UTC()
	return s.transitionTx(ctx, tx, cur, cur.Status, "extended to "+until.UTC().Format(time.RFC3339))
}

// Cancel implements assessments.InvitationStore.
func (s *InvitationStore) Cancel(ctx context.Context, tenantID, id int64, reason string) (assessments.Invitation, error) {
	return s.Transition(ctx, tenantID, id, assessments.StatusCancelled, reason)
}

// Expire implements assessments.InvitationStore.
func (s *InvitationStore) Expire(ctx context.Context, tenantID, id int64) (assessments.Invitation, error) {
	return s.Transition(ctx, tenantID, id, assessments.StatusExpired, "expired")
}

// Events implements assessments.InvitationStore.
func (s *InvitationStore) Events(ctx context.Context, tenantID, id int64) ([]assessments.InvitationEvent, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, invitation_id, from_status, status, at, detail
		FROM invitation_events WHERE tenant_id = ? AND invitation_id = ? ORDER BY id`, tenantID, id)
	if err != nil {
		return nil, fmt.Errorf("storage: invitation events: %w", err)
	}
	defer rows.Close()
	var out []assessments.InvitationEvent
	for rows.Next() {
		var e assessments.InvitationEvent
		var from, status string
		if err := rows.Scan(&e.ID, &e.InvitationID, &from, &status, &e.At, &e.Detail); err != nil {
			return nil, fmt.Errorf("storage: invitation events: %w", err)
		}
		e.From, e.Status = assessments.InvitationStatus(from), assessments.InvitationStatus(status)
		out = append(out, e)
	}
	return out, rows.Err()
}

// utc puts a stored time in UTC, leaving the zero time zero: the driver
// reads times in the local zone.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

// wrapInternal prefixes errors that are not the domain's own, which are
// already fit to show.
func wrapInternal(what string, err error) error {
	var de *assessments.Error
	if err == nil || errors.As(err, &de) {
		return err
	}
	return fmt.Errorf("storage: %s: %w", what, err)
}

// keepLinkTx seals a new invitation's candidate token beside it: the token
// itself is stored only hashed, and the e-mails need it in clear.
func (s *InvitationStore) keepLinkTx(ctx context.Context, tx *sql.Tx, inv assessments.Invitation, token string) error {
	if s.keys == nil {
		return nil
	}
	sealed, err := s.keys.Seal([]byte(token), linkContext(inv.ID))
	if err != nil {
		return fmt.Errorf("seal link: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO invitation_links (invitation_id, tenant_id, token_sealed) VALUES (?, ?, ?)`,
		inv.ID, inv.TenantID, sealed)
	if err != nil {
		return fmt.Errorf("keep link: %w", err)
	}
	return nil
}
