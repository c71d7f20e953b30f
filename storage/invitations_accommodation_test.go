package storage_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

func TestAccommodationRequestQueuesOneNoticePerAdminAndIsInTheHistory(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	other := f.tenant(t, "5678")
	for _, a := range []struct {
		tenant int64
		email  string
	}{{f.tenantID, "one@acme.example"}, {f.tenantID, "two@acme.example"}, {other, "else@other.example"}} {
		_, err := f.db.W.Exec(`INSERT INTO admins (tenant_id, email, name, created_at) VALUES (?, ?, 'Admin', ?)`, a.tenant, a.email, invNow)
		require.NoError(t, err)
	}
	inv, _ := f.invite(t, "w1")
	req, err := f.invitations.RequestAccommodation(ctx, f.tenantID, inv.ID, "Large print, please.")
	require.NoError(t, err)

	rows, err := f.db.R.Query(`SELECT json(args) FROM river_job WHERE kind = ? ORDER BY id`, jobargs.AccommodationNoticeArgs{}.Kind())
	require.NoError(t, err)
	defer rows.Close()
	var emails []string
	for rows.Next() {
		var raw string
		require.NoError(t, rows.Scan(&raw))
		var a jobargs.AccommodationNoticeArgs
		require.NoError(t, json.Unmarshal([]byte(raw), &a))
		assert.Equal(t, f.tenantID, a.TenantID)
		assert.Equal(t, req.ID, a.RequestID)
		n, ok, err := f.invitations.AccommodationNotice(ctx, a.TenantID, a.RequestID, a.AdminID)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, "Ada Lovelace", n.Request.Candidate)
		assert.Equal(t, "Personality", n.Request.PackageName)
		emails = append(emails, n.AdminEmail)
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, []string{"one@acme.example", "two@acme.example"}, emails, "each of the tenant's admins, once")

	events, err := f.invitations.Events(ctx, f.tenantID, inv.ID)
	require.NoError(t, err)
	last := events[len(events)-1]
	assert.Contains(t, last.Detail, "the candidate asked for an accommodation")
	assert.NotContains(t, last.Detail, "Large print", "the words stay on the request, which retention removes")

	_, ok, err := f.invitations.AccommodationNotice(ctx, other, req.ID, 1)
	require.NoError(t, err)
	assert.False(t, ok, "another tenant's request is not found")
}
