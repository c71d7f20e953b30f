package icims

import (
	"context"
	"fmt"
	"net/url"
)

// Job is a job (requisition). AssessmentTypes are the packages chosen for
// it, nodes of the customer's Assessment Type list. Fields holds everything
// iCIMS returned.
type Job struct {
	ID              string
	JobTitle        string
	AssessmentTypes []ListNode
	Folder          *ListNode
	JobLocation     *ProfileRef
	Fields          Fields
}

// GetJob reads a job: its title, assessment types, folder, location and
// the given extra field ids.
func (c *Client) GetJob(ctx context.Context, id string, fields []string) (Job, error) {
	const op = "get job"
	if !validID(id) {
		return Job{}, fmt.Errorf("icims: %s: invalid id %q", op, id)
	}
	f, err := c.getProfile(ctx, op, "/jobs/"+url.PathEscape(id), alwaysRead(ProfileJob), fields)
	if err != nil {
		return Job{}, err
	}
	j := Job{ID: id, JobTitle: f.String("jobtitle"), Fields: f}
	if err := decodeFields(op, f, map[string]any{
		"assessmenttype": &j.AssessmentTypes,
		"folder":         &j.Folder,
		"joblocation":    &j.JobLocation,
	}); err != nil {
		return Job{}, err
	}
	return j, nil
}

// decodeFields decodes the typed fields of a profile; a field of an
// unexpected shape is an error naming it rather than a silent empty value.
func decodeFields(op string, f Fields, into map[string]any) error {
	for key, v := range into {
		if _, err := f.Decode(key, v); err != nil {
			return &Error{Kind: Other, Op: op, Code: CodeNone, Field: key, Message: "unexpected value of " + key, Err: err}
		}
	}
	return nil
}
