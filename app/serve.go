package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"

	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/storage"
)

// Run serves until ctx ends, then shuts the service down in order: HTTP,
// the workers, then the database. However Run ends, it releases
// everything New opened.
func (a *App) Run(ctx context.Context) (err error) {
	cfg, log, db, ln, base := a.cfg, a.log, a.db, a.ln, a.base
	defer func() {
		if cerr := db.Close(); cerr != nil {
			err = errors.Join(err, cerr)
		}
		log.Info("database closed")
	}()
	defer a.close()
	if err := a.events.start(ctx); err != nil {
		ln.Close()
		return err
	}
	// However Run ends, the workers stop after HTTP and before the
	// database closes (deferred above, so it runs later).
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
		defer cancel()
		if serr := a.events.stop(stopCtx); serr != nil {
			log.Warn("jobs did not stop cleanly", "err", serr)
		}
	}()

	serveErr := make(chan error, 1)
	go func() { serveErr <- a.server.Serve(ln) }()
	log.Info("JobCannon is running", "url", base.String(), "addr", ln.Addr().String(), "sandbox", cfg.Sandbox, "database", db.Name())
	if cfg.Sandbox {
		warnSandbox(log, cfg, base)
		log.Info("sandbox: open the simulated iCIMS Marketplace to install the app", "url", base.JoinPath("/sandbox/marketplace").String())
		if cfg.SMTPURL == "" {
			log.Info("sandbox: every e-mail is kept in the dev mailbox", "url", base.JoinPath(routes.MailboxList()).String())
		}
	}

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if err := a.server.Shutdown(shutdownCtx); err != nil {
		return err
	}
	log.Info("http server stopped")
	if err := a.events.stop(shutdownCtx); err != nil {
		log.Warn("jobs did not stop cleanly", "err", err)
	} else {
		log.Info("jobs stopped")
	}
	return <-serveErr
}

// warnSandbox says loudly that the sandbox is on: its dev mailbox shows
// every e-mail sent (candidate links included) and its simulator answers
// anyone, with no sign-in.
func warnSandbox(log *slog.Logger, cfg Config, base *url.URL) {
	msg := "SANDBOX IS ON: the dev mailbox (every e-mail sent, with candidate links) and the iCIMS simulator under /sandbox/ are open to anyone who can reach this URL; do not use it with real candidates"
	if cfg.PublicBaseURL() {
		msg = "SANDBOX IS ON AT A PUBLIC URL: the dev mailbox (every e-mail sent, with candidate links) and the iCIMS simulator under /sandbox/ are public; turn it off with --sandbox=false unless this server is a throwaway demo"
	}
	log.Warn(msg, "url", base.JoinPath("/sandbox/").String(), "public", cfg.PublicBaseURL(), "mode", cfg.SandboxMode)
}

// LoadKeys builds the keyring from --secret-key, or from the key file in
// dataDir (created on first use). serve and the operator commands share it,
// so both open the same sealed values.
func LoadKeys(secretKey, dataDir string, log *slog.Logger) (*secrets.Keyring, error) {
	var keys [][]byte
	var err error
	if secretKey != "" {
		keys, err = secrets.ParseKeys(secretKey)
		if err != nil {
			return nil, fmt.Errorf("--secret-key: %w", err)
		}
	} else {
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		var path string
		var created bool
		keys, path, created, err = secrets.LoadOrCreateKeyFile(dataDir)
		if err != nil {
			return nil, err
		}
		if created {
			log.Warn("generated a new secret key; back it up: without it stored tokens cannot be read", "path", path)
		}
	}
	return secrets.NewKeyring(keys...)
}

// OpenDB opens the database the settings name and brings its schema and
// the job queue's tables up to date.
func OpenDB(ctx context.Context, cfg Storage, log *slog.Logger) (*storage.DB, error) {
	db, err := storage.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("applied migrations", "count", len(applied), "latest", applied[len(applied)-1])
	}
	return db, nil
}
