package storage_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/storetest"
)

// TestDispatchRunAgainAfterASerializationFailureKeepsOnlyItsOwnInvitation:
// PostgreSQL refuses the first commit of the dispatch (as it does when a
// SERIALIZABLE transaction raced another) and the store runs it again. The
// result and the delivery name the invitation the second run created, not
// the first run's, which was rolled back.
func TestDispatchRunAgainAfterASerializationFailureKeepsOnlyItsOwnInvitation(t *testing.T) {
	if !storetest.OnPostgres() {
		t.Skip("PostgreSQL only: SQLite has one writer, so its transactions never run again")
	}
	f := newEventsFixture(t)
	ctx := context.Background()
	res, err := f.events.Accept(ctx, f.acceptance("c1", assessments.EventAnswer{Status: 200}))
	require.NoError(t, err)
	// The first update of a delivery fails as a lost race would; the
	// sequence is not rolled back with the transaction, so it fails once.
	for _, stmt := range []string{`CREATE SEQUENCE lose_once`,
		`CREATE FUNCTION lose_once() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN
				IF nextval('lose_once') = 1 THEN
					RAISE EXCEPTION 'lost a race' USING ERRCODE = 'serialization_failure';
				END IF;
				RETURN NEW;
			END $$`,
		`CREATE TRIGGER lose_once BEFORE UPDATE ON deliveries FOR EACH ROW EXECUTE FUNCTION lose_once()`,
	} {
		_, err := f.db.W.Exec(stmt)
		require.NoError(t, err)
	}

	out, err := f.events.Dispatch(ctx, assessments.Dispatch{TenantID: f.tenantID, DeliveryID: res.Delivery.ID, RuleID: 5,
		ExpectStatus: assessments.DeliveryReceived, Invitations: []assessments.NewInvitation{f.newInvitation("3001")},
		Names: map[int64]string{f.pkg.ID: f.pkg.Name}})
	require.NoError(t, err)
	var tries int
	require.NoError(t, f.db.R.QueryRow(`SELECT last_value FROM lose_once`).Scan(&tries))
	require.Equal(t, 2, tries, "the dispatch ran twice")
	require.Len(t, out.Created, 1)
	assert.Equal(t, out.Created[0].ID, out.Delivery.InvitationID)
	_, err = f.invitations.Invitation(ctx, f.tenantID, out.Delivery.InvitationID)
	assert.NoError(t, err, "the delivery names an invitation that exists")
	assert.Equal(t, 1, f.count(t, "invitations"))
}
