package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/mail"
)

// EmailStore is what the e-mail jobs need of the store; *sqlite.EmailStore
// is one. It stays here rather than in assessments because SendAccepted
// runs the scheduler's callback inside the store's transaction.
type EmailStore interface {
	InvitationTenant(ctx context.Context, invitationID int64) (int64, error)
	Link(ctx context.Context, tenantID, invitationID int64) (string, error)
	StartSend(ctx context.Context, n assessments.NewSend) (assessments.InvitationEmail, error)
	BeginAttempt(ctx context.Context, e assessments.InvitationEmail) (assessments.InvitationEmail, error)
	SendAccepted(ctx context.Context, e assessments.InvitationEmail, o assessments.SendOutcome, markSent bool, then func(ctx context.Context, tx *sql.Tx, inv assessments.Invitation) error) (assessments.Invitation, error)
	SendRefused(ctx context.Context, e assessments.InvitationEmail, o assessments.SendOutcome, final, failInvitation bool, reason string) (assessments.Invitation, error)
}

// TemplateSource returns a tenant's invitation template, or the default;
// *sqlite.EmailTemplateStore is one.
type TemplateSource interface {
	Template(ctx context.Context, tenantID int64) (mail.Template, bool, error)
}

// HeaderInvitation names the invitation an e-mail is about, so that a
// bounce or a support question can be matched to it.
const HeaderInvitation = "X-JobCannon-Invitation"

// Mailer composes and sends the e-mails about invitations (the first one,
// reminders, resends) for the e-mail jobs, and records each attempt.
//
// An e-mail is sent at most once as far as this process can tell: its row
// is written "sending" with a fixed Message-ID before the SMTP conversation,
// and the server's acceptance is recorded in one transaction with the
// invitation's transition. A crash after the server accepted a message but
// before that transaction committed makes the retried job send it again,
// with the same Message-ID, which many mail systems show once: SMTP offers
// no exactly-once. The attempt is marked in flight before the conversation,
// so the retry knows the outcome was unknown and marks the e-mail a
// possible duplicate, which the logs and the invitation page show.
type Mailer struct {
	Sender mail.Sender
	// Transport names the sender on the logs page: the SMTP URL without its
	// password, or "dev mailbox".
	Transport string
	// From is the address e-mails come from; the display name is the
	// template's sender name or the company's name.
	From string
	// BaseURL is JobCannon's public address, for the candidate link.
	BaseURL     *url.URL
	Invitations assessments.InvitationStore
	Tenants     assessments.TenantStore
	Catalog     assessments.CatalogStore
	Library     *assessments.Library
	Templates   TemplateSource
	Emails      EmailStore
	Clock       assessments.Clock
	NewID       mail.IDGenerator
	Log         *slog.Logger
}

// emailJob is one e-mail to send about an invitation.
type emailJob struct {
	tenantID     int64
	invitationID int64
	kind         assessments.EmailKind
	key          string
	attempt      int
	maxAttempts  int
	// eligible says whether the e-mail is still wanted, and why not.
	eligible func(inv assessments.Invitation) (bool, string)
	// markSent counts the send on the invitation and moves it to sent;
	// failInvitation moves it to failed when the server refuses for good.
	markSent       bool
	failInvitation bool
	// then runs in the acceptance's transaction (reminders, expiry).
	then func(ctx context.Context, tx *sql.Tx, inv assessments.Invitation) error
}

