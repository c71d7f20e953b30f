package storage_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/storage"
)

func TestListInvitationsFiltersAndPages(t *testing.T) {
	f := newEmailFixture(t)
	ctx := context.Background()
	s := storage.NewLifecycleStore(f.db, f.invitations, f.emails)
	names := []struct{ first, last, email string }{
		{"Ada", "Lovelace", "ada@example.com"},
		{"Grace", "Hopper", "grace@example.com"},
		{"Alan", "Turing", "alan@example.com"},
		{"Percent", "Sign", "100%_sure@example.com"},
	}
	var ids []int64
	for i, n := range names {
		nv := f.newInvitation(fmt.Sprint("w", i))
		nv.CandidateFirstName, nv.CandidateLastName, nv.CandidateEmail = n.first, n.last, n.email
		inv, _, err := f.invitations.Create(ctx, nv)
		require.NoError(t, err)
		ids = append(ids, inv.ID)
	}
	_, err := f.invitations.Cancel(ctx, f.tenantID, ids[1], "filled")
	require.NoError(t, err)
	other := f.tenant(t, "9999")
	otherPkg := f.newPackage(t, other, "Theirs", "big-five-work")
	nv := f.newInvitation("w9")
	nv.TenantID, nv.PackageID = other, otherPkg.ID
	_, _, err = f.invitations.Create(ctx, nv)
	require.NoError(t, err)

	list := func(filter assessments.InvitationFilter) ([]int64, assessments.InvitationPage) {
		filter.TenantID = f.tenantID
		page, err := s.ListInvitations(ctx, filter)
		require.NoError(t, err)
		var got []int64
		for _, inv := range page.Invitations {
			got = append(got, inv.ID)
		}
		return got, page
	}
	cases := []struct {
		name   string
		filter assessments.InvitationFilter
		want   []int64
		total  int
	}{
		{"all, newest first, this tenant only", assessments.InvitationFilter{}, []int64{ids[3], ids[2], ids[1], ids[0]}, 4},
		{"by status", assessments.InvitationFilter{Status: assessments.StatusCancelled}, []int64{ids[1]}, 1},
		{"by first name, any case", assessments.InvitationFilter{Query: "grACE"}, []int64{ids[1]}, 1},
		{"by full name", assessments.InvitationFilter{Query: "alan turing"}, []int64{ids[2]}, 1},
		{"by e-mail", assessments.InvitationFilter{Query: "ada@"}, []int64{ids[0]}, 1},
		{"wildcards are literal", assessments.InvitationFilter{Query: "%_"}, []int64{ids[3]}, 1},
		{"status and text", assessments.InvitationFilter{Status: assessments.StatusCreated, Query: "grace"}, nil, 0},
		{"first page", assessments.InvitationFilter{PerPage: 3}, []int64{ids[3], ids[2], ids[1]}, 4},
		{"second page", assessments.InvitationFilter{PerPage: 3, Page: 2}, []int64{ids[0]}, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, page := list(c.filter)
			assert.Equal(t, c.want, got)
			assert.Equal(t, c.total, page.Total)
			assert.Equal(t, "Personality", page.PackageNames[f.pkg.ID])
		})
	}
	_, page := list(assessments.InvitationFilter{PerPage: 3})
	assert.Equal(t, 2, page.Pages())
}

func TestLifecycleExtendRunsItsHookInTheSameTransaction(t *testing.T) {
	f := newEmailFixture(t)
	ctx := context.Background()
	s := storage.NewLifecycleStore(f.db, f.invitations, f.emails)
	inv, _ := f.invite(t, "w1")
	until := invNow.Add(20 * 24 * time.Hour)

	_, err := s.Extend(ctx, inv.TenantID, inv.ID, until, func(context.Context, *sql.Tx, assessments.Invitation, time.Time) error {
		return errors.New("queue down")
	})
	require.Error(t, err)
	cur, err := f.invitations.Invitation(ctx, inv.TenantID, inv.ID)
	require.NoError(t, err)
	assert.Equal(t, inv.ExpiresAt, cur.ExpiresAt, "the extension rolled back with its jobs")

	var seen assessments.Invitation
	var sent time.Time
	got, err := s.Extend(ctx, inv.TenantID, inv.ID, until, func(_ context.Context, _ *sql.Tx, inv assessments.Invitation, firstSent time.Time) error {
		seen, sent = inv, firstSent
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, until, got.ExpiresAt)
	assert.Equal(t, got, seen)
	assert.True(t, sent.IsZero(), "never sent")
	assert.Contains(t, f.eventStatuses(t, inv), "created>created")

	other := f.tenant(t, "9999")
	_, err = s.Extend(ctx, other, inv.ID, until, nil)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))
}

func TestLifecycleWithLive(t *testing.T) {
	f := newEmailFixture(t)
	ctx := context.Background()
	s := storage.NewLifecycleStore(f.db, f.invitations, f.emails)
	inv, _ := f.invite(t, "w1")
	ran := 0
	fn := func(context.Context, *sql.Tx, assessments.Invitation) error { ran++; return nil }

	require.NoError(t, s.WithLive(ctx, inv.TenantID, inv.ID, fn))
	assert.Equal(t, 1, ran)
	err := s.WithLive(ctx, f.tenant(t, "9999"), inv.ID, fn)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))
	_, err = f.invitations.Cancel(ctx, inv.TenantID, inv.ID, "filled")
	require.NoError(t, err)
	err = s.WithLive(ctx, inv.TenantID, inv.ID, fn)
	assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err))
	assert.Equal(t, 1, ran)
}
