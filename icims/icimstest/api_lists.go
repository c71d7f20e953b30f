package icimstest

import (
	"net/http"
	"strconv"
)

// listPageMax is the most nodes one list request answers (iCIMS's default
// and maximum size).
const listPageMax = 1000

// getLists serves GET /v2/lists: the ids of the customer's lists.
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
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"lists": ids})
}

// getList serves GET /v2/lists/{listId}: the list's nodes, at most size of
// them (default and maximum 1000).
func (s *Sim) getList(w http.ResponseWriter, r *http.Request) {
	if !requireScope(w, r, ScopeProfileRead) {
		return
	}
	size := listPageMax
	if v := r.URL.Query().Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeAPIError(w, badRequest(codeInvalid, "size: Value must be a positive number."))
			return
		}
		size = min(n, listPageMax)
	}
	s.mu.Lock()
	c := s.customers[r.PathValue("cid")]
	l := c.list(r.PathValue("list"))
	var out map[string]any
	if l != nil {
		self := s.apiURLLocked(c.id, "v2/lists/"+l.id)
		nodes := []map[string]any{}
		for _, n := range l.nodes[:min(len(l.nodes), size)] {
			nodes = append(nodes, map[string]any{"id": n.ID, "value": n.Value})
		}
		out = map[string]any{
			"id": l.id, "value": l.name, "nodes": nodes,
			"_links": map[string]any{"self": map[string]string{"href": self}},
		}
	}
	s.mu.Unlock()
	if out == nil {
		writeAPIError(w, notFound("List not found."))
		return
	}
	writeJSON(w, http.StatusOK, out)
}