// deliver sends one e-mail: it returns nil when the e-mail went out or is
// no longer wanted, river.JobCancel when the server refused it for good, and
// an error to retry with the queue's backoff otherwise.
func (m *Mailer) deliver(ctx context.Context, j emailJob) error {
	log := m.Log.With("tenant", j.tenantID, "invitation_id", j.invitationID, "email", j.key, "attempt", j.attempt)
	inv, err := m.Invitations.Invitation(ctx, j.tenantID, j.invitationID)
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		log.InfoContext(ctx, "e-mail not sent: invitation gone")
		return nil
	} else if err != nil {
		return err
	}
	if ok, why := j.eligible(inv); !ok {
		log.InfoContext(ctx, "e-mail not sent", "reason", why, "status", string(inv.Status))
		return nil
	}
	tenant, err := m.Tenants.Tenant(ctx, j.tenantID)
	if err != nil {
		return err
	}
	if tenant.Status == assessments.TenantUninstalled {
		log.InfoContext(ctx, "e-mail not sent: tenant uninstalled")
		return nil
	}
	msg, err := m.compose(ctx, tenant, inv, j.kind)
	if err != nil {
		if assessments.ErrorCode(err) != assessments.EINTERNAL {
			// Nothing a retry can change: no link was kept, the package is
			// gone. The reason shows on the invitation.
			log.WarnContext(ctx, "e-mail cannot be composed", "err", err)
			if j.failInvitation && assessments.CheckTransition(inv.Status, assessments.StatusFailed) == nil && inv.Status != assessments.StatusFailed {
				if _, terr := m.Invitations.Transition(ctx, j.tenantID, j.invitationID, assessments.StatusFailed,
					"e-mail not sent: "+assessments.ErrorMessage(err)); terr != nil {
					return terr
				}
			}
			return river.JobCancel(err)
		}
		return err
	}
	e, err := m.Emails.StartSend(ctx, assessments.NewSend{TenantID: j.tenantID, InvitationID: j.invitationID, Kind: j.kind,
		Key: j.key, MessageID: messageID(m.NewID, m.From),
		Summary: fmt.Sprintf("%s e-mail to %s: sending.", j.kind.Label(), inv.CandidateEmail)})
	if err != nil {
		return err
	}
	if e.Status != assessments.EmailSending {
		log.InfoContext(ctx, "e-mail already settled", "status", string(e.Status), "message_id", e.MessageID)
		return nil
	}
	if e, err = m.Emails.BeginAttempt(ctx, e); err != nil {
		return err
	}
	if e.Status != assessments.EmailSending {
		log.InfoContext(ctx, "e-mail already settled", "status", string(e.Status), "message_id", e.MessageID)
		return nil
	}
	note := ""
	if e.PossibleDuplicate {
		note = " " + assessments.PossibleDuplicateNote
		log.WarnContext(ctx, "e-mail sent again after an interrupted attempt", "message_id", e.MessageID)
	}
	msg.Headers[mail.HeaderMessageID] = e.MessageID

	start := m.Clock.Now()
	_, sendErr := m.Sender.Send(ctx, msg)
	latency := m.Clock.Now().Sub(start).Milliseconds()
	attempt := assessments.DeliveryAttempt{Method: "SMTP", URL: m.Transport, LatencyMS: latency,
		RequestHeaders: map[string]string{"To": msg.To, "Subject": msg.Subject, mail.HeaderMessageID: e.MessageID,
			HeaderInvitation: msg.Header(HeaderInvitation)}}
	if sendErr == nil {
		attempt.ResponseStatus, attempt.ResponseBody = 250, "accepted"
		out := assessments.SendOutcome{Attempt: attempt, Summary: fmt.Sprintf("%s e-mail to %s accepted by the mail server (attempt %d).",
			j.kind.Label(), msg.To, e.Attempts+1) + note}
		if _, err := m.Emails.SendAccepted(ctx, e, out, j.markSent, j.then); err != nil {
			// The message is out but not recorded: the retry sends it again
			// with the same Message-ID.
			return fmt.Errorf("record sent e-mail: %w", err)
		}
		log.InfoContext(ctx, "e-mail sent", "message_id", e.MessageID, "latency_ms", latency)
		return nil
	}

	var se *mail.SendError
	if errors.As(sendErr, &se) {
		attempt.ResponseStatus = se.Code
	}
	attempt.Error = sendErr.Error()
	attempt.ResponseBody = attempt.Error
	permanent := mail.IsPermanent(sendErr)
	final := permanent || (j.maxAttempts > 0 && j.attempt >= j.maxAttempts)
	reason := refusal(msg.To, sendErr, permanent)
	out := assessments.SendOutcome{Attempt: attempt}
	switch {
	case permanent:
		out.Summary = reason
	case final:
		out.Summary = fmt.Sprintf("Gave up after %d attempts: %s", j.attempt, reason)
	default:
		out.Summary = fmt.Sprintf("Attempt %d failed, will retry: %s", j.attempt, reason)
	}
	out.Summary += note
	if _, err := m.Emails.SendRefused(ctx, e, out, final, j.failInvitation, out.Summary); err != nil {
		return errors.Join(sendErr, fmt.Errorf("record failed e-mail: %w", err))
	}
	if permanent {
		log.WarnContext(ctx, "e-mail refused for good", "message_id", e.MessageID, "status_code", attempt.ResponseStatus, "err", sendErr)
		return river.JobCancel(sendErr)
	}
	log.WarnContext(ctx, "e-mail attempt failed", "message_id", e.MessageID, "status_code", attempt.ResponseStatus, "final", final, "err", sendErr)
	return sendErr
}

// refusal words a failed send for the invitation's history and the logs.
func refusal(to string, err error, permanent bool) string {
	if permanent {
		return fmt.Sprintf("The mail server refused the e-mail to %s: %s", to, sendReason(err))
	}
	return fmt.Sprintf("The e-mail to %s could not be sent: %s", to, sendReason(err))
}

// sendReason is the useful part of a send error: the server's reply, or
// the domain's message for a message that could not be sent at all.
func sendReason(err error) string {
	var se *mail.SendError
	if errors.As(err, &se) && se.Err != nil {
		return se.Err.Error()
	}
	if assessments.ErrorCode(err) != assessments.EINTERNAL {
		return assessments.ErrorMessage(err)
	}
	return err.Error()
}

