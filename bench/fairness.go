package bench

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/storage"
)

// FairnessRow is the label of the fairness measure's main row.
const FairnessRow = "Other tenants' event to e-mail during one tenant's backlog"

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
	data, busy, others, err := b.busyAndOthers(ctx, dir, sim)
	if err != nil {
		return err
	}
	b.logf("fairness: %d invitations of customer %s wait for their Sent row", backlog, busy.CustomerID)
	apps, err := AddCandidates(ctx, sim, busy, "backlog", backlog)
	if err != nil {
		return err
	}
	if err := seedBacklog(ctx, data, busy, apps); err != nil {
		return err
	}
	o, err := addOtherMoves(ctx, sim, others, "fair", perTenant)
	if err != nil {
		return err
	}

	if err := sim.SetFaults(busy.CustomerID, icimstest.Faults{RateLimit: b.cfg.Limit}); err != nil {
		return err
	}
	defer func() { _ = sim.SetFaults(busy.CustomerID, icimstest.Faults{}) }()
	proc, err := b.serveFresh(ctx, data, sim, sink)
	if err != nil {
		return err
	}
	defer proc.Kill()
	started := time.Now()
	// The backlog's writes are under way before the others' moves start.
	time.Sleep(3 * time.Second)

	b.logf("fairness: %d moves of %d other customers at %d a second", len(o.moves), len(others), b.cfg.Rate)
	before := len(sink.Messages())
	if err := o.move(ctx, sim, b.cfg.Rate); err != nil {
		return err
	}
	mailed, lat, err := o.mailed(sink, before, 2*time.Minute)
	if err != nil {
		return fmt.Errorf("bench: fairness: %w: %s", err, proc.Logs())
	}
	b.row(FairnessRow, latencyCell(lat))

	// Their Sent rows follow their e-mails at their own pace, not after
	// the backlog.
	if err := waitResults(ctx, sim, o.apps(), false, 2*time.Minute); err != nil {
		return err
	}
	var rowLat []time.Duration
	for _, c := range others {
		for _, call := range sim.Calls(c.CustomerID) {
			if call.Method != http.MethodPost || !strings.Contains(call.Path, "/fields/assessmentresults") || call.Status/100 != 2 {
				continue
			}
			for _, m := range o.moves {
				if m.app.Customer.CustomerID == c.CustomerID && strings.Contains(call.Path, "/applicantworkflows/"+strconv.Itoa(m.app.Workflow)+"/") {
					rowLat = append(rowLat, call.Time.Sub(mailed[m.app.Email]))
				}
			}
		}
	}
	slices.Sort(rowLat)
	b.row("Other tenants' e-mail to Sent row in iCIMS during one tenant's backlog",
		fmt.Sprintf("%s (%d rows)", latencyCell(rowLat), len(rowLat)))

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
