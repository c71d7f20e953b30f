package icims

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"testing"
)

// fuzzMaxBytes is small so that the fuzzer reaches the size limits.
const fuzzMaxBytes = 4096

// FuzzDecodeEvent feeds DecodeEvent arbitrary bodies and headers, as any
// caller of POST /icims/events can. Whatever it accepts must be an event the
// intake can act on; whatever it refuses must be refused with one of the
// typed errors the handler turns into iCIMS's error shape.
func FuzzDecodeEvent(f *testing.F) {
	for _, name := range []string{"workflow_status_change.json", "assessment_event.json"} {
		body, err := os.ReadFile("testdata/events/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add("application/json", "", "", body)
		f.Add("application/json; charset=utf-8", "gzip", "", gzipBytes(body))
	}
	link, err := os.ReadFile("testdata/events/workflow_status_change.link")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("application/vnd.icims+json", "identity", string(link),
		[]byte(`{"eventType":"WorkFlowStatusChangeEvent","customerId":1234,"systemId":3001,"jobId":"2001","personId":1001,"newStatus":"C51003"}`))
	f.Add("text/plain", "br", "", []byte(`{}`))
	f.Add("application/json", "gzip, gzip", "", []byte{0x1f, 0x8b})

	f.Fuzz(func(t *testing.T, contentType, encoding, linkHeader string, wire []byte) {
		h := http.Header{}
		h.Set("Content-Type", contentType)
		if encoding != "" {
			h.Set("Content-Encoding", encoding)
		}
		if linkHeader != "" {
			h.Set("Link", linkHeader)
		}
		ev, body, err := DecodeEvent(h, wire, fuzzMaxBytes)
		if err != nil {
			var ee *EventError
			var mf *MissingFieldError
			if !errors.As(err, &ee) && !errors.As(err, &mf) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		if len(body) > fuzzMaxBytes {
			t.Fatalf("accepted %d bytes, over the limit of %d", len(body), fuzzMaxBytes)
		}
		if !bytes.Equal(ev.Raw, body) {
			t.Fatal("Raw is not the decoded body")
		}
		if ev.EventType == "" || ev.CustomerID == "" {
			t.Fatalf("accepted an event without a type or customer: %+v", ev)
		}
		for _, field := range requiredEventFields[ev.EventType] {
			if v := eventField(ev, field); v == "" {
				t.Fatalf("accepted a %s without %s", ev.EventType, field)
			}
		}
		if ev.ReturnURL != "" {
			u, err := url.Parse(ev.ReturnURL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				t.Fatalf("accepted returnUrl %q, which is not an absolute http(s) URL", ev.ReturnURL)
			}
		}
		// What was accepted survives a round trip through the JSON the
		// project stores and logs.
		again, _, err := DecodeEvent(http.Header{"Content-Type": {"application/json"}}, mustJSON(t, ev), fuzzMaxBytes*4)
		if err != nil {
			t.Fatalf("re-encoded event refused: %v", err)
		}
		again.Raw, ev.Raw = nil, nil
		if len(again.Links) == 0 {
			again.Links = nil
		}
		if len(ev.Links) == 0 {
			ev.Links = nil
		}
		if !eventsEqual(ev, again) {
			t.Fatalf("round trip changed the event:\n%+v\n%+v", ev, again)
		}
	})
}

// FuzzReadWireBody checks the one bound every event body passes first.
func FuzzReadWireBody(f *testing.F) {
	f.Add([]byte(`{"eventType":"x"}`), int64(16))
	f.Add([]byte{}, int64(0))
	f.Add(bytes.Repeat([]byte("a"), 100), int64(99))
	f.Fuzz(func(t *testing.T, body []byte, limit int64) {
		if limit < 0 || limit > 1<<16 {
			t.Skip()
		}
		r, err := http.NewRequest(http.MethodPost, "http://jobcannon.test/icims/events", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		got, err := ReadWireBody(r, limit)
		switch {
		case int64(len(body)) > limit:
			var ee *EventError
			if !errors.As(err, &ee) || ee.Reason != ReasonBodyTooLarge {
				t.Fatalf("%d bytes over a limit of %d: got %v", len(body), limit, err)
			}
		case err != nil:
			t.Fatalf("%d bytes within a limit of %d refused: %v", len(body), limit, err)
		case !bytes.Equal(got, body):
			t.Fatal("the body read is not the body sent")
		}
	})
}

func eventField(ev Event, name string) string {
	return map[string]string{"customerId": ev.CustomerID, "systemId": ev.SystemID, "jobId": ev.JobID,
		"personId": ev.PersonID, "userId": ev.UserID, "newStatus": ev.NewStatus, "returnUrl": ev.ReturnURL}[name]
}

func eventsEqual(a, b Event) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}
