package icims

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Well-known list ids.
const (
	ListSources = "lists.sources"
)

// GetLists returns the ids of the customer's standard lists.
func (c *Client) GetLists(ctx context.Context) ([]string, error) {
	const op = "get lists"
	resp, err := c.do(ctx, request{op: op, method: http.MethodGet, url: c.customerBase + "/v2/lists"})
	if err != nil {
		return nil, err
	}
	var body struct {
		Lists []string `json:"lists"`
	}
	if err := decodeJSON(op, resp.body, &body); err != nil {
		return nil, err
	}
	return body.Lists, nil
}

// List is one level of an iCIMS list: its own node and its children.
type List struct {
	ID    string
	Value string
	Nodes []ListNode
}

// Node returns the child with the given id.
func (l List) Node(id string) (ListNode, bool) {
	for _, n := range l.Nodes {
		if n.ID == id {
			return n, true
		}
	}
	return ListNode{}, false
}

// NodeByValue returns the child whose value matches, ignoring case (how a
// Source given as text is found in lists.sources).
func (l List) NodeByValue(value string) (ListNode, bool) {
	for _, n := range l.Nodes {
		if strings.EqualFold(n.Value, value) {
			return n, true
		}
	}
	return ListNode{}, false
}

// GetList returns the first level of a list, up to 1,000 nodes: a standard
// list by its id (lists.sources), a custom list (the Assessment Type list,
// workflow statuses) by its node id.
func (c *Client) GetList(ctx context.Context, listID string) (List, error) {
	const op = "get list"
	if listID == "" || strings.ContainsAny(listID, "/?#%") || listID == "." || listID == ".." {
		return List{}, fmt.Errorf("icims: %s: invalid list id %q", op, listID)
	}
	resp, err := c.do(ctx, request{op: op, method: http.MethodGet, url: c.customerBase + "/v2/lists/" + url.PathEscape(listID),
		query: url.Values{"size": {"1000"}}})
	if err != nil {
		return List{}, err
	}
	// iCIMS calls the level's nodes "children"; "nodes" is accepted too.
	var body struct {
		ID       flexString `json:"id"`
		Value    flexString `json:"value"`
		Children []ListNode `json:"children"`
		Nodes    []ListNode `json:"nodes"`
	}
	if err := decodeJSON(op, resp.body, &body); err != nil {
		return List{}, err
	}
	l := List{ID: string(body.ID), Value: string(body.Value), Nodes: body.Children}
	if l.ID == "" {
		l.ID = listID
	}
	if len(l.Nodes) == 0 {
		l.Nodes = body.Nodes
	}
	return l, nil
}
