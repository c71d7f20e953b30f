package jobargs

import "time"

// WriteHealthNoticeArgs e-mails one admin that the tenant's writes to iCIMS
// are failing, or work again. The store queues one job per admin in the
// transaction that decides the notice, so each admin's mail is retried on
// its own and nobody gets it twice because another address failed.
type WriteHealthNoticeArgs struct {
	TenantID   int64     `json:"tenant_id"`
	TenantName string    `json:"tenant_name"`
	Notice     string    `json:"notice"`
	To         string    `json:"to"`
	Since      time.Time `json:"since"`
	At         time.Time `json:"at"`
	Failures   int       `json:"failures"`
}

// Kind implements river.JobArgs.
func (WriteHealthNoticeArgs) Kind() string { return "writeback_health_notice" }
