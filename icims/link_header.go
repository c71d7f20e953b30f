package icims

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ParseLinkHeader parses RFC 8288 Link header values into links, keeping
// rel and title. Commas and semicolons inside <…> and quoted strings are
// part of the value.
func ParseLinkHeader(values []string) ([]Link, error) {
	var links []Link
	for _, v := range values {
		// A body's links decode as UTF-8; so must the header's, or the
		// delivery would be stored other than it was received.
		if !utf8.ValidString(v) {
			return nil, &EventError{Reason: ReasonBadLinkHeader, Detail: "not UTF-8"}
		}
		p := linkParser{s: v}
		for {
			p.skip(" \t,")
			if p.done() {
				break
			}
			l, err := p.link()
			if err != nil {
				return nil, &EventError{Reason: ReasonBadLinkHeader, Detail: err.Error()}
			}
			links = append(links, l)
		}
	}
	return links, nil
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

func (p *linkParser) link() (Link, error) {
	if p.s[p.i] != '<' {
		return Link{}, fmt.Errorf("want '<' at offset %d", p.i)
	}
	end := strings.IndexByte(p.s[p.i:], '>')
	if end < 0 {
		return Link{}, errors.New("unterminated <url>")
	}
	l := Link{URL: strings.TrimSpace(p.s[p.i+1 : p.i+end])}
	p.i += end + 1
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

// FormatLinkHeader writes links as one Link header value, the inverse of
// ParseLinkHeader; the simulator uses it to repeat an event's links.
func FormatLinkHeader(links []Link) string {
	parts := make([]string, 0, len(links))
	for _, l := range links {
		s := "<" + l.URL + ">; rel=" + quoteHeader(l.Rel)
		if l.Title != "" {
			s += "; title=" + quoteHeader(l.Title)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// quoteHeader writes an RFC 9110 quoted-string.
func quoteHeader(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", " ", "\n", " ")
	return `"` + r.Replace(s) + `"`
}
