package icimstest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/jobcannon/jobcannon/icims"
)

// NoVendorError is returned when an event is due but the customer has no
// event URL; the workflow change itself still happened.
type NoVendorError struct {
	CustomerID string
}

// Error implements the error interface.
func (e *NoVendorError) Error() string {
	return "icimstest: customer " + e.CustomerID + " has no vendor event URL"
}

// EventResult is the vendor's answer to an event.
type EventResult struct {
	StatusCode int
	Body       []byte
	Location   string
	Header     http.Header
}

// MoveWorkflow moves an applicant workflow to newStatusID, as a recruiter
// does in iCIMS, and posts a WorkFlowStatusChangeEvent to the vendor.
// userID is the recruiter (0: the customer's seeded recruiter). It returns
// the vendor's answer; a vendor error status is not an error.
func (s *Sim) MoveWorkflow(ctx context.Context, cid string, workflowID int, newStatusID string, userID int) (EventResult, error) {
	s.mu.Lock()
	ev, err := s.moveLocked(cid, workflowID, newStatusID, userID)
	s.mu.Unlock()
	if err != nil {
		return EventResult{}, fmt.Errorf("icimstest: move workflow: %w", err)
	}
	return s.postEvent(ctx, cid, workflowID, ev)
}

func (s *Sim) moveLocked(cid string, wid int, newStatusID string, userID int) (icims.Event, error) {
	c := s.customers[cid]
	if c == nil {
		return icims.Event{}, fmt.Errorf("unknown customer %q", cid)
	}
	wf := c.workflows[wid]
	if wf == nil {
		return icims.Event{}, fmt.Errorf("customer %s has no applicant workflow %d", cid, wid)
	}
	next, ok := c.list(ListWorkflowStatuses).node(newStatusID)
	if !ok {
		return icims.Event{}, fmt.Errorf("status %q is not in %s", newStatusID, ListWorkflowStatuses)
	}
	if userID == 0 {
		userID = c.recruiterID
	}
	if c.people[userID] == nil {
		return icims.Event{}, fmt.Errorf("customer %s has no user %d", cid, userID)
	}
	old, _ := wf.fields["status"].(node)
	wf.fields["status"] = next
	jid, _ := wf.fields["baseprofile"].(int)
	pid, _ := wf.fields["associatedprofile"].(int)
	return icims.Event{
		EventType:  icims.WorkFlowStatusChangeEvent,
		CustomerID: cid,
		SystemID:   strconv.Itoa(wid),
		JobID:      strconv.Itoa(jid),
		PersonID:   strconv.Itoa(pid),
		UserID:     strconv.Itoa(userID),
		OldStatus:  old.ID,
		NewStatus:  next.ID,
		Links:      s.eventLinksLocked(c, wf, userID),
	}, nil
}

// CompleteApplication is the candidate finishing an application whose job
// has an inline assessment: it posts an AssessmentEvent whose returnUrl is
// the simulator's "application complete" page, and returns the vendor's
// answer (303 and the assessment's Location when all is well).
func (s *Sim) CompleteApplication(ctx context.Context, cid string, workflowID int) (EventResult, error) {
	s.mu.Lock()
	ev, err := s.completeLocked(cid, workflowID)
	s.mu.Unlock()
	if err != nil {
		return EventResult{}, fmt.Errorf("icimstest: complete application: %w", err)
	}
	return s.postEvent(ctx, cid, workflowID, ev)
}

func (s *Sim) completeLocked(cid string, wid int) (icims.Event, error) {
	c := s.customers[cid]
	if c == nil {
		return icims.Event{}, fmt.Errorf("unknown customer %q", cid)
	}
	wf := c.workflows[wid]
	if wf == nil {
		return icims.Event{}, fmt.Errorf("customer %s has no applicant workflow %d", cid, wid)
	}
	pid, _ := wf.fields["associatedprofile"].(int)
	return icims.Event{
		EventType:  icims.AssessmentEvent,
		CustomerID: cid,
		SystemID:   strconv.Itoa(wid),
		UserID:     strconv.Itoa(pid),
		ReturnURL:  s.sandboxURLLocked(fmt.Sprintf("/customers/%s/workflows/%d/application-complete", url.PathEscape(cid), wid)),
		Links:      s.eventLinksLocked(c, wf, 0),
	}, nil
}

