package web

import (
	"errors"
	"fmt"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/routes"
)

// table attaches handlers to the routes declared in package routes: a
// handler for a name that is not declared, or outside its group's prefix,
// keeps the server from starting instead of serving a path no builder makes.
type table struct {
	declared map[string]routes.Route
	errs     []error
}

func newTable() *table {
	t := &table{declared: map[string]routes.Route{}}
	for _, r := range routes.All() {
		t.declared[r.Name] = r
	}
	return t
}

// router is what echo.Echo and echo.Group have in common.
type router interface {
	Add(method, path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route
	Any(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) []*echo.Route
}

// area is one group of the route table with the prefix its routes share.
type area struct {
	t      *table
	r      router
	prefix string
}

// root is the area of the routes registered on Echo itself.
func (t *table) root(e *echo.Echo) area { return area{t: t, r: e} }

// group opens an Echo group for a prefix declared in package routes.
func (t *table) group(e *echo.Echo, prefix string, m ...echo.MiddlewareFunc) area {
	return area{t: t, r: e.Group(prefix, m...), prefix: prefix}
}

// add registers the declared route name with its handler, under its name
// in Echo.
func (a area) add(name string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	d, ok := a.t.declared[name]
	if !ok {
		a.t.errs = append(a.t.errs, fmt.Errorf("web: route %s is not declared in package routes", name))
		return
	}
	path, ok := strings.CutPrefix(d.Pattern, a.prefix)
	if !ok {
		a.t.errs = append(a.t.errs, fmt.Errorf("web: route %s (%s) is outside its group %s", name, d.Pattern, a.prefix))
		return
	}
	if d.Method == routes.Any {
		for _, r := range a.r.Any(path, h, m...) {
			r.Name = name
		}
		return
	}
	a.r.Add(d.Method, path, h, m...).Name = name
}

func (t *table) err() error { return errors.Join(t.errs...) }
