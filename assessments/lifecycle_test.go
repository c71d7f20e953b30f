package assessments

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/clocktest"
)

var lifeNow = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

func TestPlanSchedule(t *testing.T) {
	sent := lifeNow
	cases := []struct {
		name    string
		expires time.Time
		days    []int
		now     time.Time
		want    []ScheduledReminder
	}{
		{"each day after the first send", sent.Add(days(7)), []int{2, 5}, sent,
			[]ScheduledReminder{{2, sent.Add(days(2))}, {5, sent.Add(days(5))}}},
		{"sorted, duplicates and non-positive days dropped", sent.Add(days(7)), []int{5, 0, 2, -1, 5}, sent,
			[]ScheduledReminder{{2, sent.Add(days(2))}, {5, sent.Add(days(5))}}},
		{"none at or after the deadline", sent.Add(days(5)), []int{2, 5, 9}, sent,
			[]ScheduledReminder{{2, sent.Add(days(2))}}},
		{"none already past: rescheduled after an extension", sent.Add(days(20)), []int{2, 5, 9}, sent.Add(days(6)),
			[]ScheduledReminder{{9, sent.Add(days(9))}}},
		{"no reminder days", sent.Add(days(7)), nil, sent, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := PlanSchedule(sent, c.expires, c.days, c.now)
			assert.Equal(t, c.want, got.Reminders)
			assert.Equal(t, c.expires, got.ExpireAt)
		})
	}
}

func TestPlanScheduleWithAFakeClock(t *testing.T) {
	clock := clocktest.New(lifeNow)
	plan := PlanSchedule(clock.Now(), clock.Now().Add(days(7)), []int{2, 5}, clock.Now())
	require.Len(t, plan.Reminders, 2)
	clock.Advance(days(3))
	later := PlanSchedule(lifeNow, lifeNow.Add(days(7)), []int{2, 5}, clock.Now())
	assert.Equal(t, plan.Reminders[1:], later.Reminders, "day 2 is behind the clock now")
}

func TestCanRemind(t *testing.T) {
	base := Invitation{CandidateEmail: "a@example.com", ExpiresAt: lifeNow.Add(days(3))}
	cases := []struct {
		status InvitationStatus
		now    time.Time
		email  string
		want   bool
	}{
		{StatusSent, lifeNow, "a@example.com", true},
		{StatusOpened, lifeNow, "a@example.com", true},
		{StatusInProgress, lifeNow, "a@example.com", true},
		{StatusCreated, lifeNow, "a@example.com", false},
		{StatusFailed, lifeNow, "a@example.com", false},
		{StatusCompleted, lifeNow, "a@example.com", false},
		{StatusCancelled, lifeNow, "a@example.com", false},
		{StatusExpired, lifeNow, "a@example.com", false},
		{StatusSent, lifeNow.Add(days(3)), "a@example.com", false},
		{StatusSent, lifeNow, "", false},
	}
	for _, c := range cases {
		t.Run(string(c.status), func(t *testing.T) {
			inv := base
			inv.Status, inv.CandidateEmail = c.status, c.email
			assert.Equal(t, c.want, CanRemind(inv, c.now))
		})
	}
}

func TestCheckExtension(t *testing.T) {
	inv := Invitation{Status: StatusSent, ExpiresAt: lifeNow.Add(days(10))}
	cases := []struct {
		name  string
		inv   Invitation
		until time.Time
		want  string
	}{
		{"later and a day ahead", inv, lifeNow.Add(days(12)), ""},
		{"less than a day ahead", Invitation{Status: StatusSent, ExpiresAt: lifeNow.Add(-time.Hour)}, lifeNow.Add(23 * time.Hour), "at least one day from now"},
		{"overdue but live can be extended", Invitation{Status: StatusSent, ExpiresAt: lifeNow.Add(-time.Hour)}, lifeNow.Add(days(1)), ""},
		{"not later than the current deadline", inv, lifeNow.Add(days(9)), "later than the current one"},
		{"ended", Invitation{Status: StatusExpired, ExpiresAt: lifeNow}, lifeNow.Add(days(5)), "cannot change any more"},
		{"the last day allowed", inv, EndOfDay(lifeNow.Add(MaxExtension)), ""},
		{"a day past the bound", inv, EndOfDay(lifeNow.Add(MaxExtension + days(1))), "at most 90 days from now"},
		{"the end of time", inv, time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), "at most 90 days from now"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckExtension(c.inv, c.until, lifeNow)
			if c.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.Equal(t, EINVALID, ErrorCode(err))
			assert.Contains(t, ErrorMessage(err), c.want)
		})
	}
	assert.Equal(t, time.Date(2026, 6, 3, 23, 59, 59, 0, time.UTC), EndOfDay(time.Date(2026, 6, 3, 0, 0, 0, 0, time.UTC)))
}

