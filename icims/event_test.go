package icims

import (
	"bytes"
	"compress/gzip"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/events/" + name)
	require.NoError(t, err)
	return b
}

func eventRequest(body []byte, headers map[string]string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "http://jobcannon.test/icims/events", bytes.NewReader(body))
	for k, v := range headers {
		r.Header.Set(k, v)
	}
	return r
}

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, err := w.Write(b)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Bytes()
}

func TestParseEventGzipWithLinkHeader(t *testing.T) {
	plain := fixture(t, "workflow_status_change.json")
	r := eventRequest(fixture(t, "workflow_status_change.json.gz"), map[string]string{
		"Content-Type":     "application/json; charset=utf-8",
		"Content-Encoding": "gzip",
		"Link":             string(fixture(t, "workflow_status_change.link")),
	})

	ev, raw, err := ParseEvent(r, 1<<16)
	require.NoError(t, err)

	assert.Equal(t, plain, raw)
	assert.Equal(t, plain, ev.Raw)
	assert.Equal(t, WorkFlowStatusChangeEvent, ev.EventType)
	assert.Equal(t, "1234", ev.CustomerID)
	assert.Equal(t, "5501", ev.SystemID)
	assert.Equal(t, "2201", ev.JobID)
	assert.Equal(t, "1930", ev.PersonID)
	assert.Equal(t, "7", ev.UserID)
	assert.Equal(t, "C12345", ev.OldStatus)
	assert.Equal(t, "C12346", ev.NewStatus)
	require.Len(t, ev.Links, 3)
	assert.Equal(t, Link{Rel: RelJob, Title: `Sales, "Senior" Manager`,
		URL: "http://127.0.0.1:8080/sandbox/icims/api/customers/1234/jobs/2201"}, ev.Links[1])
	aw, ok := ev.Link(RelApplicantWorkflow)
	require.True(t, ok)
	assert.Equal(t, "http://127.0.0.1:8080/sandbox/icims/api/customers/1234/applicantworkflows/5501", aw.URL)
}

func TestParseEventBodyLinksWinAndNumericIDs(t *testing.T) {
	r := eventRequest(fixture(t, "assessment_event.json.gz"), map[string]string{
		"Content-Type":     "application/json",
		"Content-Encoding": "gzip",
		"Link":             `<https://elsewhere.test/x>; rel="job"`,
	})
	ev, _, err := ParseEvent(r, 1<<16)
	require.NoError(t, err)
	assert.Equal(t, AssessmentEvent, ev.EventType)
	assert.Equal(t, "1234", ev.CustomerID)
	assert.Equal(t, "5502", ev.SystemID)
	assert.Equal(t, "1931", ev.UserID)
	assert.Equal(t, "https://careers-acme.icims.com/jobs/2201/apply/complete?x=1", ev.ReturnURL)
	require.Len(t, ev.Links, 2, "links in the body are not merged with the header's")
	assert.Equal(t, RelPerson, ev.Links[1].Rel)
}

// TestParseEventBadLinkHeaderIsOnlyAWarning: the header repeats the links,
// so one that cannot be read must not cost an event that has links.
func TestParseEventBadLinkHeaderIsOnlyAWarning(t *testing.T) {
	const good = `https://api.icims.com/customers/1234/people/7;rel="user";title="Posting User",`
	wfsc := `{"eventType":"WorkFlowStatusChangeEvent","customerId":"1234","systemId":"1","jobId":"2","personId":"3","newStatus":"C1"}`
	tests := []struct {
		name  string
		body  []byte
		link  string
		links int
	}{
		{"links in the body", fixture(t, "assessment_event.json"), `<https://elsewhere.test/x; rel="job"`, 2},
		{"a readable link left in the header", []byte(wfsc), `jobs/1;rel="job",` + good, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := eventRequest(tt.body, map[string]string{"Content-Type": "application/json", "Link": tt.link})
			ev, _, err := ParseEvent(r, 1<<16)
			require.NoError(t, err)
			assert.Len(t, ev.Links, tt.links)
			var ee *EventError
			require.True(t, errors.As(ev.LinkHeaderErr, &ee), "the problem is kept for the log: %v", ev.LinkHeaderErr)
			assert.Equal(t, ReasonBadLinkHeader, ee.Reason)
		})
	}
	r := eventRequest([]byte(wfsc), map[string]string{"Content-Type": "application/json", "Link": good})
	ev, _, err := ParseEvent(r, 1<<16)
	require.NoError(t, err)
	assert.NoError(t, ev.LinkHeaderErr)
	assert.Equal(t, []Link{{Rel: RelUser, Title: "Posting User", URL: "https://api.icims.com/customers/1234/people/7"}}, ev.Links)
}

func TestParseEventPlain(t *testing.T) {
	r := eventRequest(fixture(t, "assessment_event.json"), map[string]string{"Content-Type": "application/json"})
	ev, _, err := ParseEvent(r, 1<<16)
	require.NoError(t, err)
	assert.Equal(t, "5502", ev.SystemID)
}

