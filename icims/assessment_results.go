package icims

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// ErrForeignLocation is returned for a result location outside this
// client's customer on its API base; the client never sends credentials
// to such a URL.
var ErrForeignLocation = errors.New("location is not under the client's API base")

// AddAssessmentResult adds a row to an application's assessmentresults and
// returns the row's Location, which UpdateAssessmentResult takes. Keep it:
// iCIMS offers no other way to address the row.
func (c *Client) AddAssessmentResult(ctx context.Context, workflowID string, row AssessmentResult) (string, []Warning, error) {
	const op = "add assessment result"
	if !validID(workflowID) {
		return "", nil, fmt.Errorf("icims: %s: invalid workflow id %q", op, workflowID)
	}
	if err := row.Validate(); err != nil {
		return "", nil, err
	}
	resp, err := c.do(ctx, request{op: op, method: http.MethodPost,
		url: c.customerBase + "/applicantworkflows/" + url.PathEscape(workflowID) + "/fields/assessmentresults", body: row})
	if err != nil {
		return "", nil, err
	}
	loc, _, err := c.created(op, resp)
	if err != nil {
		return "", resp.warnings, err
	}
	if _, ok := c.underAPI(loc); !ok {
		return "", resp.warnings, fmt.Errorf("icims: %s: Location %q: %w", op, loc, ErrForeignLocation)
	}
	return loc, resp.warnings, nil
}

// UpdateAssessmentResult PATCHes the row at location (from
// AddAssessmentResult). Only the row's non-empty subfields are sent, so the
// others keep their values. A location that is not under this client's
// customer is refused without a call.
func (c *Client) UpdateAssessmentResult(ctx context.Context, location string, row AssessmentResult) ([]Warning, error) {
	const op = "update assessment result"
	u, ok := c.underAPI(location)
	if !ok {
		return nil, fmt.Errorf("icims: %s: %q: %w", op, location, ErrForeignLocation)
	}
	if err := row.Validate(); err != nil {
		return nil, err
	}
	u.RawQuery = ""
	resp, err := c.do(ctx, request{op: op, method: http.MethodPatch, url: u.String(), body: row})
	if err != nil {
		return nil, err
	}
	return resp.warnings, nil
}
