package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/storage"
)

// CheckSecretKey refuses a secret key that cannot open what the database
// holds: an instance started with it would serve, and then fail on every
// stored credential and every signed link; an operator command would seal
// credentials the service cannot read. secretKey and dataDir are the
// settings the keys came from (LoadKeys), so that the error, written for
// the operator who reads the start-up log, names the one in use.
func CheckSecretKey(ctx context.Context, secretKey, dataDir string, db *storage.DB, keys *secrets.Keyring) (storage.KeyCheck, error) {
	found, err := storage.CheckSecretKey(ctx, db, keys, assessments.SystemClock{}.Now())
	if errors.Is(err, storage.ErrSecretKeyMismatch) {
		source := "JOBCANNON_SECRET_KEY (--secret-key)"
		if secretKey == "" {
			source = "the key generated in " + filepath.Join(dataDir, "secret.key") + ", since JOBCANNON_SECRET_KEY is not set"
		}
		return "", fmt.Errorf("the secret key differs from the one this database was written with: this instance uses %s, "+
			"which cannot open the credentials and links the database holds. "+
			"Give every instance the same JOBCANNON_SECRET_KEY. "+
			"To rotate the key, list the new key first and the old ones after it, comma-separated (JOBCANNON_SECRET_KEY=new,old), "+
			"on every instance", source)
	}
	return found, err
}

// checkServiceKey is CheckSecretKey for the service, which says in its log
// when the database took its key.
func checkServiceKey(ctx context.Context, cfg Config, db *storage.DB, keys *secrets.Keyring, log *slog.Logger) error {
	found, err := CheckSecretKey(ctx, cfg.SecretKey, cfg.DataDir, db, keys)
	switch found {
	case storage.KeyCheckWritten:
		log.Info("the database now names this secret key as its own; every instance must use the same one")
	case storage.KeyCheckResealed:
		log.Info("the secret key was rotated: the database now names the new key; the old ones may leave JOBCANNON_SECRET_KEY once no instance needs them")
	}
	return err
}
