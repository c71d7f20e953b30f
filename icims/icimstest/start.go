package icimstest

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Server is a Sim listening on a local httptest server.
type Server struct {
	*Sim
	// URL is the server's base, e.g. http://127.0.0.1:41234; the API is at
	// URL + "/sandbox/icims/api".
	URL    string
	server *httptest.Server
}

// Start runs a simulator on an httptest server with its base URL set, and
// stops it when the test ends. At most one Options is used.
func Start(t testing.TB, opts ...Options) *Server {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	sim := New(o)
	srv := httptest.NewServer(sim.Handler())
	sim.SetBaseURL(srv.URL)
	s := &Server{Sim: sim, URL: srv.URL, server: srv}
	t.Cleanup(s.Close)
	return s
}

// Close ends hanging requests and stops the server; Start's cleanup calls
// it, and calling it again is harmless.
func (s *Server) Close() {
	s.Sim.Close()
	s.server.Close()
}

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.server.Client() }
