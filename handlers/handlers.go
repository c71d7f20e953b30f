// Package handlers holds the Echo handlers: each binds and validates its
// input, calls the domain, and renders a page or redirects. No SQL here.
package handlers

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/static"
	"github.com/jobcannon/jobcannon/views"
)

// Readiness reports whether the service can do its work: the database
// answers and its schema is current.
type Readiness interface {
	Ready(ctx context.Context) error
}

// Handlers carries what the handlers need. It is built once, in the
// service's wiring function.
type Handlers struct {
	Log     *slog.Logger
	Assets  *static.Assets
	Ready   Readiness
	Sandbox bool
}

// Page returns the layout data every page starts from.
func (h *Handlers) Page(c echo.Context, title string) views.Page {
	return views.Page{Title: title, Asset: h.Assets.URL, Current: c.Request().URL.Path}
}

// Render writes a templ component with the given status.
func Render(c echo.Context, status int, comp templ.Component) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return comp.Render(c.Request().Context(), c.Response())
}

// Home shows the start page.
func (h *Handlers) Home(c echo.Context) error {
	return Render(c, http.StatusOK, views.Home(h.Page(c, ""), h.Sandbox))
}
