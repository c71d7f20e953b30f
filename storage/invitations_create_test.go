package storage_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
)

// TestConcurrentCreatesKeepOneLiveInvitation starts many creates of the same
// invitation at once, as instances sharing one database would: one wins,
// every other caller gets the product's "already live" answer, and nothing
// else (no unique violation, no serialisation failure) leaks out.
func TestConcurrentCreatesKeepOneLiveInvitation(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	const n = 64
	start := make(chan struct{})
	var wg sync.WaitGroup
	invs := make([]assessments.Invitation, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			invs[i], _, errs[i] = f.invitations.Create(ctx, f.newInvitation("race"))
		}()
	}
	close(start)
	wg.Wait()

	var winner assessments.Invitation
	for i := range n {
		if errs[i] == nil {
			assert.Zero(t, winner.ID, "only one create succeeds")
			winner = invs[i]
			continue
		}
		assert.Equal(t, assessments.ECONFLICT, assessments.ErrorCode(errs[i]), "caller %d: %v", i, errs[i])
		assert.Equal(t, assessments.DuplicateInvitationMessage, assessments.ErrorMessage(errs[i]))
	}
	require.NotZero(t, winner.ID, "one create succeeds")

	var rows int
	var id int64
	require.NoError(t, f.db.R.QueryRow(`SELECT COUNT(*), MAX(id) FROM invitations WHERE workflow_id = 'race'`).Scan(&rows, &id))
	assert.Equal(t, 1, rows, "exactly one invitation row")
	assert.Equal(t, winner.ID, id, "the row is the winner's")
	assert.Equal(t, []string{">created"}, f.eventStatuses(t, winner), "one history, no leftovers of the losers")
}
