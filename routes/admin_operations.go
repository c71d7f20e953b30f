package routes

const (
	writeback         = AdminPrefix + "/writeback"
	writebackRetryAll = AdminPrefix + "/writeback/retry-all"
	writebackSettings = AdminPrefix + "/writeback/settings"
	writebackRetry    = AdminPrefix + "/writeback/:id/retry"
	logs              = AdminPrefix + "/integrations/icims/logs"
	logsRetryAll      = AdminPrefix + "/integrations/icims/logs/retry-all"
	logsEntry         = AdminPrefix + "/integrations/icims/logs/:id"
	logsRedeliver     = AdminPrefix + "/integrations/icims/logs/:id/redeliver"
	logsRetry         = AdminPrefix + "/integrations/icims/logs/:id/retry"
	checklist         = AdminPrefix + "/checklist"
	checklistTrial    = AdminPrefix + "/checklist/trial"
	settings          = AdminPrefix + "/settings"
	settingsRetention = AdminPrefix + "/settings/retention"
	settingsLimits    = AdminPrefix + "/settings/limits"
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
func LogsList() string { return logs }

// LogsRetryAll retries every failed call.
func LogsRetryAll() string { return logsRetryAll }

// LogsShow is one log entry.
func LogsShow(entryID int64) string { return fill(logsEntry, id(entryID)) }

// LogsRedeliver processes an inbound delivery again.
func LogsRedeliver(entryID int64) string { return fill(logsRedeliver, id(entryID)) }

// LogsRetry makes a failed outbound call again.
func LogsRetry(entryID int64) string { return fill(logsRetry, id(entryID)) }

// ChecklistShow is the setup checklist.
func ChecklistShow() string { return checklist }

// ChecklistTrial sends a test assessment through the sandbox.
func ChecklistTrial() string { return checklistTrial }

// SettingsShow is the settings page.
func SettingsShow() string { return settings }

// SettingsRetentionSave is where the retention form posts.
func SettingsRetentionSave() string { return settingsRetention }

// SettingsLimitsSave is where the call limits form posts.
func SettingsLimitsSave() string { return settingsLimits }
