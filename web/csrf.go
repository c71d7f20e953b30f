package web

import (
	"crypto/rand"
	"crypto/subtle"
	"net/http"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/handlers"
)

// sessionCSRF guards a group's unsafe requests with a token kept in the
// server-side session: the form (or htmx's X-CSRF-Token header) must carry
// the very token this session holds. A double-submit cookie only proves
// that the form and a cookie agree, and a sibling subdomain can plant the
// cookie; the session cannot be planted. Signing in rotates the token
// (handlers.SessionCSRF is removed with the old privileges).
func sessionCSRF(sessions *scs.SessionManager) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ctx := c.Request().Context()
			token := sessions.GetString(ctx, handlers.SessionCSRF)
			switch c.Request().Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
				if token == "" {
					token = rand.Text()
					sessions.Put(ctx, handlers.SessionCSRF, token)
				}
			default:
				sent := c.Request().Header.Get("X-CSRF-Token")
				if sent == "" {
					sent = c.FormValue("_csrf")
				}
				if sent == "" {
					return echo.NewHTTPError(http.StatusBadRequest, "The form was sent without its security token. Reload the page and try again.")
				}
				// A session without a token (expired, or never shown a
				// form) matches nothing.
				if token == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
					return echo.NewHTTPError(http.StatusForbidden, "The form's security token has expired or belongs to another session. Reload the page and try again.")
				}
			}
			c.Set(handlers.CSRFContextKey, token)
			return next(c)
		}
	}
}
