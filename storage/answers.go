package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jobcannon/jobcannon/assessments"
)

// AnswerStore keeps candidates' answers and attempts. Each save also
// records the invitation's "answered" event through the invitation store,
// in the same transaction as the answers.
type AnswerStore struct {
	db          *DB
	invitations *InvitationStore
}

// NewAnswerStore returns an AnswerStore.
func NewAnswerStore(db *DB, invitations *InvitationStore) *AnswerStore {
	return &AnswerStore{db: db, invitations: invitations}
}

var _ assessments.AnswerStore = (*AnswerStore)(nil)

// Progress implements assessments.AnswerStore.
func (s *AnswerStore) Progress(ctx context.Context, tenantID, invitationID int64) (assessments.Progress, error) {
	p := assessments.Progress{Attempts: map[string]assessments.Attempt{}}
	err := s.db.R.QueryRowContext(ctx, `SELECT resume_step FROM invitations WHERE tenant_id = ? AND id = ?`,
		tenantID, invitationID).Scan(&p.Step)
	if errors.Is(err, sql.ErrNoRows) {
		return p, assessments.Errorf(assessments.ENOTFOUND, "Invitation not found.")
	} else if err != nil {
		return p, fmt.Errorf("storage: progress: %w", err)
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT instrument_id, started_at, finished_at FROM attempts
		WHERE tenant_id = ? AND invitation_id = ?`, tenantID, invitationID)
	if err != nil {
		return p, fmt.Errorf("storage: progress: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a assessments.Attempt
		var started, finished sql.NullTime
		if err := rows.Scan(&a.InstrumentID, &started, &finished); err != nil {
			return p, fmt.Errorf("storage: progress: %w", err)
		}
		a.StartedAt, a.FinishedAt, a.Answers = utc(started.Time), utc(finished.Time), map[string]assessments.Answer{}
		p.Attempts[a.InstrumentID] = a
	}
	if err := rows.Err(); err != nil {
		return p, fmt.Errorf("storage: progress: %w", err)
	}
	rows, err = s.db.R.QueryContext(ctx, `SELECT instrument_id, item_id, value, most, least, choice, elapsed_ms, answered_at
		FROM answers WHERE tenant_id = ? AND invitation_id = ?`, tenantID, invitationID)
	if err != nil {
		return p, fmt.Errorf("storage: progress: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var inst, item string
		var a assessments.Answer
		if err := rows.Scan(&inst, &item, &a.Value, &a.Most, &a.Least, &a.Choice, &a.ElapsedMS, &a.AnsweredAt); err != nil {
			return p, fmt.Errorf("storage: progress: %w", err)
		}
		a.AnsweredAt = utc(a.AnsweredAt)
		at, ok := p.Attempts[inst]
		if !ok {
			at = assessments.Attempt{InstrumentID: inst, Answers: map[string]assessments.Answer{}}
		}
		at.Answers[item] = a
		p.Attempts[inst] = at
	}
	return p, rows.Err()
}

// SaveProgress implements assessments.AnswerStore.
func (s *AnswerStore) SaveProgress(ctx context.Context, tenantID, invitationID int64, u assessments.ProgressUpdate) error {
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		inv, err := s.invitations.getTx(ctx, tx, tenantID, invitationID)
		if err != nil {
			return err
		}
		if inv.Status != assessments.StatusInProgress {
			return assessments.Errorf(assessments.EINVALID, "This assessment is not in progress, so answers cannot be saved.")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO attempts (tenant_id, invitation_id, instrument_id) VALUES (?, ?, ?)
			ON CONFLICT (invitation_id, instrument_id) DO NOTHING`, tenantID, invitationID, u.InstrumentID); err != nil {
			return err
		}
		if u.Start {
			if _, err := tx.ExecContext(ctx, `UPDATE attempts SET started_at = COALESCE(started_at, ?)
				WHERE tenant_id = ? AND invitation_id = ? AND instrument_id = ?`, u.At, tenantID, invitationID, u.InstrumentID); err != nil {
				return err
			}
		}
		if u.Finish {
			if _, err := tx.ExecContext(ctx, `UPDATE attempts SET finished_at = ?
				WHERE tenant_id = ? AND invitation_id = ? AND instrument_id = ?`, u.At, tenantID, invitationID, u.InstrumentID); err != nil {
				return err
			}
		}
		if err := saveAnswers(ctx, tx, tenantID, invitationID, u); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE invitations SET resume_step = MAX(resume_step, ?) WHERE tenant_id = ? AND id = ?`,
			u.Step, tenantID, invitationID); err != nil {
			return err
		}
		if u.Quiet {
			return nil
		}
		_, err = s.invitations.transitionTx(ctx, tx, inv, inv.Status, u.Detail)
		return err
	})
	return wrapInternal("save progress", err)
}

// saveAnswers upserts the answers. An answer that did not change keeps its
// first time, so revisiting a page does not make its answers look late or
// slow; a late save never replaces an answer given in time.
func saveAnswers(ctx context.Context, tx *sql.Tx, tenantID, invitationID int64, u assessments.ProgressUpdate) error {
	conflict := `DO UPDATE SET value = excluded.value, most = excluded.most, least = excluded.least,
			choice = excluded.choice, elapsed_ms = excluded.elapsed_ms, answered_at = excluded.answered_at
		WHERE answers.value <> excluded.value OR answers.most <> excluded.most
			OR answers.least <> excluded.least OR answers.choice <> excluded.choice`
	if u.Late {
		conflict = `DO NOTHING`
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO answers (tenant_id, invitation_id, instrument_id, item_id,
			value, most, least, choice, elapsed_ms, answered_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (invitation_id, instrument_id, item_id) `+conflict)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for id, a := range u.Answers {
		at := a.AnsweredAt
		if at.IsZero() {
			at = u.At
		}
		if _, err := stmt.ExecContext(ctx, tenantID, invitationID, u.InstrumentID, id,
			a.Value, a.Most, a.Least, a.Choice, a.ElapsedMS, at); err != nil {
			return fmt.Errorf("save answer %s: %w", id, err)
		}
	}
	return nil
}
