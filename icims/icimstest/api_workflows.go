package icimstest

import (
	"io"
	"net/http"
	"strconv"
)

// sourceWarning is the code 4 warning for a Source not in lists.sources.
func sourceWarning() *fieldError {
	return &fieldError{code: codeInvalid, field: "sourcename", msg: "Provided source is not valid so cannot set sourcename."}
}

// setSourceName derives Source Name from the Source text, as iCIMS does: a
// Source that is not a value of lists.sources is kept as text but leaves
// Source Name empty, with a warning.
func (c *customer) setSourceName(fields map[string]any) []*fieldError {
	src, _ := fields["source"].(string)
	delete(fields, "sourcename")
	if src == "" {
		return nil
	}
	if l := c.list(ListSources); l != nil {
		if n, ok := l.byValue(src); ok {
			fields["sourcename"] = n
			return nil
		}
	}
	return []*fieldError{sourceWarning()}
}

// assignEntries gives new rows (entry 0) their group ids.
func (c *customer) assignEntries(fields map[string]any) {
	rows, _ := fields["assessmentresults"].([]*row)
	for _, r := range rows {
		if r.entry == 0 {
			r.entry = c.nextEntry
			c.nextEntry++
		}
	}
}

// listWorkflows refuses GET on the collection, which iCIMS does not support.
func (s *Sim) listWorkflows(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", "POST")
	writeAPIError(w, &apiError{http.StatusMethodNotAllowed, codeInvalid,
		"GET is not supported on applicantworkflows; use search/applicantworkflows."})
}

// postWorkflow creates an application of a person to a job.
func (s *Sim) postWorkflow(w http.ResponseWriter, r *http.Request) {
	if !requireScope(w, r, ScopeProfileWrite) {
		return
	}
	body, aerr := readObject(r)
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	s.mu.Lock()
	location, warnings, aerr := s.postWorkflowLocked(r.PathValue("cid"), body)
	s.mu.Unlock()
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	created(w, location, warnings)
}

func (s *Sim) postWorkflowLocked(cid string, body map[string]any) (string, []*fieldError, *apiError) {
	c := s.customers[cid]
	label, aerr := sourceLabel(body, "sourcename", 128)
	if aerr != nil {
		return "", nil, aerr
	}
	out, aerr := c.writeFields(c.workflowDefs(), nil, body, true)
	if aerr != nil {
		return "", nil, aerr
	}
	if aerr := requireFields(out, "baseprofile", "associatedprofile"); aerr != nil {
		return "", nil, aerr
	}
	for _, wf := range c.workflows {
		if wf.fields["baseprofile"] == out["baseprofile"] && wf.fields["associatedprofile"] == out["associatedprofile"] {
			return "", nil, badRequest(codeInvalid, "associatedprofile: The person is already associated with this job.")
		}
	}
	if _, ok := out["status"]; !ok {
		if l := c.list(ListWorkflowStatuses); l != nil && len(l.nodes) > 0 {
			out["status"] = l.nodes[0]
		}
	}
	warnings := c.setSourceName(out)
	if label != "" && len(warnings) == 0 {
		out["sourcename"] = label
	}
	c.assignEntries(out)
	id := c.nextWorkflow
	c.nextWorkflow++
	c.workflows[id] = &profile{id: id, fields: out}
	return s.apiURLLocked(c.id, "applicantworkflows/"+strconv.Itoa(id)), warnings, nil
}

// patchWorkflow changes a workflow; moving its status or replacing its
// assessment results needs assessment_delivery:write, other fields
// candidate_profile:write. Like a status change made through the API in
// iCIMS, it posts no event to the vendor.
func (s *Sim) patchWorkflow(w http.ResponseWriter, r *http.Request) {
	body, aerr := readObject(r)
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	needDelivery, needProfile := false, false
	for k := range body {
		if k == "status" || k == "assessmentresults" {
			needDelivery = true
		} else {
			needProfile = true
		}
	}
	if needProfile && !requireScope(w, r, ScopeProfileWrite) {
		return
	}
	if needDelivery && !requireScope(w, r, ScopeAssessmentWrite) {
		return
	}
	id, ok := pathID(r, "id")
	s.mu.Lock()
	warnings, aerr := s.patchWorkflowLocked(r.PathValue("cid"), id, ok, body)
	s.mu.Unlock()
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	updated(w, warnings)
}

