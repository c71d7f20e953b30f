package storage_test

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

var testNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func oauthConnection(customer, token string) assessments.Connection {
	return assessments.Connection{
		CustomerID: customer, Region: assessments.RegionUS, AuthMode: assessments.AuthOAuth,
		Scopes:      []string{assessments.ScopeProfileRead, assessments.ScopeDeliveryWrite},
		Credentials: assessments.Credentials{AccessToken: token, RefreshToken: "refresh-" + token},
	}
}

func TestTenantConnectAndReconnect(t *testing.T) {
	db := storetest.New(t).DB
	clock := clocktest.New(testNow)
	s := storage.NewTenantStore(db, storetest.NewKeyring(t), clock)
	ctx := context.Background()

	first, err := s.Connect(ctx, oauthConnection("1234", "tok-one-7f3a9c"))
	require.NoError(t, err)
	assert.Equal(t, "1234", first.CustomerID)
	assert.Equal(t, assessments.TenantActive, first.Status)
	assert.Equal(t, []string{assessments.ScopeProfileWrite, assessments.ScopeScorecardWrite}, first.MissingScopes())

	require.NoError(t, s.SetStatus(ctx, first.ID, assessments.TenantNeedsReauth, "OAuth token expired"))
	clock.Advance(time.Hour)
	again, err := s.Connect(ctx, oauthConnection("1234", "tok-two-5b1e2d"))
	require.NoError(t, err)
	assert.Equal(t, first.ID, again.ID, "re-installing keeps the tenant")
	assert.Equal(t, assessments.TenantActive, again.Status, "and clears the re-authorization")
	assert.True(t, again.UpdatedAt.After(first.UpdatedAt))

	cr, err := s.Credentials(ctx, again.ID)
	require.NoError(t, err)
	assert.Equal(t, "tok-two-5b1e2d", cr.AccessToken)

	_, err = s.Connect(ctx, assessments.Connection{CustomerID: "12a", AuthMode: assessments.AuthBasic})
	assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err))
	_, err = s.TenantByCustomer(ctx, "999")
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))
}

func TestTokensAreNotStoredInPlainText(t *testing.T) {
	db := storetest.New(t).DB
	s := storage.NewTenantStore(db, storetest.NewKeyring(t), clocktest.New(testNow))
	ctx := context.Background()
	tn, err := s.Connect(ctx, oauthConnection("1234", "PLAINTEXT-ACCESS-TOKEN-d41d8c"))
	require.NoError(t, err)
	require.NoError(t, s.SaveToken(ctx, tn.ID, "PLAINTEXT-REFRESHED-TOKEN-98f00b", "", testNow.Add(time.Hour)))
	require.NoError(t, db.Close())

	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(db.Path() + suffix)
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		assert.False(t, bytes.Contains(b, []byte("PLAINTEXT-ACCESS-TOKEN")), "access token in %s", db.Path()+suffix)
		assert.False(t, bytes.Contains(b, []byte("PLAINTEXT-REFRESHED-TOKEN")))
		assert.False(t, bytes.Contains(b, []byte("refresh-PLAINTEXT")))
	}
}

func TestSaveTokenKeepsTheRefreshToken(t *testing.T) {
	db := storetest.New(t).DB
	s := storage.NewTenantStore(db, storetest.NewKeyring(t), clocktest.New(testNow))
	ctx := context.Background()
	tn, err := s.Connect(ctx, oauthConnection("1234", "a1"))
	require.NoError(t, err)
	exp := testNow.Add(48 * time.Hour)
	require.NoError(t, s.SaveToken(ctx, tn.ID, "a2", "", exp))
	cr, err := s.Credentials(ctx, tn.ID)
	require.NoError(t, err)
	assert.Equal(t, "a2", cr.AccessToken)
	assert.Equal(t, "refresh-a1", cr.RefreshToken, "an empty refresh token keeps the old one")
	assert.True(t, exp.Equal(cr.TokenExpiry))
}

func TestCredentialsAreBoundToTheirTenant(t *testing.T) {
	db := storetest.New(t).DB
	s := storage.NewTenantStore(db, storetest.NewKeyring(t), clocktest.New(testNow))
	ctx := context.Background()
	a, err := s.Connect(ctx, oauthConnection("1111", "token-a"))
	require.NoError(t, err)
	b, err := s.Connect(ctx, oauthConnection("2222", "token-b"))
	require.NoError(t, err)
	_, err = db.W.ExecContext(ctx, `UPDATE tenants SET credentials_sealed = (SELECT credentials_sealed FROM tenants WHERE id = ?) WHERE id = ?`, a.ID, b.ID)
	require.NoError(t, err)
	_, err = s.Credentials(ctx, b.ID)
	assert.ErrorIs(t, err, secrets.ErrInvalid, "a sealed value copied to another tenant does not open")
}

func TestUninstallDropsCredentials(t *testing.T) {
	db := storetest.New(t).DB
	s := storage.NewTenantStore(db, storetest.NewKeyring(t), clocktest.New(testNow))
	ctx := context.Background()
	tn, err := s.Connect(ctx, oauthConnection("1234", "tok"))
	require.NoError(t, err)
	require.NoError(t, s.Uninstall(ctx, tn.ID))
	got, err := s.Tenant(ctx, tn.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.TenantUninstalled, got.Status)
	assert.False(t, got.Connected())
	_, err = s.Credentials(ctx, tn.ID)
	assert.Equal(t, assessments.EUNAVAILABLE, assessments.ErrorCode(err))

	list, err := s.Tenants(ctx)
	require.NoError(t, err)
	assert.Len(t, list, 1)
	require.NoError(t, s.Remove(ctx, tn.ID))
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(s.Remove(ctx, tn.ID)))
}
