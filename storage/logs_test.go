package storage_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// logRow is a delivery as the log tests insert it.
type logRow struct {
	tenant    int64
	direction string
	kind      string
	status    string
	workflow  string
	person    string
	at        time.Time
}

// insertDeliveries writes rows in one transaction, straight into the
// table, as the intake, the write-back and the e-mail worker do.
func insertDeliveries(t testing.TB, db *storage.DB, rows []logRow) []int64 {
	t.Helper()
	ctx := context.Background()
	tx, err := db.W.BeginTx(ctx, nil)
	require.NoError(t, err)
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO deliveries (tenant_id, public_id, direction, kind, status, workflow_id,
		person_id, job_id, message, payload, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, '2001', '', ?, ?, ?) RETURNING id`)
	require.NoError(t, err)
	var seq int64
	require.NoError(t, tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM deliveries`).Scan(&seq))
	ids := make([]int64, len(rows))
	for i, r := range rows {
		payload := `{}`
		if r.direction == "inbound" {
			payload = fmt.Sprintf(`{"type":%q,"workflow_id":%q,"person_id":%q,"person_name":"Person %s"}`, r.kind, r.workflow, r.person, r.person)
		}
		require.NoError(t, stmt.QueryRowContext(ctx, r.tenant, fmt.Sprintf("pub-%d", seq+int64(i)+1), r.direction, r.kind, r.status,
			r.workflow, r.person, payload, r.at, r.at).Scan(&ids[i]))
	}
	require.NoError(t, stmt.Close())
	require.NoError(t, tx.Commit())
	return ids
}

