package mail_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

func openMailbox(t *testing.T, now time.Time) *storage.Mailbox {
	t.Helper()
	env := storetest.New(t, storetest.At(now))
	return storage.NewMailbox(env.DB, env.Clock)
}

func TestDevMailboxStoresWhatItSends(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	store := openMailbox(t, now)
	dev := mail.NewDevMailbox(store, func() string { return "fixed" }, slog.New(slog.DiscardHandler))
	m := mail.Message{
		To: "zoe@example.org", ToName: "Zoë", FromAddress: "jobs@acme.example", FromName: "Acme",
		Subject: "Your assessment", HTML: "<p>Hi</p>", Text: "Hi",
		Headers: map[string]string{"X-JobCannon-Invitation": "7"},
	}

	id, err := dev.Send(ctx, m)
	require.NoError(t, err)
	assert.Equal(t, "<fixed@acme.example>", id)
	assert.Equal(t, map[string]string{"X-JobCannon-Invitation": "7"}, m.Headers, "the caller's map is left alone")

	list, err := store.List(ctx, 10, 0)
	require.NoError(t, err)
	require.Len(t, list, 1)
	got := list[0]
	assert.Equal(t, id, got.MessageID)
	assert.True(t, now.Equal(got.CreatedAt))
	assert.Equal(t, m, got.Message)
}

func TestDevMailboxRejectsInvalidMessages(t *testing.T) {
	store := openMailbox(t, time.Now())
	dev := mail.NewDevMailbox(store, mail.RandomID, slog.New(slog.DiscardHandler))
	_, err := dev.Send(context.Background(), mail.Message{To: "nope", FromAddress: "jobs@acme.example", Subject: "s", Text: "t"})
	require.Error(t, err)
	assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err))
	assert.True(t, mail.IsPermanent(err))
	list, err := store.List(context.Background(), 10, 0)
	require.NoError(t, err)
	assert.Empty(t, list, "nothing stored")
}

type failingStore struct{}

func (failingStore) Save(context.Context, mail.Message) (int64, error) {
	return 0, errors.New("disk full")
}

func TestDevMailboxStoreFailureIsTemporary(t *testing.T) {
	dev := mail.NewDevMailbox(failingStore{}, mail.RandomID, slog.New(slog.DiscardHandler))
	_, err := dev.Send(context.Background(), mail.Message{To: "a@example.org", FromAddress: "b@example.org", Subject: "s", Text: "t"})
	assert.ErrorContains(t, err, "disk full")
	assert.False(t, mail.IsPermanent(err))
}

func TestRandomIDsDiffer(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		id := mail.RandomID()
		assert.GreaterOrEqual(t, len(id), 22)
		assert.False(t, seen[id])
		seen[id] = true
	}
}
