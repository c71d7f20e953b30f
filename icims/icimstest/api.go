package icimstest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// iCIMS error codes (contract §3).
const (
	codeInternal    = 0
	codeRequired    = 1
	codeNotFound    = 2
	codeDenied      = 3
	codeInvalid     = 4
	codeCredentials = 6
)

// maxBody is the largest request body the API reads.
const maxBody = 10 << 20

// apiError is an answer in iCIMS's error shape.
type apiError struct {
	status int
	code   int
	msg    string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d:%s", e.code, e.msg) }

func notFound(msg string) *apiError { return &apiError{http.StatusNotFound, codeNotFound, msg} }

func badRequest(code int, msg string) *apiError {
	return &apiError{http.StatusBadRequest, code, msg}
}

func fromFieldError(fe *fieldError) *apiError {
	return badRequest(fe.code, fe.Error())
}

type errorBody struct {
	ErrorMessage string `json:"errorMessage"`
	ErrorCode    int    `json:"errorCode"`
}

// writeAPIError answers with X-Error and the iCIMS body.
func writeAPIError(w http.ResponseWriter, e *apiError) {
	w.Header().Set("X-Error", strconv.Itoa(e.code)+":"+e.msg)
	writeJSON(w, e.status, map[string]any{"errors": []errorBody{{e.msg, e.code}}})
}

// writeWarnings adds X-Warning headers for a write that succeeded with
// warnings; the body carries them too.
func writeWarnings(w http.ResponseWriter, status int, warnings []*fieldError) {
	if len(warnings) == 0 {
		w.WriteHeader(status)
		return
	}
	var body []errorBody
	for _, fe := range warnings {
		w.Header().Add("X-Warning", fmt.Sprintf("%d:%s:%s", fe.code, fe.field, fe.msg))
		body = append(body, errorBody{fe.Error(), fe.code})
	}
	writeJSON(w, status, map[string]any{"warnings": body})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encode: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// statusRecorder remembers the status a handler wrote and holds the answer
// until the call is recorded: a client that has read its answer must find
// the call in Calls, even when the body (a search page) is too large to
// wait in the server's buffer until the handler returns.
type statusRecorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *statusRecorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

// flush sends the held answer; nothing when the handler wrote none (the
// client gave up on a timeout fault).
func (r *statusRecorder) flush() {
	if r.status == 0 {
		return
	}
	r.ResponseWriter.WriteHeader(r.status)
	_, _ = r.ResponseWriter.Write(r.body.Bytes())
}

// principal is who made an API call and what it may do.
type principal struct {
	mode   string // basic, hmac or bearer
	scopes []string
}

func (p principal) has(scope string) bool {
	for _, s := range p.scopes {
		if s == scope {
			return true
		}
	}
	return false
}

type principalKey struct{}

// requireScope answers 403 unless the caller's credentials carry scope.
func requireScope(w http.ResponseWriter, r *http.Request, scope string) bool {
	p, _ := r.Context().Value(principalKey{}).(principal)
	if p.has(scope) {
		return true
	}
	writeAPIError(w, &apiError{http.StatusForbidden, codeDenied, "Insufficient scope: " + scope})
	return false
}

// customerOf reads the customer id from an API path.
func customerOf(path string) string {
	rest, ok := strings.CutPrefix(path, apiPrefix+"/customers/")
	if !ok {
		return ""
	}
	cid, _, _ := strings.Cut(rest, "/")
	return cid
}

// apiMiddleware records every call, applies the customer's faults and
// authenticates before the API handlers run.
func (s *Sim) apiMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cid := customerOf(r.URL.Path)
		start := s.clock.Now()
		rec := &statusRecorder{ResponseWriter: w}
		call := Call{Time: start, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery}
		defer func() {
			call.Status = rec.status
			s.recordCall(cid, call)
			s.log.Debug("icimstest: api call", "customer_id", cid, "method", call.Method, "path", call.Path,
				"status_code", call.Status, "auth", call.Auth, "fault", call.Fault)
			rec.flush()
		}()

		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil || len(body) > maxBody {
			writeAPIError(rec, badRequest(codeInvalid, "Request body could not be read or is too large."))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))

		if fault := s.applyFaults(rec, r, cid); fault != "" {
			call.Fault = fault
			return
		}
		p, ok := s.authenticate(r, cid, body)
		call.Auth = p.mode
		if !ok {
			writeAPIError(rec, &apiError{http.StatusUnauthorized, codeCredentials,
				"Invalid Username or Password credentials provided."})
			return
		}
		ctx := context.WithValue(r.Context(), principalKey{}, p)
		next.ServeHTTP(rec, r.WithContext(ctx))
	})
}

