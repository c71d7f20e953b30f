package mail

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// TLSMode says how the SMTP connection is encrypted.
type TLSMode string

// The TLS modes an SMTP URL can ask for.
const (
	// TLSOpportunistic upgrades with STARTTLS when the server offers it.
	TLSOpportunistic TLSMode = "opportunistic"
	// TLSRequired fails unless the server offers STARTTLS.
	TLSRequired TLSMode = "required"
	// TLSNone never encrypts: for a relay on the same machine, and tests.
	TLSNone TLSMode = "none"
	// TLSImplicit speaks TLS from the first byte (smtps://, port 465).
	TLSImplicit TLSMode = "implicit"
)

// SMTPConfig is where and how to connect to the SMTP server.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	TLS      TLSMode
}

// String returns the configuration as a URL with the password hidden, for
// logs and error messages.
func (c SMTPConfig) String() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(c.Host, strconv.Itoa(c.Port))}
	if c.TLS == TLSImplicit {
		u.Scheme = "smtps"
	} else if c.TLS != TLSOpportunistic {
		u.RawQuery = "tls=" + string(c.TLS)
	}
	if c.Username != "" {
		u.User = url.UserPassword(c.Username, "xxxxx")
	}
	return u.String()
}

// ParseSMTPURL reads an SMTP server URL:
//
//	smtp://user:pass@host:587          STARTTLS when offered (port 587 if none given)
//	smtp://user:pass@host?tls=required STARTTLS or fail
//	smtp://host:25?tls=none            no encryption
//	smtps://user:pass@host:465         implicit TLS (port 465 if none given)
//
// User name and password are URL-encoded. Errors never repeat the password.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the whole URL, password included; keep only
		// its reason.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return SMTPConfig{}, fmt.Errorf("mail: smtp url: %w", err)
	}
	var c SMTPConfig
	switch u.Scheme {
	case "smtp":
		c.TLS, c.Port = TLSOpportunistic, 587
	case "smtps":
		c.TLS, c.Port = TLSImplicit, 465
	case "":
		return SMTPConfig{}, errors.New("mail: smtp url: missing scheme; use smtp://host:587 or smtps://host:465")
	default:
		return SMTPConfig{}, fmt.Errorf("mail: smtp url: unknown scheme %q; use smtp:// or smtps://", u.Scheme)
	}
	c.Host = u.Hostname()
	if c.Host == "" {
		return SMTPConfig{}, errors.New("mail: smtp url: missing host, as in smtp://mail.example.com:587")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTPConfig{}, fmt.Errorf("mail: smtp url: port %q is not a number from 1 to 65535", p)
		}
		c.Port = n
	}
	if u.Path != "" && u.Path != "/" {
		return SMTPConfig{}, fmt.Errorf("mail: smtp url: unexpected path %q", u.Path)
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	for key, values := range u.Query() {
		if key != "tls" {
			return SMTPConfig{}, fmt.Errorf("mail: smtp url: unknown parameter %q; only tls= is understood", key)
		}
		mode := TLSMode(strings.ToLower(values[len(values)-1]))
		switch {
		case c.TLS == TLSImplicit:
			return SMTPConfig{}, errors.New("mail: smtp url: smtps:// always uses TLS; tls= is only for smtp://")
		case mode == TLSOpportunistic || mode == TLSRequired || mode == TLSNone:
			c.TLS = mode
		default:
			return SMTPConfig{}, fmt.Errorf("mail: smtp url: tls=%s is not one of opportunistic, required, none", mode)
		}
	}
	return c, nil
}
