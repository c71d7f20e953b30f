package main

import (
	"context"
	"fmt"
	"io"

	"github.com/jobcannon/jobcannon/app"
)

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var c app.Storage
	f := newFlagSet("migrate", "Usage: jobcannon migrate [flags]\n\nApplies pending database migrations and exits. Safe to run again.", getenv, stdout)
	registerStorage(f, &c)
	if err := f.parse(args); err != nil {
		return err
	}
	log, err := c.Logger(stderr)
	if err != nil {
		return err
	}
	db, err := app.OpenDB(ctx, c, log)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "database %s is up to date\n", db.Name())
	return nil
}
