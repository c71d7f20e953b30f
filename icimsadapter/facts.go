package icimsadapter

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
)

// Clients hands out a tenant's iCIMS client; *Pool is one.
type Clients interface {
	Client(ctx context.Context, t assessments.Tenant) (*icims.Client, error)
	// Failed marks a tenant whose credentials iCIMS refused; it returns err.
	Failed(ctx context.Context, t assessments.Tenant, err error) error
}

// JobCacheStore keeps job data per tenant and job; *sqlite.JobCache is one.
type JobCacheStore interface {
	Get(ctx context.Context, tenantID int64, jobID string, ttl time.Duration) ([]byte, bool, error)
	Put(ctx context.Context, tenantID int64, jobID string, data []byte) error
}

// Defaults of Facts.
const (
	DefaultJobTTL    = 15 * time.Minute
	DefaultStatusTTL = 10 * time.Minute
	// DefaultStatusListID is the list of applicant workflow statuses.
	DefaultStatusListID = "lists.applicantworkflow.status"
)

// Facts reads from a tenant's iCIMS what rules and invitations need, and
// no more: jobs through a cache per job, statuses through a cache per
// tenant, people and applications only when asked. It implements
// assessments.FactSource, PersonSource, StatusSource and SampleEvents.
type Facts struct {
	Clients      Clients
	Cache        JobCacheStore
	Clock        assessments.Clock
	Log          *slog.Logger
	JobTTL       time.Duration
	StatusTTL    time.Duration
	StatusListID string

	mu       sync.Mutex
	statuses map[int64]statusEntry
	// jobReads joins the reads of one job that miss the cache at the same
	// time: candidates moved together cost one read of their job, not one
	// each.
	jobReads singleflight.Group
}

type statusEntry struct {
	list    []assessments.WorkflowStatus
	fetched time.Time
}

// NewFacts returns a Facts with the default TTLs and status list.
func NewFacts(clients Clients, cache JobCacheStore, clock assessments.Clock, log *slog.Logger) *Facts {
	return &Facts{Clients: clients, Cache: cache, Clock: clock, Log: log, JobTTL: DefaultJobTTL,
		StatusTTL: DefaultStatusTTL, StatusListID: DefaultStatusListID, statuses: map[int64]statusEntry{}}
}

var (
	_ assessments.FactSource   = (*Facts)(nil)
	_ assessments.PersonSource = (*Facts)(nil)
	_ assessments.StatusSource = (*Facts)(nil)
	_ assessments.SampleEvents = (*Facts)(nil)
)

// For implements assessments.FactSource.
func (s *Facts) For(t assessments.Tenant, ev assessments.InboundEvent, opts assessments.FactOptions) assessments.Facts {
	return &eventFacts{src: s, t: t, ev: ev, opts: opts}
}

// Batch implements jobs.ICIMSReader: within the context it returns, each
// tenant's client is built once (see WithBatchClients).
func (s *Facts) Batch(ctx context.Context) context.Context { return WithBatchClients(ctx) }

// Person implements assessments.PersonSource.
func (s *Facts) Person(ctx context.Context, t assessments.Tenant, personID string) (assessments.Candidate, error) {
	client, err := s.Clients.Client(ctx, t)
	if err != nil {
		return assessments.Candidate{}, err
	}
	p, err := client.GetPerson(ctx, personID, nil)
	if err != nil {
		return assessments.Candidate{}, s.failed(ctx, t, err, false)
	}
	return assessments.Candidate{FirstName: p.FirstName, LastName: p.LastName, Email: p.Email}, nil
}

// WorkflowStatuses implements assessments.StatusSource.
func (s *Facts) WorkflowStatuses(ctx context.Context, t assessments.Tenant) ([]assessments.WorkflowStatus, error) {
	now := s.Clock.Now()
	s.mu.Lock()
	e, ok := s.statuses[t.ID]
	s.mu.Unlock()
	if ok && now.Sub(e.fetched) < s.StatusTTL {
		return e.list, nil
	}
	client, err := s.Clients.Client(ctx, t)
	if err != nil {
		return nil, err
	}
	l, err := client.GetList(ctx, s.StatusListID)
	if err != nil {
		return nil, s.failed(ctx, t, err, false)
	}
	list := make([]assessments.WorkflowStatus, 0, len(l.Nodes))
	for _, n := range l.Nodes {
		list = append(list, assessments.WorkflowStatus{ID: n.ID, Value: n.Value})
	}
	s.mu.Lock()
	s.statuses[t.ID] = statusEntry{list: list, fetched: now}
	s.mu.Unlock()
	return list, nil
}

