// Package app builds JobCannon for iCIMS from its configuration and runs it:
// New opens the database and the keys and wires the stores, the job queue
// and its workers, the iCIMS side and the web server (wire.go and its
// *_wire.go neighbours); Run serves until its context ends, then shuts the
// parts down in order.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"

	"github.com/jobcannon/jobcannon/storage"
)

// App is the service, built and ready to serve. Run it once.
type App struct {
	*parts
	cfg  Config
	log  *slog.Logger
	db   *storage.DB
	ln   net.Listener
	base *url.URL
}

// New opens the database (migrating it) and the keys, listens on cfg.Addr
// and wires the service. Nothing runs until Run.
func New(ctx context.Context, cfg Config, log *slog.Logger) (*App, error) {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	return newOn(ctx, cfg, ln, cfg.baseURL(ln.Addr()), log)
}

// newOn is New on a listener already open, with the public URL decided:
// the tests serve an https base URL from a loopback port.
func newOn(ctx context.Context, cfg Config, ln net.Listener, base *url.URL, log *slog.Logger) (*App, error) {
	keyring, err := LoadKeys(cfg.SecretKey, cfg.DataDir, log)
	if err != nil {
		ln.Close()
		return nil, err
	}
	db, err := OpenDB(ctx, cfg.Storage, log)
	if err != nil {
		ln.Close()
		return nil, err
	}
	if err := checkServiceKey(ctx, cfg, db, keyring, log); err != nil {
		ln.Close()
		return nil, errors.Join(err, db.Close())
	}
	p, err := wire(cfg, base, db, keyring, log)
	if err != nil {
		ln.Close()
		return nil, errors.Join(err, db.Close())
	}
	return &App{parts: p, cfg: cfg, log: log, db: db, ln: ln, base: base}, nil
}
