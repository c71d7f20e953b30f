package icims

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/clocktest"
)

func TestNewConfig(t *testing.T) {
	auth := Basic{User: "u", Password: "p"}
	tests := []struct {
		name     string
		cfg      Config
		wantBase string
		wantErr  bool
	}{
		{"us by default", Config{CustomerID: "1234", Auth: auth}, "https://api.icims.com/customers/1234", false},
		{"eu", Config{CustomerID: "1234", Region: "eu", Auth: auth}, "https://api-eu.icims.com/customers/1234", false},
		{"base url wins", Config{CustomerID: "1234", Region: "eu", BaseURL: "http://127.0.0.1:8080/sandbox/icims/api/", Auth: auth},
			"http://127.0.0.1:8080/sandbox/icims/api/customers/1234", false},
		{"unknown region", Config{CustomerID: "1234", Region: "apac", Auth: auth}, "", true},
		{"no customer", Config{Auth: auth}, "", true},
		{"odd customer", Config{CustomerID: "12/34", Auth: auth}, "", true},
		{"no auth", Config{CustomerID: "1234"}, "", true},
		{"relative base", Config{CustomerID: "1234", BaseURL: "/sandbox/icims/api", Auth: auth}, "", true},
		{"ftp base", Config{CustomerID: "1234", BaseURL: "ftp://x.test/", Auth: auth}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.cfg)
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantBase, c.customerBase)
			assert.Equal(t, "1234", c.CustomerID())
		})
	}
}

func TestObserverSeesCallsButNoSecrets(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPatch {
			reply(w, 400, `{"errors":[{"errorMessage":"email: Field is required.","errorCode":1}]}`)
			return
		}
		reply(w, 200, `{"firstname":"Jane"}`)
	})
	var obs observed
	c := f.client(t, func(c *Config) { c.Observer = obs.observe })
	_, err := c.GetPerson(context.Background(), "1930", nil)
	require.NoError(t, err)
	_, err = c.PatchPerson(context.Background(), "1930", map[string]any{"email": ""})
	require.Error(t, err)

	calls := obs.all()
	require.Len(t, calls, 2)
	assert.Equal(t, "1234", calls[0].CustomerID)
	assert.Equal(t, "get person", calls[0].Op)
	assert.Equal(t, http.MethodGet, calls[0].Method)
	assert.Equal(t, f.base()+"/customers/1234/people/1930?fields=firstname%2Clastname%2Cemail", calls[0].URL)
	assert.Equal(t, 200, calls[0].Status)
	assert.JSONEq(t, `{"firstname":"Jane"}`, string(calls[0].ResponseBody))
	assert.Equal(t, CodeNone, calls[0].Code)
	assert.NoError(t, calls[0].Err)

	assert.Equal(t, 400, calls[1].Status)
	assert.JSONEq(t, `{"email":""}`, string(calls[1].RequestBody))
	assert.Equal(t, 1, calls[1].Code)
	assert.Equal(t, "email: Field is required.", calls[1].Message)
	assert.Error(t, calls[1].Err)

	// The Basic header reached iCIMS, and nothing of it reached the log.
	require.NotEmpty(t, f.last(t).Header.Get("Authorization"))
	for _, call := range calls {
		dump := fmt.Sprintf("%+v %s %s", call, call.RequestBody, call.ResponseBody)
		assert.NotContains(t, dump, "basic-secret-1234")
		assert.NotContains(t, dump, strings.TrimPrefix(f.last(t).Header.Get("Authorization"), "Basic "))
	}
}

func TestTimeoutIsTemporary(t *testing.T) {
	release := make(chan struct{})
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	var obs observed
	_, err := f.client(t, func(c *Config) { c.Timeout = 50 * time.Millisecond; c.Observer = obs.observe }).GetPerson(context.Background(), "1", nil)
	var e *Error
	require.True(t, errors.As(err, &e), "got %v", err)
	assert.Equal(t, Temporary, e.Kind)
	assert.Equal(t, "timed out", e.Message)
	assert.True(t, IsRetryable(err))
	require.Len(t, obs.all(), 1)
	assert.Error(t, obs.all()[0].Err)
}

