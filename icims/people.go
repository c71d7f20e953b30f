package icims

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// Person is a candidate. The named fields are the ones the project always
// needs; Fields holds everything iCIMS returned, including the extra
// fields asked for.
type Person struct {
	ID        string
	FirstName string
	LastName  string
	Email     string
	Fields    Fields
}

// GetPerson reads a person: first name, last name, e-mail and the given
// extra field ids (e.g. "rcf1001").
func (c *Client) GetPerson(ctx context.Context, id string, fields []string) (Person, error) {
	const op = "get person"
	if !validID(id) {
		return Person{}, fmt.Errorf("icims: %s: invalid id %q", op, id)
	}
	f, err := c.getProfile(ctx, op, "/people/"+url.PathEscape(id), alwaysRead(ProfilePerson), fields)
	if err != nil {
		return Person{}, err
	}
	return Person{ID: id, FirstName: f.String("firstname"), LastName: f.String("lastname"), Email: f.String("email"), Fields: f}, nil
}

// PatchPerson sets fields of a person, e.g. scorecard fields "rcf####".
// A nil or "" value deletes the field in iCIMS.
func (c *Client) PatchPerson(ctx context.Context, id string, fields map[string]any) ([]Warning, error) {
	const op = "patch person"
	if !validID(id) {
		return nil, fmt.Errorf("icims: %s: invalid id %q", op, id)
	}
	if len(fields) == 0 {
		return nil, fmt.Errorf("icims: %s: no fields", op)
	}
	resp, err := c.do(ctx, request{op: op, method: http.MethodPatch, url: c.customerBase + "/people/" + url.PathEscape(id), body: fields})
	if err != nil {
		return nil, err
	}
	return resp.warnings, nil
}

// CreatePerson creates a candidate and returns its id, read from the
// Location iCIMS answers with.
func (c *Client) CreatePerson(ctx context.Context, fields map[string]any) (string, []Warning, error) {
	const op = "create person"
	if len(fields) == 0 {
		return "", nil, fmt.Errorf("icims: %s: no fields", op)
	}
	resp, err := c.do(ctx, request{op: op, method: http.MethodPost, url: c.customerBase + "/people", body: fields})
	if err != nil {
		return "", nil, err
	}
	_, id, err := c.created(op, resp)
	if err != nil {
		return "", resp.warnings, err
	}
	return id, resp.warnings, nil
}
