package mail

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"strings"
)

// MailboxStore keeps messages for the dev mailbox; sqlite.Mailbox is one.
// The message's Message-ID arrives in its Headers.
type MailboxStore interface {
	Save(ctx context.Context, m Message) (id int64, err error)
}

// DevMailbox is the Sender the sandbox uses instead of SMTP: each message
// is stored in the database, where the mailbox page shows it.
type DevMailbox struct {
	store  MailboxStore
	newID  IDGenerator
	logger *slog.Logger
}

// NewDevMailbox returns a dev mailbox that saves into store.
func NewDevMailbox(store MailboxStore, newID IDGenerator, logger *slog.Logger) *DevMailbox {
	return &DevMailbox{store: store, newID: newID, logger: logger}
}

// Send validates m as the SMTP sender would, so mistakes show up in the
// sandbox rather than in production, and stores it.
func (d *DevMailbox) Send(ctx context.Context, m Message) (string, error) {
	if err := m.Validate(); err != nil {
		return "", fmt.Errorf("mail: send: %w", err)
	}
	id := m.messageID(d.newID)
	// A copy: the caller's map is not ours to change.
	headers := maps.Clone(m.Headers)
	if headers == nil {
		headers = map[string]string{}
	}
	maps.DeleteFunc(headers, func(k, _ string) bool { return strings.EqualFold(k, HeaderMessageID) })
	headers[HeaderMessageID] = id
	m.Headers = headers
	stored, err := d.store.Save(ctx, m)
	if err != nil {
		return "", fmt.Errorf("mail: send to dev mailbox: %w", err)
	}
	d.logger.InfoContext(ctx, "mail: kept in dev mailbox", "tenant", m.TenantID,
		"invitation_id", m.InvitationID, "mailbox_id", stored, "message_id", id)
	return id, nil
}
