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

// otherTenants is how many customers move candidates while one is busy
// (working off a backlog, or a bulk move).
const otherTenants = 10

// busyAndOthers prepares the customers of a fairness measure in dir: the
// US customer, who will be busy, and otherTenants others, with the
// simulator's limits that earlier measures left cleared for the set-up.
func (b *bench) busyAndOthers(ctx context.Context, dir string, sim *icimstest.Sim) (Data, Customer, []Customer, error) {
	ids := []string{icimstest.CustomerUS}
	for i := range otherTenants {
		ids = append(ids, strconv.Itoa(9101+i))
	}
	data, err := b.prepareCustomers(ctx, dir, sim, ids...)
	if err != nil {
		return Data{}, Customer{}, nil, err
	}
	for _, c := range data.Customers {
		if err := sim.SetFaults(c.CustomerID, icimstest.Faults{}); err != nil {
			return Data{}, Customer{}, nil, err
		}
	}
	return data, data.Customers[0], data.Customers[1:], nil
}

// serveFresh starts the service on data with the simulator's log of
// every customer's calls cleared, so the measure sees only its own.
func (b *bench) serveFresh(ctx context.Context, data Data, sim *icimstest.Sim, sink *SMTPSink) (*ServiceProc, error) {
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	if err := data.pointSimAt(sim, "http://"+addr); err != nil {
		return nil, err
	}
	for _, c := range data.Customers {
		sim.ClearLog(c.CustomerID)
	}
	return StartChild(ctx, b.bin, data.ServiceArgs(addr, sim.APIBase(), sink.URL()), addr)
}

// otherMoves are the other customers' candidates, moved round robin at a
// steady rate while one customer is busy, and when each was moved.
type otherMoves struct {
	moves  []*otherMove
	byAddr map[string]*otherMove
}

type otherMove struct {
	app   App
	moved time.Time
}

// addOtherMoves adds perTenant candidates of each of others to the
// simulator, their names starting with prefix and the customer's id.
func addOtherMoves(ctx context.Context, sim *icimstest.Sim, others []Customer, prefix string, perTenant int) (*otherMoves, error) {
	o := &otherMoves{byAddr: map[string]*otherMove{}}
	for _, c := range others {
		apps, err := AddCandidates(ctx, sim, c, prefix+c.CustomerID+"x", perTenant)
		if err != nil {
			return nil, err
		}
		for _, a := range apps {
			m := &otherMove{app: a}
			o.byAddr[a.Email] = m
			o.moves = append(o.moves, m)
		}
	}
	// Round robin over the customers, as their recruiters work at once.
	slices.SortStableFunc(o.moves, func(x, y *otherMove) int { return x.app.Index - y.app.Index })
	return o, nil
}

// apps are the moved applications.
func (o *otherMoves) apps() []App {
	out := make([]App, len(o.moves))
	for i, m := range o.moves {
		out[i] = m.app
	}
	return out
}

// move moves every candidate into its trigger stage, rate a second, and
// returns once every move was answered.
func (o *otherMoves) move(ctx context.Context, sim *icimstest.Sim, rate int) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs error
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	for _, m := range o.moves {
		<-tick.C
		m.moved = time.Now()
		wg.Go(func() {
			if err := moveToTrigger(ctx, sim, m.app); err != nil {
				mu.Lock()
				errs = errors.Join(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errs
}

// mailed waits up to timeout for every moved candidate's invitation at
// the sink (what arrived after its first `before` messages) and returns
// when each arrived by address and the latencies from move to e-mail,
// sorted; an error says how many are missing.
func (o *otherMoves) mailed(sink *SMTPSink, before int, timeout time.Duration) (map[string]time.Time, []time.Duration, error) {
	at := map[string]time.Time{}
	var lat []time.Duration
	deadline := time.Now().Add(timeout)
	for len(at) < len(o.moves) && time.Now().Before(deadline) {
		for _, msg := range sink.Messages()[before:] {
			to := strings.ToLower(msg.To)
			m := o.byAddr[to]
			if m == nil || !at[to].IsZero() {
				continue
			}
			at[to] = msg.At
			lat = append(lat, msg.At.Sub(m.moved))
		}
		time.Sleep(50 * time.Millisecond)
	}
	slices.Sort(lat)
	if len(at) < len(o.moves) {
		return at, lat, fmt.Errorf("%d of %d invitation e-mails arrived", len(at), len(o.moves))
	}
	return at, lat, nil
}

// moveToTrigger moves a's candidate into its customer's trigger stage in
// the simulator, which posts the event to the service.
func moveToTrigger(ctx context.Context, sim *icimstest.Sim, a App) error {
	res, err := sim.MoveWorkflow(ctx, a.Customer.CustomerID, a.Workflow, a.Customer.Trigger, 0)
	if err == nil && res.StatusCode != http.StatusOK {
		err = fmt.Errorf("move %d: %d %s", a.Workflow, res.StatusCode, res.Body)
	}
	return err
}

// latencyCell is a row's p50 and p99 in whole milliseconds.
func latencyCell(sorted []time.Duration) string {
	return fmt.Sprintf("p50 %s, p99 %s", fmtMs(percentile(sorted, 0.5)), fmtMs(percentile(sorted, 0.99)))
}
