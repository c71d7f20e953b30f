package icimsadapter_test

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/icimsadapter"
	"github.com/jobcannon/jobcannon/storage"
)

// jobReads counts the reads of one job the simulator answered.
func jobReads(sim *icimstest.Server, cid string, jobID int) int {
	n := 0
	for _, c := range sim.Calls(cid) {
		if c.Method == "GET" && strings.HasSuffix(c.Path, "/jobs/"+strconv.Itoa(jobID)) {
			n++
		}
	}
	return n
}

// TestFactsReadAJobOncePerNeed: events for one job cost one read of it
// while the cache holds every field the rules ask for; a dry run (read
// only) leaves the cache as it was, and a rule that asks for a new field
// reads the job again.
func TestFactsReadAJobOncePerNeed(t *testing.T) {
	type read struct {
		opts assessments.FactOptions
		// together is how many of these reads run at once.
		together int
	}
	usual := assessments.FactOptions{}
	dryRun := assessments.FactOptions{ReadOnly: true}
	location := assessments.FactOptions{JobFields: []string{"joblocation"}}
	tests := []struct {
		name  string
		reads []read
		calls int
	}{
		{name: "a second event is answered from the cache", reads: []read{{usual, 1}, {usual, 1}}, calls: 1},
		{name: "events at the same time share one read", reads: []read{{usual, 8}}, calls: 1},
		{name: "a dry run does not fill the cache", reads: []read{{dryRun, 1}, {usual, 1}, {usual, 1}}, calls: 2},
		{name: "a new field reads the job again, once", reads: []read{{usual, 1}, {location, 1}, {location, 1}, {usual, 1}}, calls: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			clock := clocktest.New(paceStart)
			f := newPoolFixture(t, clock)
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			facts := icimsadapter.NewFacts(f.pool, storage.NewJobCache(f.db, clock), clock, log)
			ev := assessments.InboundEvent{Type: assessments.EventStatusChange, CustomerID: icimstest.CustomerUS,
				JobID: strconv.Itoa(icimstest.USJob1), WorkflowID: strconv.Itoa(icimstest.USWorkflow1),
				PersonID: strconv.Itoa(icimstest.USPerson1), NewStatus: icimstest.StatusAssessment}
			for _, r := range tt.reads {
				var wg sync.WaitGroup
				jobs := make([]assessments.JobFacts, r.together)
				errs := make([]error, r.together)
				for i := range r.together {
					wg.Add(1)
					go func() {
						defer wg.Done()
						jobs[i], errs[i] = facts.For(f.us, ev, r.opts).Job(ctx)
					}()
				}
				wg.Wait()
				for i := range r.together {
					require.NoError(t, errs[i])
					assert.Equal(t, "Account Executive", jobs[i].Title)
				}
			}
			assert.Equal(t, tt.calls, jobReads(f.sim, icimstest.CustomerUS, icimstest.USJob1))
		})
	}
}
