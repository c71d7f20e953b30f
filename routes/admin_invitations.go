package routes

const (
	invitations      = AdminPrefix + "/invitations"
	invitation       = AdminPrefix + "/invitations/:id"
	invitationResend = AdminPrefix + "/invitations/:id/resend"
	invitationExtend = AdminPrefix + "/invitations/:id/extend"
	invitationCancel = AdminPrefix + "/invitations/:id/cancel"
	email            = AdminPrefix + "/email"
	emailPreview     = AdminPrefix + "/email/preview"
	emailReset       = AdminPrefix + "/email/reset"
	emailTest        = AdminPrefix + "/email/test"
)

// InvitationList is the invitations page.
func InvitationList() string { return invitations }

// InvitationShow is one invitation's page.
func InvitationShow(invID int64) string { return fill(invitation, id(invID)) }

// InvitationResend sends an invitation's e-mail again.
func InvitationResend(invID int64) string { return fill(invitationResend, id(invID)) }

// InvitationResendConfirm asks before sending an invitation's e-mail again.
func InvitationResendConfirm(invID int64) string { return fill(invitationResend, id(invID)) }

// InvitationExtend moves an invitation's expiry.
func InvitationExtend(invID int64) string { return fill(invitationExtend, id(invID)) }

// InvitationCancel cancels an invitation.
func InvitationCancel(invID int64) string { return fill(invitationCancel, id(invID)) }

// TemplateShow is the invitation e-mail template page.
func TemplateShow() string { return email }

// TemplateSave is where the template form posts.
func TemplateSave() string { return email }

// TemplatePreview renders the template as typed, for htmx.
func TemplatePreview() string { return emailPreview }

// TemplatePreviewFrame is the saved template's preview, shown in a frame.
func TemplatePreviewFrame() string { return emailPreview }

// TemplateReset puts the default template back.
func TemplateReset() string { return emailReset }

// TemplateSampleSend e-mails the admin a sample.
func TemplateSampleSend() string { return emailTest }
