package app

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// forged is a well-formed candidate token that was never issued.
const forged = "Zm9yZ2VkLXRva2VuLW5vdC1pc3N1ZWQtYnktdXMtYWJj"

// pageSays checks that the answer is one of our HTML pages saying what.
func pageSays(what string) func(*testing.T, *hostileEnv, answer) {
	return func(t *testing.T, _ *hostileEnv, a answer) {
		htmlPage(t, a)
		assert.Contains(t, a.Body, what)
	}
}

// linkCases are links that were never issued, have expired, or were
// tampered with: candidate links, report links and the recruiter's
// confirm links.
func linkCases(t *testing.T) []hostileCase {
	const notFound = "We can't find this assessment"
	answers := url.Values{"a.e01": {"3"}, "a.e02": {"4"}, "nav": {"next"}}
	return []hostileCase{
		{name: "candidate: forged link", status: 404, check: pageSays(notFound),
			attack: func(e *hostileEnv) answer { return e.get(nil, "/a/"+forged) }},
		{name: "candidate: link in other letter case", status: 404, check: pageSays(notFound),
			attack: func(e *hostileEnv) answer { return e.get(nil, "/a/"+swapCase(e.token)) }},
		{name: "candidate: expired link", status: 410, check: pageSays("This assessment link has expired"),
			attack: func(e *hostileEnv) answer { return e.get(nil, "/a/"+e.expired) }},
		{name: "candidate: withdrawn link", status: 410, check: pageSays("This assessment is no longer needed"),
			attack: func(e *hostileEnv) answer { return e.get(nil, "/a/"+e.cancelled) }},
		{name: "candidate: answers through a forged link", status: 404, check: pageSays(notFound),
			attack: func(e *hostileEnv) answer { return e.form(newBrowser(e.t), "/a/"+forged+"/step/1", "", answers) }},
		{name: "candidate: answers to an expired link", status: 410, check: pageSays("expired"),
			attack: func(e *hostileEnv) answer { return e.form(newBrowser(e.t), "/a/"+e.expired+"/step/1", "", answers) }},
		{name: "candidate: consent on an expired link", status: 410, check: pageSays("expired"),
			attack: func(e *hostileEnv) answer {
				return e.form(newBrowser(e.t), "/a/"+e.expired+"/start", "", url.Values{"consent": {"yes"}})
			}},
		{name: "candidate: submit through a withdrawn link", status: 410, check: pageSays("no longer needed"),
			attack: func(e *hostileEnv) answer {
				return e.form(newBrowser(e.t), "/a/"+e.cancelled+"/submit", "", url.Values{})
			}},
		{name: "candidate: accommodation through a forged link", status: 404, check: pageSays(notFound),
			attack: func(e *hostileEnv) answer {
				return e.form(newBrowser(e.t), "/a/"+forged+"/accommodation", "", url.Values{"message": {"More time"}})
			}},
		{name: "report: forged signature", status: 404, check: pageSays("We can&#39;t find that page"),
			attack: func(e *hostileEnv) answer { return e.get(nil, e.report[:len(e.report)-4]+"AAAA") }},
		{name: "report: no signature", status: 404, check: pageSays("We can&#39;t find that page"),
			attack: func(e *hostileEnv) answer { return e.get(nil, e.report[:strings.LastIndex(e.report, ".")]) }},
		{name: "report: Globex's report id under Acme's signature", status: 404, check: pageSays("We can&#39;t find that page"),
			attack: func(e *hostileEnv) answer {
				id := e.otherReport[len("/r/"):strings.LastIndex(e.otherReport, ".")]
				return e.get(nil, "/r/"+id+e.report[strings.LastIndex(e.report, "."):])
			}},
		{name: "confirm: forged link", status: 404, check: pageSays("This confirmation link is not valid"),
			attack: func(e *hostileEnv) answer { return e.get(nil, e.confirm[:len(e.confirm)-3]+"xyz") }},
		{name: "confirm: send without the CSRF token", status: 403, check: pageSays("Send an assessment"),
			attack: func(e *hostileEnv) answer {
				// The recruiter's browser has the CSRF cookie; the forged
				// form lacks the token.
				return e.form(e.recruiter, e.confirm, "", url.Values{"package_id": {idString(e.pkg[icimstest.AssessmentBigFive].ID)}, "action": {"send"}})
			}},
		{name: "confirm: send through a forged link", status: 403,
			attack: func(e *hostileEnv) answer {
				return e.form(newBrowser(e.t), e.confirm[:len(e.confirm)-3]+"xyz", "", url.Values{"action": {"send"}})
			}},
	}
}

// swapCase changes the case of every letter: tokens are case-sensitive.
func swapCase(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 32
		case r >= 'A' && r <= 'Z':
			return r + 32
		}
		return r
	}, s)
}

// pathCases try to leave the routes they name: dot segments, encoded
// slashes, ids that are not ids, and a redirect to another site.
func pathCases() []hostileCase {
	static := func(name, target string) hostileCase {
		return hostileCase{name: name, status: 404, never: []string{"module github.com/jobcannon"},
			attack: func(e *hostileEnv) answer { return e.get(nil, target) }}
	}
	signedIn := func(name, target string) hostileCase {
		return hostileCase{name: name, status: 404, check: pageSays("We can&#39;t find that page"),
			attack: func(e *hostileEnv) answer { return e.get(e.b, target) }}
	}
	return []hostileCase{
		static("path: /static/../go.mod", "/static/../go.mod"),
		static("path: /static/ with encoded dots", "/static/%2e%2e/%2e%2e/go.mod"),
		static("path: /static/ with encoded slashes", "/static/..%2f..%2fgo.mod"),
		static("path: /sandbox/static/ with encoded slashes", "/sandbox/static/..%2f..%2f..%2fgo.mod"),
		{name: "path: candidate token with encoded slashes", status: 404, check: pageSays("We can't find this assessment"),
			attack: func(e *hostileEnv) answer { return e.get(nil, "/a/..%2f..%2fadmin") }},
		signedIn("path: rule id with dot segments", "/admin/rules/..%2F..%2Fsandbox"),
		signedIn("path: package id with a slash", "/admin/catalog/1%2F..%2F2"),
		signedIn("path: negative package id", "/admin/catalog/-1"),
		signedIn("path: package id past int64", "/admin/catalog/99999999999999999999"),
		signedIn("path: invitation id with SQL", "/admin/invitations/1%20OR%201=1"),
		{name: "path: trailing-slash redirect to another site",
			attack: func(e *hostileEnv) answer { return e.get(nil, "//evil.example/") },
			check: func(t *testing.T, _ *hostileEnv, a answer) {
				assert.False(t, strings.HasPrefix(a.Location, "//") || strings.Contains(a.Location, "evil.example"), a.Location)
			}},
	}
}
