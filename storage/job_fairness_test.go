package storage_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/storage"
)

// emailFetchOrder returns the invitations of the send_invitation jobs
// waiting on the e-mail queue, in the order River's workers fetch them:
// by priority, then scheduled_at, then id.
func emailFetchOrder(t *testing.T, db *storage.DB) []int64 {
	t.Helper()
	arg := onDialect(db, `json_extract(args, '$.invitation_id')`, `(args->>'invitation_id')::bigint`)
	rows, err := db.R.Query(`SELECT ` + arg + ` FROM river_job
		WHERE queue = 'email' AND kind = 'send_invitation' AND state = 'available'
		ORDER BY priority, scheduled_at, id`)
	require.NoError(t, err)
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		require.NoError(t, rows.Scan(&id))
		out = append(out, id)
	}
	require.NoError(t, rows.Err())
	return out
}

// dispatchOne records an event of the tenant for the workflow and
// dispatches its one invitation, as the event worker does; it returns the
// invitation's id.
func (f *eventsFixture) dispatchOne(t *testing.T, tenantID int64, pkg assessments.Package, workflow string) int64 {
	t.Helper()
	ctx := context.Background()
	a := f.acceptance("move "+strconv.FormatInt(tenantID, 10)+" "+workflow, assessments.EventAnswer{Status: 200})
	a.Delivery.TenantID, a.Delivery.WorkflowID, a.Delivery.Event.WorkflowID = tenantID, workflow, workflow
	a.Delivery.DedupeKey = assessments.DedupeKey(tenantID, []byte(workflow))
	res, err := f.events.Accept(ctx, a)
	require.NoError(t, err)
	n := f.newInvitation(workflow)
	n.TenantID, n.PackageID = tenantID, pkg.ID
	out, err := f.events.Dispatch(ctx, assessments.Dispatch{TenantID: tenantID, DeliveryID: res.Delivery.ID, RuleID: 5,
		ExpectStatus: assessments.DeliveryReceived, Invitations: []assessments.NewInvitation{n}, Names: map[int64]string{pkg.ID: pkg.Name}})
	require.NoError(t, err)
	require.Len(t, out.Created, 1)
	return out.Created[0].ID
}

// TestABulkMoveDoesNotQueueAnotherCustomersEmailBehindIt: one customer's
// recruiter bulk-moves 250 candidates, then another customer's recruiter
// moves one. All 251 e-mails are queued, but the other customer's is
// fetched among the first few, not after the 250 (at 100 ms a message on
// four workers, 6 s later); the bulk customer's first e-mails keep their
// place and their order.
func TestABulkMoveDoesNotQueueAnotherCustomersEmailBehindIt(t *testing.T) {
	const bulk = 250
	f := newEventsFixture(t)
	other := f.tenant(t, "5678")
	otherPkg := f.newPackage(t, other, "Numeracy", "big-five-work")

	var moved []int64
	for i := range bulk {
		moved = append(moved, f.dispatchOne(t, f.tenantID, f.pkg, fmt.Sprint(5000+i)))
	}
	quiet := f.dispatchOne(t, other, otherPkg, "9001")

	order := emailFetchOrder(t, f.db)
	assert.ElementsMatch(t, append(slices.Clone(moved), quiet), order, "every e-mail is queued once")
	pos := slices.Index(order, quiet)
	assert.GreaterOrEqual(t, pos, 0)
	assert.Less(t, pos, 25, "the other customer's e-mail is fetched after at most a few of the bulk move's, not after all %d", bulk)
	assert.Equal(t, moved[:20], order[:20], "the bulk move's first e-mails go first, in order")
}

// processingFetchOrder returns the tenants of the deliveries of the
// process_events jobs waiting on the default queue, one slice per job, in
// the order River's workers fetch them.
func processingFetchOrder(t *testing.T, db *storage.DB) [][]int64 {
	t.Helper()
	rows, err := db.R.Query(`SELECT ` + onDialect(db, `json(args)`, `args::text`) + ` FROM river_job
		WHERE queue = 'default' AND kind = 'process_events' AND state = 'available'
		ORDER BY priority, scheduled_at, id`)
	require.NoError(t, err)
	defer rows.Close()
	var out [][]int64
	for rows.Next() {
		var raw []byte
		require.NoError(t, rows.Scan(&raw))
		var a jobargs.ProcessEventsArgs
		require.NoError(t, json.Unmarshal(raw, &a))
		var tenants []int64
		for _, d := range a.Deliveries {
			tenants = append(tenants, d.TenantID)
		}
		out = append(out, tenants)
	}
	require.NoError(t, rows.Err())
	return out
}

// TestABulkMoveDoesNotQueueAnotherCustomersEventBehindIt: iCIMS posts one
// customer's bulk move of 250 candidates, then another customer's one
// move. Each delivery's processing is queued (one job per group commit),
// and the other customer's is fetched among the first few jobs, not
// after the 250 (each of which waits on the busy customer's iCIMS pace).
func TestABulkMoveDoesNotQueueAnotherCustomersEventBehindIt(t *testing.T) {
	const bulk = 250
	f := newEventsFixture(t)
	ctx := context.Background()
	other := f.tenant(t, "5678")
	accept := func(tenantID int64, workflow string) {
		a := f.acceptance("move "+strconv.FormatInt(tenantID, 10)+" "+workflow, assessments.EventAnswer{Status: 200})
		a.Delivery.TenantID = tenantID
		a.Delivery.DedupeKey = assessments.DedupeKey(tenantID, []byte(workflow))
		_, err := f.events.Accept(ctx, a)
		require.NoError(t, err)
	}
	for i := range bulk {
		accept(f.tenantID, fmt.Sprint(5000+i))
	}
	accept(other, "9001")

	order := processingFetchOrder(t, f.db)
	var busy, quiet, pos int
	for i, tenants := range order {
		for _, id := range tenants {
			switch id {
			case f.tenantID:
				busy++
			case other:
				quiet++
				pos = i
			}
		}
	}
	assert.Equal(t, bulk, busy, "every delivery of the bulk move is queued")
	require.Equal(t, 1, quiet, "the other customer's delivery is queued")
	assert.Less(t, pos, 25, "the other customer's event is fetched after at most a few of the bulk move's jobs, not after all %d", len(order)-1)
}
