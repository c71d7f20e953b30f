package assessments

import (
	"context"
	"net/url"
	"slices"
	"time"
)

// InvitationStatus is where an invitation is in its life.
type InvitationStatus string

// The invitation lifecycle: created → sent → opened → in_progress →
// completed, or expired, cancelled or failed on the way.
const (
	StatusCreated    InvitationStatus = "created"
	StatusSent       InvitationStatus = "sent"
	StatusOpened     InvitationStatus = "opened"
	StatusInProgress InvitationStatus = "in_progress"
	StatusCompleted  InvitationStatus = "completed"
	StatusExpired    InvitationStatus = "expired"
	StatusCancelled  InvitationStatus = "cancelled"
	// StatusFailed means the invitation could not be delivered (the e-mail
	// bounced or could not be sent). It stays live, so a resend can revive
	// it; cancel it to send a new one.
	StatusFailed InvitationStatus = "failed"
)

// DuplicateInvitationMessage is the message iCIMS requires when a package
// is requested again for an application that already has it live.
const DuplicateInvitationMessage = "An assessment has already been sent to this candidate for this job."

// DuplicateRequestMessage is DuplicateInvitationMessage with the day the
// live invitation was sent (UTC), so the recruiter can tell the request
// was not lost but already answered.
func DuplicateRequestMessage(sent time.Time) string {
	if sent.IsZero() {
		return DuplicateInvitationMessage + " JobCannon did not send it again."
	}
	return DuplicateInvitationMessage + " It was sent on " + sent.UTC().Format("2 January 2006") + "; JobCannon did not send it again."
}

// StartedGrace is how long past its expiry a started invitation stays
// open, so that a candidate who began before the deadline is not cut off
// half-way through.
const StartedGrace = 24 * time.Hour

// nextStatuses lists where a status may go. A status may also "go" to
// itself: that records activity (a resend, saved answers, an extension)
// without changing the status. Completed, expired and cancelled are final.
func nextStatuses(from InvitationStatus) []InvitationStatus {
	switch from {
	case StatusCreated:
		return []InvitationStatus{StatusSent, StatusOpened, StatusExpired, StatusCancelled, StatusFailed}
	case StatusSent:
		return []InvitationStatus{StatusOpened, StatusExpired, StatusCancelled, StatusFailed}
	case StatusFailed:
		return []InvitationStatus{StatusSent, StatusOpened, StatusExpired, StatusCancelled}
	case StatusOpened:
		return []InvitationStatus{StatusInProgress, StatusExpired, StatusCancelled}
	case StatusInProgress:
		return []InvitationStatus{StatusCompleted, StatusExpired, StatusCancelled}
	}
	return nil
}

// Final reports whether nothing can happen to an invitation any more.
func (s InvitationStatus) Final() bool {
	return s == StatusCompleted || s == StatusExpired || s == StatusCancelled
}

// Live reports whether the invitation still holds its application's slot:
// at most one live invitation exists per tenant, workflow and package.
func (s InvitationStatus) Live() bool { return !s.Final() }

// Label names the status for people.
func (s InvitationStatus) Label() string {
	switch s {
	case StatusCreated:
		return "Created"
	case StatusSent:
		return "Sent"
	case StatusOpened:
		return "Opened"
	case StatusInProgress:
		return "In progress"
	case StatusCompleted:
		return "Completed"
	case StatusExpired:
		return "Expired"
	case StatusCancelled:
		return "Cancelled"
	case StatusFailed:
		return "Not delivered"
	}
	return string(s)
}

// CheckTransition returns an EINVALID error unless an invitation may move
// from one status to the other. Staying in a live status is allowed.
func CheckTransition(from, to InvitationStatus) error {
	if from.Final() {
		return Errorf(EINVALID, "This invitation is already %s; it cannot change any more.", from.Label())
	}
	if from == to || slices.Contains(nextStatuses(from), to) {
		return nil
	}
	return Errorf(EINVALID, "An invitation cannot go from %s to %s.", from.Label(), to.Label())
}

// Invitation is one candidate's invitation to take one package for one
// application in iCIMS.
type Invitation struct {
	ID        int64
	TenantID  int64
	PackageID int64
	// WorkflowID, PersonID and JobID are iCIMS ids: the applicant
	// workflow, the candidate and the job.
	WorkflowID         string
	PersonID           string
	JobID              string
	CandidateFirstName string
	CandidateLastName  string
	CandidateEmail     string
	JobTitle           string
	CompanyName        string
	Status             InvitationStatus
	ExpiresAt          time.Time
	// ReturnURL is where an inline invitation sends the candidate when
	// done: back into their iCIMS application.
	ReturnURL string
	// ReportID names the recruiter report; it is random and only ever
	// shown signed (see ReportURL).
	ReportID         string
	SentCount        int
	ExtraTimeMinutes int
	CreatedAt        time.Time
	SentAt           time.Time
	OpenedAt         time.Time
	StartedAt        time.Time
	CompletedAt      time.Time
	EndedAt          time.Time // expired, cancelled
	UpdatedAt        time.Time
}

