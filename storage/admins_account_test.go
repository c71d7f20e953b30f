package storage_test

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

type accountsEnv struct {
	clock    *clocktest.Clock
	admins   *storage.AdminStore
	accounts *assessments.Accounts
	tenantA  int64
	tenantB  int64
}

func newAccountsEnv(t *testing.T) accountsEnv {
	t.Helper()
	db := storetest.New(t).DB
	clock := clocktest.New(testNow)
	tenants := storage.NewTenantStore(db, storetest.NewKeyring(t), clock)
	a, err := tenants.Connect(context.Background(), oauthConnection("1111", "token-a"))
	require.NoError(t, err)
	b, err := tenants.Connect(context.Background(), oauthConnection("2222", "token-b"))
	require.NoError(t, err)
	admins := storage.NewAdminStore(db, clock)
	return accountsEnv{clock: clock, admins: admins, tenantA: a.ID, tenantB: b.ID,
		accounts: assessments.NewAccounts(admins, clock, rand.Reader, bcrypt.MinCost)}
}

func (e accountsEnv) admin(t *testing.T, tenantID int64, email string) assessments.Admin {
	t.Helper()
	a, err := e.accounts.CreateAdmin(context.Background(), tenantID, assessments.AccountInput{Email: email, Password: "first password"})
	require.NoError(t, err)
	return a
}

func TestRemoveAdminKeepsTheLastAndStaysInItsTenant(t *testing.T) {
	e := newAccountsEnv(t)
	ctx := context.Background()
	first := e.admin(t, e.tenantA, "one@a.example")
	second := e.admin(t, e.tenantA, "two@a.example")
	foreign := e.admin(t, e.tenantB, "one@b.example")

	tests := []struct {
		name     string
		tenantID int64
		by       assessments.Admin
		target   int64
		code     string
	}{
		{"yourself", e.tenantA, first, first.ID, assessments.EINVALID},
		{"another tenant's admin", e.tenantA, first, foreign.ID, assessments.ENOTFOUND},
		{"another admin", e.tenantA, first, second.ID, ""},
		{"the last admin", e.tenantA, assessments.Admin{ID: second.ID}, first.ID, assessments.ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.accounts.RemoveAdmin(ctx, tt.tenantID, tt.by, tt.target)
			assert.Equal(t, tt.code, assessments.ErrorCode(err), "%v", err)
		})
	}
	left, err := e.admins.Admins(ctx, e.tenantA)
	require.NoError(t, err)
	require.Len(t, left, 1)
	assert.Equal(t, first.ID, left[0].ID)
	_, err = e.admins.Admin(ctx, e.tenantB, foreign.ID)
	assert.NoError(t, err, "the other tenant's admin is untouched")
}

func TestPasswordResetLinksExpireAndWorkOnce(t *testing.T) {
	e := newAccountsEnv(t)
	ctx := context.Background()
	inA := e.admin(t, e.tenantA, "same@x.example")
	inB := e.admin(t, e.tenantB, "same@x.example")

	none, err := e.accounts.RequestPasswordReset(ctx, "nobody@x.example")
	require.NoError(t, err)
	assert.Empty(t, none, "no link for an address without an account")

	expired, err := e.accounts.RequestPasswordReset(ctx, "same@x.example")
	require.NoError(t, err)
	e.clock.Advance(assessments.PasswordResetTTL + time.Second)
	_, err = e.accounts.PendingPasswordReset(ctx, expired)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err), "an hour later the link is dead")
	_, err = e.accounts.ResetPassword(ctx, expired, "new long password")
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))

	older, err := e.accounts.RequestPasswordReset(ctx, "same@x.example")
	require.NoError(t, err)
	token, err := e.accounts.RequestPasswordReset(ctx, "same@x.example")
	require.NoError(t, err)
	email, err := e.accounts.PendingPasswordReset(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, "same@x.example", email)

	_, err = e.accounts.ResetPassword(ctx, token, "short")
	assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err), "the set-up rule holds")
	changed, err := e.accounts.ResetPassword(ctx, token, "new long password")
	require.NoError(t, err)
	assert.Len(t, changed, 2, "every account of the address")
	for _, a := range []assessments.Admin{inA, inB} {
		got, err := e.admins.Admin(ctx, a.TenantID, a.ID)
		require.NoError(t, err)
		assert.Equal(t, a.SessionEpoch+1, got.SessionEpoch, "their sessions end")
	}
	_, err = e.accounts.ResetPassword(ctx, token, "another long password")
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err), "the link works once")
	_, err = e.accounts.ResetPassword(ctx, older, "another long password")
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err), "older links die with it")
	_, err = e.accounts.Login(ctx, "same@x.example", "new long password")
	assert.NoError(t, err)
}
