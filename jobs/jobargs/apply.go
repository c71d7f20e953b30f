package jobargs

// The steps of an assessment-first application, one job each. The store
// queues the first when it records the application and each next one in
// the transaction that records the step before it.

// ApplyPersonArgs finds (by e-mail) or creates the person of an
// assessment-first application in iCIMS.
type ApplyPersonArgs struct {
	TenantID      int64 `json:"tenant_id"`
	ApplicationID int64 `json:"application_id"`
}

// Kind implements river.JobArgs.
func (ApplyPersonArgs) Kind() string { return "apply_person" }

// ApplyApplicationArgs creates (or finds) the application on the link's
// job, with its source, and the invitation to the package.
type ApplyApplicationArgs struct {
	TenantID      int64 `json:"tenant_id"`
	ApplicationID int64 `json:"application_id"`
}

// Kind implements river.JobArgs.
func (ApplyApplicationArgs) Kind() string { return "apply_application" }

// ApplyCVArgs uploads the applicant's CV to the person in iCIMS.
type ApplyCVArgs struct {
	TenantID      int64 `json:"tenant_id"`
	ApplicationID int64 `json:"application_id"`
}

// Kind implements river.JobArgs.
func (ApplyCVArgs) Kind() string { return "apply_cv" }
