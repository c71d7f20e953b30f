package jobs

import (
	"context"
	"fmt"
	"html"
	"log/slog"
	"net/url"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/routes"
)

// AccommodationNoticeWorker e-mails one admin that a candidate asked for an
// accommodation, with a link to the requests page. The e-mail names the
// candidate and the package, never the candidate's words.
type AccommodationNoticeWorker struct {
	river.WorkerDefaults[jobargs.AccommodationNoticeArgs]
	Notices assessments.AccommodationNotices
	Sender  mail.Sender
	// From is the address e-mails come from.
	From string
	// BaseURL is JobCannon's public address, for the link.
	BaseURL *url.URL
	Log     *slog.Logger
}

// Work implements river.Worker.
func (w *AccommodationNoticeWorker) Work(ctx context.Context, job *river.Job[jobargs.AccommodationNoticeArgs]) error {
	a := job.Args
	n, ok, err := w.Notices.AccommodationNotice(ctx, a.TenantID, a.RequestID, a.AdminID)
	if err != nil {
		return err
	}
	if !ok {
		w.Log.InfoContext(ctx, "accommodation notice not needed", slog.Int64("tenant", a.TenantID),
			slog.Int64("request_id", a.RequestID), slog.Int64("admin_id", a.AdminID))
		return nil
	}
	link := w.BaseURL.JoinPath(routes.CatalogAccommodationList()).String()
	r := n.Request
	when := assessments.FormatDeadlineIn(r.CreatedAt, n.Zone)
	text := fmt.Sprintf("%s asked for an accommodation for the assessment %q on %s.\n\n"+
		"Read the request and answer it here (sign in first):\n%s\n", r.Candidate, r.PackageName, when, link)
	body := fmt.Sprintf(`<p>%s asked for an accommodation for the assessment “%s” on %s.</p>`+
		`<p><a href="%s">Read the request and answer it</a> (sign in first).</p>`,
		html.EscapeString(r.Candidate), html.EscapeString(r.PackageName), html.EscapeString(when), html.EscapeString(link))
	if _, err := w.Sender.Send(ctx, mail.Message{
		TenantID: a.TenantID, InvitationID: r.InvitationID, To: n.AdminEmail, ToName: n.AdminName,
		FromAddress: w.From, FromName: "JobCannon",
		Subject: "Accommodation request from " + r.Candidate, Text: text, HTML: body,
	}); err != nil {
		return fmt.Errorf("accommodation notice %d to admin %d: %w", a.RequestID, a.AdminID, err)
	}
	w.Log.InfoContext(ctx, "accommodation notice sent", slog.Int64("tenant", a.TenantID),
		slog.Int64("request_id", a.RequestID), slog.Int64("admin_id", a.AdminID))
	return nil
}