func TestParseEventOtherTypesNeedOnlyCustomer(t *testing.T) {
	r := eventRequest([]byte(`{"eventType":"JobPostToWebEvent","customerId":"1234"}`), map[string]string{"Content-Type": "application/json"})
	ev, _, err := ParseEvent(r, 1<<16)
	require.NoError(t, err)
	assert.Equal(t, "JobPostToWebEvent", ev.EventType)
}

func TestParseEventRefusals(t *testing.T) {
	const limit = 1024
	wfsc := `{"eventType":"WorkFlowStatusChangeEvent","customerId":"1","systemId":"2","jobId":"3","personId":"4","newStatus":"C1"}`
	json := map[string]string{"Content-Type": "application/json"}
	bomb := gz(t, bytes.Repeat([]byte(" "), 10*limit)) // tiny when compressed
	require.Less(t, len(bomb), limit)

	tests := []struct {
		name    string
		body    []byte
		headers map[string]string
		reason  string
	}{
		{"no content type", []byte(wfsc), nil, ReasonUnsupportedMediaType},
		{"form content type", []byte(wfsc), map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, ReasonUnsupportedMediaType},
		{"text", []byte(wfsc), map[string]string{"Content-Type": "text/plain"}, ReasonUnsupportedMediaType},
		{"brotli", []byte(wfsc), map[string]string{"Content-Type": "application/json", "Content-Encoding": "br"}, ReasonUnsupportedEncoding},
		{"wire too large", bytes.Repeat([]byte(" "), limit+1), json, ReasonBodyTooLarge},
		{"gzip bomb", bomb, map[string]string{"Content-Type": "application/json", "Content-Encoding": "gzip"}, ReasonBodyTooLarge},
		{"not gzip", []byte(wfsc), map[string]string{"Content-Type": "application/json", "Content-Encoding": "gzip"}, ReasonBadGzip},
		{"truncated gzip", gz(t, []byte(wfsc))[:20], map[string]string{"Content-Type": "application/json", "Content-Encoding": "gzip"}, ReasonBadGzip},
		{"empty", nil, json, ReasonBadJSON},
		{"not json", []byte(`eventType=x`), json, ReasonBadJSON},
		{"object id", []byte(`{"eventType":"X","customerId":{"a":1}}`), json, ReasonBadJSON},
		{"javascript return url", []byte(`{"eventType":"AssessmentEvent","customerId":"1","systemId":"2","userId":"3","returnUrl":"javascript:alert(1)"}`), json, ReasonInvalidField},
		{"relative return url", []byte(`{"eventType":"AssessmentEvent","customerId":"1","systemId":"2","userId":"3","returnUrl":"/done"}`), json, ReasonInvalidField},
		{"sql in an id", []byte(`{"eventType":"AssessmentEvent","customerId":"1","systemId":"2 OR 1=1","userId":"3","returnUrl":"https://x.example/"}`), json, ReasonInvalidField},
		{"path in an id", []byte(`{"eventType":"AssessmentEvent","customerId":"1","systemId":"../5678/3","userId":"3","returnUrl":"https://x.example/"}`), json, ReasonInvalidField},
		{"bad link header", []byte(strings.Replace(wfsc, `}`, `,"links":[]}`, 1)), map[string]string{"Content-Type": "application/json", "Link": `<http://x; rel=job`}, ReasonBadLinkHeader},
		{"link header without a url", []byte(wfsc), map[string]string{"Content-Type": "application/json", "Link": `jobs/1;rel="job"`}, ReasonBadLinkHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseEvent(eventRequest(tt.body, tt.headers), limit)
			var ee *EventError
			require.True(t, errors.As(err, &ee), "want *EventError, got %v", err)
			assert.Equal(t, tt.reason, ee.Reason)
		})
	}
}

func TestParseEventMissingFields(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		field string
	}{
		{"no event type", `{"customerId":"1"}`, "eventType"},
		{"other type without customer", `{"eventType":"JobPostToWebEvent"}`, "customerId"},
		{"status change without system id", `{"eventType":"WorkFlowStatusChangeEvent","customerId":"1","jobId":"3","personId":"4","newStatus":"C1"}`, "systemId"},
		{"status change with null person", `{"eventType":"WorkFlowStatusChangeEvent","customerId":"1","systemId":"2","jobId":"3","personId":null,"newStatus":"C1"}`, "personId"},
		{"status change without new status", `{"eventType":"WorkFlowStatusChangeEvent","customerId":"1","systemId":"2","jobId":"3","personId":"4"}`, "newStatus"},
		{"assessment without return url", `{"eventType":"AssessmentEvent","customerId":"1","systemId":"2","userId":"3"}`, "returnUrl"},
		{"assessment with blank user", `{"eventType":"AssessmentEvent","customerId":"1","systemId":"2","userId":"  ","returnUrl":"https://x.test/"}`, "userId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseEvent(eventRequest([]byte(tt.body), map[string]string{"Content-Type": "application/json"}), 1<<16)
			var mf *MissingFieldError
			require.True(t, errors.As(err, &mf), "want *MissingFieldError, got %v", err)
			assert.Equal(t, tt.field, mf.Field)
			assert.Contains(t, mf.Error(), tt.field)
		})
	}
}
