package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/mail"
)

// Mailbox page sizes: List's default and its ceiling.
const (
	MailboxDefaultLimit = 50
	MailboxMaxLimit     = 500
)

// Mailbox is the dev mailbox: every e-mail the sandbox would have sent,
// kept in the dev_mailbox table so people can read it in the browser.
type Mailbox struct {
	db    *DB
	clock assessments.Clock
}

// NewMailbox returns the dev mailbox store; clock stamps saved messages.
func NewMailbox(db *DB, clock assessments.Clock) *Mailbox {
	return &Mailbox{db: db, clock: clock}
}

// Save stores m and returns its mailbox id. The Message-ID header, which
// the sender sets, gets its own column; the other headers are kept as JSON.
func (mb *Mailbox) Save(ctx context.Context, m mail.Message) (int64, error) {
	headers := maps.Clone(m.Headers)
	maps.DeleteFunc(headers, func(k, _ string) bool { return strings.EqualFold(k, mail.HeaderMessageID) })
	if headers == nil {
		headers = map[string]string{}
	}
	hj, err := json.Marshal(headers)
	if err != nil {
		return 0, fmt.Errorf("storage: save message: %w", err)
	}
	var id int64
	err = mb.db.W.QueryRowContext(ctx, `
		INSERT INTO dev_mailbox (tenant_id, invitation_id, message_id, to_address, to_name,
			from_address, from_name, reply_to, subject, html, text, headers, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		nullID(m.TenantID), nullID(m.InvitationID), m.Header(mail.HeaderMessageID), m.To, m.ToName,
		m.FromAddress, m.FromName, m.ReplyTo, m.Subject, m.HTML, m.Text, string(hj), mb.clock.Now().UTC(),
	).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("storage: save message: %w", err)
	}
	return id, nil
}

// List returns up to limit messages, newest first, whose id is below
// beforeID; beforeID 0 starts from the newest. Pass the last id of one page
// as beforeID to get the next.
func (mb *Mailbox) List(ctx context.Context, limit, beforeID int64) ([]mail.StoredMessage, error) {
	if limit <= 0 {
		limit = MailboxDefaultLimit
	}
	limit = min(limit, MailboxMaxLimit)
	rows, err := mb.db.R.QueryContext(ctx, `
		SELECT `+mailboxColumns+`
		FROM dev_mailbox
		WHERE ? = 0 OR id < ?
		ORDER BY id DESC
		LIMIT ?`, beforeID, beforeID, limit)
	if err != nil {
		return nil, fmt.Errorf("storage: list messages: %w", err)
	}
	defer rows.Close()
	var out []mail.StoredMessage
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: list messages: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: list messages: %w", err)
	}
	return out, nil
}

// Get returns the message with mailbox id id, or a domain ENOTFOUND error.
func (mb *Mailbox) Get(ctx context.Context, id int64) (mail.StoredMessage, error) {
	row := mb.db.R.QueryRowContext(ctx, `SELECT `+mailboxColumns+` FROM dev_mailbox WHERE id = ?`, id)
	m, err := scanMessage(row)
	if errors.Is(err, sql.ErrNoRows) {
		return mail.StoredMessage{}, assessments.Errorf(assessments.ENOTFOUND, "There is no message %d in the mailbox.", id)
	} else if err != nil {
		return mail.StoredMessage{}, fmt.Errorf("storage: get message: %w", err)
	}
	return m, nil
}

// DeleteOlderThan deletes the messages stored before t and returns how many
// it deleted; retention calls it.
func (mb *Mailbox) DeleteOlderThan(ctx context.Context, t time.Time) (int64, error) {
	res, err := mb.db.W.ExecContext(ctx, `DELETE FROM dev_mailbox WHERE created_at < ?`, t.UTC())
	if err != nil {
		return 0, fmt.Errorf("storage: delete old messages: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("storage: delete old messages: %w", err)
	}
	return n, nil
}

const mailboxColumns = `id, tenant_id, invitation_id, message_id, to_address, to_name,
	from_address, from_name, reply_to, subject, html, text, headers, created_at`

// scanMessage reads one row selected with mailboxColumns.
func scanMessage(row interface{ Scan(...any) error }) (mail.StoredMessage, error) {
	var (
		m                    mail.StoredMessage
		tenantID, invitation sql.NullInt64
		headers              string
	)
	err := row.Scan(&m.ID, &tenantID, &invitation, &m.MessageID, &m.To, &m.ToName,
		&m.FromAddress, &m.FromName, &m.ReplyTo, &m.Subject, &m.HTML, &m.Text, &headers, &m.CreatedAt)
	if err != nil {
		return mail.StoredMessage{}, err
	}
	m.TenantID, m.InvitationID = tenantID.Int64, invitation.Int64
	if err := json.Unmarshal([]byte(headers), &m.Headers); err != nil {
		return mail.StoredMessage{}, fmt.Errorf("headers of message %d: %w", m.ID, err)
	}
	m.CreatedAt = m.CreatedAt.UTC()
	return m, nil
}

// nullID stores a zero id as NULL: "no tenant", not tenant number 0.
func nullID(id int64) sql.NullInt64 {
	return sql.NullInt64{Int64: id, Valid: id != 0}
}
