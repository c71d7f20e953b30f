package jobs

import (
	"context"
	"errors"
	"sync"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
)

// callRecorder collects the HTTP tries of one write, for its delivery's
// attempts.
type callRecorder struct {
	mu    sync.Mutex
	calls []icims.Call
}

type recorderKey struct{}

// recordCalls returns a context under which every iCIMS call is collected
// by the returned recorder (through ObserveCall).
func recordCalls(ctx context.Context) (context.Context, *callRecorder) {
	r := &callRecorder{}
	return context.WithValue(ctx, recorderKey{}, r), r
}

// ObserveCall is icimsadapter.PoolConfig.Observe: it hands each call to the
// recorder of the write that made it, if any. Calls are told to the
// observer without the Authorization header, so nothing recorded holds a
// credential.
func ObserveCall(ctx context.Context, _ int64, c icims.Call) {
	if r, ok := ctx.Value(recorderKey{}).(*callRecorder); ok {
		r.mu.Lock()
		r.calls = append(r.calls, c)
		r.mu.Unlock()
	}
}

// attempts turns the collected calls into delivery attempts.
func (r *callRecorder) attempts(clock assessments.Clock) []assessments.DeliveryAttempt {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]assessments.DeliveryAttempt, 0, len(r.calls))
	for _, c := range r.calls {
		// The bodies carry the signed report link (assessmenturl), which
		// opens the report for whoever holds it: it is stored without its
		// token, as candidate tokens are kept only as hashes.
		a := assessments.DeliveryAttempt{Method: c.Method, URL: c.URL, RequestBody: assessments.RedactText(string(c.RequestBody)),
			ResponseStatus: c.Status, ResponseBody: assessments.RedactText(string(c.ResponseBody)), LatencyMS: c.Latency.Milliseconds(),
			CreatedAt: clock.Now()}
		var ie *icims.Error
		switch {
		case errors.As(c.Err, &ie) && ie.HTTPStatus == 0:
			a.Error = ie.Message
		case c.Err != nil && ie == nil:
			a.Error = c.Err.Error()
		}
		out = append(out, a)
	}
	return out
}
