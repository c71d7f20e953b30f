package jobs

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
)

// Defaults of JobSync. iCIMS documents none of these: they are the
// product's choices, each a field of JobSync.
const (
	// DefaultJobSyncInterval is how often every tenant's jobs are synced.
	DefaultJobSyncInterval = 15 * time.Minute
	// DefaultJobSyncOverlap reaches back before the watermark: iCIMS
	// compares update dates by the minute and may answer a search from
	// results up to 15 minutes old (its "staleness" default).
	DefaultJobSyncOverlap = 20 * time.Minute
	// DefaultJobSweepEvery is how often a sync also lists every open job,
	// to learn of jobs deleted in iCIMS, which no update search returns.
	DefaultJobSweepEvery = 6 * time.Hour
	// DefaultJobCodeField is the job field shown as the job code.
	DefaultJobCodeField = "jobnumber"
	// jobSyncBatch is how many jobs one transaction saves; a run cut short
	// keeps what it saved.
	jobSyncBatch = 100
)

// DefaultClosedFolders are the job folders that mean a job is no longer
// open; customers name their folders, so this is configurable.
func DefaultClosedFolders() []string {
	return []string{"Closed", "Filled", "Cancelled", "Canceled", "On Hold"}
}

// JobSync keeps a tenant's job listings current with iCIMS. The first run
// lists every open job (search, paged by id) and reads each; later runs
// search the jobs updated since the last run and read only those. Every
// call goes through the tenant's client from Clients, so through its pacer.
type JobSync struct {
	Clients Clients
	Store   assessments.JobListingStore
	Clock   assessments.Clock
	Log     *slog.Logger
	// ClosedFolders are folder names (or node ids) of jobs that are no
	// longer open; nil means DefaultClosedFolders.
	ClosedFolders []string
	Overlap       time.Duration
	SweepEvery    time.Duration
	CodeField     string
	// Pace, when set, tells how much of the tenant's daily iCIMS quota is
	// used: the sync stops at DailyShare of it, so a customer with many
	// jobs keeps calls for its candidates' invitations and results.
	Pace       assessments.CallPacer
	DailyShare float64
	// Slice is how long one run works before it gives its worker back
	// and goes on in a new run (ErrJobSyncSlice); zero means
	// DefaultJobSyncSlice.
	Slice time.Duration
}

// DefaultJobSyncSlice is how long a run works before it gives its worker
// back. The default queue's workers are shared by every customer's events,
// and a first sync of thousands of jobs at the customer's pace takes many
// minutes; a run that goes on in a new run after each slice lets the
// events queued meanwhile go first. Each new run searches again (one call
// a thousand jobs), so a slice holds many times that many reads.
const DefaultJobSyncSlice = 5 * time.Second

// errJobSyncSlice stops a run whose slice is used up; it goes on in a new
// run, where it stopped.
var errJobSyncSlice = errors.New("jobs: job sync slice used up")

// DefaultJobSyncDailyShare is the share of a tenant's daily iCIMS calls
// past which the job sync waits for the next day.
const DefaultJobSyncDailyShare = 0.5

// ErrJobSyncBudget stops a run that reached its share of the tenant's
// daily calls; the run resumes the next UTC day.
var ErrJobSyncBudget = errors.New("jobs: job sync reached its share of today's iCIMS calls")

// JobSyncResult is what one run did.
type JobSyncResult struct {
	// Full is a first sync: every open job read.
	Full bool
	// Swept says the run listed every open job to find removed ones.
	Swept   bool
	Read    int
	Removed int
	// Calls counts the calls made to iCIMS: search pages and job reads.
	Calls int
}

// errJobGone marks a job iCIMS no longer shows.
var errJobGone = errors.New("job gone")

// Run syncs one tenant's jobs. A run that fails keeps what it saved and
// records why; the next run resumes it.
func (s *JobSync) Run(ctx context.Context, t assessments.Tenant) (JobSyncResult, error) {
	st, err := s.Store.JobSyncState(ctx, t.ID)
	if err != nil {
		return JobSyncResult{}, err
	}
	res, err := s.run(ctx, t, &st)
	var ie *icims.Error
	if errors.Is(err, errJobSyncSlice) || errors.As(err, &ie) && ie.Kind == icims.RateLimited && ie.HTTPStatus == 0 {
		// The run goes on in a new one, now or at its turn at the
		// customer's pace: nothing for the Jobs page.
		return res, err
	}
	if err != nil {
		st.LastError = jobSyncProblem(err)
		if serr := s.Store.SaveJobSyncState(ctx, st); serr != nil {
			err = errors.Join(err, serr)
		}
		return res, err
	}
	return res, nil
}

