package assessments

import (
	"context"
	"time"
)

// AccommodationNotice is what one admin's e-mail about an accommodation
// request needs. It names the candidate and the package but not the
// candidate's words, which may be about their health: the admin reads
// those signed in, where retention also removes them.
type AccommodationNotice struct {
	Request    AccommodationRequest
	AdminEmail string
	AdminName  string
	// CompanyName is the tenant's name, for the subject.
	CompanyName string
	// Zone is the tenant's time zone, for the time of the request.
	Zone *time.Location
}

// AccommodationNotices reads what an accommodation notice e-mail needs.
type AccommodationNotices interface {
	// AccommodationNotice returns the request and the admin; ok is false
	// when either is gone (the admin removed, the request purged), and
	// then there is nobody or nothing to tell.
	AccommodationNotice(ctx context.Context, tenantID, requestID, adminID int64) (n AccommodationNotice, ok bool, err error)
}
