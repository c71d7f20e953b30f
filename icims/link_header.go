package icims

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// ParseLinkHeader parses Link header values into the links iCIMS uses,
// keeping rel and title. It reads iCIMS's own form, seen on real events
// (url;rel="user";title="Posting User", links joined by commas, often a
// trailing one, no angle brackets) and RFC 8288's (<url>; rel="user").
// Commas and semicolons inside <…> and quoted strings are part of the
// value. Links whose rel is not one of the Rel* constants are dropped. A
// link it cannot read is skipped: it returns the links it could read along
// with an *EventError naming the first problem, so that a caller with
// other links to go on can log it instead of losing the event.
func ParseLinkHeader(values []string) ([]Link, error) {
	var links []Link
	var first error
	fail := func(detail string) {
		if first == nil {
			first = &EventError{Reason: ReasonBadLinkHeader, Detail: detail}
		}
	}
	for _, v := range values {
		// A body's links decode as UTF-8; so must the header's, or the
		// delivery would be stored other than it was received.
		if !utf8.ValidString(v) {
			fail("not UTF-8")
			continue
		}
		p := linkParser{s: v}
		for {
			p.skip(" \t,")
			if p.done() {
				break
			}
			l, err := p.link()
			if err != nil {
				fail(err.Error())
				p.skipLink()
				continue
			}
			if rel, ok := knownRel(l.Rel); ok {
				l.Rel = rel
				links = append(links, l)
			}
		}
	}
	return links, first
}

// knownRel returns the Rel* constant rel names; relation types compare
// case-insensitively (RFC 8288 §2.1.1).
func knownRel(rel string) (string, bool) {
	for _, known := range []string{RelApplicantWorkflow, RelJob, RelPerson, RelUser} {
		if strings.EqualFold(rel, known) {
			return known, true
		}
	}
	return "", false
}

type linkParser struct {
	s string
	i int
}

func (p *linkParser) done() bool { return p.i >= len(p.s) }

func (p *linkParser) skip(chars string) {
	for !p.done() && strings.IndexByte(chars, p.s[p.i]) >= 0 {
		p.i++
	}
}

// skipLink moves past the rest of a link it could not read, to the comma
// that ends it (outside quotes and angle brackets) or the end.
func (p *linkParser) skipLink() {
	quoted, angled := false, false
	for ; !p.done(); p.i++ {
		switch c := p.s[p.i]; {
		case quoted && c == '\\':
			p.i++
		case c == '"' && !angled:
			quoted = !quoted
		case c == '<' && !quoted:
			angled = true
		case c == '>' && !quoted:
			angled = false
		case c == ',' && !quoted && !angled:
			return
		}
	}
}

func (p *linkParser) link() (Link, error) {
	var l Link
	if p.s[p.i] == '<' {
		end := strings.IndexByte(p.s[p.i:], '>')
		if end < 0 {
			return Link{}, errors.New("unterminated <url>")
		}
		l.URL = strings.TrimSpace(p.s[p.i+1 : p.i+end])
		p.i += end + 1
	} else {
		// iCIMS's form: the URL runs to the first ';' or ','; its API
		// URLs have neither.
		start := p.i
		for !p.done() && p.s[p.i] != ';' && p.s[p.i] != ',' {
			p.i++
		}
		l.URL = strings.TrimSpace(p.s[start:p.i])
		if u, err := url.Parse(l.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return Link{}, fmt.Errorf("%q at offset %d is neither <url> nor an absolute http(s) URL", l.URL, start)
		}
	}
	for {
		p.skip(" \t")
		if p.done() || p.s[p.i] == ',' {
			return l, nil
		}
		if p.s[p.i] != ';' {
			return Link{}, fmt.Errorf("want ';' or ',' at offset %d", p.i)
		}
		p.i++
		name, value, err := p.param()
		if err != nil {
			return Link{}, err
		}
		// Trimmed, as the body's fields are.
		switch name {
		case "rel":
			l.Rel = strings.TrimSpace(value)
		case "title":
			l.Title = strings.TrimSpace(value)
		}
	}
}

func (p *linkParser) param() (name, value string, err error) {
	p.skip(" \t")
	start := p.i
	for !p.done() && strings.IndexByte("=;, \t", p.s[p.i]) < 0 {
		p.i++
	}
	name = strings.ToLower(p.s[start:p.i])
	if name == "" {
		return "", "", fmt.Errorf("empty parameter name at offset %d", p.i)
	}
	p.skip(" \t")
	if p.done() || p.s[p.i] != '=' {
		return name, "", nil
	}
	p.i++
	p.skip(" \t")
	if !p.done() && p.s[p.i] == '"' {
		value, err = p.quoted()
		return name, value, err
	}
	start = p.i
	for !p.done() && strings.IndexByte(";, \t", p.s[p.i]) < 0 {
		p.i++
	}
	return name, p.s[start:p.i], nil
}

func (p *linkParser) quoted() (string, error) {
	var b strings.Builder
	for p.i++; !p.done(); p.i++ {
		switch c := p.s[p.i]; c {
		case '\\':
			p.i++
			if p.done() {
				return "", errors.New("unterminated quoted string")
			}
			b.WriteByte(p.s[p.i])
		case '"':
			p.i++
			return b.String(), nil
		default:
			b.WriteByte(c)
		}
	}
	return "", errors.New("unterminated quoted string")
}
