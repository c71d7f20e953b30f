package handlers

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/views"
)

// mailFrameCSP is the policy of an e-mail's HTML shown in a frame: no
// script at all, the inline styles e-mail layouts depend on, images from
// anywhere (as a mail app shows them), and links that open outside the
// frame.
const mailFrameCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; " +
	"frame-ancestors 'self'; form-action 'none'; sandbox allow-popups allow-popups-to-escape-sandbox"

// serveMailHTML writes an e-mail's HTML for a frame. A <base
// target="_blank"> makes its links open in a new tab, as they would from a
// mail app, instead of inside the sandboxed frame.
func serveMailHTML(c echo.Context, html string) error {
	h := c.Response().Header()
	h.Set("Content-Security-Policy", mailFrameCSP)
	h.Set("Cache-Control", "no-store")
	const base = `<base target="_blank">`
	if i := strings.Index(strings.ToLower(html), "<head>"); i >= 0 {
		html = html[:i+len("<head>")] + base + html[i+len("<head>"):]
	} else {
		html = base + html
	}
	return c.HTML(http.StatusOK, html)
}

// mailboxMessage finds the message named by the :id parameter.
func (h *Site) mailboxMessage(c echo.Context) (mail.StoredMessage, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return mail.StoredMessage{}, echo.ErrNotFound
	}
	return h.Mailbox.Get(c.Request().Context(), id)
}

// linkPattern finds web links in a text part.
var linkPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// messageLinks lists the distinct http(s) links of a text part, in order.
func messageLinks(text string) []string {
	var out []string
	for _, l := range linkPattern.FindAllString(text, -1) {
		l = strings.TrimRight(l, ".,;:!?)")
		if u, err := url.Parse(l); err == nil && u.Host != "" && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// MailboxShow shows one message: headers, its links, the HTML part in a
// sandboxed frame and the text part.
func (h *Site) MailboxShow(c echo.Context) error {
	m, err := h.mailboxMessage(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return Render(c, http.StatusOK, views.MailboxMessage(h.sandboxPage(c, m.Subject),
		views.MailboxMessageView{Message: m, Links: messageLinks(m.Text)}))
}

// MailboxHTML serves a message's HTML part for the frame on its page.
func (h *Site) MailboxHTML(c echo.Context) error {
	m, err := h.mailboxMessage(c)
	if err != nil {
		return err
	}
	if m.HTML == "" {
		return echo.ErrNotFound
	}
	return serveMailHTML(c, m.HTML)
}

// MailboxText serves a message's text part as plain text.
func (h *Site) MailboxText(c echo.Context) error {
	m, err := h.mailboxMessage(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.String(http.StatusOK, m.Text)
}
