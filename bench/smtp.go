package bench

import (
	"bytes"
	"io"
	"log"
	"net"
	netmail "net/mail"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
)

// SinkMessage is one message the SMTP sink accepted.
type SinkMessage struct {
	To        string
	MessageID string
	// Link is the candidate link (/a/…) found in the message.
	Link string
	At   time.Time
}

// SMTPSink is an SMTP server on a loopback port that accepts every
// message and keeps what the bench and the crash test count: recipient,
// Message-ID, the candidate link and the time of acceptance. (The tests'
// mailtest server needs a *testing.T; the bench runs outside tests.)
type SMTPSink struct {
	Addr string
	srv  *smtp.Server
	ln   net.Listener

	mu   sync.Mutex
	msgs []SinkMessage
	// link finds the candidate link in the text part.
	link *regexp.Regexp
	// delay is how long each message's content takes (see SetDelay).
	delay atomic.Int64
}

// StartSMTPSink listens on 127.0.0.1:0 and serves until Close.
func StartSMTPSink() (*SMTPSink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &SMTPSink{Addr: ln.Addr().String(), ln: ln, link: regexp.MustCompile(`https?://[^\s"<>]+/a/[A-Za-z0-9_-]+`)}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 30*time.Second, 30*time.Second
	s.srv.ErrorLog = log.New(io.Discard, "", 0)
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// URL is the --smtp-url of the sink.
func (s *SMTPSink) URL() string { return "smtp://" + s.Addr + "?tls=none" }

// Close stops the sink.
func (s *SMTPSink) Close() {
	_ = s.srv.Close()
	_ = s.ln.Close()
}

// SetDelay makes the sink take d over each message's content before it
// answers, as a real relay does (~100 ms): the e-mail queue's workers then
// bound how fast mail goes out. Zero answers at once.
func (s *SMTPSink) SetDelay(d time.Duration) { s.delay.Store(int64(d)) }

// Messages returns what was accepted so far, oldest first.
func (s *SMTPSink) Messages() []SinkMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SinkMessage(nil), s.msgs...)
}

func (s *SMTPSink) add(to string, data []byte) {
	m := SinkMessage{To: to, At: time.Now()}
	if msg, err := netmail.ReadMessage(bytes.NewReader(data)); err == nil {
		m.MessageID = msg.Header.Get("Message-ID")
	}
	// Quoted-printable soft breaks ("=\r\n") would cut a long link.
	flat := bytes.ReplaceAll(data, []byte("=\r\n"), nil)
	m.Link = string(s.link.Find(flat))
	s.mu.Lock()
	s.msgs = append(s.msgs, m)
	s.mu.Unlock()
}

type sinkSession struct {
	sink *SMTPSink
	to   []string
}

func (*sinkSession) Mail(string, *smtp.MailOptions) error        { return nil }
func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = append(s.to, to); return nil }
func (s *sinkSession) Reset()                                    { s.to = nil }
func (*sinkSession) Logout() error                               { return nil }

func (s *sinkSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	time.Sleep(time.Duration(s.sink.delay.Load()))
	for _, to := range s.to {
		s.sink.add(to, data)
	}
	return nil
}
