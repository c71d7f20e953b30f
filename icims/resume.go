package icims

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
)

// Resume is a person's CV as iCIMS stores it.
type Resume struct {
	ContentType string
	Filename    string
	Data        []byte
}

// GetResume downloads a person's CV.
func (c *Client) GetResume(ctx context.Context, personID string) (Resume, error) {
	const op = "get resume"
	if !validID(personID) {
		return Resume{}, fmt.Errorf("icims: %s: invalid id %q", op, personID)
	}
	resp, err := c.do(ctx, request{op: op, method: http.MethodGet, accept: "*/*",
		url: c.customerBase + "/people/" + url.PathEscape(personID) + "/fields/resume/binary"})
	if err != nil {
		return Resume{}, err
	}
	r := Resume{ContentType: resp.header.Get("Content-Type"), Data: resp.body}
	if _, params, err := mime.ParseMediaType(resp.header.Get("Content-Disposition")); err == nil {
		r.Filename = params["filename"]
	}
	return r, nil
}