func TestConnectionRefusedIsTemporary(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())

	c, err := New(Config{CustomerID: "1", BaseURL: "http://" + addr, Auth: Basic{User: "u", Password: "p"}})
	require.NoError(t, err)
	_, err = c.GetJob(context.Background(), "1", nil)
	var e *Error
	require.True(t, errors.As(err, &e), "got %v", err)
	assert.Equal(t, Temporary, e.Kind)
	assert.True(t, IsRetryable(err))
}

func TestCallerCancellationIsNotAnICIMSError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		cancel()
		<-r.Context().Done()
	})
	_, err := f.client(t, nil).GetJob(ctx, "1", nil)
	require.ErrorIs(t, err, context.Canceled)
	var e *Error
	assert.False(t, errors.As(err, &e), "got %v", err)
}

func TestPacedClientStopsAtQuota(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, `{}`) })
	clock := clocktest.New(time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC))
	pacer := NewPacer(&fakePaceStore{}, PacerConfig{PerMinute: 60, Burst: 1, DailyQuota: 3, Clock: clock})
	// Two clients of one tenant share the tenant's pacer.
	a := f.client(t, func(c *Config) { c.Pacer = pacer })
	b := f.client(t, func(c *Config) { c.Pacer = pacer })

	for _, c := range []*Client{a, b, a} {
		_, err := c.GetJob(context.Background(), "1", nil)
		require.NoError(t, err)
	}
	assert.Equal(t, 2*time.Second, clock.Now().Sub(time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC)), "one call a second")

	_, err := b.GetJob(context.Background(), "1", nil)
	var e *Error
	require.True(t, errors.As(err, &e), "got %v", err)
	assert.Equal(t, QuotaExhausted, e.Kind)
	assert.Equal(t, "get job", e.Op)
	assert.Equal(t, 12*time.Hour-2*time.Second, e.RetryAfter)
	assert.Len(t, f.requests(), 3, "the refused call never left")
}

func TestHMACAuthIsVerifiedByTheServer(t *testing.T) {
	clock := clocktest.New(time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC))
	var verifyErr error
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		body := []byte(nil)
		if r.Method == http.MethodPatch {
			body = []byte(`{"rcf1001":"82"}`)
		}
		_, verifyErr = VerifyHMAC(r, body, keys("hmac-1234", "hmac-key-1234"), clock.Now())
		reply(w, 200, `{}`)
	})
	c := f.client(t, func(c *Config) { c.Auth = HMAC{User: "hmac-1234", Key: []byte("hmac-key-1234"), Clock: clock} })
	_, err := c.PatchPerson(context.Background(), "1930", map[string]any{"rcf1001": "82"})
	require.NoError(t, err)
	assert.NoError(t, verifyErr)
	_, err = c.GetPerson(context.Background(), "1930", []string{"rcf1001"})
	require.NoError(t, err)
	assert.NoError(t, verifyErr)
}

func TestResolveAPIBaseIsWhatTheClientCalls(t *testing.T) {
	cases := []struct{ region, base, want string }{
		{"", "", APIBaseUS},
		{RegionUS, "", APIBaseUS},
		{RegionEU, "", APIBaseEU},
		{RegionEU, "http://127.0.0.1:8080/sandbox/icims/api/", "http://127.0.0.1:8080/sandbox/icims/api"},
	}
	for _, c := range cases {
		t.Run(c.region+" "+c.base, func(t *testing.T) {
			got, err := ResolveAPIBase(c.region, c.base)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
			cl, err := New(Config{CustomerID: "1234", Region: c.region, BaseURL: c.base, Auth: Basic{User: "u", Password: "p"}})
			require.NoError(t, err)
			assert.Equal(t, c.want+"/customers/1234", cl.customerBase)
		})
	}
	_, err := ResolveAPIBase("mars", "")
	assert.Error(t, err)
}
