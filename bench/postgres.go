package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
)

// scratchDatabase creates an empty database on the PostgreSQL server at
// server and returns its URL and a func that drops it (unless keep).
func scratchDatabase(ctx context.Context, server string, keep bool) (string, func(), error) {
	u, err := url.Parse(server)
	if err != nil {
		return "", nil, fmt.Errorf("bench: --database-url: %w", err)
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	name := "jc_bench_" + hex.EncodeToString(b)
	if err := adminExec(ctx, server, "CREATE DATABASE "+name); err != nil {
		return "", nil, fmt.Errorf("bench: make a scratch database on %s (its role must be allowed to create databases): %w", u.Redacted(), err)
	}
	u.Path = "/" + name
	drop := func() {
		if keep {
			return
		}
		dctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = adminExec(dctx, server, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}
	return u.String(), drop, nil
}

// adminExec runs one statement on the server's own database.
func adminExec(ctx context.Context, server, stmt string) error {
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, stmt)
	return err
}
