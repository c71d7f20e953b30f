// Package bench measures JobCannon on this machine (`jobcannon bench`):
// the real service runs as a child process against the iCIMS simulator and
// an SMTP sink; the crash and fault tests drive it with the same pieces.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// Config is the configuration of `jobcannon bench`; the command fills it
// from its flags.
type Config struct {
	Duration   time.Duration
	Quick      bool
	Workers    int
	Candidates int
	Rate       int
	Limit      int
	Fuzz       time.Duration
	Keep       bool
	// DatabaseURL names a PostgreSQL server to measure beside SQLite: each
	// measure then runs on both, in this run, and the table has a column
	// for each. The bench makes a scratch database on it per measure (its
	// role must be allowed to create databases) and drops it afterwards.
	DatabaseURL string
	// Profile is a directory the service's CPU profile during the intake
	// load is written to, one file per store (intake-sqlite.pprof, …);
	// "" for none.
	Profile string
	// Measures names the measures to run (MeasureNames);
	// empty runs them all.
	Measures []string
	// Tenants is how many customers the intake and the journey spread
	// their load over, each a tenant with its own iCIMS limit; 0 or 1 is
	// the US customer alone.
	Tenants int
}

// MeasureNames are the measures Config.Measures may name, in the order
// they run.
func MeasureNames() []string { return []string{"intake", "journey", "fairness", "bulk"} }

// Run measures the service built as bin (a jobcannon binary, run as a
// child process with its "serve" command) and prints the table to out,
// its progress to log.
func Run(ctx context.Context, cfg Config, bin string, out, log io.Writer) error {
	b := &bench{cfg: cfg, bin: bin, out: out, log: log}
	return b.run(ctx)
}

// bench is one run of `jobcannon bench`.
type bench struct {
	cfg Config
	bin string
	out io.Writer
	log io.Writer
	// stores are the databases measured, in the table's column order, and
	// store the one being measured now.
	stores []benchStore
	store  benchStore
	rows   []benchRow
	// drops remove the scratch databases when the run ends.
	drops []func()
}

// benchStore is a database the service is measured on.
type benchStore struct {
	Name string
	// Server is the PostgreSQL server to make scratch databases on; ""
	// for SQLite.
	Server string
}

// benchRow is one measure, with its result on each store.
type benchRow struct {
	name   string
	values map[string]string
}

// row records the result of measure name on the store being measured.
func (b *bench) row(name, value string) {
	i := slices.IndexFunc(b.rows, func(r benchRow) bool { return r.name == name })
	if i < 0 {
		b.rows = append(b.rows, benchRow{name: name, values: map[string]string{}})
		i = len(b.rows) - 1
	}
	b.rows[i].values[b.store.Name] = value
	fmt.Fprintf(b.log, "bench: %s: %s: %s\n", b.store.Name, name, value)
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.log, "bench: "+format+"\n", args...)
}

func (b *bench) run(ctx context.Context) error {
	started := time.Now()
	defer func() {
		for _, drop := range b.drops {
			drop()
		}
	}()
	root, err := os.MkdirTemp("", "jobcannon-bench-")
	if err != nil {
		return err
	}
	if b.cfg.Keep {
		b.logf("data directories under %s", root)
	} else {
		defer os.RemoveAll(root)
	}
	sim, simURL, closeSim, err := startSim()
	if err != nil {
		return err
	}
	defer closeSim()
	for i := range max(otherTenants, b.cfg.Tenants) {
		if err := sim.AddCustomer(strconv.Itoa(9101+i), "Customer "+strconv.Itoa(9101+i)); err != nil {
			return err
		}
	}
	sink, err := StartSMTPSink()
	if err != nil {
		return err
	}
	defer sink.Close()

	b.stores = []benchStore{{Name: "SQLite"}}
	if b.cfg.DatabaseURL != "" {
		b.stores = append(b.stores, benchStore{Name: "PostgreSQL", Server: b.cfg.DatabaseURL})
	}
	for _, st := range b.stores {
		b.store = st
		dir := root + "/" + strings.ToLower(st.Name)
		measures := []struct {
			name string
			run  func() error
		}{
			{"intake", func() error { return b.intake(ctx, dir+"/intake", sim, sink) }},
			{"journey", func() error { return b.journey(ctx, dir+"/journey", sim, simURL, sink) }},
			{"fairness", func() error { return b.fairness(ctx, dir+"/fairness", sim, sink) }},
			{"bulk", func() error { return b.bulkMove(ctx, dir+"/bulk", sim, sink) }},
		}
		for _, m := range measures {
			if len(b.cfg.Measures) > 0 && !slices.Contains(b.cfg.Measures, m.name) {
				continue
			}
			if err := m.run(); err != nil {
				return err
			}
		}
	}
	b.printTable(started)
	if b.cfg.Fuzz > 0 {
		return runFuzzTargets(ctx, b.cfg.Fuzz, b.out, b.log)
	}
	return nil
}

