package bench

import (
	"context"
	"errors"
	"fmt"
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
	data, busy, others, err := b.busyAndOthers(ctx, dir, sim)
	if err != nil {
		return err
	}
	bulkApps, err := AddCandidates(ctx, sim, busy, "bulk", bulk)
	if err != nil {
		return err
	}
	o, err := addOtherMoves(ctx, sim, others, "quiet", perTenant)
	if err != nil {
		return err
	}

	// The sink serves every measure of the run: only what arrives from
	// here on is this one's.
	before := len(sink.Messages())
	sink.SetDelay(bulkSMTPDelay)
	defer sink.SetDelay(0)
	proc, err := b.serveFresh(ctx, data, sim, sink)
	if err != nil {
		return err
	}
	defer proc.Kill()

	var mu sync.Mutex
	var moveErr error
	b.logf("bulk move: customer %s moves %d candidates at once", busy.CustomerID, bulk)
	began := time.Now()
	next := make(chan App)
	var wg sync.WaitGroup
	for range bulkMoveWorkers {
		wg.Go(func() {
			for a := range next {
				if err := moveToTrigger(ctx, sim, a); err != nil {
					mu.Lock()
					moveErr = errors.Join(moveErr, err)
					mu.Unlock()
				}
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
	b.logf("bulk move: posted in %s; %d moves of %d other customers at %d a second", fmtDur(time.Since(began)), len(o.moves),
		len(others), b.cfg.Rate)
	if err := o.move(ctx, sim, b.cfg.Rate); err != nil {
		return err
	}
	_, lat, err := o.mailed(sink, before, 3*time.Minute)
	if err != nil {
		return fmt.Errorf("bench: bulk move: other customers: %w: %s", err, proc.Logs())
	}
	b.row(BulkMoveRow, latencyCell(lat))
	var bulkMailed int
	for _, msg := range sink.Messages()[before:] {
		if strings.HasPrefix(strings.ToLower(msg.To), "bulk") {
			bulkMailed++
		}
	}
	b.logf("bulk move: %d of the bulk move's %d e-mails out after %s", bulkMailed, bulk, fmtDur(time.Since(began)))
	return proc.Stop(10 * time.Second)
}
