package app

import (
	"net/http"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestEventsIntakeLatency measures POST /icims/events one event at a time
// (authenticated, recorded, answered) through the real service. It skips
// unless JOBCANNON_MEASURE_INTAKE is set:
// JOBCANNON_MEASURE_INTAKE=1 go test ./app/ -run TestEventsIntakeLatency -v
func TestEventsIntakeLatency(t *testing.T) {
	if os.Getenv("JOBCANNON_MEASURE_INTAKE") == "" {
		t.Skip("set JOBCANNON_MEASURE_INTAKE=1 to measure")
	}
	e := lightHostileEnv(t)
	auth := e.basicAuth(e.basic.Identifier, e.basic.Secret)
	var d []time.Duration
	for i := range 300 {
		body := []byte(`{"eventType":"JobPostToWebEvent","customerId":"1234","systemId":"` + strconv.Itoa(9000+i) + `"}`)
		start := time.Now()
		a := e.event(body, "application/json", "", auth)
		d = append(d, time.Since(start))
		require.Equal(t, http.StatusOK, a.Status, a.Body)
	}
	slices.Sort(d)
	t.Logf("intake of 300 events: p50 %v p90 %v p99 %v", d[150], d[270], d[296])
}
