package jobargs

// AccommodationNoticeArgs e-mails one admin of the tenant that a candidate
// asked for an accommodation. The store queues one job per admin in the
// request's own transaction, so each admin gets one e-mail per request
// and a retry of one admin's e-mail sends no other again.
type AccommodationNoticeArgs struct {
	TenantID  int64 `json:"tenant_id"`
	RequestID int64 `json:"request_id"`
	AdminID   int64 `json:"admin_id"`
}

// Kind implements river.JobArgs.
func (AccommodationNoticeArgs) Kind() string { return "accommodation_notice" }
