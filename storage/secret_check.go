package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jobcannon/jobcannon/secrets"
)

// ErrSecretKeyMismatch is CheckSecretKey's answer when the keyring cannot
// open what the database holds: the database was written with another key.
var ErrSecretKeyMismatch = errors.New("the secret key cannot open what this database holds")

// KeyCheck says what CheckSecretKey found.
type KeyCheck string

// What CheckSecretKey found.
const (
	// KeyCheckWritten: the database had no check value; it now holds one
	// sealed with the active key.
	KeyCheckWritten KeyCheck = "written"
	// KeyCheckMatched: the active key opened the check value.
	KeyCheckMatched KeyCheck = "matched"
	// KeyCheckResealed: an older key of the ring opened the check value,
	// which is now sealed with the active key, so that after a rotation the
	// old key can leave the ring and instances still agree.
	KeyCheckResealed KeyCheck = "resealed"
)

// The check value: a fixed text in its own context, so no other sealed
// value can stand in for it.
const (
	secretCheckContext = "jobcannon:secret-check"
	secretCheckText    = "jobcannon secret check v1"
)

// sampleSealed is how many of the newest sealed credentials a database
// without a check value is tested against.
const sampleSealed = 5

// CheckSecretKey tells whether keys open what the database holds, before
// an instance serves anything: every instance must share the secret key,
// and one started with another would otherwise run and fail later on every
// sealed credential and signed link. The first start writes a check value
// sealed with the active key; later starts must open it.
//
// A database that already holds sealed credentials but no check value (one
// written before the check existed) must open at least one of its newest
// credentials first, so that the first instance to upgrade cannot write
// the check with a wrong key. At least one rather than all: a value left
// sealed with a key retired long ago is that value's problem, not a sign
// of the wrong key.
func CheckSecretKey(ctx context.Context, db *DB, keys *secrets.Keyring, now time.Time) (KeyCheck, error) {
	// Two tries: instances starting together on an empty table both try
	// to write the check, and the one that loses reads the winner's.
	for range 2 {
		found, lost, err := checkSecretKeyOnce(ctx, db, keys, now)
		if err != nil {
			if errors.Is(err, ErrSecretKeyMismatch) {
				return "", err
			}
			return "", fmt.Errorf("storage: check secret key: %w", err)
		}
		if !lost {
			return found, nil
		}
	}
	return "", errors.New("storage: check secret key: the check value was written and then gone")
}

// checkSecretKeyOnce is one transaction of CheckSecretKey; lost reports
// that another instance wrote the check value first.
func checkSecretKeyOnce(ctx context.Context, db *DB, keys *secrets.Keyring, now time.Time) (found KeyCheck, lost bool, err error) {
	err = db.tx(ctx, func(tx *sql.Tx) error {
		var sealed string
		err := tx.QueryRowContext(ctx, `SELECT sealed FROM secret_check WHERE id = 1`).Scan(&sealed)
		if errors.Is(err, sql.ErrNoRows) {
			found, lost, err = writeSecretCheck(ctx, tx, keys, now)
			return err
		} else if err != nil {
			return err
		}
		text, err := keys.Open(sealed, secretCheckContext)
		if err != nil || string(text) != secretCheckText {
			return ErrSecretKeyMismatch
		}
		if keys.SealedByActive(sealed) {
			found = KeyCheckMatched
			return nil
		}
		resealed, err := keys.Seal([]byte(secretCheckText), secretCheckContext)
		if err != nil {
			return err
		}
		// Only over the value just read: two new instances re-sealing
		// together both succeed, each value opening for both.
		if _, err := tx.ExecContext(ctx, `UPDATE secret_check SET sealed = ?, updated_at = ? WHERE id = 1 AND sealed = ?`,
			resealed, now, sealed); err != nil {
			return err
		}
		found = KeyCheckResealed
		return nil
	})
	return found, lost, err
}

// writeSecretCheck writes the first check value, after making sure the
// credentials already sealed, if any, open with keys.
func writeSecretCheck(ctx context.Context, tx *sql.Tx, keys *secrets.Keyring, now time.Time) (KeyCheck, bool, error) {
	if err := opensExisting(ctx, tx, keys); err != nil {
		return "", false, err
	}
	sealed, err := keys.Seal([]byte(secretCheckText), secretCheckContext)
	if err != nil {
		return "", false, err
	}
	// ON CONFLICT rather than catching the error: on PostgreSQL a failed
	// statement would abort the transaction.
	res, err := tx.ExecContext(ctx, `INSERT INTO secret_check (id, sealed, created_at, updated_at) VALUES (1, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`, sealed, now, now)
	if err != nil {
		return "", false, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return "", false, err
	} else if n == 0 {
		return "", true, nil
	}
	return KeyCheckWritten, false, nil
}

// opensExisting returns ErrSecretKeyMismatch when the database holds
// sealed credentials (tenants' iCIMS credentials, inbound Basic and HMAC
// secrets) and keys opens none of the newest of them.
func opensExisting(ctx context.Context, tx *sql.Tx, keys *secrets.Keyring) error {
	type sample struct{ sealed, context string }
	var samples []sample
	read := func(query string, context func(string) string) error {
		rows, err := tx.QueryContext(ctx, query, sampleSealed)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var name, sealed string
			if err := rows.Scan(&name, &sealed); err != nil {
				return err
			}
			samples = append(samples, sample{sealed: sealed, context: context(name)})
		}
		return rows.Err()
	}
	if err := read(`SELECT customer_id, credentials_sealed FROM tenants WHERE credentials_sealed <> ''
		ORDER BY updated_at DESC, id DESC LIMIT ?`, credentialsContext); err != nil {
		return fmt.Errorf("read tenants' credentials: %w", err)
	}
	if err := read(`SELECT identifier, secret_sealed FROM inbound_credentials WHERE secret_sealed <> ''
		ORDER BY created_at DESC, id DESC LIMIT ?`, inboundContext); err != nil {
		return fmt.Errorf("read inbound credentials: %w", err)
	}
	if len(samples) == 0 {
		return nil
	}
	for _, s := range samples {
		if _, err := keys.Open(s.sealed, s.context); err == nil {
			return nil
		}
	}
	return ErrSecretKeyMismatch
}
