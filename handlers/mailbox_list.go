package handlers

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// MailboxStore is the dev mailbox; *sqlite.Mailbox is one.
type MailboxStore interface {
	List(ctx context.Context, limit, beforeID int64) ([]mail.StoredMessage, error)
	Get(ctx context.Context, id int64) (mail.StoredMessage, error)
}

// mailboxPageSize is how many messages one mailbox page lists.
const mailboxPageSize = 50

// sandboxPage is Page with the sandbox navigation.
func (h *Site) sandboxPage(c echo.Context, title string) views.Page {
	p := h.Page(c, title)
	p.Nav = "sandbox"
	return p
}

// MailboxList lists the dev mailbox, newest first; ?before=ID pages back.
func (h *Site) MailboxList(c echo.Context) error {
	before, _ := strconv.ParseInt(c.QueryParam("before"), 10, 64)
	msgs, err := h.Mailbox.List(c.Request().Context(), mailboxPageSize, max(before, 0))
	if err != nil {
		return err
	}
	v := views.MailboxListView{Messages: msgs}
	if len(msgs) == mailboxPageSize {
		v.Older = routes.MailboxList() + "?before=" + strconv.FormatInt(msgs[len(msgs)-1].ID, 10)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return Render(c, http.StatusOK, views.MailboxList(h.sandboxPage(c, "Dev mailbox"), v))
}
