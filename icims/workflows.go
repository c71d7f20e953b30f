package icims

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// ApplicantWorkflow is an application: a person (AssociatedProfile) on a
// job (BaseProfile) at a status.
type ApplicantWorkflow struct {
	ID                string
	BaseProfile       ProfileRef // the job
	AssociatedProfile ProfileRef // the person
	Status            ListNode
	Fields            Fields
}

// JobID returns the id of the workflow's job.
func (w ApplicantWorkflow) JobID() string { return w.BaseProfile.ID }

// PersonID returns the id of the workflow's person.
func (w ApplicantWorkflow) PersonID() string { return w.AssociatedProfile.ID }

// GetApplicantWorkflow reads an application and the given extra field ids.
func (c *Client) GetApplicantWorkflow(ctx context.Context, id string, fields []string) (ApplicantWorkflow, error) {
	const op = "get applicant workflow"
	if !validID(id) {
		return ApplicantWorkflow{}, fmt.Errorf("icims: %s: invalid id %q", op, id)
	}
	f, err := c.getProfile(ctx, op, "/applicantworkflows/"+url.PathEscape(id), alwaysRead(ProfileApplicantWorkflow), fields)
	if err != nil {
		return ApplicantWorkflow{}, err
	}
	w := ApplicantWorkflow{ID: id, Fields: f}
	if err := decodeFields(op, f, map[string]any{
		"baseprofile":       &w.BaseProfile,
		"associatedprofile": &w.AssociatedProfile,
		"status":            &w.Status,
	}); err != nil {
		return ApplicantWorkflow{}, err
	}
	return w, nil
}

// PatchWorkflowStatus moves an application to another status (a node id
// of the customer's workflow status list).
func (c *Client) PatchWorkflowStatus(ctx context.Context, id, statusID string) ([]Warning, error) {
	const op = "patch workflow status"
	if !validID(id) || !validID(statusID) {
		return nil, fmt.Errorf("icims: %s: invalid id %q or status %q", op, id, statusID)
	}
	resp, err := c.do(ctx, request{op: op, method: http.MethodPatch, url: c.customerBase + "/applicantworkflows/" + url.PathEscape(id),
		body: map[string]any{"status": ListNode{ID: statusID}}})
	if err != nil {
		return nil, err
	}
	return resp.warnings, nil
}

// NewApplicantWorkflow is an application to create.
type NewApplicantWorkflow struct {
	JobID    string
	PersonID string
	StatusID string // empty leaves iCIMS's default status
	// Source should be a value of lists.sources; another value is stored
	// but iCIMS warns (code 4, field sourcename) and leaves Source Name empty.
	Source string
	// SourceName is the integration's label for Source Name (≤ 128
	// characters); iCIMS keeps it only when Source is a listed value.
	SourceName string
}

// CreateApplicantWorkflow creates an application and returns its id.
func (c *Client) CreateApplicantWorkflow(ctx context.Context, w NewApplicantWorkflow) (string, []Warning, error) {
	const op = "create applicant workflow"
	if !validID(w.JobID) || !validID(w.PersonID) || (w.StatusID != "" && !validID(w.StatusID)) {
		return "", nil, fmt.Errorf("icims: %s: invalid job %q, person %q or status %q", op, w.JobID, w.PersonID, w.StatusID)
	}
	body := map[string]any{"baseprofile": idValue(w.JobID), "associatedprofile": idValue(w.PersonID)}
	if w.StatusID != "" {
		body["status"] = ListNode{ID: w.StatusID}
	}
	if w.Source != "" {
		body["source"] = w.Source
	}
	if w.SourceName != "" {
		body["sourcename"] = w.SourceName
	}
	resp, err := c.do(ctx, request{op: op, method: http.MethodPost, url: c.customerBase + "/applicantworkflows", body: body})
	if err != nil {
		return "", nil, err
	}
	_, id, err := c.created(op, resp)
	if err != nil {
		return "", resp.warnings, err
	}
	return id, resp.warnings, nil
}