// prepare makes the data directory dir, and on PostgreSQL a scratch
// database dropped when ctx's run ends, with the US customer set up.
func (b *bench) prepare(ctx context.Context, dir string, sim *icimstest.Sim) (Data, error) {
	return b.prepareCustomers(ctx, dir, sim, icimstest.CustomerUS)
}

// prepareCustomers is prepare with the simulator's customers named.
func (b *bench) prepareCustomers(ctx context.Context, dir string, sim *icimstest.Sim, customers ...string) (Data, error) {
	dbURL := ""
	if b.store.Server != "" {
		u, drop, err := scratchDatabase(ctx, b.store.Server, b.cfg.Keep)
		if err != nil {
			return Data{}, err
		}
		b.drops = append(b.drops, drop)
		dbURL = u
	}
	return Prepare(ctx, Data{Dir: dir, DatabaseURL: dbURL}, sim, customers...)
}

// startSim runs the simulator on a loopback port.
func startSim() (*icimstest.Sim, string, func(), error) {
	addr, err := FreeAddr()
	if err != nil {
		return nil, "", nil, err
	}
	base := "http://" + addr
	sim := icimstest.New(icimstest.Options{BaseURL: base})
	srv := &http.Server{Addr: addr, Handler: sim.Handler(), ReadHeaderTimeout: 10 * time.Second}
	ln, err := listen(addr)
	if err != nil {
		return nil, "", nil, err
	}
	go func() { _ = srv.Serve(ln) }()
	return sim, base, func() { sim.Close(); _ = srv.Close() }, nil
}

// intake loads a bare Echo handler and then the service's POST
// /icims/events with the same generator, each for --duration.
func (b *bench) intake(ctx context.Context, dir string, sim *icimstest.Sim, sink *SMTPSink) error {
	data, err := b.prepareCustomers(ctx, dir, sim, b.tenantIDs()...)
	if err != nil {
		return err
	}
	// Enough distinct bodies that no run repeats one, the customers' in
	// turn, each posted with its customer's credentials.
	n := int(b.cfg.Duration.Seconds()*6000) + 1000
	per := n/len(data.Customers) + 1
	var bodies [][]byte
	var auths []string
	perCustomer := make([][][]byte, len(data.Customers))
	for i, cust := range data.Customers {
		if perCustomer[i], err = eventBodies(cust.CustomerID, sim.APIBase(), cust.Trigger, 100000, per); err != nil {
			return err
		}
	}
	for j := range per {
		for i, cust := range data.Customers {
			bodies = append(bodies, perCustomer[i][j])
			auths = append(auths, cust.Auth)
		}
	}
	bare, err := startBareServer()
	if err != nil {
		return err
	}
	b.logf("intake: bare handler, %d workers for %s", b.cfg.Workers, b.cfg.Duration)
	bareRes := loadEvents(ctx, bare.URL+"/icims/events", auths, bodies, b.cfg.Workers, b.cfg.Duration, true)
	bare.close()

	addr, err := FreeAddr()
	if err != nil {
		return err
	}
	args := data.ServiceArgs(addr, sim.APIBase(), sink.URL())
	profile := ""
	if b.cfg.Profile != "" {
		if err := os.MkdirAll(b.cfg.Profile, 0o755); err != nil {
			return fmt.Errorf("bench: --profile: %w", err)
		}
		profile = filepath.Join(b.cfg.Profile, "intake-"+strings.ToLower(b.store.Name)+".pprof")
		args = append(args, "--cpu-profile", profile)
	}
	proc, err := StartChild(ctx, b.bin, args, addr)
	if err != nil {
		return err
	}
	defer proc.Kill()
	b.logf("intake: the service, %d workers for %s", b.cfg.Workers, b.cfg.Duration)
	durable := loadEvents(ctx, proc.URL+"/icims/events", auths, bodies, b.cfg.Workers, b.cfg.Duration, false)
	rss, _ := peakRSS(proc.cmd.Process.Pid)
	if profile != "" {
		// The profile is written when the service stops.
		if err := proc.Stop(30 * time.Second); err != nil {
			return err
		}
		b.logf("intake: CPU profile of the service in %s (go tool pprof -top %s)", profile, profile)
	}
	b.row("Durable event intake (POST /icims/events, "+strconv.Itoa(b.cfg.Workers)+" workers"+b.tenantsNote()+")", formatLoad(durable))
	b.row("Bare Echo handler, parsing only (same load)", formatLoad(bareRes))
	b.row("Peak RSS of the service after the intake load", fmtBytes(rss))
	return nil
}

