package icimstest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// listPageMax is the most children one list request answers (iCIMS's
// default and maximum size).
const listPageMax = 1000

// getLists serves GET /v2/lists: the ids of the customer's standard lists.
// Custom lists have no list id, so they are never named here; the standard
// list lists.customfields_lists is, and its children are the custom lists.
func (s *Sim) getLists(w http.ResponseWriter, r *http.Request) {
	if !requireScope(w, r, ScopeProfileRead) {
		return
	}
	s.mu.Lock()
	c := s.customers[r.PathValue("cid")]
	ids := []string{}
	for _, l := range c.lists {
		ids = append(ids, l.id)
	}
	ids = append(ids, ListCustomLists)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"lists": ids})
}

// getList serves GET /v2/lists/{listId}: one level of a standard list (by
// its list id), of lists.customfields_lists (its children are the custom
// lists) or of a custom list (by its node id). At most size children (default
// and maximum 1000) come per call, from offset; when more follow,
// _links.next is the URL of the next page. iCIMS documents the size and the
// _links, not the name of the paging parameter: offset is ours.
func (s *Sim) getList(w http.ResponseWriter, r *http.Request) {
	if !requireScope(w, r, ScopeProfileRead) {
		return
	}
	q := r.URL.Query()
	size, aerr := positiveParam(q, "size", listPageMax, 1)
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	size = min(size, listPageMax)
	offset, aerr := positiveParam(q, "offset", 0, 0)
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	s.mu.Lock()
	c := s.customers[r.PathValue("cid")]
	id := r.PathValue("list")
	var out map[string]any
	if l := c.listLevel(id); l != nil {
		out = s.listPageLocked(c, l, offset, size)
	}
	s.mu.Unlock()
	if out == nil {
		writeAPIError(w, notFound("List not found."))
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// listLevel is the level GET /v2/lists/{id} reads: a standard list, the
// custom lists under lists.customfields_lists, or one custom list.
func (c *customer) listLevel(id string) *list {
	if id == ListCustomLists {
		l := &list{id: ListCustomLists, name: "Custom Lists"}
		for _, cl := range c.customLists {
			l.nodes = append(l.nodes, node{cl.id, cl.name})
		}
		return l
	}
	return c.list(id)
}

// listPageLocked renders children [offset, offset+size) of l. A child that
// is itself a list (a custom list under lists.customfields_lists) carries
// _links.children, the URL that reads it.
func (s *Sim) listPageLocked(c *customer, l *list, offset, size int) map[string]any {
	base := s.apiURLLocked(c.id, "v2/lists/")
	page := func(off int) string {
		return base + url.PathEscape(l.id) + "?" + url.Values{"size": {strconv.Itoa(size)}, "offset": {strconv.Itoa(off)}}.Encode()
	}
	start, end := min(offset, len(l.nodes)), min(offset+size, len(l.nodes))
	children := []map[string]any{}
	for _, n := range l.nodes[start:end] {
		child := map[string]any{"id": n.ID, "value": n.Value}
		if l.id == ListCustomLists {
			child["_links"] = map[string]any{"children": map[string]string{"href": base + url.PathEscape(n.ID)}}
		}
		children = append(children, child)
	}
	links := map[string]any{"self": map[string]string{"href": page(offset)}}
	if end < len(l.nodes) {
		links["next"] = map[string]string{"href": page(end)}
	}
	return map[string]any{"id": l.id, "value": l.name, "children": children, "_links": links}
}

// positiveParam reads a whole-number query parameter of at least least,
// def when absent.
func positiveParam(q url.Values, name string, def, least int) (int, *apiError) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < least {
		return 0, badRequest(codeInvalid, fmt.Sprintf("%s: Value must be a whole number of at least %d.", name, least))
	}
	return n, nil
}

// ListNode is a node of a custom list, for SetCustomList.
type ListNode struct {
	ID    string
	Value string
}

// SetCustomList creates or replaces customer cid's custom list whose node
// id is id, as an iCIMS admin would under Admin > Lists (e.g. a list of
// more than one page, or an Assessment Type list under another name).
func (s *Sim) SetCustomList(cid, id, name string, nodes []ListNode) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customers[cid]
	if c == nil {
		return fmt.Errorf("icimstest: set custom list: unknown customer %q", cid)
	}
	l := &list{id: id, name: name}
	for _, n := range nodes {
		l.nodes = append(l.nodes, node(n))
	}
	for i, old := range c.customLists {
		if old.id == id {
			c.customLists[i] = l
			return nil
		}
	}
	c.customLists = append(c.customLists, l)
	return nil
}

// DeleteCustomList removes customer cid's custom list whose node id is id,
// e.g. to show what the vendor's product does when the Assessment Type list
// is missing.
func (s *Sim) DeleteCustomList(cid, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customers[cid]
	if c == nil {
		return fmt.Errorf("icimstest: delete custom list: unknown customer %q", cid)
	}
	for i, l := range c.customLists {
		if l.id == id {
			c.customLists = append(c.customLists[:i], c.customLists[i+1:]...)
			return nil
		}
	}
	return fmt.Errorf("icimstest: delete custom list: customer %s has no custom list %q", cid, id)
}
