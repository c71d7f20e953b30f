package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/mail/mailtest"
)

// sequenceIDs returns an IDGenerator that counts: id1, id2, ...
func sequenceIDs() IDGenerator {
	n := 0
	return func() string {
		n++
		return fmt.Sprintf("id%d", n)
	}
}

// testNow is the time the test clock shows.
func testNow() time.Time { return time.Date(2026, 4, 1, 9, 30, 0, 0, time.UTC) }

func newTestSender(t *testing.T, rawURL string) *SMTPSender {
	t.Helper()
	s, err := NewSMTPSender(rawURL, clocktest.New(testNow()), sequenceIDs())
	require.NoError(t, err)
	s.Timeout = 5 * time.Second
	return s
}

func invitation() Message {
	return Message{
		TenantID:     1,
		InvitationID: 42,
		To:           "zoe@example.org",
		ToName:       "Zoë Ångström",
		FromAddress:  "jobs@acme.example",
		FromName:     "Acme Recrutement, Équipe",
		ReplyTo:      "recruiter@acme.example",
		Subject:      "Ihre Bewerbung – nächster Schritt ✓",
		Text:         "Hallo Zoë,\n\nbitte starten Sie hier: https://jc.example/a/tok\n",
		HTML:         "<p>Hallo Zoë,</p><p><a href=\"https://jc.example/a/tok\">Start</a></p>",
		Headers:      map[string]string{"X-JobCannon-Invitation": "42"},
	}
}

func TestSMTPSendDeliversBothPartsAndHeaders(t *testing.T) {
	srv := mailtest.Start(t, mailtest.PlainOnly, nil, nil)
	s := newTestSender(t, "smtp://"+srv.Addr+"?tls=none")
	m := invitation()

	id, err := s.Send(context.Background(), m)
	require.NoError(t, err)
	assert.Equal(t, "<id1@acme.example>", id)

	got := srv.Received()
	require.Len(t, got, 1)
	assert.Equal(t, "jobs@acme.example", got[0].From)
	assert.Equal(t, []string{"zoe@example.org"}, got[0].To)
	for i, b := range got[0].Data {
		require.Less(t, b, byte(128), "byte %d is not 7-bit: non-ASCII must be encoded", i)
	}

	msg, err := netmail.ReadMessage(bytes.NewReader(got[0].Data))
	require.NoError(t, err)
	h := msg.Header
	from, err := netmail.ParseAddress(h.Get("From"))
	require.NoError(t, err)
	assert.Equal(t, netmail.Address{Name: m.FromName, Address: m.FromAddress}, *from)
	to, err := netmail.ParseAddress(h.Get("To"))
	require.NoError(t, err)
	assert.Equal(t, netmail.Address{Name: m.ToName, Address: m.To}, *to)
	replyTo, err := netmail.ParseAddress(h.Get("Reply-To"))
	require.NoError(t, err)
	assert.Equal(t, m.ReplyTo, replyTo.Address)
	subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	require.NoError(t, err)
	assert.Equal(t, m.Subject, subject)
	assert.Equal(t, id, h.Get("Message-ID"))
	date, err := h.Date()
	require.NoError(t, err)
	assert.True(t, testNow().Equal(date), "Date comes from the injected clock, got %v", date)
	assert.Equal(t, "42", h.Get("X-JobCannon-Invitation"))

	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	require.NoError(t, err)
	require.Equal(t, "multipart/alternative", mediaType)
	parts := map[string]string{}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		ct, ctParams, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		require.NoError(t, err)
		assert.Equal(t, "utf-8", strings.ToLower(ctParams["charset"]))
		require.Equal(t, "quoted-printable", p.Header.Get("Content-Transfer-Encoding"))
		body, err := io.ReadAll(quotedprintable.NewReader(p))
		require.NoError(t, err)
		parts[ct] = string(body)
	}
	assert.Equal(t, map[string]string{
		"text/plain": strings.ReplaceAll(m.Text, "\n", "\r\n"),
		"text/html":  m.HTML,
	}, parts, "text first, then HTML, the order mail apps expect")
}

func TestSMTPSendKeepsCallersMessageID(t *testing.T) {
	srv := mailtest.Start(t, mailtest.PlainOnly, nil, nil)
	s := newTestSender(t, "smtp://"+srv.Addr+"?tls=none")
	m := invitation()
	m.Headers = map[string]string{"message-id": "<retry-7@acme.example>"}

	id, err := s.Send(context.Background(), m)
	require.NoError(t, err)
	assert.Equal(t, "<retry-7@acme.example>", id)
	require.Len(t, srv.Received(), 1)
	msg, err := netmail.ReadMessage(bytes.NewReader(srv.Received()[0].Data))
	require.NoError(t, err)
	assert.Equal(t, id, msg.Header.Get("Message-ID"))
	assert.Len(t, msg.Header["Message-Id"], 1, "one Message-ID header")
}

