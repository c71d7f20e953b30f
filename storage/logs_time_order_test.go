package storage_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// timedRow is a delivery with the id it is given, as a PostgreSQL sequence
// hands ids out at INSERT while rows commit, and instances stamp
// created_at, in another order.
type timedRow struct {
	id   int64
	at   time.Time
	kind string
}

// insertWithIDs writes rows with explicit ids, each in its own
// transaction, in the order given (the order they commit).
func insertWithIDs(t *testing.T, db *storage.DB, tenant int64, rows ...timedRow) {
	t.Helper()
	for _, r := range rows {
		kind, direction := r.kind, "outbound"
		if kind == "" {
			kind, direction = assessments.EventStatusChange, "inbound"
		}
		_, err := db.W.Exec(`INSERT INTO deliveries (id, tenant_id, public_id, direction, kind, status, workflow_id,
			person_id, job_id, message, payload, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, 'processed', '3001', '1001', '2001', '', '{}', ?, ?)`,
			r.id, tenant, fmt.Sprintf("pub-id-%d", r.id), direction, kind, r.at, r.at)
		require.NoError(t, err)
	}
}

// byTime returns the rows' ids newest first: created_at, then id, both
// descending, which is the order the page promises.
func byTime(rows []timedRow) []int64 {
	sorted := slices.Clone(rows)
	slices.SortFunc(sorted, func(a, b timedRow) int {
		if c := b.at.Compare(a.at); c != 0 {
			return c
		}
		return int(b.id - a.id)
	})
	out := make([]int64, len(sorted))
	for i, r := range sorted {
		out[i] = r.id
	}
	return out
}

// skewedRows are twelve deliveries whose ids do not follow their times:
// instances with clocks a little apart, and ids handed out before commit.
// Two pairs share a created_at, so the id breaks the tie.
func skewedRows(base time.Time) []timedRow {
	at := func(s int) time.Time { return base.Add(time.Duration(s) * time.Second) }
	return []timedRow{
		{id: 1_000_007, at: at(1)}, {id: 1_000_002, at: at(9)}, {id: 1_000_011, at: at(2)},
		{id: 1_000_001, at: at(12)}, {id: 1_000_005, at: at(5)}, {id: 1_000_010, at: at(5)},
		{id: 1_000_003, at: at(30)}, {id: 1_000_009, at: at(7)}, {id: 1_000_004, at: at(7)},
		{id: 1_000_012, at: at(3), kind: string(assessments.StepUpdateRow)},
		{id: 1_000_006, at: at(20), kind: string(assessments.StepUpdateRow)},
		{id: 1_000_008, at: at(25), kind: string(assessments.StepUpdateRow)},
	}
}

// walk pages through the filter with Before cursors and returns every id
// seen, in order, and how many pages it took.
func walk(t *testing.T, logs *storage.LogStore, tenant int64, f assessments.LogFilter) ([]int64, int) {
	t.Helper()
	f = f.Normalize()
	var seen []int64
	for pages := 1; ; pages++ {
		p, err := logs.LogPage(context.Background(), tenant, f)
		require.NoError(t, err)
		seen = append(seen, ids(p)...)
		if p.Older == 0 || pages > 50 {
			return seen, pages
		}
		f.Before = p.Older
	}
}

// TestLogPagesFollowTimeWhenIDsDoNot pins the order and the keyset walk
// when ids are not time order: newest first by created_at (the time the
// page shows), ties by id, every delivery once whichever way the pages are
// walked.
func TestLogPagesFollowTimeWhenIDsDoNot(t *testing.T) {
	db := storetest.New(t).DB
	logs := storage.NewLogStore(db)
	tenant := newLogTenant(t, db, "1234")
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	rows := skewedRows(base)
	insertWithIDs(t, db, tenant, rows...)
	want := byTime(rows)
	ctx := context.Background()

	t.Run("one page", func(t *testing.T) {
		p, err := logs.LogPage(ctx, tenant, assessments.LogFilter{}.Normalize())
		require.NoError(t, err)
		assert.Equal(t, want, ids(p))
	})
	t.Run("older pages", func(t *testing.T) {
		for _, limit := range []int{1, 2, 3, 5, 7} {
			seen, _ := walk(t, logs, tenant, assessments.LogFilter{Limit: limit})
			assert.Equal(t, want, seen, "limit %d: each delivery once, in time order", limit)
		}
	})
	t.Run("newer pages", func(t *testing.T) {
		// From the oldest delivery back up with After cursors.
		f := assessments.LogFilter{After: want[len(want)-1], Limit: 3}.Normalize()
		var seen []int64
		for range 10 {
			p, err := logs.LogPage(ctx, tenant, f)
			require.NoError(t, err)
			seen = append(ids(p), seen...)
			if p.Newer == 0 {
				break
			}
			f.After = p.Newer
		}
		assert.Equal(t, want[:len(want)-1], seen, "every newer delivery once, in time order")
	})
	t.Run("candidate", func(t *testing.T) {
		for _, subject := range []string{"3001", "1001"} {
			seen, _ := walk(t, logs, tenant, assessments.LogFilter{Subject: subject, Limit: 2})
			assert.Equal(t, want, seen, "subject %s", subject)
		}
	})
	t.Run("kind", func(t *testing.T) {
		var outbound []timedRow
		for _, r := range rows {
			if r.kind != "" {
				outbound = append(outbound, r)
			}
		}
		seen, _ := walk(t, logs, tenant, assessments.LogFilter{Kind: string(assessments.StepUpdateRow), Limit: 2})
		assert.Equal(t, byTime(outbound), seen)
	})
}

