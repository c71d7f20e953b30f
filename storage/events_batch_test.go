package storage_test

import (
	"context"
	"testing"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

func TestDeliveriesReadsABatchInRefsOrder(t *testing.T) {
	f := newEventsFixture(t)
	ctx := context.Background()
	var refs []jobargs.DeliveryRef
	for _, body := range []string{"b1", "b2", "b3"} {
		res, err := f.events.Accept(ctx, f.acceptance(body, assessments.EventAnswer{Status: 200}))
		require.NoError(t, err)
		refs = append(refs, jobargs.DeliveryRef{TenantID: f.tenantID, DeliveryID: res.Delivery.ID})
	}
	refs[0], refs[2] = refs[2], refs[0]
	asked := append(refs[:len(refs):len(refs)],
		jobargs.DeliveryRef{TenantID: f.tenantID, DeliveryID: 1 << 40},                // gone
		jobargs.DeliveryRef{TenantID: f.tenantID + 1, DeliveryID: refs[1].DeliveryID}) // another tenant's id

	got, err := f.events.Deliveries(ctx, asked)
	require.NoError(t, err)
	require.Len(t, got, len(refs), "gone deliveries and other tenants' are left out")
	for i, ref := range refs {
		want, err := f.events.Delivery(ctx, ref.TenantID, ref.DeliveryID)
		require.NoError(t, err)
		assert.Equal(t, want, got[i])
	}
}

func TestDeferWritesOutcomesAndJobsTogether(t *testing.T) {
	ctx := context.Background()
	f := newEventsFixture(t)
	var ids []int64
	for _, body := range []string{"d1", "d2", "d3"} {
		res, err := f.events.Accept(ctx, f.acceptance(body, assessments.EventAnswer{Status: 200}))
		require.NoError(t, err)
		ids = append(ids, res.Delivery.ID)
	}
	// The third was settled meanwhile: its outcome stays.
	require.NoError(t, f.events.SetOutcome(ctx, assessments.Outcome{TenantID: f.tenantID, DeliveryID: ids[2],
		Status: assessments.DeliveryProcessed, Message: "Sent.", Attempt: true, ExpectStatus: assessments.DeliveryReceived}))
	waits := func(id int64) assessments.Outcome {
		return assessments.Outcome{TenantID: f.tenantID, DeliveryID: id, Status: assessments.DeliveryReceived,
			Message: "This event waits 9s for its turn.", RuleID: 7, ExpectStatus: assessments.DeliveryReceived}
	}
	later := func(id int64, priority int) river.InsertManyParams {
		return river.InsertManyParams{Args: jobargs.ProcessEventArgs{TenantID: f.tenantID, DeliveryID: id},
			InsertOpts: &river.InsertOpts{Priority: priority}}
	}
	single := jobCount{db: f.db, sql: `SELECT COUNT(*) FROM river_job WHERE kind = 'process_event'`}

	t.Run("a failure writes nothing", func(t *testing.T) {
		// River refuses a priority above 4: the outcomes written before
		// the insert are rolled back with it.
		err := f.events.Defer(ctx, []assessments.Outcome{waits(ids[0]), waits(ids[1])}, []river.InsertManyParams{later(ids[0], 1), later(ids[1], 99)})
		require.Error(t, err)
		for _, id := range ids[:2] {
			d, err := f.events.Delivery(ctx, f.tenantID, id)
			require.NoError(t, err)
			assert.Empty(t, d.Message)
		}
		assert.Zero(t, single.Load())
	})
	t.Run("outcomes and jobs are written", func(t *testing.T) {
		outcomes := []assessments.Outcome{waits(ids[0]), waits(ids[1]), waits(ids[2])}
		jobs := []river.InsertManyParams{later(ids[0], 1), later(ids[1], 1), later(ids[2], 1)}
		require.NoError(t, f.events.Defer(ctx, outcomes, jobs))
		for _, id := range ids[:2] {
			d, err := f.events.Delivery(ctx, f.tenantID, id)
			require.NoError(t, err)
			assert.Equal(t, assessments.DeliveryReceived, d.Status)
			assert.Equal(t, "This event waits 9s for its turn.", d.Message)
			assert.Equal(t, int64(7), d.RuleID)
			assert.Zero(t, d.Attempts, "waiting is no attempt")
		}
		d, err := f.events.Delivery(ctx, f.tenantID, ids[2])
		require.NoError(t, err)
		assert.Equal(t, assessments.DeliveryProcessed, d.Status, "a delivery settled meanwhile keeps its outcome")
		assert.Equal(t, "Sent.", d.Message)
		assert.Equal(t, int64(3), single.Load(), "every job is inserted; the settled one's finds nothing to do")
	})
	t.Run("an outcome names its delivery's tenant", func(t *testing.T) {
		other := waits(ids[0])
		other.TenantID, other.Message = f.tenantID+1, "Another tenant's message."
		fails := waits(ids[1])
		fails.Status, fails.Message, fails.Attempt, fails.ICIMSCode, fails.HasICIMSCode = assessments.DeliveryFailed, "iCIMS refused.", true, 404, true
		require.NoError(t, f.events.Defer(ctx, []assessments.Outcome{other, fails}, nil))
		d, err := f.events.Delivery(ctx, f.tenantID, ids[0])
		require.NoError(t, err)
		assert.Equal(t, "This event waits 9s for its turn.", d.Message, "another tenant's outcome changes nothing")
		d, err = f.events.Delivery(ctx, f.tenantID, ids[1])
		require.NoError(t, err)
		assert.Equal(t, assessments.DeliveryFailed, d.Status)
		assert.Equal(t, "iCIMS refused.", d.Message)
		assert.Equal(t, 404, d.ICIMSCode)
		assert.Equal(t, 1, d.Attempts)
	})
}
