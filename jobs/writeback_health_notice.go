package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/routes"
)

// WriteHealthNoticeWorker e-mails an admin that the tenant's writes to
// iCIMS are failing, or work again. The write-back store decides and
// queues the notice; this only sends it.
type WriteHealthNoticeWorker struct {
	river.WorkerDefaults[jobargs.WriteHealthNoticeArgs]
	Sender mail.Sender
	// From is the address the notices come from.
	From string
	// BaseURL makes the link to the webhook logs.
	BaseURL *url.URL
	Log     *slog.Logger
}

// Work implements river.Worker.
func (w *WriteHealthNoticeWorker) Work(ctx context.Context, job *river.Job[jobargs.WriteHealthNoticeArgs]) error {
	a := job.Args
	m := assessments.HealthMail{Notice: assessments.HealthNotice(a.Notice), TenantName: a.TenantName, To: a.To,
		Since: a.Since, At: a.At, Failures: a.Failures}
	logs := w.BaseURL.JoinPath(routes.LogsList())
	if m.Notice == assessments.NoticeFailing {
		logs.RawQuery = url.Values{"result": {string(assessments.LogFailed)}}.Encode()
	}
	_, err := w.Sender.Send(ctx, mail.Message{TenantID: a.TenantID, To: a.To, FromAddress: w.From, FromName: "JobCannon",
		Subject: m.Subject(), Text: m.Text(logs.String())})
	if err != nil {
		return fmt.Errorf("write health notice: %w", err)
	}
	w.Log.InfoContext(ctx, "write health notice sent", "tenant", a.TenantID, "notice", a.Notice, "attempt", job.Attempt)
	return nil
}
