package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/handlers"
	"github.com/jobcannon/jobcannon/views"
)

// statusOf maps each domain error code to its HTTP status: the one place
// where the domain's vocabulary meets HTTP.
var statusOf = map[string]int{
	assessments.ECONFLICT:     http.StatusConflict,
	assessments.EFORBIDDEN:    http.StatusForbidden,
	assessments.EINTERNAL:     http.StatusInternalServerError,
	assessments.EINVALID:      http.StatusBadRequest,
	assessments.ENOTFOUND:     http.StatusNotFound,
	assessments.ETOOMANY:      http.StatusTooManyRequests,
	assessments.EUNAUTHORIZED: http.StatusUnauthorized,
	assessments.EUNAVAILABLE:  http.StatusServiceUnavailable,
}

// headings are what an HTML error page says first, by status.
var headings = map[int]string{
	http.StatusBadRequest:            "Something in that request isn't right",
	http.StatusUnauthorized:          "Please sign in",
	http.StatusForbidden:             "You don't have access to this",
	http.StatusNotFound:              "We can't find that page",
	http.StatusMethodNotAllowed:      "That action isn't allowed here",
	http.StatusConflict:              "That conflicts with something that already exists",
	http.StatusRequestEntityTooLarge: "That request is too large",
	http.StatusTooManyRequests:       "Too many attempts",
	http.StatusServiceUnavailable:    "Temporarily unavailable",
}

// publicError is what the error handler tells the client.
type publicError struct {
	status  int
	code    string
	message string
}

func classify(err error) publicError {
	var he *echo.HTTPError
	var de *assessments.Error
	switch {
	case errors.As(err, &de):
		status, ok := statusOf[de.Code]
		if !ok {
			status = http.StatusInternalServerError
		}
		return publicError{status: status, code: de.Code, message: de.Message}
	case errors.As(err, &he):
		msg, _ := he.Message.(string)
		if msg == "" || msg == http.StatusText(he.Code) {
			msg = defaultMessage(he.Code)
		}
		return publicError{status: he.Code, code: codeOf(he.Code), message: msg}
	}
	return publicError{status: http.StatusInternalServerError, code: assessments.EINTERNAL, message: defaultMessage(http.StatusInternalServerError)}
}

func codeOf(status int) string {
	for code, s := range statusOf {
		if s == status {
			return code
		}
	}
	if status >= 500 {
		return assessments.EINTERNAL
	}
	return assessments.EINVALID
}

func defaultMessage(status int) string {
	switch status {
	case http.StatusNotFound:
		return "The address may be mistyped, or the page may have moved or been removed."
	case http.StatusMethodNotAllowed:
		return "This address does not accept that kind of request."
	case http.StatusRequestEntityTooLarge:
		return "The request body is larger than this server accepts."
	case http.StatusServiceUnavailable:
		return "The service is busy or being updated. Please try again in a minute."
	}
	if status >= 500 {
		return "Something went wrong on our side. It has been logged; please try again."
	}
	return http.StatusText(status) + "."
}

type responseFormat int

const (
	formatHTML responseFormat = iota
	formatJSON
	formatICIMS
)

func formatFor(c echo.Context) responseFormat {
	path := c.Request().URL.Path
	switch {
	case strings.HasPrefix(path, "/icims/") && path != "/icims/oauth-callback":
		return formatICIMS
	case strings.HasPrefix(path, "/api/"), path == "/healthz", path == "/readyz", path == "/metrics", path == "/oauth/token":
		return formatJSON
	}
	accept := c.Request().Header.Get(echo.HeaderAccept)
	if strings.Contains(accept, echo.MIMEApplicationJSON) && !strings.Contains(accept, echo.MIMETextHTML) {
		return formatJSON
	}
	return formatHTML
}

// handleError is Echo's one error handler. It logs server errors once, with
// the request id, and answers in the shape the caller understands: iCIMS's
// vendor error body on /icims/*, JSON for APIs, a page for people.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	pe := classify(err)
	ctx := c.Request().Context()
	reqID := c.Response().Header().Get(echo.HeaderXRequestID)
	if pe.status >= 500 {
		s.cfg.Log.ErrorContext(ctx, "request failed", "err", err, "status_code", pe.status)
	}
	if c.Request().Method == http.MethodHead {
		s.writeOrLog(c, c.NoContent(pe.status))
		return
	}
	switch formatFor(c) {
	case formatICIMS:
		debug := pe.code + ": " + pe.message
		if reqID != "" {
			debug += " (request " + reqID + ")"
		}
		s.writeOrLog(c, c.JSON(pe.status, map[string]any{"error": map[string]string{
			"userMessage": pe.message, "debugErrorMessage": debug,
		}}))
	case formatJSON:
		body := map[string]any{"error": map[string]string{"code": pe.code, "message": pe.message, "request_id": reqID}}
		c.Response().Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
		c.Response().WriteHeader(pe.status)
		s.writeOrLog(c, json.NewEncoder(c.Response()).Encode(body))
	default:
		heading, ok := headings[pe.status]
		if !ok {
			heading = "Something went wrong"
		}
		p := views.Page{Title: heading, Asset: s.h.Shared.Assets.URL, Sandbox: s.h.Shared.Sandbox}
		s.writeOrLog(c, handlers.Render(c, pe.status, views.ErrorPage(p, pe.status, heading, pe.message, reqID)))
	}
}

func (s *Server) writeOrLog(c echo.Context, err error) {
	if err != nil {
		s.cfg.Log.WarnContext(c.Request().Context(), "write error response", "err", err, slog.String("route", c.Path()))
	}
}
