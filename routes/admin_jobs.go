package routes

const (
	jobs        = AdminPrefix + "/jobs"
	jobsRefresh = AdminPrefix + "/jobs/refresh"
)

// JobList is the Jobs page: the customer's jobs as read from iCIMS.
func JobList() string { return jobs }

// JobsRefresh is where Refresh jobs posts.
func JobsRefresh() string { return jobsRefresh }