// StatusChangeEvent implements assessments.SampleEvents: the event iCIMS
// would post if the application moved to newStatus now. Like a real event
// it carries ids only. The application's baseprofile and associatedprofile
// references have a "value" that may read as the job's title and the
// person's name, but iCIMS documents it only as a display value: the
// contract's authority for names is GET /jobs and GET /people, which the
// flows that show names read (through the job cache and Person).
func (s *Facts) StatusChangeEvent(ctx context.Context, t assessments.Tenant, workflowID, newStatus string) (assessments.InboundEvent, error) {
	client, err := s.Clients.Client(ctx, t)
	if err != nil {
		return assessments.InboundEvent{}, err
	}
	wf, err := client.GetApplicantWorkflow(ctx, workflowID, nil)
	if err != nil {
		return assessments.InboundEvent{}, s.failed(ctx, t, err, true)
	}
	return assessments.InboundEvent{
		Type: assessments.EventStatusChange, CustomerID: t.CustomerID, WorkflowID: workflowID,
		JobID: wf.JobID(), PersonID: wf.PersonID(), OldStatus: wf.Status.ID, NewStatus: newStatus,
	}, nil
}

// failed marks the tenant for re-authorization when iCIMS refused its
// credentials (not in read-only use, which must change nothing).
func (s *Facts) failed(ctx context.Context, t assessments.Tenant, err error, readOnly bool) error {
	if !readOnly && icims.NeedsReauthorization(err) {
		return s.Clients.Failed(ctx, t, err)
	}
	return err
}

// eventFacts loads an event's job and application once each, on demand.
type eventFacts struct {
	src  *Facts
	t    assessments.Tenant
	ev   assessments.InboundEvent
	opts assessments.FactOptions

	job    *assessments.JobFacts
	jobErr error
	wf     *icims.ApplicantWorkflow
	wfErr  error
}

// cachedJob is what the job cache holds: the facts and the extra fields
// that were asked for, so a rule that reads a new field is not answered
// from a row that never had it.
type cachedJob struct {
	Job   assessments.JobFacts `json:"job"`
	Asked []string             `json:"asked"`
}

// Job implements assessments.Facts.
func (f *eventFacts) Job(ctx context.Context) (assessments.JobFacts, error) {
	if f.job == nil && f.jobErr == nil {
		job, err := f.loadJob(ctx)
		f.job, f.jobErr = &job, err
	}
	return *f.job, f.jobErr
}

func (f *eventFacts) loadJob(ctx context.Context) (assessments.JobFacts, error) {
	jobID := f.ev.JobID
	if jobID == "" {
		// An Application Complete event may carry no job link: the
		// application knows its job.
		if f.ev.WorkflowID == "" {
			return assessments.JobFacts{}, assessments.Errorf(assessments.EINVALID, "The event names neither a job nor an application.")
		}
		wf, err := f.workflow(ctx)
		if err != nil {
			return assessments.JobFacts{}, err
		}
		jobID = wf.JobID()
	}
	if job, ok, err := f.cachedJob(ctx, jobID); err != nil || ok {
		return job, err
	}
	key := fmt.Sprintf("%d\x00%s\x00%t\x00%s", f.t.ID, jobID, f.opts.ReadOnly, strings.Join(f.opts.JobFields, ","))
	v, err, _ := f.src.jobReads.Do(key, func() (any, error) {
		// A read that finished between the miss above and this one
		// filled the cache.
		if job, ok, err := f.cachedJob(ctx, jobID); err != nil || ok {
			return job, err
		}
		return f.readJob(ctx, jobID)
	})
	if err != nil {
		return assessments.JobFacts{}, err
	}
	return v.(assessments.JobFacts), nil
}

