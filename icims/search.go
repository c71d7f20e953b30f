package icims

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// SearchKind is what a search looks for.
type SearchKind string

// The kinds of search the project uses, with their path segments.
const (
	SearchPeople             SearchKind = "people"
	SearchJobs               SearchKind = "jobs"
	SearchApplicantWorkflows SearchKind = "applicantworkflows"
)

// idFilter names each kind's id in a filter, used to page with "id >".
var idFilter = map[SearchKind]string{
	SearchPeople:             "person.id",
	SearchJobs:               "job.id",
	SearchApplicantWorkflows: "applicantworkflow.id",
}

// SearchPageSize is the most results iCIMS returns for one search.
const SearchPageSize = 1000

// SearchFilter is one condition, e.g. {Name: "job.folder", Value:
// []string{"C14567"}, Operator: "="}.
type SearchFilter struct {
	Name     string   `json:"name"`
	Value    []string `json:"value"`
	Operator string   `json:"operator"`
}

// SearchQuery is the searchJson iCIMS takes. The filters are ANDed: the
// client pages by adding an "id >" filter, which an OR would defeat.
type SearchQuery struct {
	Filters []SearchFilter `json:"filters"`
}

// SearchResult is one hit: the profile's id and its API URL.
type SearchResult struct {
	ID   string
	Self string
}

// Search returns every id matching q, ascending, paging with "id >" the
// last id through pages of SearchPageSize. Each page is one paced call.
func (c *Client) Search(ctx context.Context, kind SearchKind, q SearchQuery) ([]SearchResult, error) {
	var all []SearchResult
	after := ""
	for {
		page, err := c.SearchPage(ctx, kind, q, after)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < SearchPageSize {
			return all, nil
		}
		last := page[len(page)-1].ID
		if !idAfter(last, after) {
			return nil, &Error{Kind: Other, Op: "search " + string(kind), Code: CodeNone,
				Message: fmt.Sprintf("results not ascending by id (%q after %q); stopped paging", last, after)}
		}
		after = last
	}
}

// SearchPage returns one page of results with ids greater than afterID
// ("" for the first page).
func (c *Client) SearchPage(ctx context.Context, kind SearchKind, q SearchQuery, afterID string) ([]SearchResult, error) {
	op := "search " + string(kind)
	idName, ok := idFilter[kind]
	if !ok {
		return nil, fmt.Errorf("icims: %s: unknown kind", op)
	}
	if afterID != "" {
		if !validID(afterID) {
			return nil, fmt.Errorf("icims: %s: invalid id %q", op, afterID)
		}
		q.Filters = append(q.Filters[:len(q.Filters):len(q.Filters)], SearchFilter{Name: idName, Value: []string{afterID}, Operator: ">"})
	}
	if len(q.Filters) == 0 {
		return nil, fmt.Errorf("icims: %s: iCIMS needs at least one filter", op)
	}
	sj, err := json.Marshal(q)
	if err != nil {
		return nil, fmt.Errorf("icims: %s: encode: %w", op, err)
	}
	resp, err := c.do(ctx, request{op: op, method: http.MethodGet, url: c.customerBase + "/search/" + string(kind),
		query: url.Values{"searchJson": {string(sj)}}})
	if err != nil {
		return nil, err
	}
	var body struct {
		SearchResults []struct {
			ID   flexString `json:"id"`
			Self string     `json:"self"`
		} `json:"searchResults"`
	}
	if err := decodeJSON(op, resp.body, &body); err != nil {
		return nil, err
	}
	out := make([]SearchResult, 0, len(body.SearchResults))
	for _, r := range body.SearchResults {
		out = append(out, SearchResult{ID: string(r.ID), Self: r.Self})
	}
	return out, nil
}

// idAfter reports whether id sorts after prev, numerically when both are
// numbers as iCIMS ids are.
func idAfter(id, prev string) bool {
	if prev == "" {
		return true
	}
	a, errA := strconv.ParseUint(id, 10, 64)
	b, errB := strconv.ParseUint(prev, 10, 64)
	if errA == nil && errB == nil {
		return a > b
	}
	return id > prev
}
