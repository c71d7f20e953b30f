package icimstest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// vendorReq is one event the fake vendor received.
type vendorReq struct {
	header  http.Header
	wire    []byte
	payload map[string]any
	event   icims.Event
}

// fakeVendor is the vendor's event endpoint and token URL.
type fakeVendor struct {
	*httptest.Server
	mu         sync.Mutex
	events     []vendorReq
	tokenCalls int
	status     int
	location   string
}

const vendorToken = "vendor-token-1"

// newVendor starts a vendor that checks the event's auth with check and
// answers status (and location, if set).
func newVendor(t *testing.T, check func(r *http.Request, wire []byte) bool) *fakeVendor {
	v := &fakeVendor{status: http.StatusOK}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		v.mu.Lock()
		v.tokenCalls++
		v.mu.Unlock()
		if r.PostFormValue("grant_type") != "client_credentials" || r.PostFormValue("client_id") != "icims-cid" || r.PostFormValue("client_secret") != "icims-secret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"`+vendorToken+`","token_type":"Bearer","expires_in":86400}`)
	})
	mux.HandleFunc("POST /events", func(w http.ResponseWriter, r *http.Request) {
		wire, _ := io.ReadAll(r.Body)
		if !check(r, wire) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		req := vendorReq{header: r.Header.Clone(), wire: wire}
		if zr, err := gzip.NewReader(bytes.NewReader(wire)); err == nil {
			plain, _ := io.ReadAll(zr)
			_ = json.Unmarshal(plain, &req.payload)
		}
		ev, _, err := icims.DecodeEvent(r.Header, wire, 1<<20)
		if err == nil {
			req.event = ev
		}
		v.mu.Lock()
		v.events = append(v.events, req)
		status, location := v.status, v.location
		v.mu.Unlock()
		if location != "" {
			w.Header().Set("Location", location)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"ok":true}`)
	})
	v.Server = httptest.NewServer(mux)
	t.Cleanup(v.Close)
	return v
}

func (v *fakeVendor) answer(status int, location string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.status, v.location = status, location
}

func (v *fakeVendor) tokens() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.tokenCalls
}

func (v *fakeVendor) received() []vendorReq {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]vendorReq(nil), v.events...)
}

func TestMoveWorkflowEvent(t *testing.T) {
	clock := newClock()
	modes := []struct {
		mode     string
		settings func(v *fakeVendor) icimstest.VendorSettings
		check    func(r *http.Request, wire []byte) bool
	}{
		{icimstest.VendorAuthNone,
			func(v *fakeVendor) icimstest.VendorSettings {
				return icimstest.VendorSettings{EventURL: v.URL + "/events"}
			},
			func(r *http.Request, _ []byte) bool { return r.Header.Get("Authorization") == "" }},
		{icimstest.VendorAuthBasic,
			func(v *fakeVendor) icimstest.VendorSettings {
				return icimstest.VendorSettings{EventURL: v.URL + "/events", Auth: icimstest.VendorAuthBasic, User: "icims", Password: "pw-1"}
			},
			func(r *http.Request, _ []byte) bool {
				u, p, ok := r.BasicAuth()
				return ok && u == "icims" && p == "pw-1"
			}},
		{icimstest.VendorAuthHMAC,
			func(v *fakeVendor) icimstest.VendorSettings {
				return icimstest.VendorSettings{EventURL: v.URL + "/events", Auth: icimstest.VendorAuthHMAC, HMACUser: "icims-1234", HMACKey: "vendor-key"}
			},
			func(r *http.Request, wire []byte) bool {
				// Signed as the 2017 event iCIMS staff posted: +0000 date,
				// no spaces after commas, the hash of the gzip bytes sent.
				sum := sha256.Sum256(wire)
				got, err := icims.VerifyHMAC(r, wire, func(u string) ([]byte, bool) { return []byte("vendor-key"), u == "icims-1234" }, clock.Now())
				return err == nil && got.User == "icims-1234" && got.Layout == icims.HMACLayoutContract &&
					r.Header.Get("x-icims-date") == clock.Now().UTC().Format("2006-01-02T15:04:05-0700") &&
					r.Header.Get("x-icims-content-sha256") == hex.EncodeToString(sum[:]) &&
					strings.HasPrefix(r.Header.Get("Authorization"), "x-icims-v1-hmac-sha256 user=icims-1234,signedheaders=content-type;host;x-icims-content-sha256;x-icims-date,signature=")
			}},
		{icimstest.VendorAuthBearer,
			func(v *fakeVendor) icimstest.VendorSettings {
				return icimstest.VendorSettings{EventURL: v.URL + "/events", Auth: icimstest.VendorAuthBearer,
					ClientID: "icims-cid", ClientSecret: "icims-secret", TokenURL: v.URL + "/token"}
			},
			func(r *http.Request, _ []byte) bool { return r.Header.Get("Authorization") == "Bearer "+vendorToken }},
	}
	for _, m := range modes {
		t.Run(m.mode, func(t *testing.T) {
			srv := icimstest.Start(t, icimstest.Options{Clock: clock})
			v := newVendor(t, m.check)
			require.NoError(t, srv.SetVendor(us, m.settings(v)))

			res, err := srv.MoveWorkflow(context.Background(), us, icimstest.USWorkflow1, icimstest.StatusAssessment, 0)
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, res.StatusCode)
			assert.JSONEq(t, `{"ok":true}`, string(res.Body))
			st, err := srv.WorkflowStatus(us, icimstest.USWorkflow1)
			require.NoError(t, err)
			assert.Equal(t, icimstest.StatusAssessment, st)

			got := v.received()
			require.Len(t, got, 1)
			req := got[0]
			assert.Equal(t, "gzip", req.header.Get("Content-Encoding"))
			assert.Equal(t, "application/json", req.header.Get("Content-Type"))
			api := srv.URL + "/sandbox/icims/api/customers/1234/"
			assert.Equal(t, map[string]any{
				"eventType": "WorkFlowStatusChangeEvent", "customerId": "1234", "systemId": "3001",
				"jobId": "2001", "personId": "1001", "userId": "900",
				"oldStatus": icimstest.StatusNewSubmission, "newStatus": icimstest.StatusAssessment,
				"links": []any{
					map[string]any{"rel": "applicantWorkflow", "title": "Applicant Workflow", "url": api + "applicantworkflows/3001"},
					map[string]any{"rel": "job", "title": "Job Profile", "url": api + "jobs/2001"},
					map[string]any{"rel": "person", "title": "Person Profile", "url": api + "people/1001"},
					map[string]any{"rel": "user", "title": "Posting User", "url": api + "people/900"},
				},
			}, req.payload)
			link := req.header.Get("Link")
			assert.True(t, strings.HasPrefix(link, api+`applicantworkflows/3001;rel="applicantWorkflow";title="`) && strings.HasSuffix(link, `",`),
				"iCIMS's own Link form: %s", link)
			headerLinks, err := icims.ParseLinkHeader(req.header.Values("Link"))
			require.NoError(t, err)
			assert.Equal(t, req.event.Links, headerLinks, "the Link header repeats the links")
			assert.Equal(t, "3001", req.event.SystemID, "the client's parser reads it")

			evs := srv.Events(us)
			require.Len(t, evs, 1)
			assert.Equal(t, "WorkFlowStatusChangeEvent", evs[0].Type)
			assert.Equal(t, "POST", evs[0].Method)
			assert.Equal(t, "/events", evs[0].Path)
			assert.Equal(t, http.StatusOK, evs[0].Status)
			assert.Equal(t, m.mode, evs[0].Auth)
			assert.Equal(t, clock.Now(), evs[0].Time)

			_, err = srv.MoveWorkflow(context.Background(), us, icimstest.USWorkflow1, icimstest.StatusRecruiterReview, icimstest.USRecruiter)
			require.NoError(t, err)
			require.Len(t, v.received(), 2)
			assert.Equal(t, icimstest.StatusAssessment, v.received()[1].payload["oldStatus"])
			if m.mode == icimstest.VendorAuthBearer {
				assert.Equal(t, 1, v.tokens(), "the vendor token is cached")
			}
		})
	}
}

func TestEventAuthRefused(t *testing.T) {
	srv := icimstest.Start(t)
	v := newVendor(t, func(r *http.Request, _ []byte) bool { return false })
	require.NoError(t, srv.SetVendor(us, icimstest.VendorSettings{
		EventURL: v.URL + "/events", Auth: icimstest.VendorAuthBearer,
		ClientID: "icims-cid", ClientSecret: "wrong", TokenURL: v.URL + "/token",
	}))
	_, err := srv.MoveWorkflow(context.Background(), us, icimstest.USWorkflow2, icimstest.StatusAssessment, 0)
	require.Error(t, err)
	evs := srv.Events(us)
	require.Len(t, evs, 1)
	assert.Contains(t, evs[0].Error, "401")
	assert.Equal(t, 0, evs[0].Status)

	require.NoError(t, srv.SetVendor(us, icimstest.VendorSettings{EventURL: v.URL + "/events", Auth: icimstest.VendorAuthBasic, User: "u", Password: "p"}))
	res, err := srv.MoveWorkflow(context.Background(), us, icimstest.USWorkflow2, icimstest.StatusAssessment, 0)
	require.NoError(t, err, "a vendor's error status is an answer, not an error")
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
}

func TestVendorRedirectIsReturned(t *testing.T) {
	srv := icimstest.Start(t)
	v := newVendor(t, func(*http.Request, []byte) bool { return true })
	v.answer(http.StatusSeeOther, "https://vendor.example/confirm/abc")
	require.NoError(t, srv.SetVendor(us, icimstest.VendorSettings{EventURL: v.URL + "/events"}))
	res, err := srv.MoveWorkflow(context.Background(), us, icimstest.USWorkflow3, icimstest.StatusAssessment, 0)
	require.NoError(t, err)
	assert.Equal(t, http.StatusSeeOther, res.StatusCode)
	assert.Equal(t, "https://vendor.example/confirm/abc", res.Location)
	assert.Equal(t, "https://vendor.example/confirm/abc", srv.Events(us)[0].Location)
}

func TestCompleteApplication(t *testing.T) {
	srv := icimstest.Start(t)
	v := newVendor(t, func(*http.Request, []byte) bool { return true })
	v.answer(http.StatusSeeOther, "https://vendor.example/a/tok-1")
	require.NoError(t, srv.SetVendor(us, icimstest.VendorSettings{EventURL: v.URL + "/events"}))

	res, err := srv.CompleteApplication(context.Background(), us, icimstest.USWorkflow5)
	require.NoError(t, err)
	assert.Equal(t, http.StatusSeeOther, res.StatusCode)
	assert.Equal(t, "https://vendor.example/a/tok-1", res.Location)

	got := v.received()
	require.Len(t, got, 1)
	p := got[0].payload
	returnURL := srv.URL + "/sandbox/customers/1234/workflows/3005/application-complete"
	assert.Equal(t, "AssessmentEvent", p["eventType"])
	assert.Equal(t, "1234", p["customerId"])
	assert.Equal(t, "3005", p["systemId"])
	assert.Equal(t, "1005", p["userId"], "the candidate")
	assert.Equal(t, returnURL, p["returnUrl"])
	assert.NotContains(t, p, "jobId")
	assert.NotContains(t, p, "oldStatus")
	assert.Len(t, p["links"], 3)
	assert.Equal(t, returnURL, got[0].event.ReturnURL)

	r := do(t, srv, noAuth, "GET", returnURL, nil)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Contains(t, string(r.body), "Back in iCIMS: application complete")
	assert.Contains(t, string(r.body), "Emery")
}

func TestMoveWorkflowRefusals(t *testing.T) {
	srv := icimstest.Start(t)
	t.Run("no vendor still moves", func(t *testing.T) {
		_, err := srv.MoveWorkflow(context.Background(), us, icimstest.USWorkflow4, icimstest.StatusInterview, 0)
		var nv *icimstest.NoVendorError
		require.True(t, errors.As(err, &nv), "%v", err)
		assert.Equal(t, us, nv.CustomerID)
		st, _ := srv.WorkflowStatus(us, icimstest.USWorkflow4)
		assert.Equal(t, icimstest.StatusInterview, st)
	})
	cases := []struct {
		name   string
		cid    string
		wid    int
		status string
		user   int
	}{
		{"unknown status", us, icimstest.USWorkflow6, "C00000", 0},
		{"EU status on a US workflow", us, icimstest.USWorkflow6, icimstest.StatusAssessmentEU, 0},
		{"unknown workflow", us, 4444, icimstest.StatusAssessment, 0},
		{"EU workflow through US", us, icimstest.EUWorkflow1, icimstest.StatusAssessment, 0},
		{"unknown user", us, icimstest.USWorkflow6, icimstest.StatusAssessment, 4444},
		{"unknown customer", "0000", icimstest.USWorkflow6, icimstest.StatusAssessment, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := srv.MoveWorkflow(context.Background(), tc.cid, tc.wid, tc.status, tc.user)
			require.Error(t, err)
			var nv *icimstest.NoVendorError
			assert.False(t, errors.As(err, &nv))
			st, _ := srv.WorkflowStatus(us, icimstest.USWorkflow6)
			assert.Equal(t, icimstest.StatusNewSubmission, st)
		})
	}
	t.Run("complete unknown workflow", func(t *testing.T) {
		_, err := srv.CompleteApplication(context.Background(), us, 4444)
		assert.Error(t, err)
	})
}

func TestSetVendorValidation(t *testing.T) {
	srv := icimstest.Start(t)
	bad := map[string]icimstest.VendorSettings{
		"relative url":     {EventURL: "/events"},
		"unknown mode":     {EventURL: "https://v.example/e", Auth: "digest"},
		"basic no pass":    {EventURL: "https://v.example/e", Auth: icimstest.VendorAuthBasic, User: "u"},
		"hmac no key":      {EventURL: "https://v.example/e", Auth: icimstest.VendorAuthHMAC, HMACUser: "u"},
		"bearer no tokens": {EventURL: "https://v.example/e", Auth: icimstest.VendorAuthBearer, ClientID: "c", ClientSecret: "s"},
	}
	for name, v := range bad {
		t.Run(name, func(t *testing.T) {
			assert.Error(t, srv.SetVendor(us, v))
			assert.Equal(t, icimstest.VendorSettings{}, srv.Vendor(us))
		})
	}
	good := icimstest.VendorSettings{EventURL: "https://v.example/e", Auth: icimstest.VendorAuthBasic, User: "u", Password: "p"}
	require.NoError(t, srv.SetVendor(us, good))
	assert.Equal(t, good, srv.Vendor(us))
	assert.Equal(t, icimstest.VendorSettings{}, srv.Vendor(eu))
	assert.Error(t, srv.SetVendor("0000", good))
}
