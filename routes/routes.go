// Package routes declares every route of the service once: its name, method
// and pattern, and a typed URL builder per route. The web package registers
// the table; handlers and views build every in-app URL from the builders,
// so a path is typed in one place and a renamed route breaks the build, not
// a link. It imports nothing of ours, so anything may import it.
package routes

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Any is the method of a route that answers every method (the sandbox).
const Any = "ANY"

// Route is one route as Echo registers it.
type Route struct {
	// Name is the route's name in Echo, and the name of its URL builder
	// and of the handler that serves it.
	Name   string
	Method string
	// Pattern is the path in Echo's syntax: ":name" holds one segment,
	// a final "*" the rest of the path.
	Pattern string
}

// fill builds a path from a pattern, putting the parameters in place of its
// ":name" segments in order, each escaped so that a token cannot add a
// segment or a query. A final "*" takes the last parameter as it is: it
// is a path already.
func fill(pattern string, params ...string) string {
	var b strings.Builder
	rest := pattern
	for len(rest) > 0 {
		i := strings.IndexAny(rest, ":*")
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		if len(params) == 0 {
			panic("routes: too few parameters for " + pattern)
		}
		if rest[i] == '*' {
			b.WriteString(params[0])
			params, rest = params[1:], rest[i+1:]
			continue
		}
		end := strings.IndexByte(rest[i:], '/')
		if end < 0 {
			end = len(rest) - i
		}
		b.WriteString(url.PathEscape(params[0]))
		params, rest = params[1:], rest[i+end:]
	}
	if len(params) > 0 {
		panic("routes: too many parameters for " + pattern)
	}
	return b.String()
}

func id(v int64) string { return strconv.FormatInt(v, 10) }

func get(name, pattern string) Route {
	return Route{Name: name, Method: http.MethodGet, Pattern: pattern}
}
func post(name, pattern string) Route {
	return Route{Name: name, Method: http.MethodPost, Pattern: pattern}
}
