package jobs

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/mail/mailtest"
	"github.com/jobcannon/jobcannon/queue"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// moveDispatcher records a recruiter's move of one candidate and creates
// its invitation, as the event worker does once the rule matched: the
// store queues the invitation's e-mail in that transaction.
type moveDispatcher struct {
	t      *testing.T
	events *storage.EventStore
	ids    atomic.Int64
}

func (d *moveDispatcher) move(tenantID int64, pkg assessments.Package, workflow, email string) {
	d.t.Helper()
	ctx := context.Background()
	ev := assessments.InboundEvent{Type: assessments.EventStatusChange, WorkflowID: workflow}
	res, err := d.events.Accept(ctx, assessments.Acceptance{
		Delivery: assessments.Delivery{TenantID: tenantID, PublicID: fmt.Sprintf("bulk-%d", d.ids.Add(1)), Direction: assessments.DirectionInbound,
			Kind: ev.Type, Status: assessments.DeliveryReceived, WorkflowID: workflow, Event: ev,
			DedupeKey: assessments.DedupeKey(tenantID, []byte(workflow))},
		Answer: assessments.EventAnswer{Status: 200},
	})
	require.NoError(d.t, err)
	out, err := d.events.Dispatch(ctx, assessments.Dispatch{TenantID: tenantID, DeliveryID: res.Delivery.ID, RuleID: 1,
		ExpectStatus: assessments.DeliveryReceived, Names: map[int64]string{pkg.ID: pkg.Name},
		Invitations: []assessments.NewInvitation{{TenantID: tenantID, PackageID: pkg.ID, WorkflowID: workflow, PersonID: "p" + workflow,
			JobID: "j1", CandidateFirstName: "Cand", CandidateLastName: workflow, CandidateEmail: email, CompanyName: "Acme"}}})
	require.NoError(d.t, err)
	require.Len(d.t, out.Created, 1)
}

// TestABulkMoveDoesNotDelayAnotherCustomersInvitationEmail measures,
// through real SMTP to a server that takes 100 ms a message, how long
// another customer's invitation e-mail takes while the e-mail queue (four
// workers) works off one customer's bulk move of 200 candidates: behind
// all of them it would take at least 200 × 100 ms / 4 = 5 s, however fast
// the machine; it must go out within half that (it takes under 1 s here,
// the margin is for a loaded machine). Every e-mail of the bulk move
// still goes out.
func TestABulkMoveDoesNotDelayAnotherCustomersInvitationEmail(t *testing.T) {
	const bulk, perMessage = 200, 100 * time.Millisecond
	ctx := context.Background()
	h := newMailHarness(t)
	srv := mailtest.Start(t, mailtest.PlainOnly, nil, func(s *mailtest.Server) { s.DataDelay = perMessage })
	sender, err := mail.NewSMTPSender(srv.URL(), h.clock, mail.RandomID)
	require.NoError(t, err)
	h.mailer.Sender, h.mailer.Transport = sender, "smtp"
	d := &moveDispatcher{t: t, events: storage.NewEventStore(h.db, storetest.NewKeyring(t), h.clock, h.invitations)}

	tenant := func(customerID string) (int64, assessments.Package) {
		sb, err := storage.SeedSandboxInvitation(ctx, h.invitations, h.catalog, h.lib, storage.SandboxSeed{CustomerID: customerID,
			CompanyName: "Customer " + customerID, WorkflowID: "seed" + customerID})
		require.NoError(t, err)
		return sb.TenantID, sb.Package
	}
	busy, busyPkg := tenant("1001")
	quiet, quietPkg := tenant("2002")
	// The bulk move's e-mails are all queued when the workers start, as
	// when the move's events were processed faster than mail goes out.
	for i := range bulk {
		d.move(busy, busyPkg, fmt.Sprint(5000+i), fmt.Sprintf("bulk%d@example.org", i))
	}

	workers := river.NewWorkers()
	river.AddWorker(workers, &SendInvitationWorker{Mailer: h.mailer, Scheduler: h.scheduler})
	q, err := queue.New(h.db, queue.Config{Workers: workers, PollInterval: 20 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	require.NoError(t, q.Start(ctx))
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = q.Stop(sctx)
	})

	moved := time.Now()
	d.move(quiet, quietPkg, "9001", "quiet@example.org")
	var latency time.Duration
	require.Eventually(t, func() bool {
		i := slices.IndexFunc(srv.Received(), func(m mailtest.Message) bool { return slices.Contains(m.To, "quiet@example.org") })
		if i >= 0 {
			latency = srv.Received()[i].At.Sub(moved)
		}
		return i >= 0
	}, 30*time.Second, 10*time.Millisecond, "the other customer's e-mail went out")
	t.Logf("the other customer's move → e-mail accepted by SMTP: %v, queued after the bulk move's %d e-mails (%v a message, 4 workers)",
		latency.Round(time.Millisecond), bulk, perMessage)
	assert.Less(t, latency, bulk*perMessage/4/2, "behind the whole bulk move it would take at least %v", bulk*perMessage/4)

	got := srv.Wait(bulk+1, 30*time.Second)
	var bulkMails int
	for _, m := range got {
		if strings.HasPrefix(m.To[0], "bulk") {
			bulkMails++
		}
	}
	assert.Equal(t, bulk, bulkMails, "every e-mail of the bulk move went out")
}
