package storage_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// BenchmarkLogPageMillion times the logs page's queries over 1,000,000
// deliveries of one tenant (and 10,000 of another), inserted in one
// transaction: 40% inbound events, 60% outbound calls, 3% failed, 60 days,
// 50,000 candidates. Run it with
//
//	go test ./sqlite -run '^$' -bench BenchmarkLogPageMillion -benchtime 200x
func BenchmarkLogPageMillion(b *testing.B) {
	const n = 1_000_000
	ctx := context.Background()
	db := storetest.New(b).DB
	a, other := newLogTenant(b, db, "1234"), newLogTenant(b, db, "5678")
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	step := 60 * 24 * time.Hour / n
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := []string{string(assessments.StepCreateRow), string(assessments.StepUpdateRow), string(assessments.StepScorecard),
		assessments.DeliveryKindEmail, assessments.DeliveryKindRead}
	began := time.Now()
	const batch = 100_000
	for off := 0; off < n; off += batch {
		rows := make([]logRow, 0, batch+batch/100)
		for i := off; i < off+batch; i++ {
			cand := rng.IntN(50_000)
			r := logRow{tenant: a, direction: "inbound", kind: assessments.EventStatusChange, status: "processed",
				workflow: fmt.Sprint(300_000 + cand), person: fmt.Sprint(100_000 + cand), at: start.Add(time.Duration(i) * step)}
			if rng.IntN(10) >= 4 {
				r.direction, r.kind = "outbound", kinds[rng.IntN(len(kinds))]
			}
			if rng.IntN(100) < 3 {
				r.status = "failed"
			}
			rows = append(rows, r)
			if i%100 == 0 {
				rows = append(rows, logRow{tenant: other, direction: "inbound", kind: assessments.EventStatusChange,
					status: "processed", workflow: "1", person: "1", at: r.at})
			}
		}
		insertDeliveries(b, db, rows)
	}
	b.Logf("inserted %d deliveries in %s", n, time.Since(began).Round(time.Second))
	logs := storage.NewLogStore(db)

	var deep int64
	require.NoError(b, db.R.QueryRow(`SELECT id FROM deliveries WHERE tenant_id = ? ORDER BY id LIMIT 1 OFFSET 100000`, a).Scan(&deep))
	var someone string
	require.NoError(b, db.R.QueryRow(`SELECT person_id FROM deliveries WHERE tenant_id = ? ORDER BY id DESC LIMIT 1 OFFSET 5000`, a).Scan(&someone))
	cases := []struct {
		name string
		f    assessments.LogFilter
	}{
		{"first page", assessments.LogFilter{}},
		{"failed", assessments.LogFilter{Result: assessments.LogFailed}},
		{"failed inbound", assessments.LogFilter{Result: assessments.LogFailed, Direction: assessments.DirectionInbound}},
		{"kind", assessments.LogFilter{Kind: string(assessments.StepScorecard)}},
		{"candidate", assessments.LogFilter{Subject: someone}},
		{"date range", assessments.LogFilter{From: start.AddDate(0, 0, 10), To: start.AddDate(0, 0, 17)}},
		{"deep page via keyset", assessments.LogFilter{Before: deep}},
		{"deep page failed", assessments.LogFilter{Before: deep, Result: assessments.LogFailed}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			f := c.f.Normalize()
			for b.Loop() {
				p, err := logs.LogPage(ctx, a, f)
				if err != nil || len(p.Entries) == 0 {
					b.Fatalf("page: %d entries, %v", len(p.Entries), err)
				}
			}
		})
	}
	b.Run("chart", func(b *testing.B) {
		for b.Loop() {
			if _, err := logs.DayCounts(ctx, a, start.AddDate(0, 0, 46)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("calls today", func(b *testing.B) {
		for b.Loop() {
			if _, err := logs.CallsSince(ctx, a, start.AddDate(0, 0, 59)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