// TestLogDateRangeHoldsWhenIDsDoNotFollowTime: a date range selects by
// created_at alone, whatever the ids.
func TestLogDateRangeHoldsWhenIDsDoNotFollowTime(t *testing.T) {
	db := storetest.New(t).DB
	logs := storage.NewLogStore(db)
	tenant := newLogTenant(t, db, "1234")
	day := time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC)
	// Around both ends of the day, ids out of time order.
	rows := []timedRow{
		{id: 2_000_001, at: day.Add(-time.Second)},
		{id: 2_000_002, at: day.Add(2 * time.Second)},
		{id: 2_000_003, at: day.Add(-2 * time.Second)},
		{id: 2_000_004, at: day.Add(time.Second)},
		{id: 2_000_005, at: day.Add(-3 * time.Second)},
		{id: 2_000_006, at: day.Add(24*time.Hour + time.Second)},
		{id: 2_000_007, at: day.Add(24*time.Hour - time.Second)},
		{id: 2_000_008, at: day.Add(24*time.Hour + 2*time.Second)},
		{id: 2_000_009, at: day.Add(24*time.Hour - 2*time.Second)},
		{id: 2_000_010, at: day},
	}
	insertWithIDs(t, db, tenant, rows...)
	var inDay, fromDay, toDay []timedRow
	for _, r := range rows {
		if !r.at.Before(day) {
			fromDay = append(fromDay, r)
		}
		if r.at.Before(day.Add(24 * time.Hour)) {
			toDay = append(toDay, r)
		}
		if !r.at.Before(day) && r.at.Before(day.Add(24*time.Hour)) {
			inDay = append(inDay, r)
		}
	}
	cases := []struct {
		name     string
		from, to time.Time
		want     []timedRow
	}{
		{"the day", day, day.Add(24 * time.Hour), inDay},
		{"from the day", day, time.Time{}, fromDay},
		{"to the day's end", time.Time{}, day.Add(24 * time.Hour), toDay},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, limit := range []int{2, 100} {
				seen, _ := walk(t, logs, tenant, assessments.LogFilter{From: c.from, To: c.to, Limit: limit})
				assert.Equal(t, byTime(c.want), seen, "limit %d", limit)
			}
		})
	}
}

// TestLogRefreshShowsRowsThatCommitLate: the live list re-reads its page
// on every refresh rather than asking for ids above the newest it showed,
// so a delivery that commits after a refresh with a smaller id (taken
// from the sequence earlier, on another instance) still appears, at its
// place in time; and one that belongs further down shows on the older
// page, which the walk reaches once.
func TestLogRefreshShowsRowsThatCommitLate(t *testing.T) {
	db := storetest.New(t).DB
	logs := storage.NewLogStore(db)
	tenant := newLogTenant(t, db, "1234")
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return base.Add(time.Duration(s) * time.Second) }
	ctx := context.Background()
	first := assessments.LogFilter{Limit: 4}.Normalize()

	rows := []timedRow{{id: 3_000_010, at: at(10)}, {id: 3_000_020, at: at(20)}, {id: 3_000_030, at: at(30)},
		{id: 3_000_040, at: at(40)}, {id: 3_000_050, at: at(50)}, {id: 3_000_060, at: at(60)}}
	insertWithIDs(t, db, tenant, rows...)
	p, err := logs.LogPage(ctx, tenant, first)
	require.NoError(t, err)
	require.Equal(t, []int64{3_000_060, 3_000_050, 3_000_040, 3_000_030}, ids(p))

	// Committed after that refresh, with ids below every id it showed.
	late := []timedRow{{id: 3_000_001, at: at(55)}, {id: 3_000_002, at: at(61)}, {id: 3_000_003, at: at(15)}}
	insertWithIDs(t, db, tenant, late...)
	rows = append(rows, late...)
	p, err = logs.LogPage(ctx, tenant, first)
	require.NoError(t, err)
	assert.Equal(t, byTime(rows)[:4], ids(p), "the next refresh shows the late rows where their time puts them")
	assert.Equal(t, []int64{3_000_002, 3_000_060, 3_000_001, 3_000_050}, ids(p))

	seen, _ := walk(t, logs, tenant, first)
	assert.Equal(t, byTime(rows), seen, "and the walk through older pages meets every row once")
}

// TestLogCandidateListsADeliveryOnce: a delivery whose workflow id and
// person id are both the subject searched for shows once.
func TestLogCandidateListsADeliveryOnce(t *testing.T) {
	db := storetest.New(t).DB
	logs := storage.NewLogStore(db)
	tenant := newLogTenant(t, db, "1234")
	inserted := insertDeliveries(t, db, []logRow{
		{tenant: tenant, direction: "inbound", kind: assessments.EventStatusChange, status: "processed", workflow: "77", person: "77",
			at: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)},
		{tenant: tenant, direction: "inbound", kind: assessments.EventStatusChange, status: "processed", workflow: "78", person: "77",
			at: time.Date(2026, 5, 1, 11, 0, 0, 0, time.UTC)},
	})
	p, err := logs.LogPage(context.Background(), tenant, assessments.LogFilter{Subject: "77"}.Normalize())
	require.NoError(t, err)
	assert.Equal(t, inserted, ids(p), "each once, newest first")
}