func TestSMTPAuthPlain(t *testing.T) {
	const user, pass = "mailer", "s3cr:t/p@ss w%rd"
	srv := mailtest.Start(t, mailtest.PlainOnly, nil, func(s *mailtest.Server) { s.User, s.Password = user, pass })
	auth := url.UserPassword(user, pass).String()

	t.Run("right password", func(t *testing.T) {
		s := newTestSender(t, "smtp://"+auth+"@"+srv.Addr+"?tls=none")
		_, err := s.Send(context.Background(), invitation())
		require.NoError(t, err)
		got := srv.Received()
		require.Len(t, got, 1)
		assert.Equal(t, user, got[0].User)
	})
	t.Run("wrong password", func(t *testing.T) {
		s := newTestSender(t, "smtp://"+url.UserPassword(user, "nope").String()+"@"+srv.Addr+"?tls=none")
		_, err := s.Send(context.Background(), invitation())
		var se *SendError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, 535, se.Code)
		assert.False(t, IsPermanent(err), "bad credentials are our configuration, not the message: retry after the fix")
		assert.NotContains(t, err.Error(), "nope", "the password never appears in errors")
	})
	t.Run("no credentials", func(t *testing.T) {
		s := newTestSender(t, "smtp://"+srv.Addr+"?tls=none")
		_, err := s.Send(context.Background(), invitation())
		var se *SendError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, 502, se.Code)
	})
	assert.Len(t, srv.Received(), 1, "only the authenticated send got through")
}

func TestSMTPTLS(t *testing.T) {
	cert, pool := mailtest.Cert(t)
	const user, pass = "mailer", "secret"
	creds := func(s *mailtest.Server) { s.User, s.Password = user, pass }
	cases := []struct {
		name    string
		mode    mailtest.TLSMode
		url     string // %s is user:pass@host:port
		wantErr string
	}{
		{"STARTTLS when offered", mailtest.StartTLS, "smtp://%s", ""},
		{"STARTTLS required and offered", mailtest.StartTLS, "smtp://%s?tls=required", ""},
		{"implicit TLS", mailtest.ImplicitTLS, "smtps://%s", ""},
		{"STARTTLS required but not offered", mailtest.PlainOnly, "smtp://%s?tls=required", "STARTTLS"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := mailtest.Start(t, c.mode, cert, creds)
			s := newTestSender(t, fmt.Sprintf(c.url, user+":"+pass+"@"+srv.Addr))
			s.TLSConfig = &tls.Config{RootCAs: pool}
			_, err := s.Send(context.Background(), invitation())
			if c.wantErr != "" {
				assert.ErrorContains(t, err, c.wantErr)
				assert.False(t, IsPermanent(err))
				assert.Empty(t, srv.Received())
				return
			}
			require.NoError(t, err)
			got := srv.Received()
			require.Len(t, got, 1)
			assert.True(t, got[0].TLS, "delivered over TLS")
			assert.Equal(t, user, got[0].User)
		})
	}

	t.Run("untrusted certificate", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.ImplicitTLS, cert, nil)
		s := newTestSender(t, "smtps://"+srv.Addr) // system roots do not know our CA
		_, err := s.Send(context.Background(), invitation())
		require.Error(t, err)
		assert.False(t, IsPermanent(err))
		assert.Empty(t, srv.Received())
	})
}

func TestSMTPErrorsAreClassified(t *testing.T) {
	reply := func(code int, msg string) *smtp.SMTPError {
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: msg}
	}
	cases := []struct {
		name          string
		rcpt, data    *smtp.SMTPError
		wantCode      int
		wantPermanent bool
	}{
		{"550 no such mailbox", reply(550, "No such user"), nil, 550, true},
		{"451 greylisted", reply(451, "Try again later"), nil, 451, false},
		{"452 mailbox full", reply(452, "Mailbox full"), nil, 452, false},
		{"554 rejected content", nil, reply(554, "Message rejected"), 554, true},
		{"451 at end of data", nil, reply(451, "Local error"), 451, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := mailtest.Start(t, mailtest.PlainOnly, nil, func(s *mailtest.Server) { s.RcptErr, s.DataErr = c.rcpt, c.data })
			s := newTestSender(t, "smtp://"+srv.Addr+"?tls=none")
			id, err := s.Send(context.Background(), invitation())
			require.Error(t, err)
			assert.NotEmpty(t, id, "the Message-ID is returned even on failure, for the logs")
			var se *SendError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, c.wantCode, se.Code)
			assert.Equal(t, c.wantPermanent, IsPermanent(err))
			assert.True(t, strings.HasPrefix(err.Error(), "mail: send: "), err.Error())
		})
	}
}

