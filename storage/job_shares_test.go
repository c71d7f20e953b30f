package storage

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestJobSharesPriorityFollowsACustomersRecentJobs: a customer's jobs
// sink a band at 20, 200 and 2,000 recent jobs; another customer, or the
// same customer on another queue, is not touched; and once the burst is
// some minutes past, the customer's next job is back at priority 1.
func TestJobSharesPriorityFollowsACustomersRecentJobs(t *testing.T) {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	var s jobShares
	got := map[int]int{}
	for range 2500 {
		got[s.next(1, "email", 1, now)]++
	}
	assert.Equal(t, map[int]int{1: 20, 2: 180, 3: 1800, 4: 500}, got, "jobs per priority in a burst of 2,500")

	assert.Equal(t, 1, s.next(2, "email", 1, now), "another customer")
	assert.Equal(t, 1, s.next(1, "default", 1, now), "another queue")
	assert.Equal(t, 3, s.next(1, "email", 1, now.Add(time.Minute)), "a minute on, half the burst (1,250) still counts")
	assert.Equal(t, 1, s.next(1, "email", 1, now.Add(15*time.Minute)), "some minutes after the burst")
	assert.Equal(t, 1, s.next(1, "email", 1, now.Add(14*time.Minute)), "a clock that steps back changes nothing")
}
