package icims

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Well-known list ids.
const (
	ListSources = "lists.sources"
	// ListCustomLists is the standard list whose children are the
	// customer's custom lists (the Assessment Type and Assessment Name
	// lists among them); a custom list has no list id and is read by its
	// node id.
	ListCustomLists = "lists.customfields_lists"
)

// listPageSize is the most children iCIMS answers per list call.
const listPageSize = 1000

// maxListPages bounds how many pages of one level GetList follows (50,000
// nodes), so a link that never ends cannot keep a caller busy.
const maxListPages = 50

// GetLists returns the ids of the customer's standard lists. Custom lists
// are not among them: see CustomLists.
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

// GetList returns one level of a list, every page of it: a standard list
// by its id (lists.sources), a custom list (the Assessment Type list) by its
// node id. iCIMS answers at most 1,000 children a call and links the next
// page in _links.next; the pages are read in turn, at most maxListPages.
func (c *Client) GetList(ctx context.Context, listID string) (List, error) {
	const op = "get list"
	if listID == "" || strings.ContainsAny(listID, "/?#%") || listID == "." || listID == ".." {
		return List{}, fmt.Errorf("icims: %s: invalid list id %q", op, listID)
	}
	target := c.customerBase + "/v2/lists/" + url.PathEscape(listID)
	query := url.Values{"size": {strconv.Itoa(listPageSize)}}
	var l List
	for page := 0; ; page++ {
		if page == maxListPages {
			return List{}, fmt.Errorf("icims: %s: list %s has more than %d pages", op, listID, maxListPages)
		}
		p, err := c.getListPage(ctx, op, target, query)
		if err != nil {
			return List{}, err
		}
		if page == 0 {
			l = List{ID: p.ID, Value: p.Value}
		}
		l.Nodes = append(l.Nodes, p.Nodes...)
		if p.next == "" {
			break
		}
		next, err := nextListQuery(p.next, listID, query)
		if err != nil {
			return List{}, fmt.Errorf("icims: %s: %w", op, err)
		}
		query = next
	}
	if l.ID == "" {
		l.ID = listID
	}
	return l, nil
}

// listPage is one answer of GET /v2/lists/{id}.
type listPage struct {
	List
	next string // _links.next.href, empty on the last page
}

func (c *Client) getListPage(ctx context.Context, op, target string, query url.Values) (listPage, error) {
	resp, err := c.do(ctx, request{op: op, method: http.MethodGet, url: target, query: query})
	if err != nil {
		return listPage{}, err
	}
	// iCIMS calls the level's nodes "children"; "nodes" is accepted too.
	var body struct {
		ID       flexString `json:"id"`
		Value    flexString `json:"value"`
		Children []ListNode `json:"children"`
		Nodes    []ListNode `json:"nodes"`
		Links    struct {
			Next struct {
				Href string `json:"href"`
			} `json:"next"`
		} `json:"_links"`
	}
	if err := decodeJSON(op, resp.body, &body); err != nil {
		return listPage{}, err
	}
	p := listPage{List: List{ID: string(body.ID), Value: string(body.Value), Nodes: body.Children}, next: body.Links.Next.Href}
	if len(p.Nodes) == 0 {
		p.Nodes = body.Nodes
	}
	return p, nil
}

// nextListQuery takes the query of a next link. Only the query is used: the
// call goes to the client's own URL for the same list, so a link can neither
// send the credentials to another host nor switch to another list; a link
// that would read the same page again ends the paging as an error.
func nextListQuery(href, listID string, current url.Values) (url.Values, error) {
	u, err := url.Parse(href)
	if err != nil {
		return nil, fmt.Errorf("next link %q: %w", href, err)
	}
	if path.Base(u.Path) != listID {
		return nil, fmt.Errorf("next link %q is not for list %s", href, listID)
	}
	q := u.Query()
	if q.Encode() == current.Encode() {
		return nil, fmt.Errorf("next link %q repeats the page just read", href)
	}
	return q, nil
}

// CustomLists finds the customer's custom lists with the given names (such
// as "Assessment Type") among the children of lists.customfields_lists,
// comparing names without regard to case or surrounding spaces, and reads
// each one found. The result is keyed by the name as asked; a name the
// customer has no list for is absent.
func (c *Client) CustomLists(ctx context.Context, names ...string) (map[string]List, error) {
	all, err := c.GetList(ctx, ListCustomLists)
	if err != nil {
		return nil, err
	}
	out := map[string]List{}
	for _, name := range names {
		i := slices.IndexFunc(all.Nodes, func(n ListNode) bool {
			return strings.EqualFold(strings.TrimSpace(n.Value), strings.TrimSpace(name))
		})
		if i < 0 {
			continue
		}
		n := all.Nodes[i]
		l, err := c.GetList(ctx, n.ID)
		if err != nil {
			return nil, err
		}
		if l.Value == "" {
			l.Value = n.Value
		}
		out[name] = l
	}
	return out, nil
}
