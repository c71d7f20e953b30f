package storage_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/storage"
)

// TestLogEntriesShowTheNewestAttempt pins what a row says of a write that
// failed with 400 and then succeeded: the newest attempt's code and time,
// not the first failure's.
func TestLogEntriesShowTheNewestAttempt(t *testing.T) {
	f := newLogFixture(t)
	ctx := context.Background()
	retried := f.ids[1]
	_, err := f.db.W.Exec(`UPDATE deliveries SET status = 'processed', http_status = 400, attempts = 2 WHERE id = ?`, retried)
	require.NoError(t, err)
	later := f.start.Add(5 * time.Hour)
	for _, a := range []struct {
		n, status int
		at        time.Time
	}{{2, 201, later}, {1, 400, f.start}} { // inserted out of order: the attempt number decides
		_, err := f.db.W.Exec(`INSERT INTO delivery_attempts (tenant_id, delivery_id, attempt, response_status, created_at)
			VALUES (?, ?, ?, ?, ?)`, f.a, retried, a.n, a.status, a.at)
		require.NoError(t, err)
	}

	e, err := f.logs.LogEntry(ctx, f.a, retried)
	require.NoError(t, err)
	assert.Equal(t, assessments.LatestAttempt{N: 2, Status: 201, At: later}, e.Latest)
	assert.Equal(t, 201, e.OutcomeStatus(), "not the 400 of the first try")

	p, err := f.logs.LogPage(ctx, f.a, assessments.LogFilter{Limit: 100}.Normalize())
	require.NoError(t, err)
	for _, row := range p.Entries {
		if row.ID == retried {
			assert.Equal(t, 201, row.OutcomeStatus())
			continue
		}
		assert.Zero(t, row.Latest.N, "a delivery without attempts has no latest one")
		assert.Equal(t, row.HTTPStatus, row.OutcomeStatus(), "and keeps its stored code")
	}
}

// TestLogSearchFindsAnEventByItsIDInItsTenantOnly: the id box matches a
// delivery's event id exactly, and never another tenant's delivery.
func TestLogSearchFindsAnEventByItsIDInItsTenantOnly(t *testing.T) {
	f := newLogFixture(t)
	ctx := context.Background()
	var own, foreign string
	require.NoError(t, f.db.R.QueryRow(`SELECT public_id FROM deliveries WHERE id = ?`, f.ids[7]).Scan(&own))
	require.NoError(t, f.db.R.QueryRow(`SELECT public_id FROM deliveries WHERE id = ?`, f.foreign).Scan(&foreign))
	cases := []struct {
		name, id string
		want     []int64
	}{
		{"own event", own, []int64{f.ids[7]}},
		{"another tenant's event", foreign, nil},
		{"a prefix is not a match", own[:len(own)-1], nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := f.logs.LogPage(ctx, f.a, assessments.LogFilter{Subject: c.id}.Normalize())
			require.NoError(t, err)
			assert.Equal(t, c.want, ids(p))
		})
	}
}

// TestLogIDSearchAndLatestAttemptUseIndexes: the event id comes from the
// unique public_id index, and each row's newest attempt from one probe of
// delivery_attempts_delivery; nothing scans.
func TestLogIDSearchAndLatestAttemptUseIndexes(t *testing.T) {
	f := newLogFixture(t)
	skipOnPostgres(t, f.db, sqlitePlans)
	query, args := storage.LogQuery(f.a, assessments.LogFilter{Subject: "0123456789abcdef0123456789abcdef"}.Normalize())
	joined := strings.Join(queryPlan(t, f.db.R, query, args...), "\n")
	assert.Contains(t, joined, "USING INDEX sqlite_autoindex_deliveries_1 (public_id=?)", "the event id is found by its index")
	assert.Contains(t, joined, "SEARCH a USING COVERING INDEX delivery_attempts_delivery (delivery_id=?)", "the newest attempt by its index")
	assert.Contains(t, joined, "SEARCH la USING INTEGER PRIMARY KEY", "then read by its id")
	assert.NotRegexp(t, `SCAN (d|deliveries|a|la)\b`, joined, "no full scan")
	assert.Contains(t, joined, "SEARCH d USING INTEGER PRIMARY KEY", "the delivery by its key; only the subject's few rows are sorted")
}