func (s *Sim) patchWorkflowLocked(cid string, id int, ok bool, body map[string]any) ([]*fieldError, *apiError) {
	c := s.customers[cid]
	wf := c.workflows[id]
	if !ok || wf == nil {
		return nil, notFound("Applicant workflow not found.")
	}
	out, aerr := c.writeFields(c.workflowDefs(), wf.fields, body, false)
	if aerr != nil {
		return nil, aerr
	}
	var warnings []*fieldError
	if _, ok := body["source"]; ok {
		warnings = c.setSourceName(out)
	}
	c.assignEntries(out)
	wf.fields = out
	return warnings, nil
}

// postResult adds assessment result rows: the body is one row, an array of
// rows, or {"assessmentresults":[…]}. A row equal to an existing one is
// not created again; the answer is still 201, with that row's Location.
func (s *Sim) postResult(w http.ResponseWriter, r *http.Request) {
	if !requireScope(w, r, ScopeAssessmentWrite) {
		return
	}
	raw, err := io.ReadAll(r.Body)
	var body any
	if err == nil {
		err = decodeJSON(raw, &body)
	}
	if err != nil {
		writeAPIError(w, badRequest(codeInvalid, "Request body must be JSON."))
		return
	}
	if m, ok := body.(map[string]any); ok {
		if inner, wrapped := m["assessmentresults"]; wrapped && len(m) == 1 {
			body = inner
		} else {
			body = []any{m}
		}
	}
	items, ok := body.([]any)
	if !ok || len(items) == 0 {
		writeAPIError(w, badRequest(codeRequired, "assessmentresults: At least one row is required."))
		return
	}
	id, idOK := pathID(r, "id")
	s.mu.Lock()
	location, aerr := s.postResultLocked(r.PathValue("cid"), id, idOK, items)
	s.mu.Unlock()
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	created(w, location, nil)
}

func (s *Sim) postResultLocked(cid string, id int, ok bool, items []any) (string, *apiError) {
	c := s.customers[cid]
	wf := c.workflows[id]
	if !ok || wf == nil {
		return "", notFound("Applicant workflow not found.")
	}
	def := assessmentResultsDef(c.assessmentTypes, c.assessmentNames)
	var parsed []map[string]any
	for _, item := range items {
		fields, fe := c.parseRow(def, item, nil)
		if fe != nil {
			return "", fromFieldError(fe)
		}
		if len(fields) == 0 {
			return "", badRequest(codeRequired, "assessmentresults: A row needs at least one field.")
		}
		parsed = append(parsed, fields)
	}
	rows := rowsOf(wf)
	var last int
	for _, fields := range parsed {
		var dup *row
		for _, existing := range rows {
			if sameRow(existing.fields, fields) {
				dup = existing
				break
			}
		}
		if dup == nil {
			dup = &row{entry: c.nextEntry, fields: fields}
			c.nextEntry++
			rows = append(rows, dup)
		}
		last = dup.entry
	}
	wf.fields["assessmentresults"] = rows
	return s.apiURLLocked(c.id, "applicantworkflows/"+strconv.Itoa(id)+"/fields/assessmentresults/"+strconv.Itoa(last)), nil
}

// patchResult updates one assessment result row and answers 204.
func (s *Sim) patchResult(w http.ResponseWriter, r *http.Request) {
	if !requireScope(w, r, ScopeAssessmentWrite) {
		return
	}
	body, aerr := readObject(r)
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	id, idOK := pathID(r, "id")
	entry, entryOK := pathID(r, "entry")
	s.mu.Lock()
	aerr = s.patchResultLocked(r.PathValue("cid"), id, idOK && entryOK, entry, body)
	s.mu.Unlock()
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	updated(w, nil)
}

func (s *Sim) patchResultLocked(cid string, id int, ok bool, entry int, body map[string]any) *apiError {
	c := s.customers[cid]
	wf := c.workflows[id]
	if !ok || wf == nil {
		return notFound("Applicant workflow not found.")
	}
	for _, rw := range rowsOf(wf) {
		if rw.entry != entry {
			continue
		}
		fields, fe := c.parseRow(assessmentResultsDef(c.assessmentTypes, c.assessmentNames), body, rw.fields)
		if fe != nil {
			return fromFieldError(fe)
		}
		rw.fields = fields
		return nil
	}
	return notFound("assessmentresults: Entry " + strconv.Itoa(entry) + " not found.")
}
