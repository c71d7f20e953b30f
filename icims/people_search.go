package icims

import (
	"context"
	"fmt"
	"strings"
)

// FindPeopleByEmail returns the ids of the people whose e-mail is email,
// ascending (every page, paged by id as iCIMS requires).
func (c *Client) FindPeopleByEmail(ctx context.Context, email string) ([]string, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return nil, fmt.Errorf("icims: find people by e-mail: empty e-mail")
	}
	return c.searchIDs(ctx, SearchPeople, SearchFilter{Name: "person.email", Value: []string{email}, Operator: "="})
}

// FindApplications returns the ids of a person's applications to a job:
// the way to learn whether an application exists, since iCIMS offers no
// GET on the applicant workflow collection.
func (c *Client) FindApplications(ctx context.Context, personID, jobID string) ([]string, error) {
	if !validID(personID) || !validID(jobID) {
		return nil, fmt.Errorf("icims: find applications: invalid person %q or job %q", personID, jobID)
	}
	return c.searchIDs(ctx, SearchApplicantWorkflows,
		SearchFilter{Name: "applicantworkflow.person.id", Value: []string{personID}, Operator: "="},
		SearchFilter{Name: "applicantworkflow.job.id", Value: []string{jobID}, Operator: "="})
}

func (c *Client) searchIDs(ctx context.Context, kind SearchKind, filters ...SearchFilter) ([]string, error) {
	res, err := c.Search(ctx, kind, SearchQuery{Filters: filters})
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(res))
	for _, r := range res {
		ids = append(ids, r.ID)
	}
	return ids, nil
}
