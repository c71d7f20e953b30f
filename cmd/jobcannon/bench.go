package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jobcannon/jobcannon/bench"
)

const benchUsage = `Usage: jobcannon bench [flags]

Measures the service on this machine, in one run, and prints a table:
durable event intake beside a bare Echo handler that only parses the event
(the same Go load generator: a fixed number of workers, each posting
distinct gzip events with Basic auth); event-to-e-mail latency (simulator
move → POST /icims/events → jobs → SMTP server); candidate page time and
the first question page's weight; write-back throughput at a set iCIMS
limit against the ideal; iCIMS calls per candidate; peak RSS; and what one
customer's backlog of writes at its iCIMS limit costs ten others (their
event-to-e-mail latency and how soon their writes follow). With --tenants
N, the intake and the journey spread their load over N customers, each a
tenant with its own iCIMS limit.

The service runs as a child process (this binary's "serve") on a
temporary data directory, against the simulator and an SMTP sink run by
the bench itself. With --database-url, every measure runs on SQLite and
then on PostgreSQL (a scratch database per measure), in the same run. With --fuzz, each fuzz target then runs for that long
(go test -fuzz; needs the Go toolchain and the source tree).`

type intValue struct{ p *int }

func (v intValue) String() string {
	if v.p == nil {
		return "0"
	}
	return strconv.Itoa(*v.p)
}

func (v intValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return errors.New("want a whole number, 0 or more")
	}
	*v.p = n
	return nil
}

type listValue struct{ p *[]string }

func (v listValue) String() string {
	if v.p == nil {
		return ""
	}
	return strings.Join(*v.p, ",")
}

func (v listValue) Set(s string) error {
	*v.p = nil
	for _, m := range strings.Split(s, ",") {
		m = strings.TrimSpace(m)
		if !slices.Contains(bench.MeasureNames(), m) {
			return fmt.Errorf("unknown measure %q: want one of %s", m, strings.Join(bench.MeasureNames(), ", "))
		}
		*v.p = append(*v.p, m)
	}
	return nil
}

func newBenchFlags(c *bench.Config, getenv func(string) string, out io.Writer) *flagSet {
	f := newFlagSet("bench", benchUsage, getenv, out)
	f.Duration(&c.Duration, "duration", "", 10*time.Second, "how long each side of the intake comparison is loaded")
	f.Bool(&c.Quick, "quick", "", false, "a short run: 3 s of intake load, 30 candidates or one per tenant if --tenants is more (overrides --duration and --candidates)")
	c.Workers, c.Candidates, c.Rate, c.Limit, c.Tenants = 32, 150, 3, 500, 1
	f.add(setting{flag: "workers", value: intValue{&c.Workers}, usage: "concurrent workers of the intake load generator"})
	f.add(setting{flag: "candidates", value: intValue{&c.Candidates}, usage: "candidates moved, e-mailed, and taking the assessment"})
	f.add(setting{flag: "rate", value: intValue{&c.Rate}, usage: "recruiter moves a second while event-to-e-mail latency is measured"})
	f.add(setting{flag: "tenants", value: intValue{&c.Tenants}, usage: "customers the intake and the journey spread their load over, each a tenant with its own iCIMS limit"})
	f.add(setting{flag: "icims-limit", value: intValue{&c.Limit}, usage: "the simulator's rate limit, in calls a minute, while the write-back is measured"})
	f.Duration(&c.Fuzz, "fuzz", "", 0, "run each fuzz target for this long after the measurements (0: none)")
	f.Bool(&c.Keep, "keep", "", false, "keep the data directories (and PostgreSQL scratch databases) and print where they are")
	f.String(&c.Profile, "profile", "", "", "a directory to write the service's CPU profile during the intake load to (intake-sqlite.pprof, intake-postgresql.pprof)")
	f.add(setting{flag: "measures", value: listValue{&c.Measures}, usage: "comma-separated measures to run: " + strings.Join(bench.MeasureNames(), ", ") + " (default: all)"})
	f.String(&c.DatabaseURL, "database-url", "", "", "a PostgreSQL server (postgres://user:pass@host:5432/db, a role that may create databases) to measure beside SQLite: each measure runs on both and the table has a column for each")
	return f
}

// benchCommand parses the flags and runs the bench.
func benchCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var c bench.Config
	if err := newBenchFlags(&c, getenv, stdout).parse(args); err != nil {
		return err
	}
	if c.Quick {
		// At least one candidate per tenant, so that every tenant's
		// journey is measured.
		c.Duration, c.Candidates = 3*time.Second, max(30, c.Tenants)
	}
	if c.Workers == 0 || c.Candidates == 0 || c.Rate == 0 || c.Limit == 0 || c.Tenants == 0 || c.Duration <= 0 {
		return errors.New("bench: --workers, --candidates, --rate, --icims-limit, --tenants and --duration must be above zero")
	}
	bin, err := os.Executable()
	if err != nil {
		return err
	}
	return bench.Run(ctx, c, bin, stdout, stderr)
}
