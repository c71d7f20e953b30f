package storage_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// emailFixture is invFixture with the e-mail store keeping links.
type emailFixture struct {
	*invFixture
	emails *storage.EmailStore
	// hooked lists the invitation's recorded transitions, as "from>to";
	// tests read it again after a change.
	hooked []string
}

func newEmailFixture(t *testing.T) *emailFixture {
	t.Helper()
	f := &emailFixture{invFixture: newInvFixture(t)}
	keyring := storetest.NewKeyring(t)
	// The e-mails need the candidate link, which only a store with the
	// keyring keeps.
	f.invitations = storage.NewInvitationStore(f.db, keyring, f.clock, nil)
	f.emails = storage.NewEmailStore(f.db, keyring, f.clock, f.invitations, nil)
	return f
}

func (f *emailFixture) start(t *testing.T, inv assessments.Invitation, key, messageID string) assessments.InvitationEmail {
	t.Helper()
	e, err := f.emails.StartSend(context.Background(), assessments.NewSend{TenantID: inv.TenantID, InvitationID: inv.ID,
		Kind: assessments.EmailInvitation, Key: key, MessageID: messageID, Summary: "sending"})
	require.NoError(t, err)
	return e
}

func TestEmailLinkIsKeptSealed(t *testing.T) {
	f := newEmailFixture(t)
	ctx := context.Background()
	inv, token := f.invite(t, "w1")

	got, err := f.emails.Link(ctx, inv.TenantID, inv.ID)
	require.NoError(t, err)
	assert.Equal(t, token, got)
	var sealed string
	require.NoError(t, f.db.R.QueryRow(`SELECT token_sealed FROM invitation_links WHERE invitation_id = ?`, inv.ID).Scan(&sealed))
	assert.NotContains(t, sealed, token, "only sealed at rest")

	other := f.tenant(t, "9999")
	_, err = f.emails.Link(ctx, other, inv.ID)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err), "scoped by tenant")

	// A sealed token copied to another invitation does not open there.
	inv2, _ := f.invite(t, "w2")
	_, err = f.db.W.Exec(`UPDATE invitation_links SET token_sealed = ? WHERE invitation_id = ?`, sealed, inv2.ID)
	require.NoError(t, err)
	_, err = f.emails.Link(ctx, inv.TenantID, inv2.ID)
	assert.Error(t, err)

	tenantID, err := f.emails.InvitationTenant(ctx, inv.ID)
	require.NoError(t, err)
	assert.Equal(t, inv.TenantID, tenantID)
	_, err = f.emails.InvitationTenant(ctx, 424242)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))
}

func TestStartSendKeepsTheFirstMessageID(t *testing.T) {
	f := newEmailFixture(t)
	inv, _ := f.invite(t, "w1")
	first := f.start(t, inv, "invitation", "<one@acme.example>")
	assert.Equal(t, assessments.EmailSending, first.Status)
	assert.NotZero(t, first.DeliveryID)

	again := f.start(t, inv, "invitation", "<two@acme.example>")
	assert.Equal(t, first.ID, again.ID)
	assert.Equal(t, "<one@acme.example>", again.MessageID, "a retry sends the same Message-ID")

	other := f.start(t, inv, "reminder:2", "<three@acme.example>")
	assert.NotEqual(t, first.ID, other.ID)
	assert.Equal(t, "<three@acme.example>", other.MessageID)

	d, err := storage.NewEventStore(f.db, nil, f.clock, f.invitations).Delivery(context.Background(), inv.TenantID, first.DeliveryID)
	require.NoError(t, err)
	assert.Equal(t, assessments.DirectionOutbound, d.Direction)
	assert.Equal(t, assessments.DeliveryKindEmail, d.Kind)
	assert.Equal(t, assessments.DeliveryReceived, d.Status)
	assert.Equal(t, inv.ID, d.InvitationID)
	assert.Equal(t, inv.WorkflowID, d.WorkflowID)
}