// apiRoutes is the table of API resources (contract §4).
func (s *Sim) apiRoutes() http.Handler {
	mux := http.NewServeMux()
	c := apiPrefix + "/customers/{cid}"

	mux.HandleFunc("GET "+c+"/people/{id}", s.getPerson)
	mux.HandleFunc("PATCH "+c+"/people/{id}", s.patchPerson)
	mux.HandleFunc("POST "+c+"/people", s.postPerson)
	mux.HandleFunc("GET "+c+"/people/{id}/fields/resume/binary", s.getResume)
	mux.HandleFunc("PATCH "+c+"/people/{id}/fields/resume/binary", s.patchResume)

	mux.HandleFunc("GET "+c+"/jobs/{id}", s.getJob)
	mux.HandleFunc("PATCH "+c+"/jobs/{id}", s.patchJob)
	mux.HandleFunc("POST "+c+"/jobs", s.postJob)

	mux.HandleFunc("GET "+c+"/applicantworkflows", s.listWorkflows)
	mux.HandleFunc("POST "+c+"/applicantworkflows", s.postWorkflow)
	mux.HandleFunc("GET "+c+"/applicantworkflows/{id}", s.getWorkflow)
	mux.HandleFunc("PATCH "+c+"/applicantworkflows/{id}", s.patchWorkflow)
	mux.HandleFunc("POST "+c+"/applicantworkflows/{id}/fields/assessmentresults", s.postResult)
	mux.HandleFunc("PATCH "+c+"/applicantworkflows/{id}/fields/assessmentresults/{entry}", s.patchResult)

	mux.HandleFunc("GET "+c+"/search/{kind}", s.search)
	mux.HandleFunc("POST "+c+"/search/{kind}", s.search)

	mux.HandleFunc("GET "+c+"/v2/lists", s.getLists)
	mux.HandleFunc("GET "+c+"/v2/lists/{list}", s.getList)

	// Other methods on known paths get iCIMS's error shape, not the mux's
	// plain-text 405.
	for _, path := range []string{
		"/people/{id}", "/people", "/people/{id}/fields/resume/binary", "/jobs/{id}", "/jobs",
		"/applicantworkflows", "/applicantworkflows/{id}", "/applicantworkflows/{id}/fields/assessmentresults",
		"/applicantworkflows/{id}/fields/assessmentresults/{entry}", "/search/{kind}", "/v2/lists", "/v2/lists/{list}",
	} {
		mux.HandleFunc(c+path, func(w http.ResponseWriter, r *http.Request) {
			writeAPIError(w, &apiError{http.StatusMethodNotAllowed, codeInvalid, r.Method + " is not supported on this resource."})
		})
	}
	mux.HandleFunc(apiPrefix+"/", func(w http.ResponseWriter, r *http.Request) {
		writeAPIError(w, notFound("Resource not found."))
	})
	return mux
}

// pathID parses a numeric id from the path; a non-number is not found.
func pathID(r *http.Request, name string) (int, bool) {
	id, err := strconv.Atoi(r.PathValue(name))
	return id, err == nil && id > 0
}

// readObject decodes the request body as one JSON object.
func readObject(r *http.Request) (map[string]any, *apiError) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, badRequest(codeInvalid, "Request body could not be read.")
	}
	var m map[string]any
	if err := decodeJSON(body, &m); err != nil || m == nil {
		return nil, badRequest(codeInvalid, "Request body must be a JSON object.")
	}
	return m, nil
}

// sleepCtx waits d, or less if the request ends or the simulator closes.
func (s *Sim) sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	case <-s.closing:
	}
}
