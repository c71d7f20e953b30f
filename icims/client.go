package icims

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Regions a tenant's iCIMS data lives in.
const (
	RegionUS = "us"
	RegionEU = "eu"
)

// API bases of iCIMS's regions.
const (
	APIBaseUS = "https://api.icims.com"
	APIBaseEU = "https://api-eu.icims.com"
)

// DefaultTimeout bounds every call when Config.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// maxResponseBytes bounds what the client reads of a response; a CV is
// the largest thing iCIMS sends.
const maxResponseBytes = 32 << 20

// APIBase returns the API base of a region.
func APIBase(region string) (string, error) {
	switch strings.ToLower(region) {
	case "", RegionUS:
		return APIBaseUS, nil
	case RegionEU:
		return APIBaseEU, nil
	}
	return "", fmt.Errorf("icims: unknown region %q", region)
}

// Config configures a Client for one tenant (one iCIMS customer).
type Config struct {
	CustomerID string
	Region     string // RegionUS (default) or RegionEU
	BaseURL    string // API base overriding Region, e.g. the sandbox's …/sandbox/icims/api
	Auth       Auth
	Pacer      *Pacer // the tenant's shared pacer; nil means unpaced
	Timeout    time.Duration
	HTTPClient *http.Client
	Clock      Clock
	Observer   Observer
}

// Observer is told of every attempt the client made, for the logs page.
type Observer func(ctx context.Context, c Call)

// Call describes one attempt. It never holds the Authorization header or
// any token: only the method, URL and bodies, which carry no credentials.
type Call struct {
	CustomerID   string
	Op           string // e.g. "get person"
	Method       string
	URL          string
	RequestBody  []byte
	Status       int    // 0 when no response arrived
	ResponseBody []byte // nil for binary content; cut to maxObservedBody
	Code         int    // iCIMS errorCode, CodeNone if none
	Message      string // iCIMS's error message, if any
	Warnings     []Warning
	Latency      time.Duration
	Err          error
}

// maxObservedBody caps the bodies handed to the Observer.
const maxObservedBody = 64 << 10

// Client calls one tenant's iCIMS API. It does not retry: callers run
// writes as durable jobs that retry on IsRetryable errors.
type Client struct {
	cfg          Config
	hc           *http.Client
	apiBase      *url.URL
	customerBase string
}

// New returns a Client for cfg.
func New(cfg Config) (*Client, error) {
	if cfg.CustomerID == "" || !validID(cfg.CustomerID) {
		return nil, fmt.Errorf("icims: new client: invalid customer id %q", cfg.CustomerID)
	}
	if cfg.Auth == nil {
		return nil, fmt.Errorf("icims: new client: no auth")
	}
	base, err := ResolveAPIBase(cfg.Region, cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("icims: new client: %w", err)
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" {
		return nil, fmt.Errorf("icims: new client: base url %q is not an absolute http(s) url", base)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	hc := http.Client{}
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	}
	// A redirect could carry the credentials to another host; iCIMS's API
	// does not redirect, so a 3xx is reported instead of followed.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Client{
		cfg:          cfg,
		hc:           &hc,
		apiBase:      u,
		customerBase: u.String() + "/customers/" + url.PathEscape(cfg.CustomerID),
	}, nil
}

// CustomerID returns the tenant this client calls.
func (c *Client) CustomerID() string { return c.cfg.CustomerID }

// validID accepts iCIMS ids (digits, and letters for list nodes), keeping
// "/", "." and friends out of the paths built from them.
func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// request is one call to make.
type request struct {
	op     string
	method string
	url    string // absolute
	query  url.Values
	body   any // marshalled as JSON when not nil
	accept string
	// raw and contentType send a body that is not JSON (a file upload);
	// the observers see only rawNote in its place, never the file.
	raw         []byte
	contentType string
	rawNote     string
}

// response is a 2xx answer.
type response struct {
	status   int
	header   http.Header
	body     []byte
	warnings []Warning
}