func TestCheckResend(t *testing.T) {
	assert.NoError(t, CheckResend(Invitation{Status: StatusFailed, CandidateEmail: "a@example.com"}))
	assert.NoError(t, CheckResend(Invitation{Status: StatusOpened, CandidateEmail: "a@example.com"}))
	assert.Contains(t, ErrorMessage(CheckResend(Invitation{Status: StatusSent})), "no e-mail address")
	assert.Contains(t, ErrorMessage(CheckResend(Invitation{Status: StatusCompleted, CandidateEmail: "a@example.com"})), "cannot change")
}

// lifeStore is an InvitationStore holding one invitation; only what
// Lifecycle calls is implemented.
type lifeStore struct {
	InvitationStore
	inv       Invitation
	cancelled string
}

func (s *lifeStore) Invitation(_ context.Context, tenantID, id int64) (Invitation, error) {
	if tenantID != s.inv.TenantID || id != s.inv.ID {
		return Invitation{}, Errorf(ENOTFOUND, "Invitation not found.")
	}
	return s.inv, nil
}

func (s *lifeStore) Cancel(_ context.Context, _, _ int64, reason string) (Invitation, error) {
	s.cancelled = reason
	s.inv.Status = StatusCancelled
	return s.inv, nil
}

type lifeJobs struct {
	extended time.Time
	resends  []string
}

func (j *lifeJobs) Extend(_ context.Context, _, _ int64, until time.Time) (Invitation, error) {
	j.extended = until
	return Invitation{ExpiresAt: until}, nil
}

func (j *lifeJobs) QueueResend(_ context.Context, _, _ int64, by string) error {
	j.resends = append(j.resends, by)
	return nil
}

func TestLifecycleActions(t *testing.T) {
	newLife := func(status InvitationStatus) (*Lifecycle, *lifeStore, *lifeJobs) {
		store := &lifeStore{inv: Invitation{ID: 5, TenantID: 1, Status: status, CandidateEmail: "a@example.com",
			ExpiresAt: lifeNow.Add(days(7))}}
		jobs := &lifeJobs{}
		return &Lifecycle{Invitations: store, Jobs: jobs, Clock: clocktest.New(lifeNow)}, store, jobs
	}
	ctx := context.Background()

	t.Run("resend", func(t *testing.T) {
		l, _, jobs := newLife(StatusSent)
		_, err := l.Resend(ctx, 1, 5, "ops@acme.example")
		require.NoError(t, err)
		assert.Equal(t, []string{"ops@acme.example"}, jobs.resends)
		_, err = l.Resend(ctx, 2, 5, "ops@acme.example")
		assert.Equal(t, ENOTFOUND, ErrorCode(err), "another tenant's invitation")
		assert.Len(t, jobs.resends, 1)
	})
	t.Run("extend", func(t *testing.T) {
		l, _, jobs := newLife(StatusOpened)
		_, err := l.Extend(ctx, 1, 5, lifeNow.Add(days(3)))
		assert.Equal(t, EINVALID, ErrorCode(err))
		assert.True(t, jobs.extended.IsZero(), "a refused extension queues nothing")
		got, err := l.Extend(ctx, 1, 5, lifeNow.Add(days(14)))
		require.NoError(t, err)
		assert.Equal(t, lifeNow.Add(days(14)), got.ExpiresAt)
	})
	t.Run("cancel", func(t *testing.T) {
		l, store, _ := newLife(StatusSent)
		_, err := l.Cancel(ctx, 1, 5, "   ", "ops@acme.example")
		assert.Contains(t, ErrorMessage(err), "Say why")
		_, err = l.Cancel(ctx, 1, 5, strings.Repeat("x", 501), "ops@acme.example")
		assert.Contains(t, ErrorMessage(err), "under 500")
		got, err := l.Cancel(ctx, 1, 5, " Position filled ", "ops@acme.example")
		require.NoError(t, err)
		assert.Equal(t, StatusCancelled, got.Status)
		assert.Equal(t, "cancelled by ops@acme.example: Position filled", store.cancelled)
		_, err = l.Cancel(ctx, 1, 5, "again", "ops@acme.example")
		assert.Equal(t, EINVALID, ErrorCode(err), "a cancelled invitation cannot be cancelled again")
	})
}
