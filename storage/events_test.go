package storage_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

type eventsFixture struct {
	*invFixture
	events *storage.EventStore
	queued jobCount // deliveries in queued process_events jobs
	sent   jobCount // queued send_invitation jobs
	ids    atomic.Int64
}

// jobCount counts, from River's table, what the store queued: the
// number a test asserts on is what a worker would find.
type jobCount struct {
	db  *storage.DB
	sql string
}

// Load runs the count; a failed query reads as -1, which no test expects.
func (c jobCount) Load() int64 {
	var n int64
	if err := c.db.R.QueryRow(c.sql).Scan(&n); err != nil {
		return -1
	}
	return n
}

func newEventsFixture(t *testing.T) *eventsFixture {
	t.Helper()
	f := &eventsFixture{invFixture: newInvFixture(t)}
	f.events = storage.NewEventStore(f.db, storetest.NewKeyring(t), f.clock, f.invitations)
	f.queued = jobCount{db: f.db, sql: onDialect(f.db,
		`SELECT COALESCE(SUM(json_array_length(args, '$.deliveries')), 0) FROM river_job WHERE kind = 'process_events'`,
		`SELECT COALESCE(SUM(jsonb_array_length(args->'deliveries')), 0) FROM river_job WHERE kind = 'process_events'`)}
	f.sent = jobCount{db: f.db, sql: `SELECT COUNT(*) FROM river_job WHERE kind = 'send_invitation'`}
	return f
}

func (f *eventsFixture) acceptance(body string, answer assessments.EventAnswer) assessments.Acceptance {
	return assessments.Acceptance{
		Delivery: assessments.Delivery{TenantID: f.tenantID, PublicID: fmt.Sprintf("p-%d", f.ids.Add(1)),
			Direction: assessments.DirectionInbound, Kind: assessments.EventStatusChange, Status: assessments.DeliveryReceived,
			WorkflowID: "3001", DedupeKey: assessments.DedupeKey(f.tenantID, []byte(body)),
			Event: assessments.InboundEvent{Type: assessments.EventStatusChange, WorkflowID: "3001"}},
		Request: assessments.DeliveryAttempt{Method: "POST", URL: "/icims/events", RequestBody: body,
			RequestHeaders: map[string]string{"Content-Type": "application/json"}},
		Answer:  answer,
		Process: true,
		Since:   f.clock.Now().Add(-assessments.RedeliveryWindow),
	}
}

func (f *eventsFixture) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	require.NoError(t, f.db.R.QueryRow(`SELECT COUNT(*) FROM `+table).Scan(&n))
	return n
}

func TestAcceptRecognisesRedeliveriesWithinTheWindow(t *testing.T) {
	f := newEventsFixture(t)
	ctx := context.Background()
	see := assessments.EventAnswer{Status: assessments.AnswerSeeOther, Location: "https://jc.example/icims/confirm/secret"}
	first, err := f.events.Accept(ctx, f.acceptance("a", see))
	require.NoError(t, err)
	assert.False(t, first.Redelivery)

	f.clock.Advance(23 * time.Hour)
	again, err := f.events.Accept(ctx, f.acceptance("a", assessments.EventAnswer{Status: 200, UserMessage: "other"}))
	require.NoError(t, err)
	assert.True(t, again.Redelivery)
	assert.Equal(t, see, again.Answer, "answered as the first time, Location unsealed")
	assert.Equal(t, first.Delivery.ID, again.Delivery.RedeliveryOf)
	assert.Equal(t, assessments.DeliveryDuplicate, again.Delivery.Status)
	assert.Equal(t, int64(1), f.queued.Load(), "a redelivery queues nothing")

	answer, found, err := f.events.Redelivery(ctx, f.tenantID, assessments.DedupeKey(f.tenantID, []byte("a")), f.clock.Now().Add(-assessments.RedeliveryWindow))
	require.NoError(t, err)
	assert.True(t, found)
	assert.Equal(t, see, answer)

	// Past the window the same body is a new delivery again.
	f.clock.Advance(2 * time.Hour)
	later, err := f.events.Accept(ctx, f.acceptance("a", assessments.EventAnswer{Status: 200, UserMessage: "ok"}))
	require.NoError(t, err)
	assert.False(t, later.Redelivery)
	assert.Equal(t, int64(2), f.queued.Load())

	var raw string
	require.NoError(t, f.db.R.QueryRow(`SELECT location_sealed FROM deliveries WHERE id = ?`, first.Delivery.ID).Scan(&raw))
	assert.NotContains(t, raw, "secret", "the Location is sealed at rest")
}

