package bench

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// CandidateRun is one candidate taking an assessment through the candidate
// pages with plain HTTP, as a browser without JavaScript does: welcome,
// consent, instructions, each page of questions, review, submit.
type CandidateRun struct {
	client *http.Client
	// Pages is the time of each GET of a question page, at the client on
	// loopback (the server's time plus a few tens of microseconds).
	Pages []time.Duration
	// FirstPage is the first question page's HTML in bytes, as sent
	// uncompressed and gzip-compressed.
	FirstPage, FirstPageGzip int
}

// NewCandidateRun is a candidate whose client reads every redirect itself.
func NewCandidateRun() *CandidateRun {
	return &CandidateRun{client: &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var (
	candidateRadio = regexp.MustCompile(`type="radio" name="([^"]+)" value="([^"]+)"`)
	// ErrCandidateDone says the link showed the thank-you page at once.
	ErrCandidateDone = fmt.Errorf("the assessment is already completed")
)

// Complete takes the assessment at link (an absolute /a/{token} URL) to
// the end. It returns ErrCandidateDone when the link shows the thank-you
// page at once (an earlier run submitted it).
func (c *CandidateRun) Complete(ctx context.Context, link string) error {
	u, err := url.Parse(link)
	if err != nil {
		return err
	}
	base := u.Path
	res, body, err := c.do(ctx, http.MethodGet, link, nil, false)
	if err != nil {
		return err
	}
	next := ""
	switch {
	case res.StatusCode == http.StatusSeeOther: // resumed: straight to the furthest page
		next = res.Header.Get("Location")
	case res.StatusCode != http.StatusOK:
		return fmt.Errorf("welcome page: %d", res.StatusCode)
	case strings.Contains(body, "Thank you"):
		return ErrCandidateDone
	default:
		res, _, err = c.do(ctx, http.MethodPost, link+"/start", url.Values{"consent": {"yes"}}, false)
		if err != nil {
			return err
		}
		if res.StatusCode != http.StatusSeeOther {
			return fmt.Errorf("start: %d", res.StatusCode)
		}
		next = res.Header.Get("Location")
	}
	first := true
	for range 50 {
		target, err := u.Parse(next)
		if err != nil {
			return err
		}
		switch {
		case target.Path == base:
			_, body, err := c.do(ctx, http.MethodGet, target.String(), nil, false)
			if err != nil {
				return err
			}
			if strings.Contains(body, "Thank you") {
				return nil
			}
			return fmt.Errorf("ended on %s without the thank-you page", target.Path)
		case strings.HasSuffix(target.Path, "/review"):
			res, _, err := c.do(ctx, http.MethodPost, u.String()+"/submit", url.Values{}, false)
			if err != nil {
				return err
			}
			if res.StatusCode != http.StatusSeeOther {
				return fmt.Errorf("submit: %d", res.StatusCode)
			}
			next = res.Header.Get("Location")
			continue
		}
		start := time.Now()
		res, body, err := c.do(ctx, http.MethodGet, target.String(), nil, first)
		if err != nil {
			return err
		}
		form := answerForm(body)
		if len(form) > 0 {
			c.Pages = append(c.Pages, time.Since(start))
			if first {
				first = false
				c.FirstPage, c.FirstPageGzip = len(body), gzipSize(res)
			}
		}
		form.Set("nav", "next")
		res, _, err = c.do(ctx, http.MethodPost, target.String(), form, false)
		if err != nil {
			return err
		}
		if res.StatusCode != http.StatusSeeOther {
			return fmt.Errorf("%s: %d", target.Path, res.StatusCode)
		}
		next = res.Header.Get("Location")
	}
	return fmt.Errorf("no end after 50 pages")
}

// answerForm answers every radio question of a page: Likert answers
// vary, so that the attempt does not look like straight-lining.
func answerForm(body string) url.Values {
	form := url.Values{}
	options := map[string][]string{}
	var names []string
	for _, m := range candidateRadio.FindAllStringSubmatch(body, -1) {
		if _, ok := options[m[1]]; !ok {
			names = append(names, m[1])
		}
		options[m[1]] = append(options[m[1]], m[2])
	}
	for i, n := range names {
		opts := options[n]
		form.Set(n, opts[(i*7+3)%len(opts)])
	}
	return form
}

// gzipWire is set on a response whose body was gzip on the wire.
const gzipWire = "X-Bench-Gzip-Bytes"

// do makes a request. With compressed, it asks for gzip and records the
// compressed size before inflating.
func (c *CandidateRun) do(ctx context.Context, method, target string, form url.Values, compressed bool) (*http.Response, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if compressed {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	res, err := c.client.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, "", err
	}
	if compressed && res.Header.Get("Content-Encoding") == "gzip" {
		res.Header.Set(gzipWire, strconv.Itoa(len(raw)))
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, "", err
		}
		if raw, err = io.ReadAll(zr); err != nil {
			return nil, "", err
		}
	}
	return res, string(raw), nil
}

func gzipSize(res *http.Response) int {
	n, _ := strconv.Atoi(res.Header.Get(gzipWire))
	return n
}
