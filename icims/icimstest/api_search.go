package icimstest

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// searchPageSize is the most ids one search answers; callers page by
// adding an "id >" filter with the last id they saw.
const searchPageSize = 1000

// search serves GET ?searchJson= and POST of the same JSON.
func (s *Sim) search(w http.ResponseWriter, r *http.Request) {
	if !requireScope(w, r, ScopeProfileRead) {
		return
	}
	kind := r.PathValue("kind")
	if kind != "people" && kind != "jobs" && kind != "applicantworkflows" {
		writeAPIError(w, notFound("Search type "+kind+" is not supported."))
		return
	}
	raw := []byte(r.URL.Query().Get("searchJson"))
	if r.Method == http.MethodPost {
		raw, _ = io.ReadAll(r.Body)
	}
	if len(strings.TrimSpace(string(raw))) == 0 {
		writeAPIError(w, searchErr("At least one filter must be specified"))
		return
	}
	group, aerr := parseSearchGroup(raw)
	if aerr == nil && countFilters(group) == 0 {
		aerr = searchErr("At least one filter must be specified")
	}
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	s.mu.Lock()
	c := s.customers[r.PathValue("cid")]
	compiled, aerr := c.compileSearch(kind, group)
	var results []map[string]string
	if aerr == nil {
		store := map[string]map[int]*profile{"people": c.people, "jobs": c.jobs, "applicantworkflows": c.workflows}[kind]
		var ids []int
		for id, p := range store {
			if compiled.match(p) {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		results = []map[string]string{}
		for _, id := range ids[:min(len(ids), searchPageSize)] {
			results = append(results, map[string]string{
				"id":   strconv.Itoa(id),
				"self": s.apiURLLocked(c.id, kind+"/"+strconv.Itoa(id)),
			})
		}
	}
	s.mu.Unlock()
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"searchResults": results})
}
