package jobargs

// WritebackArgs brings one invitation's iCIMS record up to date: the
// assessment results row, then the scorecard fields, then a follow-up's
// workflow move. It carries no status: the worker reads the invitation's
// current state, so a late or repeated job never writes anything old.
type WritebackArgs struct {
	TenantID     int64 `json:"tenant_id"`
	InvitationID int64 `json:"invitation_id"`
}

// Kind implements river.JobArgs.
func (WritebackArgs) Kind() string { return "icims_writeback" }
