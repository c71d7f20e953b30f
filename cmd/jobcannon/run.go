package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strings"

	"github.com/jobcannon/jobcannon/app"
)

const topUsage = `JobCannon for iCIMS: send assessments from iCIMS and write results back.

Usage:
  jobcannon [command] [flags]

Commands:
  serve         run the web service (the default)
  migrate       apply database migrations and exit
  migrate-data  copy a SQLite deployment's data into an empty PostgreSQL database
  tenant        add, list, show and remove tenants; issue inbound credentials
  admin         create an admin account
  sandbox       run the simulated iCIMS on its own
  bench         measure intake, latency, pages, write-back and memory on this machine
  version       print the version

Run "jobcannon COMMAND --help" for a command's flags.`

// run is the whole program. main only wires it to the process, so tests can
// call it with their own arguments, environment and streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	} else if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		fmt.Fprintln(stdout, topUsage)
		fmt.Fprintln(stdout)
		newServeFlags(&app.Config{}, getenv, stdout).printUsage(stdout)
		return flag.ErrHelp
	}
	switch cmd {
	case "serve":
		cfg, err := parseServe(args, getenv, stdout)
		if err != nil {
			return err
		}
		if getenv("GOGC") == "" {
			debug.SetGCPercent(serveGCPercent)
		}
		return serve(ctx, cfg, stderr)
	case "migrate":
		return migrate(ctx, args, getenv, stdout, stderr)
	case "migrate-data":
		return migrateData(ctx, args, getenv, stdout, stderr)
	case "tenant":
		return cliMessage(tenantCommand(ctx, args, getenv, stdout, stderr))
	case "admin":
		return cliMessage(adminCommand(ctx, args, getenv, stdin, stdout, stderr))
	case "sandbox":
		return sandbox(ctx, args, getenv, stdout, stderr)
	case "bench":
		return benchCommand(ctx, args, getenv, stdout, stderr)
	case "version":
		return printVersion(args, getenv, stdout)
	case "help":
		fmt.Fprintln(stdout, topUsage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, topUsage)
}

// serveGCPercent is the garbage collector's target for serve unless GOGC
// is set: the heap may grow to five times what is live before a cycle, not
// twice (Go's default). The service keeps little alive (~15 MiB), so this
// costs tens of MiB (peak RSS after the intake bench 68 MiB, was 50), and
// under event load it takes about a quarter off the CPU each event costs
// (jobcannon bench --measures intake --profile: ~500 → ~360 µs of the
// service's CPU per event).
const serveGCPercent = 400

// serve builds the service from its settings and runs it until ctx ends.
func serve(ctx context.Context, cfg app.Config, stderr io.Writer) error {
	log, err := cfg.Logger(stderr)
	if err != nil {
		return err
	}
	if cfg.CPUProfile != "" {
		stop, err := startCPUProfile(cfg.CPUProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	return a.Run(ctx)
}

// startCPUProfile profiles the process into path until stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpu-profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpu-profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
