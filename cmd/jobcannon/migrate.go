package main

import (
	"context"
	"fmt"
	"io"
)

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var c storageConfig
	f := newFlagSet("migrate", "Usage: jobcannon migrate [flags]\n\nApplies pending database migrations and exits. Safe to run again.", getenv, stdout)
	c.register(f)
	if err := f.parse(args); err != nil {
		return err
	}
	log, err := c.logger(stderr)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, c, log)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "database %s is up to date\n", db.Path())
	return nil
}
