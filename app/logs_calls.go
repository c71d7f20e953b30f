package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/jobs"
	"github.com/jobcannon/jobcannon/queue"
)

// Bounds of the call log's buffer.
const (
	callLogFlushEvery = 250 * time.Millisecond
	callLogBatch      = 200
	callLogMax        = 20_000
)

// callLog logs the reads JobCannon makes from iCIMS (writes log their own
// deliveries) in batches, off the caller's path: a read in event
// processing must not wait for a commit on the single writer connection.
// A read not yet flushed when the process dies is lost from the logs;
// nothing depends on it but the logs page and the day's call count.
type callLog struct {
	store assessments.CallStore
	clock assessments.Clock
	log   *slog.Logger

	mu      sync.Mutex
	buf     []assessments.OutboundCall
	dropped int
	wake    chan struct{}
	done    chan struct{}
	stopped chan struct{}
	once    sync.Once
}

func newCallLog(store assessments.CallStore, clock assessments.Clock, log *slog.Logger) *callLog {
	l := &callLog{store: store, clock: clock, log: log, wake: make(chan struct{}, 1), done: make(chan struct{}),
		stopped: make(chan struct{})}
	go l.run()
	return l
}

// observe is icimsadapter.PoolConfig.Observe: it hands every call to the
// write-back's recorder, and logs the reads that background work makes
// (processing events, e-mails, write-backs): those are the ones nobody
// watches. Reads made while an admin waits (a dry run, the scorecard
// check, the connection test) show their outcome on the admin's own page
// and are not logged, so a dry run leaves no trace.
func (l *callLog) observe(ctx context.Context, tenantID int64, c icims.Call) {
	jobs.ObserveCall(ctx, tenantID, c)
	if c.Method != http.MethodGet {
		return
	}
	if !queue.InJob(ctx) {
		return
	}
	call := outboundCall(tenantID, c, l.clock.Now())
	l.mu.Lock()
	if len(l.buf) >= callLogMax {
		l.dropped++
	} else {
		l.buf = append(l.buf, call)
	}
	full := len(l.buf) >= callLogBatch
	l.mu.Unlock()
	if full {
		select {
		case l.wake <- struct{}{}:
		default:
		}
	}
}

func (l *callLog) run() {
	defer close(l.stopped)
	tick := time.NewTicker(callLogFlushEvery)
	defer tick.Stop()
	for {
		select {
		case <-l.done:
			l.flush()
			return
		case <-tick.C:
		case <-l.wake:
		}
		l.flush()
	}
}

func (l *callLog) flush() {
	l.mu.Lock()
	batch, dropped := l.buf, l.dropped
	l.buf, l.dropped = nil, 0
	l.mu.Unlock()
	if dropped > 0 {
		l.log.Warn("call log full: reads not logged", "dropped", dropped)
	}
	for len(batch) > 0 {
		n := min(len(batch), callLogBatch)
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		if err := l.store.RecordCalls(ctx, batch[:n]); err != nil {
			l.log.Error("log reads from iCIMS", "calls", n, "err", err)
		}
		cancel()
		batch = batch[n:]
	}
}

// close writes what is buffered and stops; call it before the database
// closes. It is safe to call twice.
func (l *callLog) close() {
	l.once.Do(func() { close(l.done) })
	<-l.stopped
}

// outboundCall turns an observed call into a logged one, with the ids its
// path names for the logs page's filters.
func outboundCall(tenantID int64, c icims.Call, now time.Time) assessments.OutboundCall {
	out := assessments.OutboundCall{TenantID: tenantID, Op: c.Op, ICIMSCode: c.Code, Message: c.Message,
		Attempt: assessments.DeliveryAttempt{N: 1, Method: c.Method, URL: c.URL, RequestBody: string(c.RequestBody),
			ResponseStatus: c.Status, ResponseBody: string(c.ResponseBody), LatencyMS: c.Latency.Milliseconds(), CreatedAt: now}}
	if c.Code == icims.CodeNone {
		out.ICIMSCode = assessments.NoICIMSCode
	}
	if c.Err != nil && c.Status == 0 {
		out.Attempt.Error, out.Message = c.Err.Error(), c.Err.Error()
	}
	if u, err := url.Parse(c.URL); err == nil {
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		for i := 0; i+1 < len(parts); i++ {
			switch parts[i] {
			case "people":
				out.PersonID = parts[i+1]
			case "jobs":
				out.JobID = parts[i+1]
			case "applicantworkflows":
				out.WorkflowID = parts[i+1]
			}
		}
	}
	return out
}