func TestAcceptWritesTheDeliveryAndItsJobTogether(t *testing.T) {
	f := newEventsFixture(t)
	ctx := context.Background()
	// The job is inserted after the delivery, in the same transaction; a
	// failing insert must take the delivery with it.
	failInserts(t, f.db, "river_job", "job insert failed")
	_, err := f.events.Accept(ctx, f.acceptance("b", assessments.EventAnswer{Status: 200}))
	require.Error(t, err)
	assert.Zero(t, f.count(t, "deliveries"))
	assert.Zero(t, f.count(t, "delivery_attempts"))
}

func TestAcceptGroupCommitsConcurrentRequests(t *testing.T) {
	f := newEventsFixture(t)
	ctx := context.Background()
	batches := jobCount{db: f.db, sql: `SELECT COUNT(*) FROM river_job WHERE kind = 'process_events'`}
	const n = 64
	var wg sync.WaitGroup
	ids := make([]int64, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := f.events.Accept(ctx, f.acceptance(fmt.Sprintf("body-%d", i), assessments.EventAnswer{Status: 200, UserMessage: "ok"}))
			ids[i], errs[i] = res.Delivery.ID, err
		}()
	}
	wg.Wait()
	seen := map[int64]bool{}
	for i := range n {
		require.NoError(t, errs[i])
		assert.False(t, seen[ids[i]], "each request gets its own delivery")
		seen[ids[i]] = true
	}
	assert.Equal(t, n, f.count(t, "deliveries"))
	assert.Equal(t, int64(n), f.queued.Load())
	assert.LessOrEqual(t, batches.Load(), int64(n))
}

func TestDispatchKeepsOneLiveInvitationUnderConcurrentJobs(t *testing.T) {
	f := newEventsFixture(t)
	ctx := context.Background()
	var deliveries []int64
	for i := range 8 {
		res, err := f.events.Accept(ctx, f.acceptance(fmt.Sprintf("c%d", i), assessments.EventAnswer{Status: 200}))
		require.NoError(t, err)
		deliveries = append(deliveries, res.Delivery.ID)
	}
	var wg sync.WaitGroup
	results := make([]assessments.Dispatched, len(deliveries))
	for i, id := range deliveries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			results[i], err = f.events.Dispatch(ctx, assessments.Dispatch{TenantID: f.tenantID, DeliveryID: id, RuleID: 5,
				ExpectStatus: assessments.DeliveryReceived, Invitations: []assessments.NewInvitation{f.newInvitation("3001")},
				Names: map[int64]string{f.pkg.ID: f.pkg.Name}})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	var created, dups int
	for _, r := range results {
		created += len(r.Created)
		dups += len(r.Duplicates)
		switch {
		case len(r.Created) == 1:
			assert.Equal(t, assessments.DeliveryProcessed, r.Delivery.Status)
			assert.Equal(t, r.Created[0].ID, r.Delivery.InvitationID)
		default:
			assert.Equal(t, assessments.DeliveryDuplicate, r.Delivery.Status)
		}
		assert.Equal(t, int64(5), r.Delivery.RuleID)
		assert.Equal(t, 1, r.Delivery.Attempts)
	}
	assert.Equal(t, 1, created)
	assert.Equal(t, len(deliveries)-1, dups)
	assert.Equal(t, int64(1), f.sent.Load(), "one e-mail queued")

	// A delivery is dispatched once: the recruiter's second click is refused.
	_, err := f.events.Dispatch(ctx, assessments.Dispatch{TenantID: f.tenantID, DeliveryID: deliveries[0],
		ExpectStatus: assessments.DeliveryReceived, Invitations: []assessments.NewInvitation{f.newInvitation("3002")}})
	assert.Equal(t, assessments.ECONFLICT, assessments.ErrorCode(err))
	assert.Equal(t, int64(1), f.sent.Load())

	// Another tenant cannot dispatch this tenant's delivery.
	other := f.tenant(t, "5678")
	_, err = f.events.Dispatch(ctx, assessments.Dispatch{TenantID: other, DeliveryID: deliveries[0]})
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))
}

