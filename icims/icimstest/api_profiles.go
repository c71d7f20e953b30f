package icimstest

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// writeFields validates a written body against defs and returns the fields
// as they would be after the write; nothing is changed on error, so a bad
// write changes nothing. Keys are checked in sorted order so the reported
// error does not depend on map order.
func (c *customer) writeFields(defs []fieldDef, current, body map[string]any, creating bool) (map[string]any, *apiError) {
	out := maps.Clone(current)
	if out == nil {
		out = map[string]any{}
	}
	for _, k := range slices.Sorted(maps.Keys(body)) {
		def, ok := findDef(defs, k)
		if !ok {
			return nil, badRequest(codeInvalid, k+": Field is not valid.")
		}
		if def.readOnly && !creating {
			return nil, badRequest(codeInvalid, k+": Field cannot be changed.")
		}
		parsed, fe := c.parseValue(def, body[k])
		if fe != nil {
			return nil, fromFieldError(fe)
		}
		if parsed == nil {
			delete(out, k)
		} else {
			out[k] = parsed
		}
	}
	return out, nil
}

// requireFields answers code 1 for the first of ids that has no value.
func requireFields(fields map[string]any, ids ...string) *apiError {
	for _, id := range ids {
		if v, ok := fields[id]; !ok || v == nil {
			return badRequest(codeRequired, id+": Field is required.")
		}
	}
	return nil
}

// created answers 201 with the new resource's Location.
func created(w http.ResponseWriter, location string, warnings []*fieldError) {
	w.Header().Set("Location", location)
	writeWarnings(w, http.StatusCreated, warnings)
}

// updated answers 204, or 200 with the warnings.
func updated(w http.ResponseWriter, warnings []*fieldError) {
	if len(warnings) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeWarnings(w, http.StatusOK, warnings)
}

// getProfile serves GET of one person, job or workflow with fields=.
func (s *Sim) getProfile(w http.ResponseWriter, r *http.Request, kind string) {
	if !requireScope(w, r, ScopeProfileRead) {
		return
	}
	id, ok := pathID(r, "id")
	s.mu.Lock()
	c := s.customers[r.PathValue("cid")]
	var defs []fieldDef
	var p *profile
	var missing string
	switch kind {
	case "people":
		defs, p, missing = c.personDefs(), c.people[id], "Person not found."
	case "jobs":
		defs, p, missing = c.jobDefs(), c.jobs[id], "Job not found."
	default:
		defs, p, missing = c.workflowDefs(), c.workflows[id], "Applicant workflow not found."
	}
	var out map[string]any
	if ok && p != nil {
		out = s.renderProfileLocked(c, defs, p, wantFields(r.URL.Query()))
	}
	s.mu.Unlock()
	if out == nil {
		writeAPIError(w, notFound(missing))
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Sim) getPerson(w http.ResponseWriter, r *http.Request) { s.getProfile(w, r, "people") }
func (s *Sim) getJob(w http.ResponseWriter, r *http.Request)    { s.getProfile(w, r, "jobs") }
func (s *Sim) getWorkflow(w http.ResponseWriter, r *http.Request) {
	s.getProfile(w, r, "applicantworkflows")
}

// patchPerson changes person fields; scorecard (rcf…) fields also need
// scorecard:write, and the RequiredField fault must be satisfied.
func (s *Sim) patchPerson(w http.ResponseWriter, r *http.Request) {
	if !requireScope(w, r, ScopeProfileWrite) {
		return
	}
	body, aerr := readObject(r)
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	for k := range body {
		if strings.HasPrefix(k, "rcf") {
			if !requireScope(w, r, ScopeScorecardWrite) {
				return
			}
			break
		}
	}
	id, ok := pathID(r, "id")
	s.mu.Lock()
	aerr = s.patchPersonLocked(r.PathValue("cid"), id, ok, body)
	s.mu.Unlock()
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	updated(w, nil)
}

func (s *Sim) patchPersonLocked(cid string, id int, ok bool, body map[string]any) *apiError {
	c := s.customers[cid]
	p := c.people[id]
	if !ok || p == nil {
		return notFound("Person not found.")
	}
	out, aerr := c.writeFields(c.personDefs(), p.fields, body, false)
	if aerr != nil {
		return aerr
	}
	if req := c.faults.RequiredField; req != "" {
		if aerr := requireFields(out, req); aerr != nil {
			return aerr
		}
	}
	p.fields = out
	return nil
}

// postPerson creates a person; firstname and lastname are required.
func (s *Sim) postPerson(w http.ResponseWriter, r *http.Request) {
	if !requireScope(w, r, ScopeProfileWrite) {
		return
	}
	body, aerr := readObject(r)
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	s.mu.Lock()
	c := s.customers[r.PathValue("cid")]
	out, aerr := c.writeFields(c.personDefs(), nil, body, true)
	if aerr == nil {
		aerr = requireFields(out, "firstname", "lastname")
	}
	var location string
	var warnings []*fieldError
	if aerr == nil {
		warnings = c.checkPersonSource(out)
		id := c.nextPerson
		c.nextPerson++
		c.people[id] = &profile{id: id, fields: out}
		location = s.apiURLLocked(c.id, "people/"+strconv.Itoa(id))
	}
	s.mu.Unlock()
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	created(w, location, warnings)
}

// getResume serves the person's CV, the one attachment iCIMS supports.
func (s *Sim) getResume(w http.ResponseWriter, r *http.Request) {
	if !requireScope(w, r, ScopeProfileRead) {
		return
	}
	id, ok := pathID(r, "id")
	s.mu.Lock()
	c := s.customers[r.PathValue("cid")]
	exists := ok && c.people[id] != nil
	f := c.resumes[id]
	s.mu.Unlock()
	switch {
	case !exists:
		writeAPIError(w, notFound("Person not found."))
	case f == nil:
		writeAPIError(w, notFound("resume: No file found."))
	default:
		w.Header().Set("Content-Type", f.contentType)
		w.Header().Set("Content-Disposition", `attachment; filename="`+f.name+`"`)
		w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
		_, _ = w.Write(f.data)
	}
}

// patchJob changes job fields.
func (s *Sim) patchJob(w http.ResponseWriter, r *http.Request) {
	if !requireScope(w, r, ScopeProfileWrite) {
		return
	}
	body, aerr := readObject(r)
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	id, ok := pathID(r, "id")
	s.mu.Lock()
	c := s.customers[r.PathValue("cid")]
	j := c.jobs[id]
	if !ok || j == nil {
		aerr = notFound("Job not found.")
	} else {
		var out map[string]any
		out, aerr = c.writeFields(c.jobDefs(), j.fields, body, false)
		if aerr == nil {
			j.fields, j.updated = out, s.clock.Now()
		}
	}
	s.mu.Unlock()
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	updated(w, nil)
}

// postJob creates a job; jobtitle is required.
func (s *Sim) postJob(w http.ResponseWriter, r *http.Request) {
	if !requireScope(w, r, ScopeProfileWrite) {
		return
	}
	body, aerr := readObject(r)
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	s.mu.Lock()
	c := s.customers[r.PathValue("cid")]
	out, aerr := c.writeFields(c.jobDefs(), nil, body, true)
	if aerr == nil {
		aerr = requireFields(out, "jobtitle")
	}
	var location string
	if aerr == nil {
		id := c.nextJob
		c.nextJob++
		c.jobs[id] = &profile{id: id, fields: out, updated: s.clock.Now()}
		location = s.apiURLLocked(c.id, "jobs/"+strconv.Itoa(id))
	}
	s.mu.Unlock()
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	created(w, location, nil)
}