// do makes one paced, timed, observed attempt and returns a 2xx response
// or an error, an *Error whenever iCIMS answered or the network failed.
func (c *Client) do(ctx context.Context, r request) (*response, error) {
	var body []byte
	if r.body != nil {
		var err error
		if body, err = json.Marshal(r.body); err != nil {
			return nil, fmt.Errorf("icims: %s: encode: %w", r.op, err)
		}
	}
	if r.raw != nil {
		body = r.raw
	}
	if c.cfg.Pacer != nil {
		if err := c.cfg.Pacer.Wait(ctx); err != nil {
			var e *Error
			if errors.As(err, &e) {
				e.Op = r.op
				return nil, e
			}
			return nil, fmt.Errorf("icims: %s: %w", r.op, err)
		}
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()

	u := r.url
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("icims: %s: %w", r.op, err)
	}
	switch {
	case body == nil:
		req.Body, req.GetBody, req.ContentLength = http.NoBody, nil, 0
	case r.contentType != "":
		req.Header.Set("Content-Type", r.contentType)
	default:
		req.Header.Set("Content-Type", "application/json")
	}
	accept := r.accept
	if accept == "" {
		accept = "application/json"
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", "jobcannon-icims/1")

	call := Call{CustomerID: c.cfg.CustomerID, Op: r.op, Method: r.method, URL: u, RequestBody: body, Code: CodeNone}
	if r.raw != nil {
		call.RequestBody = []byte(r.rawNote)
	}
	if err := c.cfg.Auth.Authorize(ctx, req, body); err != nil {
		call.Err = err
		c.observe(ctx, call)
		return nil, withOp(r.op, err)
	}

	start := c.cfg.Clock.Now()
	resp, err := c.hc.Do(req)
	var respBody []byte
	if err == nil {
		respBody, err = io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
		resp.Body.Close()
	}
	call.Latency = c.cfg.Clock.Now().Sub(start)
	if err != nil {
		if resp != nil {
			call.Status = resp.StatusCode
		}
		call.Err = transportError(parent, r.op, err)
		c.observe(ctx, call)
		return nil, call.Err
	}
	call.Status = resp.StatusCode
	call.ResponseBody = observedBody(resp.Header.Get("Content-Type"), respBody)

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := decodeError(r.op, resp, respBody, c.cfg.Clock.Now())
		if e.Kind == RateLimited && c.cfg.Pacer != nil {
			// A 429 is the customer's state, not this call's: the shared
			// pacer holds and slows every caller of the tenant.
			c.cfg.Pacer.Limited(start, e.RetryAfter)
		}
		if e.Kind == BadCredentials {
			if inv, ok := c.cfg.Auth.(invalidator); ok {
				inv.Invalidate(req)
			}
		}
		call.Code, call.Message, call.Err = e.Code, e.Message, e
		c.observe(ctx, call)
		return nil, e
	}
	out := &response{status: resp.StatusCode, header: resp.Header, body: respBody, warnings: decodeWarnings(resp, respBody)}
	call.Warnings = out.warnings
	c.observe(ctx, call)
	return out, nil
}

func (c *Client) observe(ctx context.Context, call Call) {
	if c.cfg.Observer != nil {
		c.cfg.Observer(context.WithoutCancel(ctx), call)
	}
}

// withOp names the operation on an *Error from a helper (a token fetch).
func withOp(op string, err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return fmt.Errorf("icims: %s: %w", op, err)
	}
	switch {
	case e.Op == "":
		e.Op = op
	case e.Op != op:
		e.Op = op + ": " + e.Op
	}
	return err
}

// transportError classifies a call that got no complete response. A call
// the caller gave up on is not iCIMS's fault and is returned as is; our own
// timeout and network failures are Temporary.
func transportError(parent context.Context, op string, err error) error {
	if parent.Err() != nil {
		return fmt.Errorf("icims: %s: %w", op, err)
	}
	var ne net.Error
	msg := "network error"
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		msg = "timed out"
	}
	return &Error{Kind: Temporary, Op: op, Code: CodeNone, Message: msg, Err: err}
}

// observedBody keeps text bodies for the logs, cut to size, and drops
// binary ones (a CV).
func observedBody(contentType string, b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt != "" && !strings.HasPrefix(mt, "text/") && !strings.Contains(mt, "json") && !strings.Contains(mt, "xml") {
		return nil
	}
	if len(b) > maxObservedBody {
		b = b[:maxObservedBody]
	}
	return bytes.Clone(b)
}

// decodeJSON decodes a 2xx body, ignoring unknown keys.
func decodeJSON(op string, body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return &Error{Kind: Other, Op: op, Code: CodeNone, Message: "unexpected response body", Err: err}
	}
	return nil
}

// created reads the Location of a 201: the absolute URL and its last path
// segment, the id of the created resource.
func (c *Client) created(op string, resp *response) (loc, id string, err error) {
	raw := resp.header.Get("Location")
	if raw == "" {
		return "", "", &Error{Kind: Other, Op: op, HTTPStatus: resp.status, Code: CodeNone, Message: "no Location in the response"}
	}
	u, err := c.apiBase.Parse(raw)
	if err != nil {
		return "", "", &Error{Kind: Other, Op: op, HTTPStatus: resp.status, Code: CodeNone, Message: "bad Location " + raw, Err: err}
	}
	seg := u.Path[strings.LastIndex(u.Path, "/")+1:]
	if seg == "" {
		return "", "", &Error{Kind: Other, Op: op, HTTPStatus: resp.status, Code: CodeNone, Message: "bad Location " + raw}
	}
	return u.String(), seg, nil
}

// underAPI reports whether loc is a URL of this client's customer, so that
// a URL taken from a stored Location never sends credentials elsewhere.
func (c *Client) underAPI(loc string) (*url.URL, bool) {
	u, err := url.Parse(loc)
	if err != nil || u.User != nil || u.Fragment != "" {
		return nil, false
	}
	if !strings.EqualFold(u.Scheme, c.apiBase.Scheme) || !strings.EqualFold(u.Host, c.apiBase.Host) {
		return nil, false
	}
	prefix := c.apiBase.EscapedPath() + "/customers/" + url.PathEscape(c.cfg.CustomerID) + "/"
	path := u.EscapedPath()
	if !strings.HasPrefix(path, prefix) || strings.Contains(path, "/../") || strings.HasSuffix(path, "/..") || strings.Contains(path, "/./") {
		return nil, false
	}
	return u, true
}
