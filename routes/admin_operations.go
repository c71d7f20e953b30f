package routes

// LogsPath is the webhook logs page: iCIMS's vendor guide sends admins
// there, so it is a constant other packages may build on.
const LogsPath = AdminPrefix + "/integrations/icims/logs"

// ChecklistPath is the setup checklist, a constant for the same reason.
const ChecklistPath = AdminPrefix + "/checklist"

const (
	writeback         = AdminPrefix + "/writeback"
	writebackRetryAll = AdminPrefix + "/writeback/retry-all"
	writebackSettings = AdminPrefix + "/writeback/settings"
	writebackRetry    = AdminPrefix + "/writeback/:id/retry"
	logsRetryAll      = LogsPath + "/retry-all"
	logsEntry         = LogsPath + "/:id"
	logsRedeliver     = LogsPath + "/:id/redeliver"
	logsRetry         = LogsPath + "/:id/retry"
	checklistTrial    = ChecklistPath + "/trial"
	settings          = AdminPrefix + "/settings"
	settingsRetention = AdminPrefix + "/settings/retention"
	settingsLimits    = AdminPrefix + "/settings/limits"
	settingsTimeZone  = AdminPrefix + "/settings/time-zone"
)

// WritebackList is the page of writes to iCIMS not made yet.
func WritebackList() string { return writeback }

// WritebackRetryAll retries every waiting write.
func WritebackRetryAll() string { return writebackRetryAll }

// WritebackSettingsSave is where the scorecard settings form posts.
func WritebackSettingsSave() string { return writebackSettings }

// WritebackRetry retries an invitation's waiting write.
func WritebackRetry(invitationID int64) string { return fill(writebackRetry, id(invitationID)) }

// LogsList is the webhook logs page.
func LogsList() string { return LogsPath }

// LogsRetryAll retries every failed call.
func LogsRetryAll() string { return logsRetryAll }

// LogsShow is one log entry.
func LogsShow(entryID int64) string { return fill(logsEntry, id(entryID)) }

// LogsRedeliver processes an inbound delivery again.
func LogsRedeliver(entryID int64) string { return fill(logsRedeliver, id(entryID)) }

// LogsRedeliverConfirm says what a redelivery would do and asks first.
func LogsRedeliverConfirm(entryID int64) string { return fill(logsRedeliver, id(entryID)) }

// LogsRetry makes a failed outbound call again.
func LogsRetry(entryID int64) string { return fill(logsRetry, id(entryID)) }

// ChecklistShow is the setup checklist.
func ChecklistShow() string { return ChecklistPath }

// ChecklistTrial sends a test assessment through the sandbox.
func ChecklistTrial() string { return checklistTrial }

// SettingsShow is the settings page.
func SettingsShow() string { return settings }

// SettingsRetentionSave is where the retention form posts.
func SettingsRetentionSave() string { return settingsRetention }

// SettingsTimeZoneSave is where the time zone form posts.
func SettingsTimeZoneSave() string { return settingsTimeZone }

// SettingsLimitsSave is where the call limits form posts.
func SettingsLimitsSave() string { return settingsLimits }