// eventLinksLocked are the links an event carries: the workflow, its job,
// its person and, for a recruiter's action, the user. Their titles are the
// generic labels iCIMS sends (contract §5), never a name or a job title:
// a vendor must read those from the profiles.
func (s *Sim) eventLinksLocked(c *customer, wf *profile, userID int) []icims.Link {
	jid, _ := wf.fields["baseprofile"].(int)
	pid, _ := wf.fields["associatedprofile"].(int)
	links := []icims.Link{
		{Rel: icims.RelApplicantWorkflow, Title: LinkTitleApplicantWorkflow, URL: s.apiURLLocked(c.id, "applicantworkflows/"+strconv.Itoa(wf.id))},
		{Rel: icims.RelJob, Title: LinkTitleJob, URL: s.apiURLLocked(c.id, "jobs/"+strconv.Itoa(jid))},
		{Rel: icims.RelPerson, Title: LinkTitlePerson, URL: s.apiURLLocked(c.id, "people/"+strconv.Itoa(pid))},
	}
	if userID != 0 {
		links = append(links, icims.Link{Rel: icims.RelUser, Title: LinkTitleUser, URL: s.apiURLLocked(c.id, "people/"+strconv.Itoa(userID))})
	}
	return links
}

// The titles of an event's links, by rel: labels, the same for every event.
const (
	LinkTitleApplicantWorkflow = "Applicant Workflow"
	LinkTitleJob               = "Job Profile"
	LinkTitlePerson            = "Person Profile"
	LinkTitleUser              = "Posting User"
)

// postEvent sends ev to the customer's vendor: JSON, gzip, a Link header
// repeating the links, and the vendor's chosen authentication. Redirects
// are returned, not followed: a 303 is the vendor's answer.
func (s *Sim) postEvent(ctx context.Context, cid string, wid int, ev icims.Event) (EventResult, error) {
	s.mu.Lock()
	vendor := s.customers[cid].vendor
	s.mu.Unlock()
	if vendor.EventURL == "" {
		return EventResult{}, &NoVendorError{CustomerID: cid}
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		return EventResult{}, fmt.Errorf("icimstest: post event: encode: %w", err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(payload)
	if err := zw.Close(); err != nil {
		return EventResult{}, fmt.Errorf("icimstest: post event: gzip: %w", err)
	}
	wire := gz.Bytes()
	rec := Event{
		Time: s.clock.Now(), Type: ev.EventType, Method: http.MethodPost, URL: vendor.EventURL,
		Auth: vendor.Auth, Payload: payload, WorkflowID: wid,
	}
	if rec.Auth == "" {
		rec.Auth = VendorAuthNone
	}
	if u, err := url.Parse(vendor.EventURL); err == nil {
		rec.Path = u.EscapedPath()
	}
	res, err := s.sendEvent(ctx, cid, vendor, wire, ev.Links)
	if err != nil {
		rec.Error = err.Error()
		s.recordEvent(cid, rec)
		s.log.Warn("icimstest: event not delivered", "customer_id", cid, "event_type", ev.EventType, "error", err)
		return EventResult{}, fmt.Errorf("icimstest: post event: %w", err)
	}
	rec.Status, rec.Location, rec.Response = res.StatusCode, res.Location, res.Body
	s.recordEvent(cid, rec)
	s.log.Info("icimstest: event delivered", "customer_id", cid, "event_type", ev.EventType, "status_code", res.StatusCode)
	return res, nil
}

func (s *Sim) sendEvent(ctx context.Context, cid string, vendor VendorSettings, wire []byte, links []icims.Link) (EventResult, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, vendor.EventURL, bytes.NewReader(wire))
	if err != nil {
		return EventResult{}, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set("Link", formatLinks(links))
	req.Header.Set("User-Agent", "icims-simulator")
	switch vendor.Auth {
	case VendorAuthBasic:
		req.SetBasicAuth(vendor.User, vendor.Password)
	case VendorAuthHMAC:
		signEvent(req, wire, vendor.HMACUser, vendor.HMACKey, s.clock.Now())
	case VendorAuthBearer:
		tok, err := s.vendorBearer(ctx, cid, vendor)
		if err != nil {
			return EventResult{}, err
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := s.noRedirect().Do(req)
	if err != nil {
		return EventResult{}, fmt.Errorf("send: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxVendorBody))
	if resp.StatusCode == http.StatusUnauthorized && vendor.Auth == VendorAuthBearer {
		// The vendor no longer takes the cached token: fetch a new one next time.
		s.mu.Lock()
		delete(s.vendorTokens, cid)
		s.mu.Unlock()
	}
	return EventResult{StatusCode: resp.StatusCode, Body: body, Location: resp.Header.Get("Location"), Header: resp.Header}, nil
}

// formatLinks writes links in iCIMS's own Link form, as seen on a real
// event: no angle brackets, ;rel="…";title="…" after each URL, and a comma
// after every link, the last included.
func formatLinks(links []icims.Link) string {
	var b strings.Builder
	quote := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", " ", "\n", " ")
	for _, l := range links {
		b.WriteString(l.URL + `;rel="` + quote.Replace(l.Rel) + `"`)
		if l.Title != "" {
			b.WriteString(`;title="` + quote.Replace(l.Title) + `"`)
		}
		b.WriteByte(',')
	}
	return b.String()
}

// noRedirect is the configured client, made to return redirects.
func (s *Sim) noRedirect() *http.Client {
	c := *s.client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}