func (s *JobSync) run(ctx context.Context, t assessments.Tenant, st *assessments.JobSyncState) (JobSyncResult, error) {
	now := s.Clock.Now()
	sliceEnd := now.Add(s.slice())
	if st.RunStartedAt.IsZero() {
		st.RunStartedAt = now
		if err := s.Store.SaveJobSyncState(ctx, *st); err != nil {
			return JobSyncResult{}, err
		}
	}
	res := JobSyncResult{Full: !st.Synced()}
	res.Swept = res.Full || st.SweepRequested || now.Sub(st.LastSweepAt) >= s.sweepEvery()
	client, err := s.Clients.Client(ctx, t)
	if err != nil {
		return res, err
	}
	known, err := s.known(ctx, t.ID)
	if err != nil {
		return res, err
	}
	var toRead []string
	if !res.Full {
		changed, err := client.JobsUpdatedSince(ctx, st.Since.Add(-s.overlap()))
		res.Calls += searchCalls(len(changed))
		if err != nil {
			return res, s.failed(ctx, t, err)
		}
		toRead = ids(changed)
	}
	var open map[string]bool
	if res.Swept {
		listed, err := client.JobsNotInFolders(ctx, s.closedFolders())
		res.Calls += searchCalls(len(listed))
		if err != nil {
			return res, s.failed(ctx, t, err)
		}
		open = map[string]bool{}
		for _, r := range listed {
			open[r.ID] = true
		}
		if res.Full {
			toRead = ids(listed)
		}
	}
	read, err := s.read(ctx, t, client, st.RunStartedAt, sliceEnd, toRead, known, &res)
	if err != nil {
		return res, err
	}
	if res.Swept {
		var gone []string
		for id, removed := range known {
			if !removed && !open[id] && !read[id] {
				gone = append(gone, id)
			}
		}
		slices.Sort(gone)
		if err := s.Store.MarkJobsRemoved(ctx, t.ID, gone, "no longer among the open jobs in iCIMS", now); err != nil {
			return res, err
		}
		res.Removed += len(gone)
		st.LastSweepAt, st.SweepRequested = now, false
	}
	st.Since, st.RunStartedAt = st.RunStartedAt, time.Time{}
	st.LastFinishedAt, st.LastError, st.LastCalls = s.Clock.Now(), "", res.Calls
	return res, s.Store.SaveJobSyncState(ctx, *st)
}

// read reads each job not already read by this run (since runStart) and
// saves it in batches, until sliceEnd. A job that iCIMS no longer shows is
// marked removed; a closed job the listings never held is left out.
func (s *JobSync) read(ctx context.Context, t assessments.Tenant, client *icims.Client, runStart, sliceEnd time.Time, toRead []string,
	known map[string]bool, res *JobSyncResult) (map[string]bool, error) {
	done, err := s.Store.JobsSyncedSince(ctx, t.ID, runStart)
	if err != nil {
		return nil, err
	}
	read := map[string]bool{}
	var batch []assessments.JobListing
	var gone []string
	flush := func() error {
		err := s.Store.SaveJobListings(ctx, t.ID, batch)
		if err == nil {
			err = s.Store.MarkJobsRemoved(ctx, t.ID, gone, "no longer found in iCIMS", s.Clock.Now())
		}
		batch, gone = batch[:0], gone[:0]
		return err
	}
	for _, id := range toRead {
		if done[id] {
			read[id] = true
			continue
		}
		if s.overBudget(t) {
			return read, errors.Join(ErrJobSyncBudget, flush())
		}
		if !s.Clock.Now().Before(sliceEnd) {
			return read, errors.Join(errJobSyncSlice, flush())
		}
		listing, err := s.readJob(ctx, t, client, id)
		res.Calls++
		_, listed := known[id]
		switch {
		case errors.Is(err, errJobGone):
			gone = append(gone, id)
			res.Removed++
		case err != nil:
			return read, errors.Join(err, flush())
		case listing.Removed() && !listed:
			// A closed job JobCannon never listed: nothing to mark.
		default:
			batch = append(batch, listing)
			res.Read++
			if listing.Removed() {
				res.Removed++
			}
		}
		read[id] = true
		if len(batch)+len(gone) >= jobSyncBatch {
			if err := flush(); err != nil {
				return read, err
			}
		}
	}
	return read, flush()
}

