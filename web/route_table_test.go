package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"testing"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/handlers"
	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/static"
)

// noMailbox stands in for the dev mailbox so that its routes are mounted.
type noMailbox struct{}

func (noMailbox) List(context.Context, int64, int64) ([]mail.StoredMessage, error) { return nil, nil }
func (noMailbox) Get(context.Context, int64) (mail.StoredMessage, error) {
	return mail.StoredMessage{}, nil
}

// builtURLs is one URL from each route's builder, by route name.
func builtURLs() map[string]string {
	const id, token = 7, "tok-en_1"
	return map[string]string{
		"Healthz": routes.Healthz(), "Readyz": routes.Readyz(), "Metrics": routes.Metrics(),
		"Static": routes.Static("css/app.css"), "Home": routes.Home(),
		"BrandStylesheet": routes.BrandStylesheet("#0b6e4f"),

		"InstallBegin": routes.InstallBegin(), "InstallCallback": routes.InstallCallback(),
		"OAuthToken": routes.OAuthToken(),

		"EventReceive": routes.EventReceive(), "ConfirmShow": routes.ConfirmShow(token),
		"ConfirmSend": routes.ConfirmSend(token),

		"AdminLoginShow": routes.AdminLoginShow(), "AdminLogin": routes.AdminLogin(),
		"AdminSetupShow": routes.AdminSetupShow(), "AdminSetup": routes.AdminSetup(),
		"AdminInviteShow": routes.AdminInviteShow(token), "AdminInviteAccept": routes.AdminInviteAccept(token),
		"AdminPasswordForgotShow": routes.AdminPasswordForgotShow(), "AdminPasswordForgot": routes.AdminPasswordForgot(),
		"AdminPasswordResetShow": routes.AdminPasswordResetShow(token), "AdminPasswordReset": routes.AdminPasswordReset(token),

		"DashboardShow": routes.DashboardShow(), "AdminLogout": routes.AdminLogout(),
		"ConnectionShow": routes.ConnectionShow(), "ConnectionSave": routes.ConnectionSave(),
		"ConnectionCheck": routes.ConnectionCheck(), "CompanyRename": routes.CompanyRename(),
		"TenantUninstall": routes.TenantUninstall(), "AdminList": routes.AdminList(), "AdminInvite": routes.AdminInvite(),
		"AdminRemoveShow": routes.AdminRemoveShow(id), "AdminRemove": routes.AdminRemove(id),
		"AdminPasswordShow": routes.AdminPasswordShow(), "AdminPasswordChange": routes.AdminPasswordChange(),

		"CatalogList": routes.CatalogList(), "CatalogNew": routes.CatalogNew(), "CatalogCreate": routes.CatalogCreate(),
		"CatalogListsRefresh":         routes.CatalogListsRefresh(),
		"CatalogAccommodationList":    routes.CatalogAccommodationList(),
		"CatalogAccommodationResolve": routes.CatalogAccommodationResolve(id),
		"CatalogEdit":                 routes.CatalogEdit(id), "CatalogUpdate": routes.CatalogUpdate(id),
		"CatalogEnable": routes.CatalogEnable(id), "CatalogPreview": routes.CatalogPreview(id),
		"CatalogPreviewStep": routes.CatalogPreviewStep(id, 2), "CatalogPreviewReview": routes.CatalogPreviewReview(id),
		"CatalogPreviewDone": routes.CatalogPreviewDone(id),

		"RuleList": routes.RuleList(), "RuleNew": routes.RuleNew(), "RuleCreate": routes.RuleCreate(),
		"RuleDryRunShow": routes.RuleDryRunShow(), "RuleDryRun": routes.RuleDryRun(),
		"RuleEdit": routes.RuleEdit(id), "RuleUpdate": routes.RuleUpdate(id), "RuleMove": routes.RuleMove(id),
		"RuleEnable": routes.RuleEnable(id), "RuleDelete": routes.RuleDelete(id),
		"JobList": routes.JobList(), "JobsRefresh": routes.JobsRefresh(),
		"ApplyShareShow": routes.ApplyShareShow("2001"), "ApplyShareCreate": routes.ApplyShareCreate("2001"),
		"ApplyShareClose": routes.ApplyShareClose("2001", id),
		"ApplyWait":       routes.ApplyWait("w1"), "ApplyShow": routes.ApplyShow("t1"), "ApplySubmit": routes.ApplySubmit("t1"),

		"InvitationList": routes.InvitationList(), "InvitationShow": routes.InvitationShow(id),
		"InvitationResend": routes.InvitationResend(id), "InvitationResendConfirm": routes.InvitationResendConfirm(id), "InvitationExtend": routes.InvitationExtend(id),
		"InvitationCancel": routes.InvitationCancel(id),
		"TemplateShow":     routes.TemplateShow(), "TemplateSave": routes.TemplateSave(),
		"TemplatePreview": routes.TemplatePreview(), "TemplatePreviewFrame": routes.TemplatePreviewFrame(),
		"TemplateReset": routes.TemplateReset(), "TemplateSampleSend": routes.TemplateSampleSend(),

		"WritebackList": routes.WritebackList(), "WritebackRetryAll": routes.WritebackRetryAll(),
		"WritebackSettingsSave": routes.WritebackSettingsSave(), "WritebackRetry": routes.WritebackRetry(id),
		"LogsList": routes.LogsList(), "LogsRetryAll": routes.LogsRetryAll(), "LogsShow": routes.LogsShow(id),
		"LogsRedeliver": routes.LogsRedeliver(id), "LogsRedeliverConfirm": routes.LogsRedeliverConfirm(id), "LogsRetry": routes.LogsRetry(id),
		"ChecklistShow": routes.ChecklistShow(), "ChecklistTrial": routes.ChecklistTrial(),
		"SettingsShow": routes.SettingsShow(), "SettingsRetentionSave": routes.SettingsRetentionSave(),
		"SettingsLimitsSave": routes.SettingsLimitsSave(), "SettingsTimeZoneSave": routes.SettingsTimeZoneSave(),

		"CandidateShow": routes.CandidateShow(token), "CandidateStart": routes.CandidateStart(token),
		"CandidateStepShow": routes.CandidateStepShow(token, 2), "CandidateStepSave": routes.CandidateStepSave(token, 2),
		"CandidateAnswerSave": routes.CandidateAnswerSave(token, 2),
		"CandidateReviewShow": routes.CandidateReviewShow(token), "CandidateSubmit": routes.CandidateSubmit(token),
		"CandidateAccommodationShow": routes.CandidateAccommodationShow(token),
		"CandidateAccommodationSave": routes.CandidateAccommodationSave(token),

		"ReportShow": routes.ReportShow(token),
		"ReportPDF":  routes.ReportPDF(token),

		"MailboxList": routes.MailboxList(), "MailboxShow": routes.MailboxShow(id),
		"MailboxHTML": routes.MailboxHTML(id), "MailboxText": routes.MailboxText(id),
		"Sandbox": routes.Sandbox("marketplace"),
	}
}

