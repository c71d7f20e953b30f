package icims_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// Credentials the fake vendor gives iCIMS for its events.
const (
	vendorUser     = "icims-events"
	vendorPassword = "vendor-password"
	vendorHMACUser = "icims-hmac"
	vendorHMACKey  = "vendor-hmac-key"
	vendorClientID = "icims-client"
	vendorSecret   = "vendor-client-secret"
	vendorToken    = "vendor-issued-token"
	maxEventBytes  = 1 << 20
)

// delivery is one event the vendor accepted, with what it saw on the wire.
type delivery struct {
	creds      icims.InboundCredentials
	event      icims.Event
	headerLink []icims.Link
	encoding   string
}

// vendor is a stand-in for JobCannon's /icims/events: it checks the
// caller with icims.InboundAuth, reads the wire body, decodes the event and
// answers as the contract says. It also serves the token URL iCIMS uses
// for Bearer, and an assessment page that sends the candidate back.
type vendor struct {
	srv *httptest.Server

	mu         sync.Mutex
	deliveries []delivery
	refusals   []error
	tokenCalls int
}

func newVendor(t *testing.T) *vendor {
	t.Helper()
	v := &vendor{}
	auth := icims.InboundAuth{
		Password: func(_ context.Context, user string) (string, bool, error) {
			return vendorPassword, user == vendorUser, nil
		},
		HMACKey: func(_ context.Context, user string) ([]byte, bool, error) {
			return []byte(vendorHMACKey), user == vendorHMACUser, nil
		},
		Token: func(_ context.Context, tok string) (string, bool, error) {
			return vendorClientID, icims.SecretEqual(tok, vendorToken), nil
		},
	}
	returnTo := map[string]string{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /icims/events", func(w http.ResponseWriter, r *http.Request) {
		wire, err := icims.ReadWireBody(r, maxEventBytes)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		creds, err := auth.Authenticate(r, wire, time.Now())
		if err != nil {
			v.refuse(err)
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		ev, _, err := icims.DecodeEvent(r.Header, wire, maxEventBytes)
		if err != nil {
			v.refuse(err)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		links, err := icims.ParseLinkHeader(r.Header.Values("Link"))
		if err != nil {
			v.refuse(err)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		v.mu.Lock()
		v.deliveries = append(v.deliveries, delivery{creds: creds, event: ev, headerLink: links, encoding: r.Header.Get("Content-Encoding")})
		if ev.EventType == icims.AssessmentEvent {
			returnTo[ev.SystemID] = ev.ReturnURL
		}
		v.mu.Unlock()
		if ev.EventType == icims.AssessmentEvent {
			// Absolute: iCIMS sends the candidate's browser there from
			// its own host.
			http.Redirect(w, r, v.srv.URL+"/assess/"+ev.SystemID, http.StatusSeeOther)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	mux.HandleFunc("GET /assess/{wid}", func(w http.ResponseWriter, r *http.Request) {
		// The candidate takes the assessment, then goes back to iCIMS.
		v.mu.Lock()
		back := returnTo[r.PathValue("wid")]
		v.mu.Unlock()
		http.Redirect(w, r, back, http.StatusSeeOther)
	})
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		v.mu.Lock()
		v.tokenCalls++
		v.mu.Unlock()
		if r.PostFormValue("grant_type") != "client_credentials" || r.PostFormValue("client_id") != vendorClientID ||
			!icims.SecretEqual(r.PostFormValue("client_secret"), vendorSecret) {
			http.Error(w, `{"error":"invalid_client"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": vendorToken, "token_type": "Bearer", "expires_in": 86400})
	})
	v.srv = httptest.NewServer(mux)
	t.Cleanup(v.srv.Close)
	return v
}

func (v *vendor) refuse(err error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.refusals = append(v.refusals, err)
}

func (v *vendor) state() ([]delivery, []error, int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]delivery(nil), v.deliveries...), append([]error(nil), v.refusals...), v.tokenCalls
}

func TestSimEventsReachTheVendor(t *testing.T) {
	ctx := context.Background()
	v := newVendor(t)
	events := v.srv.URL + "/icims/events"
	modes := []struct {
		name     string
		settings icimstest.VendorSettings
		want     icims.InboundCredentials
	}{
		{"basic", icimstest.VendorSettings{EventURL: events, Auth: icimstest.VendorAuthBasic, User: vendorUser, Password: vendorPassword},
			icims.InboundCredentials{Scheme: icims.InboundBasic, User: vendorUser}},
		{"hmac", icimstest.VendorSettings{EventURL: events, Auth: icimstest.VendorAuthHMAC, HMACUser: vendorHMACUser, HMACKey: vendorHMACKey},
			icims.InboundCredentials{Scheme: icims.InboundHMAC, User: vendorHMACUser,
				HMAC: icims.HMACVerified{User: vendorHMACUser, Layout: icims.HMACLayoutContract, BodyHash: icims.HMACBodyHashWire}}},
		{"bearer", icimstest.VendorSettings{EventURL: events, Auth: icimstest.VendorAuthBearer, ClientID: vendorClientID, ClientSecret: vendorSecret, TokenURL: v.srv.URL + "/oauth/token"},
			icims.InboundCredentials{Scheme: icims.InboundBearer, User: vendorClientID}},
	}
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			srv := icimstest.Start(t)
			require.NoError(t, srv.SetVendor(us, mode.settings))
			before, _, tokensBefore := v.state()

			// A recruiter moves two candidates into the Assessment stage.
			for _, wid := range []int{icimstest.USWorkflow1, icimstest.USWorkflow2} {
				res, err := srv.MoveWorkflow(ctx, us, wid, icimstest.StatusAssessment, 0)
				require.NoError(t, err)
				assert.Equal(t, http.StatusOK, res.StatusCode, "vendor said: %s", res.Body)
			}

			got, refusals, tokens := v.state()
			require.Empty(t, refusals)
			got = got[len(before):]
			require.Len(t, got, 2)
			d := got[0]
			assert.Equal(t, mode.want, d.creds)
			assert.Equal(t, "gzip", d.encoding)
			ev := d.event
			assert.Equal(t, icims.WorkFlowStatusChangeEvent, ev.EventType)
			assert.Equal(t, us, ev.CustomerID)
			assert.Equal(t, id(icimstest.USWorkflow1), ev.SystemID)
			assert.Equal(t, id(icimstest.USJob1), ev.JobID)
			assert.Equal(t, id(icimstest.USPerson1), ev.PersonID)
			assert.Equal(t, id(icimstest.USRecruiter), ev.UserID)
			assert.Equal(t, icimstest.StatusNewSubmission, ev.OldStatus)
			assert.Equal(t, icimstest.StatusAssessment, ev.NewStatus)
			assert.Equal(t, ev.Links, d.headerLink, "the Link header repeats the body's links")
			for rel, path := range map[string]string{
				icims.RelApplicantWorkflow: "/customers/1234/applicantworkflows/3001",
				icims.RelJob:               "/customers/1234/jobs/2001",
				icims.RelPerson:            "/customers/1234/people/1001",
				icims.RelUser:              "/customers/1234/people/900",
			} {
				l, ok := ev.Link(rel)
				if assert.True(t, ok, "link %s", rel) {
					assert.Equal(t, srv.APIBase()+path, l.URL)
				}
			}
			assert.Equal(t, id(icimstest.USWorkflow2), got[1].event.SystemID)
			if mode.name == "bearer" {
				assert.Equal(t, 1, tokens-tokensBefore, "iCIMS fetches the vendor's token once and reuses it")
			}

			// The links lead back into the API: the vendor reads the
			// candidate they name with the customer's own credentials.
			person, _ := ev.Link(icims.RelPerson)
			p, err := basicClient(t, srv, us).GetPerson(ctx, ev.PersonID, nil)
			require.NoError(t, err)
			assert.Equal(t, srv.APIBase()+"/customers/1234/people/"+p.ID, person.URL)

			recorded := srv.Events(us)
			require.Len(t, recorded, 2)
			assert.Equal(t, mode.name, recorded[0].Auth)
			assert.Equal(t, http.StatusOK, recorded[0].Status)
			assert.JSONEq(t, string(ev.Raw), string(recorded[0].Payload), "the vendor decoded exactly what was sent")
		})
	}

	t.Run("wrong credentials are refused with a reason", func(t *testing.T) {
		srv := icimstest.Start(t)
		require.NoError(t, srv.SetVendor(us, icimstest.VendorSettings{EventURL: events, Auth: icimstest.VendorAuthHMAC, HMACUser: vendorHMACUser, HMACKey: "stale-key"}))
		_, before, _ := v.state()
		res, err := srv.MoveWorkflow(ctx, us, icimstest.USWorkflow3, icimstest.StatusAssessment, 0)
		require.NoError(t, err)
		assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
		_, refusals, _ := v.state()
		require.Len(t, refusals, len(before)+1)
		var ae *icims.AuthError
		require.True(t, errors.As(refusals[len(before)], &ae))
		assert.Equal(t, icims.ReasonBadSignature, ae.Reason)
	})
}

func TestSimCompleteApplicationFollowsThe303(t *testing.T) {
	ctx := context.Background()
	v := newVendor(t)
	srv := icimstest.Start(t)
	require.NoError(t, srv.SetVendor(us, icimstest.VendorSettings{
		EventURL: v.srv.URL + "/icims/events", Auth: icimstest.VendorAuthBasic, User: vendorUser, Password: vendorPassword,
	}))

	res, err := srv.CompleteApplication(ctx, us, icimstest.USWorkflow5)
	require.NoError(t, err)
	require.Equal(t, http.StatusSeeOther, res.StatusCode, "vendor said: %s", res.Body)
	assert.Equal(t, v.srv.URL+"/assess/3005", res.Location)

	got, _, _ := v.state()
	require.Len(t, got, 1)
	ev := got[0].event
	assert.Equal(t, icims.AssessmentEvent, ev.EventType)
	assert.Equal(t, id(icimstest.USWorkflow5), ev.SystemID)
	assert.Equal(t, id(icimstest.USPerson5), ev.UserID, "the candidate")
	assert.Equal(t, srv.URL+"/sandbox/customers/1234/workflows/3005/application-complete", ev.ReturnURL)
	l, ok := ev.Link(icims.RelApplicantWorkflow)
	require.True(t, ok)
	assert.Equal(t, srv.APIBase()+"/customers/1234/applicantworkflows/3005", l.URL)

	// The candidate's browser follows the 303 to the assessment, which
	// sends it back to iCIMS's returnUrl.
	resp, err := http.Get(res.Location)
	require.NoError(t, err)
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, ev.ReturnURL, resp.Request.URL.String(), "the candidate ends on iCIMS's page")
	assert.Contains(t, string(page), "Emery Fox")

	recorded := srv.Events(us)
	require.Len(t, recorded, 1)
	assert.Equal(t, http.StatusSeeOther, recorded[0].Status)
	assert.Equal(t, res.Location, recorded[0].Location)
}