// messageID makes a Message-ID in from's domain, as the senders do: the
// e-mail's row keeps it, so that every attempt sends the same one.
func messageID(newID mail.IDGenerator, from string) string {
	domain := "jobcannon.invalid"
	if _, d, ok := strings.Cut(from, "@"); ok && d != "" {
		domain = d
	}
	return "<" + newID() + "@" + domain + ">"
}

// singleLine drops line breaks and control characters from a name that
// goes into a header: a name from iCIMS must not make the message invalid.
func singleLine(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)), " ")
}

// compose renders the tenant's template (or the default) for inv. A stored
// template that no longer renders falls back to the default, so that a
// candidate still gets an invitation.
func (m *Mailer) compose(ctx context.Context, tenant assessments.Tenant, inv assessments.Invitation, kind assessments.EmailKind) (mail.Message, error) {
	if inv.CandidateEmail == "" {
		return mail.Message{}, assessments.Errorf(assessments.EINVALID, "The invitation has no e-mail address.")
	}
	pkg, err := m.Catalog.Package(ctx, inv.TenantID, inv.PackageID)
	if err != nil {
		return mail.Message{}, err
	}
	insts, err := pkg.Instruments(m.Library, inv.ExtraTimeMinutes)
	if err != nil {
		return mail.Message{}, err
	}
	token, err := m.Emails.Link(ctx, inv.TenantID, inv.ID)
	if err != nil {
		return mail.Message{}, err
	}
	tmpl, custom, err := m.Templates.Template(ctx, inv.TenantID)
	if err != nil {
		return mail.Message{}, err
	}
	company := inv.CompanyName
	if company == "" {
		company = tenant.Name
	}
	data := mail.Data{
		CandidateFirstName: inv.CandidateFirstName, CandidateLastName: inv.CandidateLastName,
		JobTitle: inv.JobTitle, CompanyName: company, AssessmentName: pkg.Name,
		AssessmentLink: m.BaseURL.JoinPath("a", token).String(), Deadline: inv.ExpiresAt,
		EstimatedMinutes: pkg.EstimatedMinutes(insts), BaseURL: m.BaseURL.String(), TimeZone: tenant.Location(),
	}
	subject, html, text, err := mail.Render(tmpl, data)
	if err != nil && custom {
		m.Log.WarnContext(ctx, "tenant template does not render; using the default", "tenant", inv.TenantID, "err", err)
		tmpl = mail.DefaultTemplate()
		subject, html, text, err = mail.Render(tmpl, data)
	}
	if err != nil {
		return mail.Message{}, err
	}
	if kind == assessments.EmailReminder {
		subject = assessments.ReminderSubjectPrefix + subject
	}
	fromName := tmpl.SenderName
	if fromName == "" {
		fromName = company
	}
	return mail.Message{
		TenantID: inv.TenantID, InvitationID: inv.ID, To: inv.CandidateEmail, ToName: singleLine(inv.CandidateName()),
		FromAddress: m.From, FromName: fromName, ReplyTo: tmpl.ReplyTo, Subject: subject, HTML: html, Text: text,
		Headers: map[string]string{HeaderInvitation: strconv.FormatInt(inv.ID, 10)},
	}, nil
}

// SendInvitationWorker sends an invitation's first e-mail. On the server's
// acceptance the invitation moves from created to sent and its reminders
// and expiry are queued, in one transaction; a permanent refusal marks it
// failed and stops; anything else is retried with the queue's backoff.
type SendInvitationWorker struct {
	river.WorkerDefaults[jobargs.SendInvitationArgs]
	Mailer    *Mailer
	Scheduler *Scheduler
}

// Work implements river.Worker.
func (w *SendInvitationWorker) Work(ctx context.Context, job *river.Job[jobargs.SendInvitationArgs]) error {
	id := job.Args.InvitationID
	tenantID, err := w.Mailer.Emails.InvitationTenant(ctx, id)
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		w.Mailer.Log.InfoContext(ctx, "e-mail not sent: invitation gone", "invitation_id", id)
		return nil
	} else if err != nil {
		return err
	}
	return w.Mailer.deliver(ctx, emailJob{
		tenantID: tenantID, invitationID: id, kind: assessments.EmailInvitation, key: string(assessments.EmailInvitation),
		attempt: job.Attempt, maxAttempts: job.MaxAttempts, eligible: firstSendWanted,
		markSent: true, failInvitation: true, then: w.Scheduler.AfterSend,
	})
}

// firstSendWanted is true while the invitation waits for its first e-mail:
// once sent (by an earlier attempt or an admin's resend), opened, ended or
// failed, there is nothing left for this job to do.
func firstSendWanted(inv assessments.Invitation) (bool, string) {
	switch {
	case inv.Status != assessments.StatusCreated:
		return false, "the invitation is " + inv.Status.Label()
	case inv.CandidateEmail == "":
		return false, "the invitation has no e-mail address"
	}
	return true, ""
}
