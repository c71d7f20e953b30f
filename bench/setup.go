package bench

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/storage"
)

// Customer is one simulated iCIMS customer set up as a tenant of the
// service under test: connected by Basic auth, a Big Five package whose
// score and verdict go to the seeded scorecard fields, an auto rule that
// sends it when a candidate enters the Assessment stage, and Basic inbound
// credentials that the simulator uses to post events.
type Customer struct {
	CustomerID string
	TenantID   int64
	PackageID  int64
	// Trigger is the status that sends the package; Other is one that
	// does not.
	Trigger, Other string
	// JobID is the job new applications are made to.
	JobID int
	// Auth is the Authorization header of the inbound credentials.
	Auth string
	user string
	pass string
}

// Data is a data directory prepared for `jobcannon serve`, and the
// database the service runs on.
type Data struct {
	Dir string
	// DatabaseURL names the database when it is not the data
	// directory's SQLite file (a PostgreSQL database several instances
	// share).
	DatabaseURL string
	SecretKey   string
	Customers   []Customer
}

// Prepare creates d's database (the SQLite file in d.Dir when
// d.DatabaseURL is empty; a PostgreSQL database must exist and may be
// empty) and sets up each customer of sim as a tenant (see Customer),
// with d's secret key (a new one when empty); it returns d with the
// customers. The service is not running yet: the stores are used
// directly, as `jobcannon tenant add` does.
func Prepare(ctx context.Context, d Data, sim *icimstest.Sim, customers ...string) (Data, error) {
	out := d
	if err := os.MkdirAll(out.Dir, 0o700); err != nil {
		return out, err
	}
	if out.SecretKey == "" {
		key, err := secrets.NewKey()
		if err != nil {
			return out, err
		}
		out.SecretKey = key
	}
	keys, err := secrets.ParseKeys(out.SecretKey)
	if err != nil {
		return out, err
	}
	keyring, err := secrets.NewKeyring(keys...)
	if err != nil {
		return out, err
	}
	db, err := storage.Open(ctx, out.DatabaseURL, out.Dir)
	if err != nil {
		return out, err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return out, err
	}
	lib, err := assessments.BuiltinInstruments()
	if err != nil {
		return out, err
	}
	clock := assessments.SystemClock{}
	tenants := storage.NewTenantStore(db, keyring, clock)
	catalog := storage.NewCatalogStore(db, clock)
	rules := storage.NewRuleStore(db, clock)
	inbound := storage.NewInboundStore(db, keyring, clock, rand.Reader, 0)
	for _, cid := range customers {
		c := Customer{CustomerID: cid, Trigger: icimstest.StatusAssessment, Other: icimstest.StatusInterview, JobID: icimstest.USJob1}
		region, name, node := assessments.RegionUS, "Acme Corporation", icimstest.AssessmentBigFive
		if cid == icimstest.CustomerEU {
			c.Trigger, c.Other, c.JobID = icimstest.StatusAssessmentEU, icimstest.StatusInterviewEU, icimstest.EUJob1
			region, name, node = assessments.RegionEU, "Europa GmbH", icimstest.AssessmentBigFiveEU
		}
		tenant, err := tenants.Connect(ctx, assessments.Connection{CustomerID: cid, Name: name, Region: region,
			APIURL: sim.APIBase(), AuthMode: assessments.AuthBasic,
			Credentials: assessments.Credentials{Username: icimstest.BasicUser(cid), Password: icimstest.BasicPassword(cid)}})
		if err != nil {
			return out, fmt.Errorf("bench: connect %s: %w", cid, err)
		}
		c.TenantID = tenant.ID
		pkg, err := catalog.SavePackage(ctx, lib, assessments.Package{TenantID: tenant.ID, Name: "Big Five",
			InstrumentIDs: []string{"big-five-work"}, AssessmentTypeID: node, AssessmentTypeName: "Big Five Work Personality",
			Enabled: true, Scorecard: []assessments.ScorecardMapping{
				{Field: icimstest.FieldAssessmentScore, Source: assessments.SourceOverall},
				{Field: icimstest.FieldAssessmentVerdict, Source: assessments.SourceVerdict},
			}})
		if err != nil {
			return out, fmt.Errorf("bench: package for %s: %w", cid, err)
		}
		c.PackageID = pkg.ID
		_, err = rules.SaveRule(ctx, assessments.Actor{Email: "bench@jobcannon.test"}, assessments.Rule{TenantID: tenant.ID,
			Name: "Assessment stage", Mode: assessments.RuleAuto, Enabled: true, PackageID: pkg.ID,
			Conditions: assessments.RuleConditions{Statuses: []assessments.StatusPair{{To: c.Trigger}}}})
		if err != nil {
			return out, fmt.Errorf("bench: rule for %s: %w", cid, err)
		}
		cred, err := inbound.Issue(ctx, tenant.ID, assessments.InboundBasic)
		if err != nil {
			return out, fmt.Errorf("bench: inbound credentials for %s: %w", cid, err)
		}
		c.user, c.pass = cred.Identifier, cred.Secret
		c.Auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(cred.Identifier+":"+cred.Secret))
		out.Customers = append(out.Customers, c)
	}
	return out, nil
}

// pointSimAt makes the simulator post each customer's events to the
// service at baseURL with the customer's inbound credentials.
func (d Data) pointSimAt(sim *icimstest.Sim, baseURL string) error {
	for _, c := range d.Customers {
		err := sim.SetVendor(c.CustomerID, icimstest.VendorSettings{EventURL: baseURL + "/icims/events",
			Auth: icimstest.VendorAuthBasic, User: c.user, Password: c.pass})
		if err != nil {
			return err
		}
	}
	return nil
}