// journey runs candidates through the whole product: recruiter moves at
// --rate, invitation e-mails, the candidate pages, the write-back under
// the simulator's --icims-limit.
func (b *bench) journey(ctx context.Context, dir string, sim *icimstest.Sim, simURL string, sink *SMTPSink) error {
	data, err := b.prepareCustomers(ctx, dir, sim, b.tenantIDs()...)
	if err != nil {
		return err
	}
	// The candidates are spread over the customers in turn.
	k := b.cfg.Candidates
	prefix := "journey"
	var apps []App
	for i, cust := range data.Customers {
		n := k / len(data.Customers)
		if i < k%len(data.Customers) {
			n++
		}
		ca, err := AddCandidates(ctx, sim, cust, prefix+cust.CustomerID+"x", n)
		if err != nil {
			return err
		}
		apps = append(apps, ca...)
	}
	slices.SortStableFunc(apps, func(x, y App) int { return x.Index - y.Index })
	index := map[string]int{}
	for i, a := range apps {
		index[a.Email] = i
	}
	addr, err := FreeAddr()
	if err != nil {
		return err
	}
	if err := data.pointSimAt(sim, "http://"+addr); err != nil {
		return err
	}
	proc, err := StartChild(ctx, b.bin, data.ServiceArgs(addr, sim.APIBase(), sink.URL()), addr)
	if err != nil {
		return err
	}
	defer proc.Kill()
	for _, cust := range data.Customers {
		if err := sim.SetFaults(cust.CustomerID, icimstest.Faults{RateLimit: b.cfg.Limit}); err != nil {
			return err
		}
		sim.ClearLog(cust.CustomerID)
	}

	// Recruiters move the candidates at --rate; each move's e-mail is
	// timed at the SMTP server.
	b.logf("journey: %d moves at %d a second%s", k, b.cfg.Rate, b.tenantsNote())
	before := len(sink.Messages())
	moved := make([]time.Time, k)
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / time.Duration(b.cfg.Rate))
	var moveErr error
	var mu sync.Mutex
	for i, a := range apps {
		<-tick.C
		moved[i] = time.Now()
		wg.Go(func() {
			if err := moveToTrigger(ctx, sim, a); err != nil {
				mu.Lock()
				moveErr = errors.Join(moveErr, err)
				mu.Unlock()
			}
		})
	}
	tick.Stop()
	wg.Wait()
	if moveErr != nil {
		return moveErr
	}
	links := map[int]string{}
	var lat []time.Duration
	deadline := time.Now().Add(time.Duration(k)*time.Second + 2*time.Minute)
	for len(links) < k && time.Now().Before(deadline) {
		for _, m := range sink.Messages()[before:] {
			i, ok := index[strings.ToLower(m.To)]
			if !ok || links[i] != "" {
				continue
			}
			links[i] = m.Link
			lat = append(lat, m.At.Sub(moved[i]))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(links) < k {
		return fmt.Errorf("bench: %d of %d invitation e-mails arrived: %s", len(links), k, proc.Logs())
	}
	slices.Sort(lat)
	b.row(fmt.Sprintf("Event to e-mail at the SMTP server (%d moves at %d/s%s)", k, b.cfg.Rate, b.tenantsNote()),
		fmt.Sprintf("p50 %s, p99 %s, max %s", fmtDur(percentile(lat, 0.5)), fmtDur(percentile(lat, 0.99)), fmtDur(lat[len(lat)-1])))

	// The Sent rows are written after the e-mails; the write-back is
	// measured from a quiet start.
	if err := waitResults(ctx, sim, apps, false, 5*time.Minute); err != nil {
		return err
	}
	inviteCalls := b.calls(sim, data)

	// Every candidate takes the assessment, four at a time: each start
	// writes In-Progress, each submit Complete and the scorecard.
	b.logf("journey: %d candidates take the assessment; iCIMS allows %d calls a minute", k, b.cfg.Limit)
	for _, cust := range data.Customers {
		sim.ClearLog(cust.CustomerID)
	}
	began := time.Now()
	var pages []time.Duration
	first := [2]int{}
	sem := make(chan struct{}, 4)
	var runErr error
	for i := range k {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			c := NewCandidateRun()
			err := c.Complete(ctx, links[i])
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				runErr = errors.Join(runErr, fmt.Errorf("candidate %d: %w", i, err))
				return
			}
			pages = append(pages, c.Pages...)
			if i == 0 {
				first = [2]int{c.FirstPage, c.FirstPageGzip}
			}
		})
	}
	wg.Wait()
	if runErr != nil {
		return fmt.Errorf("%w\nthe service's last log lines:\n%s", runErr, proc.Logs())
	}
	submitted := time.Since(began)
	if err := waitResults(ctx, sim, apps, true, 10*time.Minute); err != nil {
		return err
	}
	elapsed := time.Since(began)
	slices.Sort(pages)
	b.row(fmt.Sprintf("Candidate question page, time at the client on loopback (%d pages, 4 candidates at once)", len(pages)),
		fmt.Sprintf("p50 %s, p99 %s", fmtDur(percentile(pages, 0.5)), fmtDur(percentile(pages, 0.99))))
	b.row("First question page's HTML", fmt.Sprintf("%s, %s gzip", fmtBytes(int64(first[0])), fmtBytes(int64(first[1]))))

	calls := b.calls(sim, data)
	// Each customer has its own limit: the ideal is the time the customer
	// with the most writes needs at its limit.
	busiest, writes, limited, most := 0, 0, 0, 0
	for _, cust := range data.Customers {
		busiest = max(busiest, sim.MaxCallsInWindow(cust.CustomerID, time.Minute))
		n := 0
		for _, c := range sim.Calls(cust.CustomerID) {
			switch {
			case c.Status == http.StatusTooManyRequests:
				limited++
			case c.Method != http.MethodGet:
				n++
			}
		}
		writes += n
		most = max(most, n)
	}
	ideal := time.Duration(float64(most) / float64(b.cfg.Limit) * float64(time.Minute))
	// A candidate who finishes before In-Progress went out gets Complete
	// straight away: the write-back writes the latest status, not each.
	b.row(fmt.Sprintf("Write-back of %d completions (result row and scorecard) under iCIMS's %d calls/min%s", k, b.cfg.Limit, b.tenantsNote()),
		fmt.Sprintf("%d writes in %s (submits done after %s): %.0f writes/min, ideal N/L %s; %d answered 429; busiest minute %d calls",
			writes, fmtDur(elapsed), fmtDur(submitted), float64(writes)/elapsed.Minutes(), fmtDur(ideal), limited, busiest))
	all := append(inviteCalls, calls...)
	b.row("iCIMS calls per candidate (move to Complete)", fmt.Sprintf("%s; %d calls for %d candidates",
		CallsPerCandidate(all, k), len(all), k))
	rss, _ := peakRSS(proc.cmd.Process.Pid)
	b.row("Peak RSS of the service after the journey", fmtBytes(rss))
	self, _ := peakRSS(0)
	b.row("Peak RSS of the bench (simulator, SMTP sink, load generator)", fmtBytes(self))
	return proc.Stop(10 * time.Second)
}