func TestSMTPConnectionFailuresAreTemporary(t *testing.T) {
	t.Run("connection refused", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := l.Addr().String()
		require.NoError(t, l.Close())

		s := newTestSender(t, "smtp://"+addr+"?tls=none")
		_, err = s.Send(context.Background(), invitation())
		require.Error(t, err)
		var se *SendError
		require.ErrorAs(t, err, &se)
		assert.Zero(t, se.Code)
		assert.False(t, IsPermanent(err))
		assert.ErrorContains(t, err, "refused")
	})

	t.Run("server hangs past the context deadline", func(t *testing.T) {
		s := newTestSender(t, "smtp://"+mailtest.Silent(t)+"?tls=none")
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := s.Send(ctx, invitation())
		require.Error(t, err)
		assert.Less(t, time.Since(start), 3*time.Second, "the caller's deadline bounds the send")
		assert.False(t, IsPermanent(err))
	})

	t.Run("context cancelled while the server hangs", func(t *testing.T) {
		s := newTestSender(t, "smtp://"+mailtest.Silent(t)+"?tls=none")
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, err := s.Send(ctx, invitation())
		require.Error(t, err)
		assert.Less(t, time.Since(start), 3*time.Second, "cancelling stops the send")
		assert.ErrorIs(t, err, context.Canceled)
		assert.False(t, IsPermanent(err))
	})
}

func TestSMTPRejectsInvalidMessagesBeforeConnecting(t *testing.T) {
	srv := mailtest.Start(t, mailtest.PlainOnly, nil, nil)
	s := newTestSender(t, "smtp://"+srv.Addr+"?tls=none")
	cases := map[string]func(*Message){
		"bad recipient":        func(m *Message) { m.To = "not an address" },
		"recipient with name":  func(m *Message) { m.To = "Zoe <zoe@example.org>" },
		"no sender":            func(m *Message) { m.FromAddress = "" },
		"bad reply-to":         func(m *Message) { m.ReplyTo = "nope" },
		"newline in subject":   func(m *Message) { m.Subject = "Hi\r\nBcc: victim@example.org" },
		"newline in name":      func(m *Message) { m.ToName = "Zoe\nBcc: victim@example.org" },
		"newline in header":    func(m *Message) { m.Headers = map[string]string{"X-A": "1\r\nBcc: v@example.org"} },
		"reserved header":      func(m *Message) { m.Headers = map[string]string{"bcc": "v@example.org"} },
		"bad header name":      func(m *Message) { m.Headers = map[string]string{"X A": "1"} },
		"malformed Message-ID": func(m *Message) { m.Headers = map[string]string{"Message-ID": "plain"} },
		"no body":              func(m *Message) { m.HTML, m.Text = "", "" },
		"empty subject":        func(m *Message) { m.Subject = " " },
	}
	for name, breakIt := range cases {
		t.Run(name, func(t *testing.T) {
			m := invitation()
			breakIt(&m)
			_, err := s.Send(context.Background(), m)
			require.Error(t, err)
			assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err))
			assert.True(t, IsPermanent(err))
		})
	}
	assert.Empty(t, srv.Received())
}

func TestSMTPSendsSinglePartMessages(t *testing.T) {
	srv := mailtest.Start(t, mailtest.PlainOnly, nil, nil)
	s := newTestSender(t, "smtp://"+srv.Addr+"?tls=none")
	for _, c := range []struct{ html, text, want string }{
		{"", "just text", "text/plain"},
		{"<p>just html</p>", "", "text/html"},
	} {
		m := invitation()
		m.HTML, m.Text = c.html, c.text
		_, err := s.Send(context.Background(), m)
		require.NoError(t, err)
		got := srv.Received()
		msg, err := netmail.ReadMessage(bytes.NewReader(got[len(got)-1].Data))
		require.NoError(t, err)
		mediaType, _, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
		require.NoError(t, err)
		assert.Equal(t, c.want, mediaType)
	}
}

func TestIsPermanent(t *testing.T) {
	assert.False(t, IsPermanent(nil))
	assert.False(t, IsPermanent(errors.New("boom")))
	assert.True(t, IsPermanent(fmt.Errorf("wrapped: %w", &SendError{Code: 550, Permanent: true})))
	assert.False(t, IsPermanent(fmt.Errorf("wrapped: %w", &SendError{Code: 421})))
	assert.True(t, IsPermanent(assessments.Errorf(assessments.EINVALID, "bad")))
}