// cachedJob returns the job from the cache when it is there with every
// field the rules ask for.
func (f *eventFacts) cachedJob(ctx context.Context, jobID string) (assessments.JobFacts, bool, error) {
	raw, ok, err := f.src.Cache.Get(ctx, f.t.ID, jobID, f.src.JobTTL)
	if err != nil || !ok {
		return assessments.JobFacts{}, false, err
	}
	var c cachedJob
	if json.Unmarshal(raw, &c) != nil || !subset(f.opts.JobFields, c.Asked) {
		return assessments.JobFacts{}, false, nil
	}
	return c.Job, true, nil
}

// readJob reads the job from iCIMS and caches it, unless read-only.
func (f *eventFacts) readJob(ctx context.Context, jobID string) (assessments.JobFacts, error) {
	src := f.src
	client, err := src.Clients.Client(ctx, f.t)
	if err != nil {
		return assessments.JobFacts{}, err
	}
	asked := slices.Clone(f.opts.JobFields)
	j, err := client.GetJob(ctx, jobID, asked)
	if err != nil {
		return assessments.JobFacts{}, src.failed(ctx, f.t, err, f.opts.ReadOnly)
	}
	job := jobFacts(j)
	if !f.opts.ReadOnly {
		raw, err := json.Marshal(cachedJob{Job: job, Asked: asked})
		if err == nil {
			err = src.Cache.Put(ctx, f.t.ID, jobID, raw)
		}
		if err != nil {
			// The facts are good; only the next event pays for the miss.
			src.Log.WarnContext(ctx, "cache job", "customer_id", f.t.CustomerID, "job_id", jobID, "err", err)
		}
	}
	return job, nil
}

func subset(want, have []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// Workflow implements assessments.Facts.
func (f *eventFacts) Workflow(ctx context.Context) (assessments.WorkflowFacts, error) {
	wf, err := f.workflow(ctx)
	if err != nil {
		return assessments.WorkflowFacts{}, err
	}
	source := wf.Fields.String("source")
	if source == "" {
		var n icims.ListNode
		if ok, _ := wf.Fields.Decode("sourcename", &n); ok {
			source = n.Value
		}
	}
	return assessments.WorkflowFacts{Source: source}, nil
}

func (f *eventFacts) workflow(ctx context.Context) (icims.ApplicantWorkflow, error) {
	if f.wf == nil && f.wfErr == nil {
		wf, err := f.loadWorkflow(ctx)
		f.wf, f.wfErr = &wf, err
	}
	return *f.wf, f.wfErr
}

func (f *eventFacts) loadWorkflow(ctx context.Context) (icims.ApplicantWorkflow, error) {
	if f.ev.WorkflowID == "" {
		return icims.ApplicantWorkflow{}, assessments.Errorf(assessments.EINVALID, "The event names no application.")
	}
	client, err := f.src.Clients.Client(ctx, f.t)
	if err != nil {
		return icims.ApplicantWorkflow{}, err
	}
	wf, err := client.GetApplicantWorkflow(ctx, f.ev.WorkflowID, []string{"source", "sourcename"})
	if err != nil {
		return icims.ApplicantWorkflow{}, f.src.failed(ctx, f.t, err, f.opts.ReadOnly)
	}
	return wf, nil
}

// jobFacts turns a job read from iCIMS into what rules read.
func jobFacts(j icims.Job) assessments.JobFacts {
	job := assessments.JobFacts{ID: j.ID, Title: j.JobTitle, Fields: map[string]string{}}
	for _, n := range j.AssessmentTypes {
		job.AssessmentTypes = append(job.AssessmentTypes, assessments.AssessmentType{ID: n.ID, Value: n.Value})
	}
	if j.Folder != nil {
		job.FolderID, job.FolderName = j.Folder.ID, j.Folder.Value
	}
	for key, raw := range j.Fields {
		if text, ok := fieldText(raw); ok {
			job.Fields[key] = text
		}
	}
	return job
}

// fieldText reads a field as text: a string, a number, or the value of a
// list node or profile reference.
func fieldText(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String(), true
	}
	var v struct {
		Value string `json:"value"`
	}
	if json.Unmarshal(raw, &v) == nil && v.Value != "" {
		return v.Value, true
	}
	return "", false
}
