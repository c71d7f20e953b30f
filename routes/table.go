package routes

// Prefixes of the route groups that carry their own middleware in web.
const (
	AdminPrefix   = "/admin"
	ConfirmPrefix = "/icims/confirm"
	// CandidateRoot is where every candidate link lives, as a cookie path.
	CandidateRoot   = "/a/"
	CandidatePrefix = CandidateRoot + ":token"
	ReportPrefix    = "/r"
	MailboxPrefix   = "/sandbox/mailbox"
)

// All is the route table: every route of the service, grouped by area in
// the order web registers them. Each has a builder of the same name.
func All() []Route {
	return []Route{
		// Operations and the pages anyone may see.
		get("Healthz", healthz),
		get("Readyz", readyz),
		get("Metrics", metrics),
		get("Static", static),
		get("Home", home),
		get("BrandStylesheet", brandStylesheet),

		// Install.
		get("InstallBegin", installBegin),
		get("InstallCallback", installCallback),
		post("OAuthToken", oauthToken),

		// iCIMS events and the recruiter's confirm page.
		post("EventReceive", eventReceive),
		get("ConfirmShow", confirm),
		post("ConfirmSend", confirm),

		// Admin sign-in and account set-up.
		get("AdminLoginShow", adminLogin),
		post("AdminLogin", adminLogin),
		get("AdminSetupShow", adminSetup),
		post("AdminSetup", adminSetup),
		get("AdminInviteShow", adminInviteAccept),
		post("AdminInviteAccept", adminInviteAccept),
		get("AdminPasswordForgotShow", adminPasswordForgot),
		post("AdminPasswordForgot", adminPasswordForgot),
		get("AdminPasswordResetShow", adminPasswordReset),
		post("AdminPasswordReset", adminPasswordReset),

		// Admin: dashboard, account, connection.
		get("DashboardShow", AdminPrefix),
		post("AdminLogout", adminLogout),
		get("ConnectionShow", connection),
		post("ConnectionSave", connection),
		post("ConnectionCheck", connectionCheck),
		post("CompanyRename", companyRename),
		post("TenantUninstall", tenantUninstall),
		get("AdminList", adminList),
		post("AdminInvite", adminInvite),
		get("AdminRemoveShow", adminRemove),
		post("AdminRemove", adminRemove),
		get("AdminPasswordShow", adminPassword),
		post("AdminPasswordChange", adminPassword),

		// Admin: the catalog, its preview and accommodation requests.
		get("CatalogList", catalog),
		get("CatalogNew", catalogNew),
		post("CatalogCreate", catalog),
		post("CatalogListsRefresh", catalogListsRefresh),
		get("CatalogAccommodationList", catalogAccommodations),
		post("CatalogAccommodationResolve", catalogAccommodation),
		get("CatalogEdit", catalogPackage),
		post("CatalogUpdate", catalogPackage),
		post("CatalogEnable", catalogEnable),
		get("CatalogPreview", catalogPreview),
		get("CatalogPreviewStep", catalogPreviewStep),
		get("CatalogPreviewReview", catalogPreviewReview),
		get("CatalogPreviewDone", catalogPreviewDone),

		// Admin: trigger rules and their dry run.
		get("RuleList", rules),
		get("RuleNew", ruleNew),
		post("RuleCreate", rules),
		get("RuleDryRunShow", ruleDryRun),
		post("RuleDryRun", ruleDryRun),
		get("RuleEdit", rule),
		post("RuleUpdate", rule),
		post("RuleMove", ruleMove),
		post("RuleEnable", ruleEnable),
		post("RuleDelete", ruleDelete),

		// Admin: the customer's jobs as read from iCIMS.
		get("JobList", jobs),
		post("JobsRefresh", jobsRefresh),
		get("ApplyShareShow", jobShare),
		post("ApplyShareCreate", jobShare),
		post("ApplyShareClose", jobShareClose),

		// Admin: invitations and the invitation e-mail template.
		get("InvitationList", invitations),
		get("InvitationShow", invitation),
		get("InvitationResendConfirm", invitationResend),
		post("InvitationResend", invitationResend),
		post("InvitationExtend", invitationExtend),
		post("InvitationCancel", invitationCancel),
		get("TemplateShow", email),
		post("TemplateSave", email),
		post("TemplatePreview", emailPreview),
		get("TemplatePreviewFrame", emailPreview),
		post("TemplateReset", emailReset),
		post("TemplateSampleSend", emailTest),

		// Admin: write-back problems, webhook logs, checklist, settings.
		get("WritebackList", writeback),
		post("WritebackRetryAll", writebackRetryAll),
		post("WritebackSettingsSave", writebackSettings),
		post("WritebackRetry", writebackRetry),
		get("LogsList", LogsPath),
		post("LogsRetryAll", logsRetryAll),
		get("LogsShow", logsEntry),
		get("LogsRedeliverConfirm", logsRedeliver),
		post("LogsRedeliver", logsRedeliver),
		post("LogsRetry", logsRetry),
		get("ChecklistShow", ChecklistPath),
		post("ChecklistTrial", checklistTrial),
		get("SettingsShow", settings),
		post("SettingsRetentionSave", settingsRetention),
		post("SettingsTimeZoneSave", settingsTimeZone),
		post("SettingsLimitsSave", settingsLimits),

		// Candidate: the link's token is the credential.
		get("CandidateShow", CandidatePrefix),
		post("CandidateStart", candidateStart),
		get("CandidateStepShow", candidateStep),
		post("CandidateStepSave", candidateStep),
		post("CandidateAnswerSave", candidateAnswer),
		get("CandidateReviewShow", candidateReview),
		post("CandidateSubmit", candidateSubmit),
		get("CandidateAccommodationShow", candidateAccommodation),
		post("CandidateAccommodationSave", candidateAccommodation),

		// Assessment-first applications: the public apply link.
		get("ApplyWait", applyWait),
		get("ApplyShow", applyLink),
		post("ApplySubmit", applyLink),

		// Report: the recruiter's signed link.
		get("ReportShow", report),
		get("ReportPDF", reportPDF),

		// Sandbox: the dev mailbox and the simulated iCIMS.
		get("MailboxList", MailboxPrefix),
		get("MailboxShow", mailboxMessage),
		get("MailboxHTML", mailboxHTML),
		get("MailboxText", mailboxText),
		{Name: "Sandbox", Method: Any, Pattern: sandbox},
	}
}