// CandidateName is the candidate's full name.
func (inv Invitation) CandidateName() string {
	switch {
	case inv.CandidateFirstName == "":
		return inv.CandidateLastName
	case inv.CandidateLastName == "":
		return inv.CandidateFirstName
	}
	return inv.CandidateFirstName + " " + inv.CandidateLastName
}

// Deadline is when the link stops working: the expiry, or StartedGrace
// later once the candidate has started.
func (inv Invitation) Deadline() time.Time {
	if inv.Status == StatusInProgress {
		return inv.ExpiresAt.Add(StartedGrace)
	}
	return inv.ExpiresAt
}

// Overdue reports whether a live invitation has passed its deadline and
// should be expired.
func (inv Invitation) Overdue(now time.Time) bool {
	return inv.Status.Live() && !inv.ExpiresAt.IsZero() && !now.Before(inv.Deadline())
}

// NewInvitation is what it takes to create an invitation. A zero ExpiresAt
// means the package's expiry from now.
type NewInvitation struct {
	TenantID           int64
	PackageID          int64
	WorkflowID         string
	PersonID           string
	JobID              string
	CandidateFirstName string
	CandidateLastName  string
	CandidateEmail     string
	JobTitle           string
	CompanyName        string
	ReturnURL          string
	ExpiresAt          time.Time
}

// Validate checks a new invitation before it is stored.
func (n NewInvitation) Validate() error {
	if n.TenantID == 0 || n.PackageID == 0 {
		return Errorf(EINVALID, "An invitation needs a tenant and a package.")
	}
	if n.WorkflowID == "" {
		return Errorf(EINVALID, "An invitation needs the iCIMS applicant workflow id.")
	}
	if n.CandidateEmail == "" && n.ReturnURL == "" {
		return Errorf(EINVALID, "An invitation needs the candidate's e-mail address, or a return URL for an inline assessment.")
	}
	if n.ReturnURL != "" {
		u, err := url.Parse(n.ReturnURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return Errorf(EINVALID, "The return URL must be an absolute http or https address.")
		}
	}
	if n.CandidateEmail != "" {
		if _, err := NormalizeEmail(n.CandidateEmail); err != nil {
			return Errorf(EINVALID, "The candidate's e-mail address %q is not valid.", n.CandidateEmail)
		}
	}
	return nil
}

// InvitationEvent is one recorded step of an invitation's life.
type InvitationEvent struct {
	ID           int64
	InvitationID int64
	From         InvitationStatus // "" for the creation
	Status       InvitationStatus
	At           time.Time
	Detail       string
}

// AccommodationRequest is a candidate's request for an adjustment, kept
// for the tenant's admins.
type AccommodationRequest struct {
	ID           int64
	TenantID     int64
	InvitationID int64
	Message      string
	CreatedAt    time.Time
	// ResolvedAt is set when an admin has dealt with the request;
	// ExtraMinutes is the extra time granted, if any.
	ResolvedAt   time.Time
	ExtraMinutes int
	// Candidate, Email and PackageName are filled when listing, for the
	// admin page.
	Candidate   string
	Email       string
	PackageName string
}

// InvitationStore keeps invitations and their history. Every change of
// status goes through it, so each one is recorded and validated.
type InvitationStore interface {
	// Create stores a new invitation and returns it with its candidate
	// token, which is never stored and never returned again. A live
	// invitation for the same tenant, workflow and package is ECONFLICT
	// with DuplicateInvitationMessage.
	Create(ctx context.Context, n NewInvitation) (Invitation, string, error)
	Invitation(ctx context.Context, tenantID, id int64) (Invitation, error)
	// InvitationByToken finds the invitation a candidate token opens. It is
	// the one lookup not scoped by tenant: the token is what names it.
	InvitationByToken(ctx context.Context, token string) (Invitation, error)
	// InvitationByReportID is like InvitationByToken for report links.
	InvitationByReportID(ctx context.Context, reportID string) (Invitation, error)
	// Transition moves an invitation to a status, recording detail.
	Transition(ctx context.Context, tenantID, id int64, to InvitationStatus, detail string) (Invitation, error)
	// MarkSent records that the invitation e-mail went out (again).
	MarkSent(ctx context.Context, tenantID, id int64) (Invitation, error)
	// Extend moves a live invitation's expiry.
	Extend(ctx context.Context, tenantID, id int64, until time.Time) (Invitation, error)
	Cancel(ctx context.Context, tenantID, id int64, reason string) (Invitation, error)
	Expire(ctx context.Context, tenantID, id int64) (Invitation, error)
	Events(ctx context.Context, tenantID, id int64) ([]InvitationEvent, error)
	RequestAccommodation(ctx context.Context, tenantID, id int64, message string) (AccommodationRequest, error)
	AccommodationRequests(ctx context.Context, tenantID int64) ([]AccommodationRequest, error)
	// ResolveAccommodation closes a request, granting extraMinutes (0 for
	// none) on every timed part of the invitation.
	ResolveAccommodation(ctx context.Context, tenantID, requestID int64, extraMinutes int) error
}
