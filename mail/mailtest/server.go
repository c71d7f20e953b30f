// Package mailtest is an in-process SMTP server for tests: it records what
// it receives and answers with the errors a test asks for, so that the
// mail package and the whole service can be tested against real SMTP
// without leaving the process.
package mailtest

import (
	"crypto/tls"
	"io"
	"log"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/require"
)

// Message is one message as the server got it.
type Message struct {
	From string
	To   []string
	Data []byte
	User string // the AUTH user name, "" if none
	TLS  bool
	// At is when the server accepted the message (the reply to DATA).
	At time.Time
}

// TLSMode says how the server offers TLS.
type TLSMode int

// The ways the server can offer TLS.
const (
	PlainOnly   TLSMode = iota // no TLS at all
	StartTLS                   // STARTTLS offered
	ImplicitTLS                // TLS from the first byte
)

// Server is an SMTP server on a loopback port.
type Server struct {
	Addr string

	// User and Password, when set, are required before MAIL.
	User, Password string
	// RcptErr and DataErr, when set, are the replies to every RCPT and
	// DATA. Set them in Start's configure function: sessions read them
	// without a lock.
	RcptErr, DataErr *smtp.SMTPError
	// DataDelay, when set, is how long the server takes over each
	// message's content before it answers, as a real relay does (~100 ms).
	// Set it in Start's configure function.
	DataDelay time.Duration

	mu       sync.Mutex
	msgs     []Message
	failData []*smtp.SMTPError
	dataSeen int
	notify   chan struct{}
}

// Start starts a server on 127.0.0.1:0 and stops it when the test ends.
// cert is needed for StartTLS and ImplicitTLS. configure, when not nil,
// sets the server's fields before the first connection.
func Start(t testing.TB, mode TLSMode, cert *tls.Certificate, configure func(*Server)) *Server {
	t.Helper()
	ts := &Server{notify: make(chan struct{}, 1)}
	if configure != nil {
		configure(ts)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{srv: ts, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	switch mode {
	case StartTLS:
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}}
	case ImplicitTLS:
		l = tls.NewListener(l, &tls.Config{Certificates: []tls.Certificate{*cert}})
	}
	ts.Addr = l.Addr().String()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(l)
	}()
	t.Cleanup(func() {
		srv.Close()
		// Close only closes listeners Serve has registered; a test that ends
		// before the goroutine got that far would otherwise wait forever.
		l.Close()
		<-done
	})
	return ts
}

// URL is the smtp:// URL of a server started with PlainOnly.
func (s *Server) URL() string { return "smtp://" + s.Addr + "?tls=none" }

// Received returns the messages delivered so far.
func (s *Server) Received() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// DataAttempts is how many times a client got as far as sending a
// message's content, whether the server took it or not.
func (s *Server) DataAttempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dataSeen
}

// FailNextData makes the next n messages' DATA get reply e, after which
// the server takes messages again. It may be called at any time.
func (s *Server) FailNextData(n int, e *smtp.SMTPError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failData = append(s.failData, e)
	}
}

// Wait blocks until at least n messages were delivered or timeout passed,
// and returns what was delivered.
func (s *Server) Wait(n int, timeout time.Duration) []Message {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		if got := s.Received(); len(got) >= n {
			return got
		}
		select {
		case <-s.notify:
		case <-deadline.C:
			return s.Received()
		}
	}
}

type session struct {
	srv  *Server
	conn *smtp.Conn
	user string
	msg  Message
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.srv.User || pass != s.srv.Password {
			return smtp.ErrAuthFailed
		}
		s.user = user
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.srv.User != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.msg = Message{From: from, User: s.user, TLS: isTLS}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.srv.RcptErr != nil {
		return s.srv.RcptErr
	}
	s.msg.To = append(s.msg.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	time.Sleep(s.srv.DataDelay)
	if s.srv.DataErr != nil {
		return s.srv.DataErr
	}
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	s.srv.dataSeen++
	if len(s.srv.failData) > 0 {
		e := s.srv.failData[0]
		s.srv.failData = s.srv.failData[1:]
		return e
	}
	s.msg.Data = data
	s.msg.At = time.Now()
	s.srv.msgs = append(s.srv.msgs, s.msg)
	select {
	case s.srv.notify <- struct{}{}:
	default:
	}
	return nil
}

func (s *session) Reset()        { s.msg = Message{} }
func (s *session) Logout() error { return nil }
