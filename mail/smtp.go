package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/jobcannon/jobcannon/assessments"
)

// DefaultSMTPTimeout bounds one send when the caller's context allows more.
const DefaultSMTPTimeout = 30 * time.Second

// SMTPSender sends mail through an SMTP server, one connection per message:
// invitations trickle out of a job queue, so a pool would mostly hold idle
// connections that servers close anyway.
type SMTPSender struct {
	config SMTPConfig
	clock  assessments.Clock
	newID  IDGenerator

	// TLSConfig replaces the certificate checks, e.g. to trust a private CA;
	// nil trusts the system's roots.
	TLSConfig *tls.Config
	// Timeout bounds one send; the caller's context deadline wins when it is
	// sooner. Zero means DefaultSMTPTimeout.
	Timeout time.Duration
}

// NewSMTPSender returns a sender for the server at rawURL (see ParseSMTPURL).
func NewSMTPSender(rawURL string, clock assessments.Clock, newID IDGenerator) (*SMTPSender, error) {
	c, err := ParseSMTPURL(rawURL)
	if err != nil {
		return nil, err
	}
	return &SMTPSender{config: c, clock: clock, newID: newID}, nil
}

// Config returns the server configuration the sender was built from.
func (s *SMTPSender) Config() SMTPConfig { return s.config }

// Send delivers m and returns its Message-ID. A failure is a *SendError
// (see IsPermanent) or, for an invalid message, a domain EINVALID error.
func (s *SMTPSender) Send(ctx context.Context, m Message) (string, error) {
	if err := m.Validate(); err != nil {
		return "", fmt.Errorf("mail: send: %w", err)
	}
	id := m.messageID(s.newID)
	msg := s.compose(m, id)

	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultSMTPTimeout
	}
	if deadline, ok := ctx.Deadline(); ok {
		timeout = min(timeout, time.Until(deadline))
	}
	if err := ctx.Err(); err != nil {
		return id, fmt.Errorf("mail: send: %w", &SendError{Err: err})
	} else if timeout <= 0 {
		return id, fmt.Errorf("mail: send: %w", &SendError{Err: context.DeadlineExceeded})
	}

	// go-mail only watches the context while dialling; closing the socket
	// when the context ends is what stops a stalled EHLO, AUTH or DATA.
	conn := &trackedConn{}
	defer conn.close()
	stop := context.AfterFunc(ctx, conn.close)
	defer stop()

	client, err := gomail.NewClient(s.config.Host, s.options(timeout, conn.dialer(s.tlsConfig(), s.config.TLS == TLSImplicit))...)
	if err != nil {
		return id, fmt.Errorf("mail: send: %w", &SendError{Err: err})
	}
	sc, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return id, fmt.Errorf("mail: send: connect to %s: %w", s.config, classifyDial(withCtx(ctx, err)))
	}
	if err := client.SendWithSMTPClient(sc, msg); err != nil {
		return id, fmt.Errorf("mail: send: %w", classifyDelivery(withCtx(ctx, err)))
	}
	// The server has taken the message. A failed QUIT must not turn that
	// into an error, or the job queue would send the message twice.
	_ = client.CloseWithSMTPClient(sc)
	return id, nil
}

// compose builds the MIME message. Addresses go in as net/mail.Address so
// go-mail encodes non-ASCII names (RFC 2047) instead of us quoting by hand.
func (s *SMTPSender) compose(m Message, id string) *gomail.Msg {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(&netmail.Address{Name: m.FromName, Address: m.FromAddress})
	msg.ToMailAddress(&netmail.Address{Name: m.ToName, Address: m.To})
	if m.ReplyTo != "" {
		msg.ReplyToMailAddress(&netmail.Address{Address: m.ReplyTo})
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">"))
	msg.SetDateWithValue(s.clock.Now())
	for name, value := range m.Headers {
		if !strings.EqualFold(name, HeaderMessageID) {
			msg.SetGenHeader(gomail.Header(name), value)
		}
	}
	switch {
	case m.Text != "" && m.HTML != "":
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	case m.HTML != "":
		msg.SetBodyString(gomail.TypeTextHTML, m.HTML)
	default:
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	}
	return msg
}

func (s *SMTPSender) options(timeout time.Duration, dial gomail.DialContextFunc) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(s.config.Port),
		gomail.WithTimeout(timeout),
		gomail.WithTLSConfig(s.tlsConfig()),
		gomail.WithDialContextFunc(dial),
	}
	switch s.config.TLS {
	case TLSImplicit:
		// The dialer already speaks TLS; WithSSL keeps go-mail from trying
		// STARTTLS on top.
		opts = append(opts, gomail.WithSSL())
	case TLSRequired:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.config.Username != "" {
		// PLAIN and LOGIN refuse to send a password over an unencrypted
		// connection to anything but localhost.
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(s.config.Username),
			gomail.WithPassword(s.config.Password),
		)
	}
	return opts
}

func (s *SMTPSender) tlsConfig() *tls.Config {
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.TLSConfig != nil {
		c = s.TLSConfig.Clone()
	}
	if c.ServerName == "" {
		c.ServerName = s.config.Host
	}
	return c
}

// withCtx adds the context's error, so a cancelled send says so rather than
// "use of closed network connection".
func withCtx(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return errors.Join(ctx.Err(), err)
	}
	return err
}

// trackedConn remembers the connection go-mail dials so it can be closed
// from outside: when the context ends, and after the send in case go-mail
// returned early without closing it.
type trackedConn struct {
	mu     sync.Mutex
	conn   net.Conn
	closed bool
}

func (t *trackedConn) dialer(config *tls.Config, implicitTLS bool) gomail.DialContextFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		d := &net.Dialer{}
		var c net.Conn
		var err error
		if implicitTLS {
			// A *tls.Conn (not a wrapper) so go-mail's SMTP client sees the
			// connection as encrypted and lets AUTH PLAIN through.
			c, err = (&tls.Dialer{NetDialer: d, Config: config}).DialContext(ctx, network, addr)
		} else {
			c, err = d.DialContext(ctx, network, addr)
		}
		if err != nil {
			return nil, err
		}
		t.mu.Lock()
		defer t.mu.Unlock()
		if t.closed {
			c.Close()
			return nil, net.ErrClosed
		}
		t.conn = c
		return c, nil
	}
}

func (t *trackedConn) close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	if t.conn != nil {
		t.conn.Close()
	}
}
