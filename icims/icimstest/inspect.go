package icimstest

import (
	"fmt"
	"strconv"
)

// Result is an assessment result row as stored, for tests to assert on.
type Result struct {
	Entry int
	// AssessmentName and AssessmentStatus are list node ids.
	AssessmentName   string
	AssessmentStatus string
	Score            *float64
	Result           string
	Notes            string
	Date             string
	URL              string
}

// Results returns the assessment result rows of an applicant workflow.
func (s *Sim) Results(cid string, workflowID int) ([]Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customers[cid]
	if c == nil || c.workflows[workflowID] == nil {
		return nil, fmt.Errorf("icimstest: results: no applicant workflow %d for customer %q", workflowID, cid)
	}
	var out []Result
	for _, rw := range rowsOf(c.workflows[workflowID]) {
		res := Result{Entry: rw.entry}
		if n, ok := rw.fields["assessmentname"].(node); ok {
			res.AssessmentName = n.ID
		}
		if n, ok := rw.fields["assessmentstatus"].(node); ok {
			res.AssessmentStatus = n.ID
		}
		if f, ok := rw.fields["assessmentscore"].(float64); ok {
			res.Score = &f
		}
		res.Result, _ = rw.fields["assessmentresult"].(string)
		res.Notes, _ = rw.fields["assessmentnotes"].(string)
		res.Date, _ = rw.fields["assessmentdate"].(string)
		res.URL, _ = rw.fields["assessmenturl"].(string)
		out = append(out, res)
	}
	return out, nil
}

// WorkflowStatus returns the status node id of an applicant workflow.
func (s *Sim) WorkflowStatus(cid string, workflowID int) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customers[cid]
	if c == nil || c.workflows[workflowID] == nil {
		return "", fmt.Errorf("icimstest: workflow status: no applicant workflow %d for customer %q", workflowID, cid)
	}
	n, _ := c.workflows[workflowID].fields["status"].(node)
	return n.ID, nil
}

// PersonFields returns a person's fields that have a value, as text: list
// nodes by id, decimals in shortest form (e.g. rcf3001 → "87.5").
func (s *Sim) PersonFields(cid string, personID int) (map[string]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customers[cid]
	if c == nil || c.people[personID] == nil {
		return nil, fmt.Errorf("icimstest: person fields: no person %d for customer %q", personID, cid)
	}
	out := map[string]string{}
	for k, v := range c.people[personID].fields {
		switch x := v.(type) {
		case node:
			out[k] = x.ID
		case float64:
			out[k] = strconv.FormatFloat(x, 'f', -1, 64)
		default:
			out[k] = displayValue(v)
		}
	}
	return out, nil
}

// AddPerson creates a person directly (as a recruiter would in iCIMS),
// e.g. to fill a customer past one search page. fields are written as
// through the API; firstname and lastname are required.
func (s *Sim) AddPerson(cid string, fields map[string]any) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customers[cid]
	if c == nil {
		return 0, fmt.Errorf("icimstest: add person: unknown customer %q", cid)
	}
	out, aerr := c.writeFields(c.personDefs(), nil, fields, true)
	if aerr == nil {
		aerr = requireFields(out, "firstname", "lastname")
	}
	if aerr != nil {
		return 0, fmt.Errorf("icimstest: add person: %s", aerr.msg)
	}
	id := c.nextPerson
	c.nextPerson++
	c.people[id] = &profile{id: id, fields: out}
	return id, nil
}
