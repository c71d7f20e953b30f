package icimstest

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/a-h/templ"
)

//go:embed static/sandbox.css
var staticFS embed.FS

// render writes a page with status 200.
func (s *Sim) render(w http.ResponseWriter, r *http.Request, c templ.Component) {
	s.renderStatus(w, r, http.StatusOK, c)
}

// renderStatus renders into a buffer first so that a template error
// becomes a clean 500 rather than half a page.
func (s *Sim) renderStatus(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		s.log.Error("icimstest: render", "path", r.URL.Path, "error", err)
		http.Error(w, "render failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (s *Sim) handleCSS(w http.ResponseWriter, r *http.Request) {
	b, err := staticFS.ReadFile("static/sandbox.css")
	if err != nil {
		http.Error(w, "missing stylesheet", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(b)
}

func (s *Sim) notFoundPage(w http.ResponseWriter, r *http.Request, what string) {
	s.renderStatus(w, r, http.StatusNotFound, errorPage("Not found", what+" does not exist in the sandbox."))
}

// sandboxPath is an absolute sandbox path for links and form actions.
func sandboxPath(format string, args ...any) templ.SafeURL {
	return templ.SafeURL(sandboxPrefix + fmt.Sprintf(format, args...))
}

func (s *Sim) handleHome(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	view := homeView{
		APIBase: s.baseURL + apiPrefix, AuthorizeURL: s.baseURL + oauthPrefix + "/authorize",
		TokenURL: s.baseURL + oauthPrefix + "/token", RevokeURL: s.baseURL + oauthPrefix + "/revoke",
		ClientID: ClientID, ClientSecret: ClientSecret, Scopes: Scopes, Audience: Audience,
	}
	for _, id := range s.customerIDs {
		c := s.customers[id]
		view.Customers = append(view.Customers, customerSummary{
			ID: c.id, Name: c.name, Region: c.region, Jobs: len(c.jobs), People: len(c.people), Workflows: len(c.workflows),
			BasicUser: BasicUser(c.id), BasicPassword: BasicPassword(c.id), HMACUser: HMACUser(c.id),
			HMACKey: string(HMACKey(c.id)), CCClientID: CCClientID(c.id), CCClientSecret: CCClientSecret(c.id),
		})
	}
	s.mu.Unlock()
	s.render(w, r, homePage(view))
}

func (s *Sim) handleReset(w http.ResponseWriter, r *http.Request) {
	s.Reset()
	http.Redirect(w, r, sandboxPrefix+"/", http.StatusSeeOther)
}

func (s *Sim) handleCustomer(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	c := s.customers[r.PathValue("cid")]
	if c == nil {
		s.mu.Unlock()
		s.notFoundPage(w, r, "This customer")
		return
	}
	view := customerView{ID: c.id, Name: c.name, Region: c.region}
	for _, id := range slices.Sorted(maps.Keys(c.jobs)) {
		j := c.jobs[id]
		loc, _ := j.fields["joblocation"].(int)
		view.Jobs = append(view.Jobs, jobRow{
			ID: id, Title: displayValue(j.fields["jobtitle"]), Location: c.locations[loc],
			Folder: displayValue(j.fields["folder"]), AssessmentTypes: displayValue(j.fields["assessmenttype"]),
		})
	}
	for _, id := range slices.Sorted(maps.Keys(c.workflows)) {
		wf := c.workflows[id]
		pid, _ := wf.fields["associatedprofile"].(int)
		jid, _ := wf.fields["baseprofile"].(int)
		email := ""
		if p := c.people[pid]; p != nil {
			email = displayValue(p.fields["email"])
		}
		view.Workflows = append(view.Workflows, workflowRow{
			ID: id, PersonID: pid, Name: c.refName("people", pid), Email: email,
			Job: c.refName("jobs", jid), Status: displayValue(wf.fields["status"]), Results: len(rowsOf(wf)),
		})
	}
	s.mu.Unlock()
	s.render(w, r, customerPage(view))
}

func (s *Sim) handleWorkflow(w http.ResponseWriter, r *http.Request) {
	wid, _ := strconv.Atoi(r.PathValue("wid"))
	s.mu.Lock()
	view, ok := s.workflowViewLocked(r.PathValue("cid"), wid)
	s.mu.Unlock()
	if !ok {
		s.notFoundPage(w, r, "This applicant workflow")
		return
	}
	view.Message = r.URL.Query().Get("msg")
	s.render(w, r, workflowPage(view))
}

func (s *Sim) workflowViewLocked(cid string, wid int) (workflowView, bool) {
	c := s.customers[cid]
	if c == nil || c.workflows[wid] == nil {
		return workflowView{}, false
	}
	wf := c.workflows[wid]
	pid, _ := wf.fields["associatedprofile"].(int)
	jid, _ := wf.fields["baseprofile"].(int)
	status, _ := wf.fields["status"].(node)
	view := workflowView{
		CID: c.id, Customer: c.name, ID: wid, PersonID: pid, JobID: jid,
		Name: c.refName("people", pid), Job: c.refName("jobs", jid), Status: status.Value, StatusID: status.ID,
		Source: displayValue(wf.fields["source"]), SourceName: displayValue(wf.fields["sourcename"]),
		VendorConfigured: c.vendor.EventURL != "",
	}
	if p := c.people[pid]; p != nil {
		view.Email = displayValue(p.fields["email"])
		view.SourceSpecifics = displayValue(p.fields["sourcespecifics"])
		if f := c.resumes[pid]; f != nil {
			view.CV = fmt.Sprintf("%s (%s, %d bytes)", f.name, f.contentType, len(f.data))
		}
		for _, d := range c.customFields {
			deleted := slices.Contains(c.faults.DeletedFields, d.id)
			view.Scorecard = append(view.Scorecard, fieldRow{ID: d.id, Label: d.label, Value: displayValue(p.fields[d.id]), Deleted: deleted})
		}
	}
	for _, n := range c.list(ListWorkflowStatuses).nodes {
		view.Statuses = append(view.Statuses, option{Value: n.ID, Label: n.Value, Selected: n.ID == status.ID})
	}
	for _, rw := range rowsOf(wf) {
		view.Results = append(view.Results, resultRow{
			Entry: rw.entry, Name: displayValue(rw.fields["assessmentname"]), Status: displayValue(rw.fields["assessmentstatus"]),
			Score: displayValue(rw.fields["assessmentscore"]), Result: displayValue(rw.fields["assessmentresult"]),
			Notes: displayValue(rw.fields["assessmentnotes"]), Date: displayValue(rw.fields["assessmentdate"]),
			URL: displayValue(rw.fields["assessmenturl"]),
		})
	}
	for _, ev := range c.events {
		if ev.WorkflowID == wid {
			view.Events = append(view.Events, eventRowOf(ev))
		}
	}
	slices.Reverse(view.Events)
	return view, true
}

// afterEvent sends the browser where the vendor pointed (a 303 Location:
// the recruiter's confirm page or the candidate's assessment), or back to
// the workflow with what happened.
func (s *Sim) afterEvent(w http.ResponseWriter, r *http.Request, cid string, wid int, done string, res EventResult, err error) {
	var noVendor *NoVendorError
	switch {
	case errors.As(err, &noVendor):
		done += "; no event sent: the customer has no vendor event URL"
	case err != nil:
		done += "; the event failed: " + err.Error()
	case res.StatusCode == http.StatusSeeOther && res.Location != "":
		http.Redirect(w, r, res.Location, http.StatusSeeOther)
		return
	default:
		done += fmt.Sprintf("; the vendor answered %d", res.StatusCode)
	}
	target := fmt.Sprintf("%s/customers/%s/workflows/%d?msg=%s", sandboxPrefix, url.PathEscape(cid), wid, url.QueryEscape(done))
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func (s *Sim) handleWorkflowMove(w http.ResponseWriter, r *http.Request) {
	cid := r.PathValue("cid")
	wid, _ := strconv.Atoi(r.PathValue("wid"))
	if err := r.ParseForm(); err != nil {
		s.renderStatus(w, r, http.StatusBadRequest, errorPage("Move failed", "The form could not be read."))
		return
	}
	status := r.PostForm.Get("status")
	res, err := s.MoveWorkflow(r.Context(), cid, wid, status, 0)
	var noVendor *NoVendorError
	if err != nil && !errors.As(err, &noVendor) && !s.workflowHasStatus(cid, wid, status) {
		s.renderStatus(w, r, http.StatusBadRequest, errorPage("Move failed", err.Error()))
		return
	}
	s.afterEvent(w, r, cid, wid, "Moved to "+s.statusName(cid, status), res, err)
}

func (s *Sim) handleWorkflowComplete(w http.ResponseWriter, r *http.Request) {
	cid := r.PathValue("cid")
	wid, _ := strconv.Atoi(r.PathValue("wid"))
	s.mu.Lock()
	exists := s.customers[cid] != nil && s.customers[cid].workflows[wid] != nil
	s.mu.Unlock()
	if !exists {
		s.notFoundPage(w, r, "This applicant workflow")
		return
	}
	res, err := s.CompleteApplication(r.Context(), cid, wid)
	s.afterEvent(w, r, cid, wid, "Application completed", res, err)
}

func (s *Sim) workflowHasStatus(cid string, wid int, status string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customers[cid]
	if c == nil || c.workflows[wid] == nil {
		return false
	}
	n, _ := c.workflows[wid].fields["status"].(node)
	return n.ID == status
}

func (s *Sim) statusName(cid, status string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.customers[cid]; c != nil {
		if n, ok := c.list(ListWorkflowStatuses).node(status); ok {
			return n.Value
		}
	}
	return status
}

func (s *Sim) handleApplicationComplete(w http.ResponseWriter, r *http.Request) {
	wid, _ := strconv.Atoi(r.PathValue("wid"))
	s.mu.Lock()
	view, ok := s.workflowViewLocked(r.PathValue("cid"), wid)
	s.mu.Unlock()
	if !ok {
		s.notFoundPage(w, r, "This applicant workflow")
		return
	}
	s.render(w, r, applicationCompletePage(view))
}

// logLimit is how many recent calls and events the log page shows.
const logLimit = 200

func (s *Sim) handleLog(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	c := s.customers[r.PathValue("cid")]
	if c == nil {
		s.mu.Unlock()
		s.notFoundPage(w, r, "This customer")
		return
	}
	view := logView{CID: c.id, Customer: c.name}
	for i := len(c.events) - 1; i >= 0 && len(view.Events) < logLimit; i-- {
		view.Events = append(view.Events, eventRowOf(c.events[i]))
	}
	for i := len(c.calls) - 1; i >= 0 && len(view.Calls) < logLimit; i-- {
		call := c.calls[i]
		path := call.Path
		if call.Query != "" {
			path += "?" + call.Query
		}
		view.Calls = append(view.Calls, callRow{
			Time: call.Time.UTC().Format("2006-01-02 15:04:05.000"), Method: call.Method, Path: path,
			Status: statusText(call.Status), Auth: call.Auth, Fault: call.Fault,
		})
	}
	s.mu.Unlock()
	s.render(w, r, logPage(view))
}

func eventRowOf(ev Event) eventRow {
	return eventRow{
		Time: ev.Time.UTC().Format("2006-01-02 15:04:05"), Type: ev.Type, URL: ev.URL, Auth: ev.Auth,
		Status: statusText(ev.Status), Location: ev.Location, Error: ev.Error, Payload: string(ev.Payload),
		Response: string(ev.Response),
	}
}

func statusText(status int) string {
	if status == 0 {
		return "—"
	}
	return strconv.Itoa(status)
}

func itoa(i int) string { return strconv.Itoa(i) }
