package icimstest

import "fmt"

// AddJob creates a job directly (as a recruiter would in iCIMS), e.g. to
// give a customer thousands of jobs. fields are written as through the API
// (jobtitle is required; folder and assessmenttype take node ids); the
// job's update time is the simulator's now.
func (s *Sim) AddJob(cid string, fields map[string]any) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customers[cid]
	if c == nil {
		return 0, fmt.Errorf("icimstest: add job: unknown customer %q", cid)
	}
	out, aerr := c.writeFields(c.jobDefs(), nil, fields, true)
	if aerr == nil {
		aerr = requireFields(out, "jobtitle")
	}
	if aerr != nil {
		return 0, fmt.Errorf("icimstest: add job: %s", aerr.msg)
	}
	id := c.nextJob
	c.nextJob++
	c.jobs[id] = &profile{id: id, fields: out, updated: s.clock.Now()}
	return id, nil
}

// UpdateJob changes a job's fields directly, as a recruiter editing it in
// iCIMS would; its update time becomes the simulator's now, so a search
// on job.updateddate finds it.
func (s *Sim) UpdateJob(cid string, id int, fields map[string]any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customers[cid]
	if c == nil || c.jobs[id] == nil {
		return fmt.Errorf("icimstest: update job: no job %d of customer %q", id, cid)
	}
	j := c.jobs[id]
	out, aerr := c.writeFields(c.jobDefs(), j.fields, fields, false)
	if aerr != nil {
		return fmt.Errorf("icimstest: update job: %s", aerr.msg)
	}
	j.fields, j.updated = out, s.clock.Now()
	return nil
}

// DeleteJob removes a job, as a customer purging a requisition would: it
// is no longer found by GET or by search.
func (s *Sim) DeleteJob(cid string, id int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customers[cid]
	if c == nil || c.jobs[id] == nil {
		return fmt.Errorf("icimstest: delete job: no job %d of customer %q", id, cid)
	}
	delete(c.jobs, id)
	return nil
}
