package app

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// TestEmailLatencyEventToSMTP measures the time from a recruiter's move in
// the simulator to the invitation e-mail reaching the SMTP server, through
// the whole service: MoveWorkflow → POST /icims/events → process_event job
// (which reads the candidate from iCIMS, paced under the tenant's 500
// calls a minute) → send_invitation job → SMTP. It skips unless
// JOBCANNON_EMAIL_LATENCY gives the number of events;
// JOBCANNON_EMAIL_LATENCY_RATE (default 4) is how many events a second the
// recruiters make. The figures are printed, never asserted:
//
//	JOBCANNON_EMAIL_LATENCY=300 go test ./app -run TestEmailLatencyEventToSMTP -v -count=1
func TestEmailLatencyEventToSMTP(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("JOBCANNON_EMAIL_LATENCY"))
	if n <= 0 {
		t.Skip("set JOBCANNON_EMAIL_LATENCY to the number of events to measure")
	}
	rate, _ := strconv.ParseFloat(os.Getenv("JOBCANNON_EMAIL_LATENCY_RATE"), 64)
	if rate <= 0 {
		rate = 4
	}
	e := newEmailEnv(t, nil)
	workflows := make([]int, n)
	for i := range workflows {
		workflows[i] = e.newApplication("Lat"+strconv.Itoa(i), "Ency", fmt.Sprintf("lat%d@example.org", i))
	}

	e.app.sim.ClearLog(icimstest.CustomerUS)

	// Each event goes out on its tick, whether or not the last answer came.
	started := make([]time.Time, n)
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
	defer tick.Stop()
	begin := time.Now()
	for i := range n {
		<-tick.C
		started[i] = time.Now()
		wg.Go(func() {
			res, err := e.app.sim.MoveWorkflow(context.Background(), icimstest.CustomerUS, workflows[i], icimstest.StatusAssessment, 0)
			if err != nil || res.StatusCode != 200 {
				t.Errorf("event %d: %v %d %s", i, err, res.StatusCode, res.Body)
			}
		})
	}
	wg.Wait()
	got := e.smtp.Wait(n, 2*time.Minute)
	elapsed := time.Since(begin)
	require.Len(t, got, n, "every event's e-mail arrived")

	var lat []time.Duration
	for _, m := range got {
		var i int
		_, err := fmt.Sscanf(m.To[0], "lat%d@example.org", &i)
		require.NoError(t, err)
		lat = append(lat, m.At.Sub(started[i]))
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	// Calls to iCIMS (reading the candidate, writing the Sent row) share
	// the tenant's pacer: they, not the e-mail, bound the sustained rate.
	calls := float64(len(e.app.sim.Calls(icimstest.CustomerUS))) / float64(n)
	fmt.Printf("event → e-mail at the SMTP server, %d events at %.1f/s (%.1f s in all, %.1f iCIMS calls per event so far): "+
		"p50 %v, p90 %v, p99 %v, max %v\n", n, rate, elapsed.Seconds(), calls, pct(0.50).Round(time.Millisecond),
		pct(0.90).Round(time.Millisecond), pct(0.99).Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond))
}
