package routes

const (
	mailboxMessage = MailboxPrefix + "/:id"
	mailboxHTML    = MailboxPrefix + "/:id/html"
	mailboxText    = MailboxPrefix + "/:id/text"
	sandbox        = "/sandbox/*"
)

// MailboxList is the dev mailbox.
func MailboxList() string { return MailboxPrefix }

// MailboxShow is one message of the dev mailbox.
func MailboxShow(msgID int64) string { return fill(mailboxMessage, id(msgID)) }

// MailboxHTML is a message's HTML part, shown in a frame.
func MailboxHTML(msgID int64) string { return fill(mailboxHTML, id(msgID)) }

// MailboxText is a message's text part.
func MailboxText(msgID int64) string { return fill(mailboxText, id(msgID)) }

// Sandbox is a page of the simulated iCIMS; path is relative to its root
// ("" for the root, "marketplace" for the Marketplace).
func Sandbox(path string) string { return fill(sandbox, path) }
