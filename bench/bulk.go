package bench

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// BulkMoveRow is the label of the bulk move measure's row.
const BulkMoveRow = "Another tenant's event to e-mail during one tenant's bulk move"

// bulkSMTPDelay is how long the sink takes over each message during the
// bulk move measure, as a real relay does: with the e-mail queue's four
// workers, mail goes out at 40 a second at most.
const bulkSMTPDelay = 100 * time.Millisecond

// bulkMoveWorkers is how many of the bulk move's events are posted at
// once: iCIMS posts a bulk move's events as fast as the service answers.
const bulkMoveWorkers = 16

// bulkMove measures what one customer's bulk move costs the others: a
// recruiter of the US customer moves a few hundred candidates into the
// Assessment stage at once, and as soon as iCIMS has posted those events,
// the recruiters of ten other customers move candidates at --rate; their
// event → e-mail latency is measured while the service works off the bulk
// move (each event read from iCIMS at the customer's pace, each e-mail
// taking bulkSMTPDelay at the SMTP server).
func (b *bench) bulkMove(ctx context.Context, dir string, sim *icimstest.Sim, sink *SMTPSink) error {
	bulk, perTenant := 1000, 3
	if b.cfg.Quick {
		bulk, perTenant = 200, 1
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
		// Earlier measures left their limits; this one is bound by the
		// service's own pace per customer and by the SMTP server.
		if err := sim.SetFaults(c.CustomerID, icimstest.Faults{}); err != nil {
			return err
		}
	}
	bulkApps, err := AddCandidates(ctx, sim, busy, "bulk", bulk)
	if err != nil {
		return err
	}
	type move struct {
		app   App
		moved time.Time
	}
	var moves []*move
	byAddr := map[string]*move{}
	for _, c := range others {
		oa, err := AddCandidates(ctx, sim, c, "quiet"+c.CustomerID+"x", perTenant)
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
	for _, c := range data.Customers {
		sim.ClearLog(c.CustomerID)
	}
	// The sink serves every measure of the run: only what arrives from
	// here on is this one's.
	before := len(sink.Messages())
	sink.SetDelay(bulkSMTPDelay)
	defer sink.SetDelay(0)
	proc, err := StartChild(ctx, b.bin, data.ServiceArgs(addr, sim.APIBase(), sink.URL()), addr)
	if err != nil {
		return err
	}
	defer proc.Kill()

	var mu sync.Mutex
	var moveErr error
	post := func(a App) {
		res, err := sim.MoveWorkflow(ctx, a.Customer.CustomerID, a.Workflow, a.Customer.Trigger, 0)
		if err == nil && res.StatusCode != http.StatusOK {
			err = fmt.Errorf("move %d: %d %s", a.Workflow, res.StatusCode, res.Body)
		}
		if err != nil {
			mu.Lock()
			moveErr = errors.Join(moveErr, err)
			mu.Unlock()
		}
	}
	b.logf("bulk move: customer %s moves %d candidates at once", busy.CustomerID, bulk)
	began := time.Now()
	next := make(chan App)
	var wg sync.WaitGroup
	for range bulkMoveWorkers {
		wg.Go(func() {
			for a := range next {
				post(a)
			}
		})
	}
	for _, a := range bulkApps {
		next <- a
	}
	close(next)
	wg.Wait()
	if moveErr != nil {
		return moveErr
	}
	b.logf("bulk move: posted in %s; %d moves of %d other customers at %d a second", fmtDur(time.Since(began)), len(moves),
		len(others), b.cfg.Rate)
	tick := time.NewTicker(time.Second / time.Duration(b.cfg.Rate))
	for _, m := range moves {
		<-tick.C
		m.moved = time.Now()
		wg.Go(func() { post(m.app) })
	}
	tick.Stop()
	wg.Wait()
	if moveErr != nil {
		return moveErr
	}

	mailed := map[string]bool{}
	var lat []time.Duration
	deadline := time.Now().Add(3 * time.Minute)
	for len(mailed) < len(moves) && time.Now().Before(deadline) {
		for _, msg := range sink.Messages()[before:] {
			to := strings.ToLower(msg.To)
			m := byAddr[to]
			if m == nil || mailed[to] {
				continue
			}
			mailed[to] = true
			lat = append(lat, msg.At.Sub(m.moved))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(mailed) < len(moves) {
		return fmt.Errorf("bench: bulk move: %d of %d other customers' e-mails arrived: %s", len(mailed), len(moves), proc.Logs())
	}
	slices.Sort(lat)
	b.row(BulkMoveRow, fmt.Sprintf("p50 %s, p99 %s", fmtMs(percentile(lat, 0.5)), fmtMs(percentile(lat, 0.99))))
	var bulkMailed int
	for _, msg := range sink.Messages()[before:] {
		if strings.HasPrefix(strings.ToLower(msg.To), "bulk") {
			bulkMailed++
		}
	}
	b.logf("bulk move: %d of the bulk move's %d e-mails out after %s", bulkMailed, bulk, fmtDur(time.Since(began)))
	return proc.Stop(10 * time.Second)
}