func TestAcceptInlineCreatesTheInvitationWithTheDelivery(t *testing.T) {
	f := newEventsFixture(t)
	ctx := context.Background()
	n := f.newInvitation("3005")
	n.CandidateEmail, n.ReturnURL = "", "https://icims.example/back"
	acc := f.acceptance("inline", assessments.EventAnswer{Status: assessments.AnswerSeeOther})
	acc.Process = false
	link := func(token string) string { return "https://jc.example/a/" + token }
	res, err := f.events.AcceptInline(ctx, acc, n, link)
	require.NoError(t, err)
	assert.Equal(t, assessments.AnswerSeeOther, res.Answer.Status)
	require.Contains(t, res.Answer.Location, "https://jc.example/a/")
	inv, err := f.invitations.InvitationByToken(ctx, res.Answer.Location[len("https://jc.example/a/"):])
	require.NoError(t, err)
	assert.Equal(t, res.Delivery.InvitationID, inv.ID)
	assert.Equal(t, assessments.DeliveryProcessed, res.Delivery.Status)

	// The same body again is a redelivery: same Location, no new invitation.
	again, err := f.events.AcceptInline(ctx, f.acceptance("inline", assessments.EventAnswer{Status: assessments.AnswerSeeOther}), n, link)
	require.NoError(t, err)
	assert.True(t, again.Redelivery)
	assert.Equal(t, res.Answer.Location, again.Answer.Location)

	// A new event for the live package is the friendly duplicate.
	dup, err := f.events.AcceptInline(ctx, f.acceptance("inline-2", assessments.EventAnswer{Status: assessments.AnswerSeeOther}), n, link)
	require.NoError(t, err)
	assert.Equal(t, assessments.AnswerBadRequest, dup.Answer.Status)
	assert.Equal(t, assessments.DuplicateInvitationMessage, dup.Answer.UserMessage)
	assert.Equal(t, 1, f.count(t, "invitations WHERE workflow_id = '3005'"))
	assert.Zero(t, f.queued.Load()+f.sent.Load(), "inline candidates are redirected, not e-mailed")
}

func TestSetOutcomeOnlyFromTheExpectedStatus(t *testing.T) {
	f := newEventsFixture(t)
	ctx := context.Background()
	res, err := f.events.Accept(ctx, f.acceptance("d", assessments.EventAnswer{Status: 200}))
	require.NoError(t, err)
	o := assessments.Outcome{TenantID: f.tenantID, DeliveryID: res.Delivery.ID, Status: assessments.DeliveryFailed,
		Message: "iCIMS: get person: not found", ICIMSCode: 2, HasICIMSCode: true, Attempt: true, ExpectStatus: assessments.DeliveryReceived}
	require.NoError(t, f.events.SetOutcome(ctx, o))
	d, err := f.events.Delivery(ctx, f.tenantID, res.Delivery.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.DeliveryFailed, d.Status)
	assert.Equal(t, 2, d.ICIMSCode)
	assert.Equal(t, 1, d.Attempts)
	assert.Equal(t, assessments.ECONFLICT, assessments.ErrorCode(f.events.SetOutcome(ctx, o)))
}

// A group commit writes its deliveries a few dozen to a statement: each
// request must still get its own row and attempt, and a body sent several
// times at once is recorded once, the other copies as redeliveries
// answered as that one was.
func TestAcceptGroupCommitsNewAndRedeliveredBodiesTogether(t *testing.T) {
	f := newEventsFixture(t)
	ctx := context.Background()
	const n, bodies = 96, 24
	var wg sync.WaitGroup
	res := make([]assessments.Accepted, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			body := fmt.Sprintf(`{"body":%d}`, i%bodies)
			res[i], errs[i] = f.events.Accept(ctx, f.acceptance(body, assessments.EventAnswer{Status: 200, Debug: fmt.Sprint("request ", i)}))
		})
	}
	wg.Wait()
	first := map[int]assessments.Accepted{}
	for i := range n {
		require.NoError(t, errs[i])
		if !res[i].Redelivery {
			_, dup := first[i%bodies]
			require.False(t, dup, "body %d recorded twice as new", i%bodies)
			first[i%bodies] = res[i]
		}
	}
	require.Len(t, first, bodies)
	for i := range n {
		want := first[i%bodies]
		assert.Equal(t, want.Answer, res[i].Answer, "request %d answered as its body's first delivery", i)
		if res[i].Redelivery {
			assert.Equal(t, want.Delivery.ID, res[i].Delivery.RedeliveryOf)
		}
		// The attempt written with each delivery is its own request's.
		var body string
		require.NoError(t, f.db.R.QueryRow(`SELECT request_body FROM delivery_attempts WHERE delivery_id = ?`, res[i].Delivery.ID).Scan(&body))
		assert.Equal(t, fmt.Sprintf(`{"body":%d}`, i%bodies), body)
	}
	assert.Equal(t, n, f.count(t, "deliveries"))
	assert.Equal(t, n, f.count(t, "delivery_attempts"))
	assert.Equal(t, int64(bodies), f.queued.Load(), "only the first of each body is processed")
}