// simClient is an iCIMS client of a simulated customer for the harness
// itself (adding candidates as recruiters do). It is not paced: the
// harness's calls are not the service's, and should not spend the pace
// the service's instances share.
func simClient(sim *icimstest.Sim, cid string) (*icims.Client, error) {
	return icims.New(icims.Config{CustomerID: cid, BaseURL: sim.APIBase(),
		Auth: icims.Basic{User: icimstest.BasicUser(cid), Password: icimstest.BasicPassword(cid)}})
}

// App is a candidate's application in the simulator.
type App struct {
	Customer Customer
	Index    int
	Workflow int
	Person   int
	Email    string
}

// AddCandidates creates n people with their own e-mail addresses and an
// application each to the customer's job, in the New Submission stage, and
// returns the applications. Addresses are prefix + index.
func AddCandidates(ctx context.Context, sim *icimstest.Sim, c Customer, prefix string, n int) ([]App, error) {
	client, err := simClient(sim, c.CustomerID)
	if err != nil {
		return nil, err
	}
	status := icimstest.StatusNewSubmission
	if c.CustomerID == icimstest.CustomerEU {
		status = icimstest.StatusNewSubmissionEU
	}
	out := make([]App, 0, n)
	for i := range n {
		pid, err := sim.AddPerson(c.CustomerID, map[string]any{"firstname": "Cand", "lastname": prefix + strconv.Itoa(i),
			"email": benchAddress(prefix, i)})
		if err != nil {
			return nil, err
		}
		id, _, err := client.CreateApplicantWorkflow(ctx, icims.NewApplicantWorkflow{JobID: strconv.Itoa(c.JobID),
			PersonID: strconv.Itoa(pid), StatusID: status})
		if err != nil {
			return nil, err
		}
		wid, err := strconv.Atoi(id)
		if err != nil {
			return nil, err
		}
		out = append(out, App{Customer: c, Index: i, Workflow: wid, Person: pid, Email: benchAddress(prefix, i)})
	}
	return out, nil
}

// benchAddress is candidate i's e-mail address.
func benchAddress(prefix string, i int) string {
	return strings.ToLower(prefix) + strconv.Itoa(i) + "@candidates.example"
}

// ServiceProc is `jobcannon serve` running as a child process.
type ServiceProc struct {
	cmd  *exec.Cmd
	URL  string
	done chan struct{}
	err  error

	mu     sync.Mutex
	stderr []string // the last lines, for a failure's message
}

// ServiceArgs are the flags that run the service on d against the
// simulator at simURL, sending e-mail to smtpURL, on addr.
func (d Data) ServiceArgs(addr, simAPI, smtpURL string) []string {
	args := []string{"serve", "--data-dir", d.Dir, "--addr", addr, "--base-url", "http://" + addr,
		"--secret-key", d.SecretKey, "--sandbox=false", "--icims-api-url", simAPI, "--smtp-url", smtpURL,
		"--mail-from", "assessments@jobcannon.test", "--log-level", "warn", "--log-format", "json",
		"--shutdown-timeout", "5s"}
	if d.DatabaseURL != "" {
		args = append(args, "--database-url", d.DatabaseURL)
	}
	return args
}

// StartChild starts bin with args and waits until /readyz answers 200.
func StartChild(ctx context.Context, bin string, args []string, addr string) (*ServiceProc, error) {
	cmd := exec.Command(bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &ServiceProc{cmd: cmd, URL: "http://" + addr, done: make(chan struct{})}
	go p.collect(stderr)
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case <-p.done:
			return nil, fmt.Errorf("bench: the service exited at start: %v: %s", p.err, p.lastLines())
		default:
		}
		if res, err := http.Get(p.URL + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			p.Kill()
			return nil, fmt.Errorf("bench: the service did not get ready: %s", p.lastLines())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (p *ServiceProc) collect(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		p.mu.Lock()
		p.stderr = append(p.stderr, sc.Text())
		if len(p.stderr) > 50 {
			p.stderr = p.stderr[len(p.stderr)-50:]
		}
		p.mu.Unlock()
	}
}

func (p *ServiceProc) lastLines() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.stderr, "\n")
}

// Logs returns the last lines the service wrote to stderr.
func (p *ServiceProc) Logs() string { return p.lastLines() }

// Kill ends the process with SIGKILL, as a crash or the OOM killer would,
// and waits for it.
func (p *ServiceProc) Kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// Stop asks the process to shut down (SIGTERM) and waits, killing it if
// it takes longer than timeout. A clean shutdown exits 0; anything else
// (a race report exits 66) is an error with the last lines of the log.
func (p *ServiceProc) Stop(timeout time.Duration) error {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(timeout):
		p.Kill()
		return errors.New("bench: the service did not stop in time; killed")
	}
	if p.err != nil {
		return fmt.Errorf("bench: the service exited with %w: %s", p.err, p.lastLines())
	}
	return nil
}

// peakRSS reads the process's peak resident set (VmHWM) in bytes; it must
// be called before the process exits.
func peakRSS(pid int) (int64, error) {
	path := "/proc/self/status"
	if pid != 0 {
		path = "/proc/" + strconv.Itoa(pid) + "/status"
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, errors.New("bench: no VmHWM in " + path)
}

// FreeAddr returns a loopback address with a port nothing listens on.
// The service is started on a known port so that it keeps its address
// (and its links and the simulator's event URL) across restarts.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func listen(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }
