package routes

const (
	adminLogin        = AdminPrefix + "/login"
	adminSetup        = AdminPrefix + "/setup"
	adminInviteAccept = AdminPrefix + "/invite/:token"
	adminLogout       = AdminPrefix + "/logout"
	connection        = AdminPrefix + "/connection"
	connectionCheck   = AdminPrefix + "/connection/test"
	companyRename     = AdminPrefix + "/company"
	tenantUninstall   = AdminPrefix + "/uninstall"
	adminList         = AdminPrefix + "/admins"
	adminInvite       = AdminPrefix + "/admins/invite"
)

// AdminLoginShow is the admin sign-in page.
func AdminLoginShow() string { return adminLogin }

// AdminLogin is where the sign-in form posts.
func AdminLogin() string { return adminLogin }

// AdminSetupShow is the installing admin's account set-up page.
func AdminSetupShow() string { return adminSetup }

// AdminSetup is where the set-up form posts.
func AdminSetup() string { return adminSetup }

// AdminInviteShow is the page an invited admin opens from the e-mail.
func AdminInviteShow(token string) string { return fill(adminInviteAccept, token) }

// AdminInviteAccept is where the invitation page's form posts.
func AdminInviteAccept(token string) string { return fill(adminInviteAccept, token) }

// DashboardShow is the admin dashboard.
func DashboardShow() string { return AdminPrefix }

// AdminLogout signs the admin out.
func AdminLogout() string { return adminLogout }

// ConnectionShow is the iCIMS connection page.
func ConnectionShow() string { return connection }

// ConnectionSave is where the connection form posts.
func ConnectionSave() string { return connection }

// ConnectionCheck tests the connection to iCIMS.
func ConnectionCheck() string { return connectionCheck }

// CompanyRename is where the company name form posts.
func CompanyRename() string { return companyRename }

// TenantUninstall removes the tenant's install.
func TenantUninstall() string { return tenantUninstall }

// AdminList is the tenant's admins page.
func AdminList() string { return adminList }

// AdminInvite is where the invite form posts.
func AdminInvite() string { return adminInvite }

const (
	adminPassword       = AdminPrefix + "/account/password"
	adminPasswordForgot = AdminPrefix + "/password/forgot"
	adminPasswordReset  = AdminPrefix + "/password/reset/:token"
	adminRemove         = AdminPrefix + "/admins/:id/remove"
)

// AdminPasswordShow is the signed-in admin's password change form.
func AdminPasswordShow() string { return adminPassword }

// AdminPasswordChange is where the password change form posts.
func AdminPasswordChange() string { return adminPassword }

// AdminPasswordForgotShow asks for the e-mail to send a reset link to.
func AdminPasswordForgotShow() string { return adminPasswordForgot }

// AdminPasswordForgot is where the forgotten password form posts.
func AdminPasswordForgot() string { return adminPasswordForgot }

// AdminPasswordResetShow is the page a reset link opens.
func AdminPasswordResetShow(token string) string { return fill(adminPasswordReset, token) }

// AdminPasswordReset is where the reset page's form posts.
func AdminPasswordReset(token string) string { return fill(adminPasswordReset, token) }

// AdminRemoveShow asks to confirm removing an admin.
func AdminRemoveShow(adminID int64) string { return fill(adminRemove, id(adminID)) }

// AdminRemove removes an admin of the tenant.
func AdminRemove(adminID int64) string { return fill(adminRemove, id(adminID)) }
