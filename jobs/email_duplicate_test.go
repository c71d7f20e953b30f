package jobs

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/mail"
)

// crashAfterSend hands the message to the server and then dies, as a
// process killed before the server's reply was recorded: nothing after
// Send runs.
type crashAfterSend struct{ next mail.Sender }

func (s crashAfterSend) Send(ctx context.Context, m mail.Message) (string, error) {
	_, _ = s.next.Send(ctx, m)
	panic("killed after the server took the message")
}

// SMTP offers no exactly-once: an attempt whose outcome is unknown is sent
// again with the same Message-ID, and the e-mail is marked as a possible
// duplicate, on its row and in its delivery's message for the logs page.
func TestSendAfterAnInterruptedAttemptIsMarkedAPossibleDuplicate(t *testing.T) {
	h := newMailHarness(t)
	inv, _ := h.invite("w1", nil)
	healthy := h.mailer.Sender
	h.mailer.Sender = crashAfterSend{next: healthy}
	require.Panics(t, func() { _ = h.send(inv, 1) })
	h.mailer.Sender = healthy

	require.NoError(t, h.send(inv, 2))
	msgs := h.messages()
	require.Len(t, msgs, 2, "the candidate may have two copies")
	assert.Equal(t, msgs[0].MessageID, msgs[1].MessageID, "with the same Message-ID")
	emails, err := h.emails.Emails(h.ctx, inv.TenantID, inv.ID)
	require.NoError(t, err)
	require.Len(t, emails, 1)
	assert.True(t, emails[0].PossibleDuplicate)
	assert.Equal(t, assessments.EmailSent, emails[0].Status)
	var message string
	require.NoError(t, h.db.R.QueryRow(`SELECT message FROM deliveries WHERE id = ?`, emails[0].DeliveryID).Scan(&message))
	assert.Contains(t, message, assessments.PossibleDuplicateNote)

	// A retry after a refusal (the outcome was known) is no duplicate.
	other, _ := h.invite("w2", nil)
	h.sender.failNext(&mail.SendError{Code: 421})
	require.Error(t, h.send(other, 1))
	require.NoError(t, h.send(other, 2))
	emails, err = h.emails.Emails(h.ctx, other.TenantID, other.ID)
	require.NoError(t, err)
	require.Len(t, emails, 1)
	assert.False(t, emails[0].PossibleDuplicate)
}
