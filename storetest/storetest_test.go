package storetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

func TestNewOpensAMigratedStore(t *testing.T) {
	env := storetest.New(t)
	ctx := context.Background()
	require.NoError(t, env.DB.Ready(ctx), "every migration is applied")
	var tenants int
	require.NoError(t, env.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM tenants`).Scan(&tenants))
	assert.Zero(t, tenants, "the store starts empty")
	assert.Equal(t, storetest.DefaultStart(), env.Clock.Now())
	_, err := env.Library.Get("big-five-work")
	assert.NoError(t, err, "the built-in instruments are loaded")
}

// TestURLNamesTheSameDatabase: the app, given the Env's URL, opens the
// database the test has been writing to.
func TestURLNamesTheSameDatabase(t *testing.T) {
	env := storetest.New(t)
	ctx := context.Background()
	_, err := env.DB.W.ExecContext(ctx, `INSERT INTO tenants (customer_id, created_at, updated_at) VALUES ('1234', ?, ?)`,
		env.Clock.Now(), env.Clock.Now())
	require.NoError(t, err)
	db, err := storage.Open(ctx, env.URL, t.TempDir())
	require.NoError(t, err)
	defer db.Close()
	var customer string
	require.NoError(t, db.R.QueryRowContext(ctx, `SELECT customer_id FROM tenants`).Scan(&customer))
	assert.Equal(t, "1234", customer)
	assert.Equal(t, env.DB.Name(), db.Name())
}

func TestAtSetsTheClock(t *testing.T) {
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	assert.Equal(t, at, storetest.New(t, storetest.At(at)).Clock.Now())
}

// TestEnvsShareNothing keeps tests apart: each has its own database
// and its own key.
func TestEnvsShareNothing(t *testing.T) {
	a, b := storetest.New(t), storetest.New(t)
	assert.NotEqual(t, a.URL, b.URL)
	ctx := context.Background()
	_, err := a.DB.W.ExecContext(ctx, `INSERT INTO tenants (customer_id, created_at, updated_at) VALUES ('1234', ?, ?)`,
		a.Clock.Now(), a.Clock.Now())
	require.NoError(t, err)
	var n int
	require.NoError(t, b.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM tenants`).Scan(&n))
	assert.Zero(t, n)

	sealed, err := a.Keyring.Seal([]byte("token"), "ctx")
	require.NoError(t, err)
	_, err = b.Keyring.Open(sealed, "ctx")
	assert.ErrorIs(t, err, secrets.ErrInvalid)
	_, err = storetest.NewKeyring(t).Open(sealed, "ctx")
	assert.ErrorIs(t, err, secrets.ErrInvalid)
	opened, err := a.Keyring.Open(sealed, "ctx")
	require.NoError(t, err)
	assert.Equal(t, "token", string(opened))
}

func TestTheStoreClosesWithTheTest(t *testing.T) {
	var env *storetest.Env
	t.Run("inner", func(t *testing.T) { env = storetest.New(t) })
	assert.Error(t, env.DB.W.Ping(), "closed when the test that opened it ended")
}
