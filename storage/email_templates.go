package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/mail"
)

// EmailTemplateStore keeps each tenant's invitation e-mail template.
type EmailTemplateStore struct {
	db    *DB
	clock assessments.Clock
}

// NewEmailTemplateStore returns an EmailTemplateStore.
func NewEmailTemplateStore(db *DB, clock assessments.Clock) *EmailTemplateStore {
	return &EmailTemplateStore{db: db, clock: clock}
}

// Template returns the tenant's template and true, or the default template
// and false when the tenant has not written one.
func (s *EmailTemplateStore) Template(ctx context.Context, tenantID int64) (mail.Template, bool, error) {
	var t mail.Template
	err := s.db.R.QueryRowContext(ctx, `SELECT subject, body, sender_name, reply_to, logo_url, brand_color
		FROM email_templates WHERE tenant_id = ?`, tenantID).
		Scan(&t.Subject, &t.Body, &t.SenderName, &t.ReplyTo, &t.LogoURL, &t.BrandColor)
	if errors.Is(err, sql.ErrNoRows) {
		return mail.DefaultTemplate(), false, nil
	} else if err != nil {
		return mail.Template{}, false, fmt.Errorf("storage: email template: %w", err)
	}
	return t, true, nil
}

// SaveTemplate validates t and makes it the tenant's template; adminID is
// who saved it. An invalid template is a domain EINVALID error and changes
// nothing.
func (s *EmailTemplateStore) SaveTemplate(ctx context.Context, tenantID, adminID int64, t mail.Template) error {
	if err := mail.Validate(t); err != nil {
		return err
	}
	_, err := s.db.W.ExecContext(ctx, `
		INSERT INTO email_templates (tenant_id, subject, body, sender_name, reply_to, logo_url, brand_color, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET subject = excluded.subject, body = excluded.body,
			sender_name = excluded.sender_name, reply_to = excluded.reply_to, logo_url = excluded.logo_url,
			brand_color = excluded.brand_color, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		tenantID, t.Subject, t.Body, t.SenderName, t.ReplyTo, t.LogoURL, t.BrandColor, nullID(adminID), s.clock.Now())
	if err != nil {
		return fmt.Errorf("storage: save email template: %w", err)
	}
	return nil
}

// ResetTemplate deletes the tenant's template, so the default applies
// again.
func (s *EmailTemplateStore) ResetTemplate(ctx context.Context, tenantID int64) error {
	if _, err := s.db.W.ExecContext(ctx, `DELETE FROM email_templates WHERE tenant_id = ?`, tenantID); err != nil {
		return fmt.Errorf("storage: reset email template: %w", err)
	}
	return nil
}
