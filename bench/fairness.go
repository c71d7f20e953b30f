package bench

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/storage"
)

// FairnessRow is the label of the fairness measure's main row.
const FairnessRow = "Other tenants' event to e-mail during one tenant's backlog"

// otherTenants is how many customers move candidates while one works off
// its backlog.
const otherTenants = 10

// fairness measures what one customer's backlog costs the others: the US
// customer starts with a backlog of write-backs (one Sent row per
// invitation, queued before the service starts) that it works off at its
// iCIMS limit, while ten other customers' recruiters move candidates at
// --rate; their event → e-mail latency and how soon their Sent rows follow
// their e-mails are measured.
func (b *bench) fairness(ctx context.Context, dir string, sim *icimstest.Sim, sink *SMTPSink) error {
	backlog, perTenant := 3000, 10
	if b.cfg.Quick {
		backlog, perTenant = 600, 3
	}
	ids := []string{icimstest.CustomerUS}
	for i := range otherTenants {
		ids = append(ids, strconv.Itoa(9101+i))
	}
	data, err := b.prepareCustomers(ctx, dir, sim, ids...)
	if err != nil {
		return err
	}
	busy, others := data.Customers[0], data.Customers[1:]
	for _, c := range data.Customers {
		// The journey left its limits; the set-up calls go unlimited.
		if err := sim.SetFaults(c.CustomerID, icimstest.Faults{}); err != nil {
			return err
		}
	}
	b.logf("fairness: %d invitations of customer %s wait for their Sent row", backlog, busy.CustomerID)
	apps, err := AddCandidates(ctx, sim, busy, "backlog", backlog)
	if err != nil {
		return err
	}
	if err := seedBacklog(ctx, data, busy, apps); err != nil {
		return err
	}
	type move struct {
		app   App
		moved time.Time
	}
	var moves []*move
	byAddr := map[string]*move{}
	for _, c := range others {
		oa, err := AddCandidates(ctx, sim, c, "fair"+c.CustomerID+"x", perTenant)
		if err != nil {
			return err
		}
		for _, a := range oa {
			m := &move{app: a}
			byAddr[a.Email] = m
			moves = append(moves, m)
		}
	}
	// Round robin over the customers, as their recruiters work at once.
	slices.SortStableFunc(moves, func(x, y *move) int { return x.app.Index - y.app.Index })

	addr, err := FreeAddr()
	if err != nil {
		return err
	}
	if err := data.pointSimAt(sim, "http://"+addr); err != nil {
		return err
	}
	if err := sim.SetFaults(busy.CustomerID, icimstest.Faults{RateLimit: b.cfg.Limit}); err != nil {
		return err
	}
	defer func() { _ = sim.SetFaults(busy.CustomerID, icimstest.Faults{}) }()
	for _, c := range data.Customers {
		sim.ClearLog(c.CustomerID)
	}
	proc, err := StartChild(ctx, b.bin, data.ServiceArgs(addr, sim.APIBase(), sink.URL()), addr)
	if err != nil {
		return err
	}
	defer proc.Kill()
	started := time.Now()
	// The backlog's writes are under way before the others' moves start.
	time.Sleep(3 * time.Second)

	b.logf("fairness: %d moves of %d other customers at %d a second", len(moves), len(others), b.cfg.Rate)
	before := len(sink.Messages())
	var wg sync.WaitGroup
	var mu sync.Mutex
	var moveErr error
	tick := time.NewTicker(time.Second / time.Duration(b.cfg.Rate))
	for _, m := range moves {
		<-tick.C
		m.moved = time.Now()
		wg.Go(func() {
			res, err := sim.MoveWorkflow(ctx, m.app.Customer.CustomerID, m.app.Workflow, m.app.Customer.Trigger, 0)
			if err == nil && res.StatusCode != http.StatusOK {
				err = fmt.Errorf("move %d: %d %s", m.app.Workflow, res.StatusCode, res.Body)
			}
			if err != nil {
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
	mailed := map[string]time.Time{}
	var lat []time.Duration
	deadline := time.Now().Add(2 * time.Minute)
	for len(mailed) < len(moves) && time.Now().Before(deadline) {
		for _, msg := range sink.Messages()[before:] {
			to := strings.ToLower(msg.To)
			m := byAddr[to]
			if m == nil || !mailed[to].IsZero() {
				continue
			}
			mailed[to] = msg.At
			lat = append(lat, msg.At.Sub(m.moved))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(mailed) < len(moves) {
		return fmt.Errorf("bench: fairness: %d of %d invitation e-mails arrived: %s", len(mailed), len(moves), proc.Logs())
	}
	slices.Sort(lat)
	b.row(FairnessRow, fmt.Sprintf("p50 %s, p99 %s", fmtMs(percentile(lat, 0.5)), fmtMs(percentile(lat, 0.99))))

	// Their Sent rows follow their e-mails at their own pace, not after
	// the backlog.
	var others2 []App
	for _, m := range moves {
		others2 = append(others2, m.app)
	}
	if err := waitResults(ctx, sim, others2, false, 2*time.Minute); err != nil {
		return err
	}
	var rowLat []time.Duration
	for _, c := range others {
		for _, call := range sim.Calls(c.CustomerID) {
			if call.Method != http.MethodPost || !strings.Contains(call.Path, "/fields/assessmentresults") || call.Status/100 != 2 {
				continue
			}
			for _, m := range moves {
				if m.app.Customer.CustomerID == c.CustomerID && strings.Contains(call.Path, "/applicantworkflows/"+strconv.Itoa(m.app.Workflow)+"/") {
					rowLat = append(rowLat, call.Time.Sub(mailed[m.app.Email]))
				}
			}
		}
	}
	slices.Sort(rowLat)
	b.row("Other tenants' e-mail to Sent row in iCIMS during one tenant's backlog",
		fmt.Sprintf("p50 %s, p99 %s (%d rows)", fmtMs(percentile(rowLat, 0.5)), fmtMs(percentile(rowLat, 0.99)), len(rowLat)))

	elapsed := time.Since(started)
	calls := sim.Calls(busy.CustomerID)
	writes, limited := 0, 0
	for _, c := range calls {
		switch {
		case c.Status == http.StatusTooManyRequests:
			limited++
		case c.Method != http.MethodGet:
			writes++
		}
	}
	b.row(fmt.Sprintf("The backlog tenant meanwhile (%d Sent rows queued; iCIMS allows %d calls/min)", backlog, b.cfg.Limit),
		fmt.Sprintf("%d writes in %s: %.0f writes/min; %d answered 429; busiest minute %d calls", writes, fmtDur(elapsed),
			float64(writes)/elapsed.Minutes(), limited, sim.MaxCallsInWindow(busy.CustomerID, time.Minute)))
	return proc.Stop(10 * time.Second)
}

// seedBacklog creates an invitation for each application and marks it
// sent, as the e-mail worker does once a mail is out: each queues the
// write of its Sent row, so the customer has a backlog of writes before
// the service starts.
func seedBacklog(ctx context.Context, data Data, c Customer, apps []App) error {
	db, err := storage.Open(ctx, data.DatabaseURL, data.Dir)
	if err != nil {
		return err
	}
	defer db.Close()
	invitations := storage.NewInvitationStore(db, nil, assessments.SystemClock{}, rand.Reader)
	for _, a := range apps {
		inv, _, err := invitations.Create(ctx, assessments.NewInvitation{TenantID: c.TenantID, PackageID: c.PackageID,
			WorkflowID: strconv.Itoa(a.Workflow), PersonID: strconv.Itoa(a.Person), JobID: strconv.Itoa(c.JobID),
			CandidateFirstName: "Cand", CandidateLastName: "Backlog " + strconv.Itoa(a.Index), CandidateEmail: a.Email})
		if err != nil {
			return fmt.Errorf("bench: backlog: %w", err)
		}
		if _, err := invitations.MarkSent(ctx, c.TenantID, inv.ID); err != nil {
			return fmt.Errorf("bench: backlog: %w", err)
		}
	}
	return nil
}

// fmtMs writes a latency in whole milliseconds.
func fmtMs(d time.Duration) string {
	return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
}
