package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/secrets"
)

// InstallStateStore keeps OAuth install attempts; the PKCE verifier is
// sealed and bound to its state.
type InstallStateStore struct {
	db   *DB
	keys *secrets.Keyring
}

// NewInstallStateStore returns an InstallStateStore.
func NewInstallStateStore(db *DB, keys *secrets.Keyring) *InstallStateStore {
	return &InstallStateStore{db: db, keys: keys}
}

var _ assessments.InstallStateStore = (*InstallStateStore)(nil)

func verifierContext(stateHash string) string { return "install:" + stateHash + ":verifier" }

// SaveInstallState implements assessments.InstallStateStore. It also drops
// attempts that expired a day ago, so the table stays small.
func (s *InstallStateStore) SaveInstallState(ctx context.Context, st assessments.InstallState) error {
	sealed, err := s.keys.Seal([]byte(st.Verifier), verifierContext(st.StateHash))
	if err != nil {
		return fmt.Errorf("storage: save install state: %w", err)
	}
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		now := st.ExpiresAt.Add(-assessments.InstallStateTTL)
		if _, err := tx.ExecContext(ctx, `DELETE FROM oauth_states WHERE expires_at < ?`, now.Add(-24*time.Hour)); err != nil {
			return fmt.Errorf("storage: prune install states: %w", err)
		}
		_, err := tx.ExecContext(ctx, `
			INSERT INTO oauth_states (state_hash, browser_hash, customer_id, region, verifier_sealed, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			st.StateHash, st.BrowserHash, st.CustomerID, string(st.Region), sealed, now, st.ExpiresAt)
		if err != nil {
			return fmt.Errorf("storage: save install state: %w", err)
		}
		return nil
	})
}

// TakeInstallState implements assessments.InstallStateStore: the UPDATE
// claims the row, so two callbacks with one state cannot both proceed.
func (s *InstallStateStore) TakeInstallState(ctx context.Context, stateHash string, now time.Time) (assessments.InstallState, error) {
	var st assessments.InstallState
	var region, sealed string
	err := s.db.W.QueryRowContext(ctx, `
		UPDATE oauth_states SET used_at = ? WHERE state_hash = ? AND used_at IS NULL
		RETURNING state_hash, browser_hash, customer_id, region, verifier_sealed, expires_at`, now, stateHash).
		Scan(&st.StateHash, &st.BrowserHash, &st.CustomerID, &region, &sealed, &st.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return st, assessments.Errorf(assessments.ENOTFOUND, "Install attempt not found or already used.")
	} else if err != nil {
		return st, fmt.Errorf("storage: take install state: %w", err)
	}
	v, err := s.keys.Open(sealed, verifierContext(st.StateHash))
	if err != nil {
		return st, fmt.Errorf("storage: take install state: %w", err)
	}
	st.Region, st.Verifier = assessments.Region(region), string(v)
	return st, nil
}