// readJob reads one job into a listing, removed if its folder is closed.
func (s *JobSync) readJob(ctx context.Context, t assessments.Tenant, client *icims.Client, id string) (assessments.JobListing, error) {
	j, err := client.GetJob(ctx, id, []string{s.codeField()})
	var ie *icims.Error
	if errors.As(err, &ie) && (ie.Kind == icims.NotFound || ie.Kind == icims.AccessDenied) {
		return assessments.JobListing{}, errJobGone
	} else if err != nil {
		return assessments.JobListing{}, s.failed(ctx, t, err)
	}
	now := s.Clock.Now()
	l := assessments.JobListing{TenantID: t.ID, JobID: id, Title: j.JobTitle, JobCode: j.Fields.String(s.codeField()), SyncedAt: now}
	if j.JobLocation != nil {
		l.Location = j.JobLocation.Value
	}
	if j.Folder != nil {
		l.FolderID, l.FolderName = j.Folder.ID, j.Folder.Value
		if s.closed(*j.Folder) {
			l.RemovedAt, l.RemovedReason = now, "moved to the "+j.Folder.Value+" folder in iCIMS"
		}
	}
	for _, n := range j.AssessmentTypes {
		l.AssessmentTypes = append(l.AssessmentTypes, assessments.AssessmentType{ID: n.ID, Value: n.Value})
	}
	return l, nil
}

// known returns the tenant's listed job ids, each with whether it is
// marked removed.
func (s *JobSync) known(ctx context.Context, tenantID int64) (map[string]bool, error) {
	all, err := s.Store.JobListings(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	m := make(map[string]bool, len(all))
	for _, j := range all {
		m[j.JobID] = j.Removed()
	}
	return m, nil
}

// failed marks the tenant for re-authorization when iCIMS refused its
// credentials; it returns err.
func (s *JobSync) failed(ctx context.Context, t assessments.Tenant, err error) error {
	if icims.NeedsReauthorization(err) {
		return s.Clients.Failed(ctx, t, err)
	}
	return err
}

// overBudget reports whether the tenant's calls today reached the sync's
// share of its daily quota.
func (s *JobSync) overBudget(t assessments.Tenant) bool {
	if s.Pace == nil {
		return false
	}
	p := s.Pace.CallPace(t)
	share := s.DailyShare
	if share <= 0 {
		share = DefaultJobSyncDailyShare
	}
	return p.DailyQuota > 0 && float64(p.UsedToday) >= share*float64(p.DailyQuota)
}

func (s *JobSync) closed(folder icims.ListNode) bool {
	return slices.ContainsFunc(s.closedFolders(), func(f string) bool {
		return strings.EqualFold(f, folder.Value) || f == folder.ID
	})
}

func (s *JobSync) closedFolders() []string {
	if s.ClosedFolders == nil {
		return DefaultClosedFolders()
	}
	return s.ClosedFolders
}

func (s *JobSync) slice() time.Duration {
	if s.Slice <= 0 {
		return DefaultJobSyncSlice
	}
	return s.Slice
}

func (s *JobSync) overlap() time.Duration {
	if s.Overlap <= 0 {
		return DefaultJobSyncOverlap
	}
	return s.Overlap
}

func (s *JobSync) sweepEvery() time.Duration {
	if s.SweepEvery <= 0 {
		return DefaultJobSweepEvery
	}
	return s.SweepEvery
}

func (s *JobSync) codeField() string {
	if s.CodeField == "" {
		return DefaultJobCodeField
	}
	return s.CodeField
}

// searchCalls is how many pages icims.Client.Search read for n results:
// it stops at the first page short of a full one.
func searchCalls(n int) int { return n/icims.SearchPageSize + 1 }

func ids(rs []icims.SearchResult) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

// jobSyncProblem words a failed run for the Jobs page.
func jobSyncProblem(err error) string {
	var ie *icims.Error
	switch {
	case assessments.ErrorCode(err) != assessments.EINTERNAL:
		return assessments.ErrorMessage(err)
	case errors.Is(err, ErrJobSyncBudget):
		return "Paused for today: the job sync used its share of this customer's daily iCIMS calls, leaving the rest for candidates. It resumes tomorrow (UTC) where it stopped."
	case errors.As(err, &ie) && (ie.Kind == icims.RateLimited || ie.Kind == icims.QuotaExhausted):
		return "Paused at iCIMS's call limit for this customer; it resumes where it stopped."
	case icims.NeedsReauthorization(err):
		return "iCIMS refused JobCannon's credentials: re-authorize from the iCIMS Marketplace or enter them again."
	}
	msg, _, _ := describe(err)
	return msg
}
