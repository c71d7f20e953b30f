package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"

	"github.com/jobcannon/jobcannon/handlers"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/sqlite"
	"github.com/jobcannon/jobcannon/static"
	"github.com/jobcannon/jobcannon/web"
)

// serve builds the service (storage, workers, server), runs it until ctx is
// cancelled, then shuts it down in order: HTTP, workers, database.
func serve(ctx context.Context, cfg serveConfig, stderr io.Writer) (err error) {
	log, err := cfg.logger(stderr)
	if err != nil {
		return err
	}
	keyring, err := loadKeys(cfg, log)
	if err != nil {
		return err
	}
	_ = keyring // used by the install and the candidate links

	db, err := openDB(ctx, cfg.storageConfig, log)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := db.Close(); cerr != nil {
			err = errors.Join(err, cerr)
		}
		log.Info("database closed")
	}()

	assets, err := static.New()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	base := cfg.baseURL(ln.Addr())
	h := &handlers.Handlers{Log: log, Assets: assets, Ready: db, Sandbox: cfg.Sandbox}
	srv, err := web.New(web.Config{
		BaseURL:      base,
		MetricsToken: cfg.MetricsToken,
		Log:          log,
	}, h)
	if err != nil {
		ln.Close()
		return err
	}

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	log.Info("JobCannon is running", "url", base.String(), "addr", ln.Addr().String(), "sandbox", cfg.Sandbox, "database", db.Path())
	if cfg.Sandbox {
		log.Info("sandbox: open the simulated iCIMS Marketplace to install the app", "url", base.JoinPath("/sandbox/marketplace").String())
	}

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	log.Info("http server stopped")
	return <-serveErr
}

func loadKeys(cfg serveConfig, log *slog.Logger) (*secrets.Keyring, error) {
	var keys [][]byte
	var err error
	if cfg.SecretKey != "" {
		keys, err = secrets.ParseKeys(cfg.SecretKey)
		if err != nil {
			return nil, fmt.Errorf("--secret-key: %w", err)
		}
	} else {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		var path string
		var created bool
		keys, path, created, err = secrets.LoadOrCreateKeyFile(cfg.DataDir)
		if err != nil {
			return nil, err
		}
		if created {
			log.Warn("generated a new secret key; back it up: without it stored tokens cannot be read", "path", path)
		}
	}
	return secrets.NewKeyring(keys...)
}

func openDB(ctx context.Context, cfg storageConfig, log *slog.Logger) (*sqlite.DB, error) {
	path, err := sqlite.PathFromURL(cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	db, err := sqlite.Open(ctx, path)
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
