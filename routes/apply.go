package routes

// ApplyPrefix is the public apply pages' group: a signed link, no login,
// its own CSRF cookie and a body limit that fits a CV.
const ApplyPrefix = "/apply"

const (
	jobShare      = AdminPrefix + "/jobs/:jobID/share"
	jobShareClose = AdminPrefix + "/jobs/:jobID/share/:id/close"
	applyWait     = ApplyPrefix + "/w/:wait"
	applyLink     = ApplyPrefix + "/:token"
)

// ApplyShareShow is a job's "Share an assessment link" page.
func ApplyShareShow(jobID string) string { return fill(jobShare, jobID) }

// ApplyShareCreate is where the share page's form posts a new link.
func ApplyShareCreate(jobID string) string { return fill(jobShare, jobID) }

// ApplyShareClose closes one of a job's apply links.
func ApplyShareClose(jobID string, linkID int64) string {
	return fill(jobShareClose, jobID, id(linkID))
}

// ApplyShow is the public apply page behind a link's token.
func ApplyShow(token string) string { return fill(applyLink, token) }

// ApplySubmit is where the public apply form posts.
func ApplySubmit(token string) string { return fill(applyLink, token) }

// ApplyWait is the page that follows an application into the assessment.
func ApplyWait(wait string) string { return fill(applyWait, wait) }
