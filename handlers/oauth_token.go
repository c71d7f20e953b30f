package handlers

import (
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
)

// OAuth 2.0 error codes of the token endpoint (RFC 6749 §5.2) that we use.
const (
	oauthInvalidRequest       = "invalid_request"
	oauthInvalidClient        = "invalid_client"
	oauthUnsupportedGrantType = "unsupported_grant_type"
)

// oauthError is a token endpoint error: its HTTP status and its RFC 6749
// §5.2 body.
type oauthError struct {
	status      int
	Code        string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// tokenResponse is RFC 6749 §5.1's answer, in the shape iCIMS expects.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
}

// OAuthToken is our client-credentials token endpoint (RFC 6749 §4.4):
// iCIMS trades the client id and secret we issued for a Bearer token that
// it then sends with each event.
func (h *Install) OAuthToken(c echo.Context) error {
	// Token responses carry secrets: no cache may keep them (§5.1).
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("Pragma", "no-cache")
	ctx := c.Request().Context()
	clientID, clientSecret, oerr := parseTokenRequest(c.Request())
	if oerr != nil {
		return writeOAuthError(c, oerr)
	}
	tok, err := h.InboundTokens.Exchange(ctx, clientID, clientSecret)
	switch assessments.ErrorCode(err) {
	case "":
	case assessments.EUNAUTHORIZED:
		h.Log.WarnContext(ctx, "inbound token refused", "client_id", clientID, "reason", "bad client credentials")
		return writeOAuthError(c, &oauthError{status: http.StatusUnauthorized, Code: oauthInvalidClient,
			Description: assessments.ErrorMessage(err)})
	case assessments.ETOOMANY:
		h.Log.WarnContext(ctx, "inbound token refused", "client_id", clientID, "reason", "too many failures")
		wait, err := h.InboundTokens.RetryAfter(ctx, clientID)
		if err != nil {
			return fmt.Errorf("oauth token: %w", err)
		}
		retry := max(1, int(math.Ceil(wait.Seconds())))
		c.Response().Header().Set("Retry-After", strconv.Itoa(retry))
		return writeOAuthError(c, &oauthError{status: http.StatusTooManyRequests, Code: oauthInvalidClient,
			Description: assessments.ErrorMessage(err)})
	default:
		return fmt.Errorf("oauth token: %w", err)
	}
	h.Log.InfoContext(ctx, "inbound token issued", "tenant", tok.TenantID, "client_id", tok.ClientID)
	return c.JSON(http.StatusOK, tokenResponse{
		AccessToken: tok.Token, TokenType: "Bearer", ExpiresIn: int(assessments.InboundTokenLifetime.Seconds()),
	})
}

func writeOAuthError(c echo.Context, e *oauthError) error {
	if e.status == http.StatusUnauthorized {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Basic realm="jobcannon", charset="UTF-8"`)
	}
	return c.JSON(e.status, e)
}

func invalidRequest(description string) *oauthError {
	return &oauthError{status: http.StatusBadRequest, Code: oauthInvalidRequest, Description: description}
}

// parseTokenRequest reads a client-credentials request: a form body with
// grant_type, and the client authenticated either by HTTP Basic (§2.3.1,
// preferred) or by client_id and client_secret in the body, never both.
func parseTokenRequest(r *http.Request) (clientID, clientSecret string, _ *oauthError) {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	if err != nil || mediaType != echo.MIMEApplicationForm {
		return "", "", invalidRequest("Send the parameters as an application/x-www-form-urlencoded body.")
	}
	if r.URL.RawQuery != "" {
		return "", "", invalidRequest("Send the parameters in the request body, not in the URL.")
	}
	if err := r.ParseForm(); err != nil {
		return "", "", invalidRequest("The request body is not a valid form.")
	}
	for _, name := range []string{"grant_type", "client_id", "client_secret", "scope"} {
		if len(r.PostForm[name]) > 1 {
			return "", "", invalidRequest("The parameter " + name + " is repeated.")
		}
	}
	switch grant := r.PostForm.Get("grant_type"); grant {
	case "":
		return "", "", invalidRequest("The parameter grant_type is missing; use grant_type=client_credentials.")
	case "client_credentials":
	default:
		return "", "", &oauthError{status: http.StatusBadRequest, Code: oauthUnsupportedGrantType,
			Description: "Only grant_type=client_credentials is supported."}
	}

	formID, formSecret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if r.Header.Get(echo.HeaderAuthorization) == "" {
		if formID == "" || formSecret == "" {
			return "", "", &oauthError{status: http.StatusUnauthorized, Code: oauthInvalidClient,
				Description: "Authenticate with HTTP Basic or with client_id and client_secret in the body."}
		}
		return formID, formSecret, nil
	}
	user, pass, ok := r.BasicAuth()
	if !ok {
		return "", "", &oauthError{status: http.StatusUnauthorized, Code: oauthInvalidClient,
			Description: "The Authorization header must be HTTP Basic with the client id and secret."}
	}
	if formSecret != "" {
		return "", "", invalidRequest("Use one way to authenticate the client: HTTP Basic or client_secret in the body, not both.")
	}
	// §2.3.1: the id and secret are form-encoded before Basic encoding.
	// Ours have no characters that change, so a client that skips the
	// encoding still works.
	id, secret := formUnescape(user), formUnescape(pass)
	if formID != "" && formID != id {
		return "", "", invalidRequest("client_id in the body differs from the one in the Authorization header.")
	}
	return id, secret, nil
}

func formUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}
