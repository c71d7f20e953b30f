package app

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/url"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs"
	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/storage"
)

// emailParts is the invitation e-mail side: the sender, the template and
// e-mail stores, the lifecycle jobs and the admin actions on invitations.
type emailParts struct {
	// invitations keeps each new invitation's link sealed.
	invitations *storage.InvitationStore
	sender      mail.Sender
	templates   *storage.EmailTemplateStore
	emails      *storage.EmailStore
	lister      *storage.LifecycleStore
	mailbox     *storage.Mailbox
	lifecycle   *assessments.Lifecycle
	// scheduler queues reminders, expiry and resends in the stores'
	// transactions, through the database's River client.
	scheduler *jobs.Scheduler
	workers   jobs.EmailWorkers
}

// emailDeps is what the e-mail side needs from the rest of the wiring.
type emailDeps struct {
	smtpURL     string
	mailFrom    string
	db          *storage.DB
	keyring     *secrets.Keyring
	clock       assessments.Clock
	log         *slog.Logger
	base        *url.URL
	lib         *assessments.Library
	tenants     assessments.TenantStore
	catalog     assessments.CatalogStore
	invitations *storage.InvitationStore
}

// wireEmail builds the e-mail side: real SMTP when an SMTP URL is set,
// otherwise the dev mailbox that the sandbox shows under /sandbox/mailbox.
func wireEmail(d emailDeps) (*emailParts, error) {
	p := &emailParts{
		invitations: d.invitations,
		templates:   storage.NewEmailTemplateStore(d.db, d.clock),
		emails:      storage.NewEmailStore(d.db, d.keyring, d.clock, d.invitations, rand.Reader),
		mailbox:     storage.NewMailbox(d.db, d.clock),
	}
	p.lister = storage.NewLifecycleStore(d.db, d.invitations, p.emails)

	transport := "dev mailbox"
	p.sender = mail.NewDevMailbox(p.mailbox, mail.RandomID, d.log)
	if d.smtpURL != "" {
		smtp, err := mail.NewSMTPSender(d.smtpURL, d.clock, mail.RandomID)
		if err != nil {
			return nil, fmt.Errorf("--smtp-url: %w", err)
		}
		p.sender, transport = smtp, smtp.Config().String()
	}

	jobLog := d.log.With("component", "jobs")
	p.scheduler = &jobs.Scheduler{Queue: d.db.Jobs(), Catalog: d.catalog, Store: p.lister, Clock: d.clock}
	mailer := &jobs.Mailer{Sender: p.sender, Transport: transport, From: d.mailFrom, BaseURL: d.base,
		Invitations: d.invitations, Tenants: d.tenants, Catalog: d.catalog, Library: d.lib, Templates: p.templates,
		Emails: p.emails, Clock: d.clock, NewID: mail.RandomID, Log: jobLog}
	p.workers = jobs.EmailWorkers{
		Send:   &jobs.SendInvitationWorker{Mailer: mailer, Scheduler: p.scheduler},
		Resend: &jobs.ResendInvitationWorker{Mailer: mailer, Scheduler: p.scheduler},
		Remind: &jobs.RemindInvitationWorker{Mailer: mailer},
		Expire: &jobs.ExpireInvitationWorker{Invitations: d.invitations, Clock: d.clock, Log: jobLog},
		Health: &jobs.WriteHealthNoticeWorker{Sender: p.sender, From: d.mailFrom, BaseURL: d.base, Log: jobLog},
		Accommodation: &jobs.AccommodationNoticeWorker{Notices: d.invitations, Sender: p.sender, From: d.mailFrom,
			BaseURL: d.base, Log: jobLog},
	}
	p.lifecycle = &assessments.Lifecycle{Invitations: d.invitations, Jobs: p.scheduler, Resends: p.lister, Clock: d.clock}
	return p, nil
}