func TestSendAcceptedMarksTheInvitationSentInOneTransaction(t *testing.T) {
	f := newEmailFixture(t)
	ctx := context.Background()
	inv, _ := f.invite(t, "w1")
	e := f.start(t, inv, "invitation", "<one@acme.example>")
	out := assessments.SendOutcome{Attempt: assessments.DeliveryAttempt{Method: "SMTP", ResponseStatus: 250, ResponseBody: "accepted",
		RequestHeaders: map[string]string{"To": inv.CandidateEmail}}, Summary: "accepted"}

	// A failing follow-up undoes everything: the e-mail stays sending.
	_, err := f.emails.SendAccepted(ctx, e, out, true, func(context.Context, *sql.Tx, assessments.Invitation) error {
		return errors.New("queue down")
	})
	require.Error(t, err)
	cur, err := f.invitations.Invitation(ctx, inv.TenantID, inv.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.StatusCreated, cur.Status)
	emails, err := f.emails.Emails(ctx, inv.TenantID, inv.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.EmailSending, emails[0].Status)

	f.clock.Advance(time.Minute)
	var seen assessments.Invitation
	sent, err := f.emails.SendAccepted(ctx, e, out, true, func(_ context.Context, _ *sql.Tx, inv assessments.Invitation) error {
		seen = inv
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, assessments.StatusSent, sent.Status)
	assert.Equal(t, 1, sent.SentCount)
	assert.Equal(t, sent, seen, "the hook sees the invitation as sent")
	f.hooked = f.eventStatuses(t, sent)
	assert.Contains(t, f.hooked, "created>sent", "the transition hook ran")
	emails, err = f.emails.Emails(ctx, inv.TenantID, inv.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.EmailSent, emails[0].Status)
	assert.Equal(t, 1, emails[0].Attempts)
	assert.True(t, f.clock.Now().Equal(emails[0].SentAt))
	firstSent, ok, err := f.emails.FirstSent(ctx, inv.TenantID, inv.ID)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.True(t, f.clock.Now().Equal(firstSent))

	_, err = f.emails.SendAccepted(ctx, e, out, true, nil)
	assert.Equal(t, assessments.ECONFLICT, assessments.ErrorCode(err), "an e-mail is settled once")
	d, err := storage.NewEventStore(f.db, nil, f.clock, f.invitations).Delivery(ctx, inv.TenantID, e.DeliveryID)
	require.NoError(t, err)
	assert.Equal(t, assessments.DeliveryProcessed, d.Status)
	assert.Equal(t, 1, d.Attempts)
	assert.Equal(t, 250, d.HTTPStatus)
}

func TestSendAcceptedLeavesAnEndedInvitationAlone(t *testing.T) {
	f := newEmailFixture(t)
	ctx := context.Background()
	inv, _ := f.invite(t, "w1")
	e := f.start(t, inv, "invitation", "<one@acme.example>")
	_, err := f.invitations.Cancel(ctx, inv.TenantID, inv.ID, "filled")
	require.NoError(t, err)
	called := false
	got, err := f.emails.SendAccepted(ctx, e, assessments.SendOutcome{}, true, func(context.Context, *sql.Tx, assessments.Invitation) error {
		called = true
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, assessments.StatusCancelled, got.Status)
	assert.False(t, called, "nothing to schedule for a cancelled invitation")
}

func TestSendRefused(t *testing.T) {
	cases := []struct {
		name           string
		final, fail    bool
		wantEmail      assessments.EmailStatus
		wantInvitation assessments.InvitationStatus
		wantDelivery   assessments.DeliveryStatus
	}{
		{"temporary", false, true, assessments.EmailSending, assessments.StatusCreated, assessments.DeliveryReceived},
		{"final, invitation fails", true, true, assessments.EmailFailed, assessments.StatusFailed, assessments.DeliveryFailed},
		{"final, reminder", true, false, assessments.EmailFailed, assessments.StatusCreated, assessments.DeliveryFailed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newEmailFixture(t)
			ctx := context.Background()
			inv, _ := f.invite(t, "w1")
			e := f.start(t, inv, "invitation", "<one@acme.example>")
			out := assessments.SendOutcome{Attempt: assessments.DeliveryAttempt{ResponseStatus: 550, Error: "550 no such user"}, Summary: "refused"}
			got, err := f.emails.SendRefused(ctx, e, out, c.final, c.fail, "The mail server refused it")
			require.NoError(t, err)
			assert.Equal(t, c.wantInvitation, got.Status)
			emails, err := f.emails.Emails(ctx, inv.TenantID, inv.ID)
			require.NoError(t, err)
			assert.Equal(t, c.wantEmail, emails[0].Status)
			assert.Equal(t, "550 no such user", emails[0].Error)
			assert.Equal(t, 1, emails[0].Attempts)
			d, err := storage.NewEventStore(f.db, nil, f.clock, f.invitations).Delivery(ctx, inv.TenantID, e.DeliveryID)
			require.NoError(t, err)
			assert.Equal(t, c.wantDelivery, d.Status)
			assert.Equal(t, 550, d.HTTPStatus)
			if c.wantInvitation == assessments.StatusFailed {
				assert.Equal(t, []string{">created", "created>failed"}, f.eventStatuses(t, inv))
			}
		})
	}
}