// tenantIDs are the customers the intake and the journey spread their
// load over: the US one, then added ones up to --tenants.
func (b *bench) tenantIDs() []string {
	ids := []string{icimstest.CustomerUS}
	for i := range b.cfg.Tenants - 1 {
		ids = append(ids, strconv.Itoa(9101+i))
	}
	return ids
}

// tenantsNote names the number of tenants in a row's label, when there are
// several.
func (b *bench) tenantsNote() string {
	if b.cfg.Tenants <= 1 {
		return ""
	}
	return fmt.Sprintf(", %d tenants", b.cfg.Tenants)
}

// calls are the simulator's calls of every customer of data.
func (b *bench) calls(sim *icimstest.Sim, data Data) []icimstest.Call {
	var out []icimstest.Call
	for _, cust := range data.Customers {
		out = append(out, sim.Calls(cust.CustomerID)...)
	}
	return out
}

// waitResults waits until every application's result row shows its
// final state (see AppWritten).
func waitResults(ctx context.Context, sim *icimstest.Sim, apps []App, completed bool, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		done := 0
		for _, a := range apps {
			ok, err := AppWritten(sim, a, completed)
			if err != nil {
				return err
			}
			if ok {
				done++
			}
		}
		if done == len(apps) {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("bench: %d of %d applications show their result in iCIMS", done, len(apps))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// AppWritten reports whether iCIMS shows the application's final state:
// one result row, Complete with a score and the scorecard written to the
// person when completed, Sent otherwise.
func AppWritten(sim *icimstest.Sim, a App, completed bool) (bool, error) {
	cid := a.Customer.CustomerID
	rows, err := sim.Results(cid, a.Workflow)
	if err != nil || len(rows) == 0 {
		return false, err
	}
	last := rows[len(rows)-1]
	if !completed {
		return last.AssessmentStatus == icimstest.AssessmentSent, nil
	}
	if last.AssessmentStatus != icimstest.AssessmentComplete || last.Score == nil {
		return false, nil
	}
	fields, err := sim.PersonFields(cid, a.Person)
	return err == nil && fields[icimstest.FieldAssessmentScore] != "", err
}

func (b *bench) printTable(started time.Time) {
	host, _ := os.Hostname()
	fmt.Fprintf(b.out, "\nJobCannon bench, %s, %s, %d CPUs (%s), %s, %s in all\n\n", time.Now().UTC().Format("2006-01-02"),
		host, runtime.NumCPU(), cpuModel(), runtime.Version(), time.Since(started).Round(time.Second))
	if len(b.stores) == 1 {
		fmt.Fprintln(b.out, "| measure | result |")
		fmt.Fprintln(b.out, "|---|---|")
	} else {
		head, rule := "| measure |", "|---|"
		for _, st := range b.stores {
			head, rule = head+" "+st.Name+" |", rule+"---|"
		}
		fmt.Fprintln(b.out, head)
		fmt.Fprintln(b.out, rule)
	}
	for _, r := range b.rows {
		line := "| " + r.name + " |"
		for _, st := range b.stores {
			v := r.values[st.Name]
			if v == "" {
				v = "–"
			}
			line += " " + v + " |"
		}
		fmt.Fprintln(b.out, line)
	}
}

// cpuModel reads the CPU's model name from /proc/cpuinfo.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func fmtBytes(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
