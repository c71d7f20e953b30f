package bench

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/handlers"
	"github.com/jobcannon/jobcannon/icims"
)

// loadResult is what a run of the load generator measured.
type loadResult struct {
	Requests int
	Errors   int // transport errors and non-2xx answers
	Elapsed  time.Duration
	// Latencies of the 2xx answers, sorted.
	Latencies []time.Duration
}

// PerSecond is the rate of 2xx answers.
func (r loadResult) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(len(r.Latencies)) / r.Elapsed.Seconds()
}

// percentile returns the p-th (0–1) of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

// loadEvents posts bodies to url from a fixed number of workers for d
// (gzip, Basic auth: body i with auths[i%len(auths)], its customer's) and
// measures each answer. Each body goes once, and
// the run stops early when they run out, unless wrap is set (for a
// handler that keeps nothing, to which a body sent twice is no different).
func loadEvents(ctx context.Context, url string, auths []string, bodies [][]byte, workers int, d time.Duration, wrap bool) loadResult {
	tr := &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var next atomic.Int64
	var mu sync.Mutex
	var res loadResult
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var lat []time.Duration
			var errs, reqs int
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if wrap {
					i %= int64(len(bodies))
				} else if int(i) >= len(bodies) {
					break
				}
				req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(bodies[i]))
				if err != nil {
					break
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Content-Encoding", "gzip")
				req.Header.Set("Authorization", auths[int(i)%len(auths)])
				t0 := time.Now()
				resp, err := client.Do(req)
				if ctx.Err() != nil {
					break // cut off by the end of the run: not counted
				}
				reqs++
				if err != nil {
					errs++
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode/100 != 2 {
					errs++
					continue
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			res.Latencies = append(res.Latencies, lat...)
			res.Errors += errs
			res.Requests += reqs
			mu.Unlock()
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	slices.Sort(res.Latencies)
	return res
}

// eventBodies makes n distinct gzip status-change events for customer
// cid: each moves an application of its own into status, so neither the
// redelivery check nor the duplicate check short-circuits the intake.
func eventBodies(cid, apiURL, status string, first, n int) ([][]byte, error) {
	out := make([][]byte, n)
	base := apiURL + "/customers/" + cid + "/"
	for i := range n {
		wid, pid := strconv.Itoa(first+i), strconv.Itoa(first+500000+i)
		ev := icims.Event{EventType: icims.WorkFlowStatusChangeEvent, CustomerID: cid, SystemID: wid, JobID: "2001", PersonID: pid,
			UserID: "900", OldStatus: "C51002", NewStatus: status, Links: []icims.Link{
				{Rel: icims.RelApplicantWorkflow, Title: "Applicant Workflow", URL: base + "applicantworkflows/" + wid},
				{Rel: icims.RelJob, Title: "Job Profile", URL: base + "jobs/2001"},
				{Rel: icims.RelPerson, Title: "Person Profile", URL: base + "people/" + pid},
				{Rel: icims.RelUser, Title: "Posting User", URL: base + "people/900"},
			}}
		raw, err := json.Marshal(ev)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = zw.Write(raw)
		if err := zw.Close(); err != nil {
			return nil, err
		}
		out[i] = buf.Bytes()
	}
	return out, nil
}

// bareServer serves POST /icims/events with an Echo handler that only
// reads, inflates and parses the event with the intake's own parser and
// answers 200: the baseline durable intake is compared with.
type bareServer struct {
	URL string
	srv *http.Server
}

func startBareServer() (*bareServer, error) {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.POST("/icims/events", func(c echo.Context) error {
		ev, _, err := icims.ParseEvent(c.Request(), handlers.MaxEventBytes)
		if err != nil {
			return c.JSON(http.StatusBadRequest, map[string]string{"error": err.Error()})
		}
		return c.JSON(http.StatusOK, map[string]string{"message": "Received.", "debug": ev.SystemID})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &bareServer{URL: "http://" + ln.Addr().String(), srv: &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = b.srv.Serve(ln) }()
	return b, nil
}

func (b *bareServer) close() { _ = b.srv.Close() }

// formatLoad is one table cell: events/s and the latency percentiles.
func formatLoad(r loadResult) string {
	return fmt.Sprintf("%.0f/s, p50 %s, p99 %s (%d answers, %d errors)", r.PerSecond(),
		fmtDur(percentile(r.Latencies, 0.50)), fmtDur(percentile(r.Latencies, 0.99)), len(r.Latencies), r.Errors)
}

func fmtDur(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= 10*time.Millisecond:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}
