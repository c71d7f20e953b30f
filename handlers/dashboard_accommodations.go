package handlers

import (
	"context"

	"github.com/jobcannon/jobcannon/assessments"
)

// AccommodationLister lists a tenant's accommodation requests, open ones
// first (the invitation store).
type AccommodationLister interface {
	AccommodationRequests(ctx context.Context, tenantID int64) ([]assessments.AccommodationRequest, error)
}

// openAccommodations returns the tenant's requests no admin has dealt with.
func (h *Admin) openAccommodations(ctx context.Context, tenantID int64) ([]assessments.AccommodationRequest, error) {
	all, err := h.Accommodations.AccommodationRequests(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	var open []assessments.AccommodationRequest
	for _, r := range all {
		if r.ResolvedAt.IsZero() {
			open = append(open, r)
		}
	}
	return open, nil
}