func newLogTenant(t testing.TB, db *storage.DB, customerID string) int64 {
	t.Helper()
	var id int64
	require.NoError(t, db.W.QueryRow(`INSERT INTO tenants (customer_id, name, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
		customerID, "Tenant "+customerID, testNow, testNow).Scan(&id))
	return id
}

// logFixture has two tenants; the first has 30 deliveries over three days,
// alternating inbound events and outbound writes, every fifth one failed;
// the second has one delivery, which the first must never see.
type logFixture struct {
	db      *storage.DB
	logs    *storage.LogStore
	a, b    int64
	ids     []int64 // tenant a's, oldest first
	foreign int64
	start   time.Time
}

func newLogFixture(t *testing.T) *logFixture {
	t.Helper()
	db := storetest.New(t).DB
	f := &logFixture{db: db, logs: storage.NewLogStore(db), a: newLogTenant(t, db, "1234"), b: newLogTenant(t, db, "5678"),
		start: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}
	var rows []logRow
	for i := range 30 {
		r := logRow{tenant: f.a, direction: "inbound", kind: assessments.EventStatusChange, status: "processed",
			workflow: fmt.Sprint(3001 + i%3), person: fmt.Sprint(1001 + i%3), at: f.start.Add(time.Duration(i) * 150 * time.Minute)}
		if i%2 == 1 {
			r.direction, r.kind = "outbound", string(assessments.StepUpdateRow)
		}
		if i%5 == 4 {
			r.status = "failed"
		}
		rows = append(rows, r)
	}
	f.ids = insertDeliveries(t, db, rows)
	f.foreign = insertDeliveries(t, db, []logRow{{tenant: f.b, direction: "inbound", kind: assessments.EventStatusChange,
		status: "failed", workflow: "3001", person: "1001", at: f.start}})[0]
	return f
}

func ids(p assessments.LogPage) []int64 {
	var out []int64
	for _, e := range p.Entries {
		out = append(out, e.ID)
	}
	return out
}

func TestLogPagesWalkEveryDeliveryOnceByKeyset(t *testing.T) {
	f := newLogFixture(t)
	ctx := context.Background()
	var seen []int64
	filter := assessments.LogFilter{Limit: 7}.Normalize()
	pages := 0
	for {
		p, err := f.logs.LogPage(ctx, f.a, filter)
		require.NoError(t, err)
		pages++
		seen = append(seen, ids(p)...)
		if pages > 1 {
			assert.NotZero(t, p.Newer, "a later page links back to newer deliveries")
		}
		if p.Older == 0 {
			break
		}
		filter.Before = p.Older
	}
	assert.Equal(t, 5, pages)
	require.Len(t, seen, 30)
	for i, id := range seen {
		assert.Equal(t, f.ids[29-i], id, "newest first, each once")
	}

	// Back from the last page to newer ones with the After cursor.
	back, err := f.logs.LogPage(ctx, f.a, assessments.LogFilter{After: f.ids[1], Limit: 7}.Normalize())
	require.NoError(t, err)
	assert.Equal(t, []int64{f.ids[8], f.ids[7], f.ids[6], f.ids[5], f.ids[4], f.ids[3], f.ids[2]}, ids(back))
	assert.Equal(t, f.ids[8], back.Newer)
	assert.Equal(t, f.ids[2], back.Older)
}

func TestLogFiltersSelectExactlyTheirDeliveries(t *testing.T) {
	f := newLogFixture(t)
	ctx := context.Background()
	cases := []struct {
		name   string
		filter assessments.LogFilter
		want   func(i int) bool
	}{
		{"everything", assessments.LogFilter{}, func(int) bool { return true }},
		{"inbound", assessments.LogFilter{Direction: assessments.DirectionInbound}, func(i int) bool { return i%2 == 0 }},
		{"outbound kind", assessments.LogFilter{Kind: string(assessments.StepUpdateRow)}, func(i int) bool { return i%2 == 1 }},
		{"failed", assessments.LogFilter{Result: assessments.LogFailed}, func(i int) bool { return i%5 == 4 }},
		{"failed inbound", assessments.LogFilter{Result: assessments.LogFailed, Direction: assessments.DirectionInbound},
			func(i int) bool { return i%5 == 4 && i%2 == 0 }},
		{"workflow", assessments.LogFilter{Subject: "3002"}, func(i int) bool { return i%3 == 1 }},
		{"person", assessments.LogFilter{Subject: "1003"}, func(i int) bool { return i%3 == 2 }},
		{"date range", assessments.LogFilter{From: f.start.Add(24 * time.Hour), To: f.start.Add(48 * time.Hour)},
			func(i int) bool {
				at := time.Duration(i) * 150 * time.Minute
				return at >= 24*time.Hour && at < 48*time.Hour
			}},
		{"date range and kind", assessments.LogFilter{From: f.start.Add(24 * time.Hour), Kind: assessments.EventStatusChange},
			func(i int) bool { return i%2 == 0 && time.Duration(i)*150*time.Minute >= 24*time.Hour }},
		{"range after everything", assessments.LogFilter{From: f.start.AddDate(1, 0, 0)}, func(int) bool { return false }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.filter.Limit = 100
			p, err := f.logs.LogPage(ctx, f.a, c.filter.Normalize())
			require.NoError(t, err)
			var want []int64
			for i := 29; i >= 0; i-- {
				if c.want(i) {
					want = append(want, f.ids[i])
				}
			}
			assert.Equal(t, want, ids(p))
			assert.NotContains(t, ids(p), f.foreign, "never another tenant's")
		})
	}
}

func TestLogEntryIsScopedByTenantAndNamesTheCandidate(t *testing.T) {
	f := newLogFixture(t)
	ctx := context.Background()
	e, err := f.logs.LogEntry(ctx, f.a, f.ids[0])
	require.NoError(t, err)
	// The payload carries an old "person_name", taken from an event's link
	// title before link titles were known to be labels: it is not shown.
	assert.Equal(t, "1001", e.Candidate(), "the person id when no invitation names the candidate")
	assert.Equal(t, "2001", e.Job(), "the job id when no title is known")
	_, err = f.logs.LogEntry(ctx, f.a, f.foreign)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))
}

func TestDayCountsFollowInsertsAndStatusChanges(t *testing.T) {
	f := newLogFixture(t)
	ctx := context.Background()
	counts, err := f.logs.DayCounts(ctx, f.a, f.start)
	require.NoError(t, err)
	require.Len(t, counts, 4) // 30 rows 2.5 h apart span 72.5 hours
	total, failed := 0, 0
	for _, c := range counts {
		total += c.Total
		failed += c.Failed
	}
	assert.Equal(t, 30, total)
	assert.Equal(t, 6, failed)
	assert.Equal(t, assessments.DayCount{Day: f.start, Total: 10, Failed: 2}, counts[0])

	// A failed write that succeeds on retry stops counting as a failure;
	// a delivery that fails later counts on its own day.
	_, err = f.db.W.Exec(`UPDATE deliveries SET status = 'processed' WHERE id = ?`, f.ids[4])
	require.NoError(t, err)
	_, err = f.db.W.Exec(`UPDATE deliveries SET status = 'failed' WHERE id = ?`, f.ids[0])
	require.NoError(t, err)
	_, err = f.db.W.Exec(`UPDATE deliveries SET message = 'x' WHERE id = ?`, f.ids[0])
	require.NoError(t, err)
	counts, err = f.logs.DayCounts(ctx, f.a, f.start)
	require.NoError(t, err)
	assert.Equal(t, assessments.DayCount{Day: f.start, Total: 10, Failed: 2}, counts[0])
	_, err = f.db.W.Exec(`UPDATE deliveries SET status = 'processed' WHERE id = ?`, f.ids[9])
	require.NoError(t, err)
	counts, err = f.logs.DayCounts(ctx, f.a, f.start)
	require.NoError(t, err)
	assert.Equal(t, 1, counts[0].Failed)

	other, err := f.logs.DayCounts(ctx, f.b, f.start)
	require.NoError(t, err)
	assert.Equal(t, []assessments.DayCount{{Day: f.start, Total: 1, Failed: 1}}, other)
}

func TestCallsSinceCountsOutboundTriesButNotEmail(t *testing.T) {
	f := newLogFixture(t)
	ctx := context.Background()
	mail := insertDeliveries(t, f.db, []logRow{{tenant: f.a, direction: "outbound", kind: assessments.DeliveryKindEmail,
		status: "processed", at: f.start}})[0]
	for _, a := range []struct {
		delivery int64
		at       time.Time
	}{
		{f.ids[1], f.start.Add(time.Hour)}, {f.ids[1], f.start.Add(2 * time.Hour)}, {f.ids[3], f.start.Add(3 * time.Hour)},
		{f.ids[3], f.start.Add(-time.Hour)}, {f.ids[0], f.start.Add(time.Hour)}, {mail, f.start.Add(time.Hour)},
	} {
		_, err := f.db.W.Exec(`INSERT INTO delivery_attempts (tenant_id, delivery_id, attempt, created_at) VALUES (?, ?, 1, ?)`,
			f.a, a.delivery, a.at)
		require.NoError(t, err)
	}
	n, err := f.logs.CallsSince(ctx, f.a, f.start)
	require.NoError(t, err)
	assert.Equal(t, 3, n, "three write tries today; not yesterday's, the inbound event's or the e-mail's")
	n, err = f.logs.CallsSince(ctx, f.b, f.start)
	require.NoError(t, err)
	assert.Zero(t, n)
}

// sqlitePlans is why the plan tests run on SQLite only.
const sqlitePlans = "EXPLAIN QUERY PLAN and the index choices pinned are SQLite's; PostgreSQL's planner costs each plan " +
	"and on a test's small tables rightly prefers scans, so its plans would pin the planner's arithmetic, not the indexes"

// queryPlan returns SQLite's plan for a query, one line per step.
func queryPlan(t testing.TB, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(`EXPLAIN QUERY PLAN `+query, args...)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		require.NoError(t, rows.Scan(&id, &parent, &notused, &detail))
		out = append(out, detail)
	}
	require.NoError(t, rows.Err())
	return out
}

// TestLogQueriesUseIndexesNotScans pins the plans that keep the logs page
// fast at any size: each page query searches an index of deliveries (no
// full scan) and, except for the candidate filter's few rows, reads it in
// page order instead of sorting.
func TestLogQueriesUseIndexesNotScans(t *testing.T) {
	f := newLogFixture(t)
	skipOnPostgres(t, f.db, sqlitePlans)
	from, to := f.start.Add(24*time.Hour), f.start.Add(48*time.Hour)
	cases := []struct {
		name   string
		filter assessments.LogFilter
		index  string
		list   bool
	}{
		{"first page", assessments.LogFilter{}, "deliveries_tenant_newest", false},
		{"deep page", assessments.LogFilter{Before: 500_000}, "deliveries_tenant_newest", false},
		{"newer page", assessments.LogFilter{After: 500_000}, "deliveries_tenant_newest", false},
		{"direction", assessments.LogFilter{Direction: assessments.DirectionOutbound}, "deliveries_tenant_direction", false},
		{"kind", assessments.LogFilter{Kind: assessments.EventStatusChange, Before: 500_000}, "deliveries_tenant_kind", false},
		{"result", assessments.LogFilter{Result: assessments.LogFailed}, "deliveries_tenant_status", false},
		{"date range", assessments.LogFilter{From: from, To: to}, "deliveries_tenant_newest", false},
		{"kind and date range", assessments.LogFilter{Kind: string(assessments.StepUpdateRow), From: from},
			"deliveries_tenant_kind", false},
		{"candidate", assessments.LogFilter{Subject: "3001"}, "", true},
		{"candidate and result", assessments.LogFilter{Subject: "3001", Result: assessments.LogFailed}, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			query, args := storage.LogQuery(f.a, c.filter.Normalize())
			plan := queryPlan(t, f.db.R, query, args...)
			joined := strings.Join(plan, "\n")
			assert.NotRegexp(t, `SCAN d\b`, joined, "no full scan of deliveries")
			assert.NotContains(t, joined, "SCAN i", "the invitation is found by its primary key")
			if !c.list {
				assert.Contains(t, joined, "SEARCH d USING INDEX "+c.index, joined)
				assert.NotContains(t, joined, "TEMP B-TREE", "rows come in page order from the index")
			} else {
				// A subject's few deliveries cannot come from one index in
				// (created_at, id) order: each is read by its key and the
				// few are sorted, never the tenant's index walked.
				assert.Contains(t, joined, "SEARCH d USING INTEGER PRIMARY KEY", joined)
				assert.NotContains(t, joined, "USING INDEX deliveries_tenant_newest", "the tenant's rows are not walked")
				assert.Contains(t, joined, "(tenant_id=? AND workflow_id=?)", "the candidate's ids come from an index")
				assert.Contains(t, joined, "(tenant_id=? AND person_id=?)", "the candidate's ids come from an index")
			}
		})
	}
	t.Run("calls today", func(t *testing.T) {
		joined := strings.Join(queryPlan(t, f.db.R, `SELECT COUNT(*) FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
			WHERE a.tenant_id = ? AND a.created_at >= ? AND d.direction = 'outbound' AND d.kind != ?`, f.a, f.start, "email"), "\n")
		assert.Contains(t, joined, "delivery_attempts_tenant_created", joined)
		assert.NotRegexp(t, `SCAN (a|d)\b`, joined)
	})
}