// fullServer is the server with every optional route mounted.
func fullServer(t *testing.T) *Server {
	t.Helper()
	assets, err := static.New()
	require.NoError(t, err)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	shared := &handlers.Shared{Log: log, Assets: assets, Sessions: scs.New()}
	h := handlers.Areas{Shared: shared, Site: &handlers.Site{Shared: shared, Ready: fakeReady{}, Mailbox: noMailbox{}}}
	s, err := New(Config{BaseURL: &url.URL{Scheme: "http", Host: "localhost"}, Log: log,
		Sandbox: http.NotFoundHandler()}, h)
	require.NoError(t, err)
	return s
}

func TestEveryEchoRouteIsDeclared(t *testing.T) {
	declared := map[string]routes.Route{}
	for _, r := range routes.All() {
		declared[r.Name] = r
	}
	registered := map[string]bool{}
	for _, r := range fullServer(t).Echo.Routes() {
		if r.Method == echo.RouteNotFound {
			continue // Echo's own, so that a group's middleware sees its 404s
		}
		d, ok := declared[r.Name]
		if !assert.True(t, ok, "%s %s is not declared in package routes", r.Method, r.Path) {
			continue
		}
		assert.Equal(t, d.Pattern, r.Path, r.Name)
		if d.Method != routes.Any {
			assert.Equal(t, d.Method, r.Method, r.Name)
		}
		registered[r.Name] = true
	}
	for name := range declared {
		assert.True(t, registered[name], "route %s is declared but not registered", name)
	}
}

func TestBuildersReachTheirRoutes(t *testing.T) {
	e := fullServer(t).Echo
	built := builtURLs()
	for _, d := range routes.All() {
		t.Run(d.Name, func(t *testing.T) {
			u, ok := built[d.Name]
			require.True(t, ok, "no built URL for route %s in builtURLs", d.Name)
			method := d.Method
			if method == routes.Any {
				method = http.MethodGet
			}
			c := e.NewContext(nil, nil)
			e.Router().Find(method, u, c)
			assert.Equal(t, d.Pattern, c.Path(), "%s %s reaches another route", method, u)
		})
	}
}

func TestUndeclaredRouteStopsTheServer(t *testing.T) {
	tb := newTable()
	tb.root(echo.New()).add("NoSuchRoute", func(echo.Context) error { return nil })
	tb.group(echo.New(), routes.ReportPrefix).add("RuleEdit", func(echo.Context) error { return nil })
	err := tb.err()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "NoSuchRoute is not declared")
	assert.Contains(t, err.Error(), "RuleEdit (/admin/rules/:id) is outside its group /r")
}
