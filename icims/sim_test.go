package icims_test

// The client proven against the simulator: every typed call of contract §4
// on icimstest's API, through real HTTP. The sim_*_test.go files beside
// this one cover the auth modes, the faults, pacing and events; the helpers
// they share are at the top of this file.

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

const (
	us = icimstest.CustomerUS
	eu = icimstest.CustomerEU
)

// simStart is a fixed virtual time for tests that share a fake clock with
// the simulator.
var simStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func id(n int) string { return strconv.Itoa(n) }

func basicAuth(cid string) icims.Basic {
	return icims.Basic{User: icimstest.BasicUser(cid), Password: icimstest.BasicPassword(cid)}
}

// newClient returns a client of customer cid on srv's API; mutate, if not
// nil, adjusts the configuration first.
func newClient(t *testing.T, srv *icimstest.Server, cid string, auth icims.Auth, mutate func(*icims.Config)) *icims.Client {
	t.Helper()
	cfg := icims.Config{CustomerID: cid, BaseURL: srv.APIBase(), Auth: auth, HTTPClient: srv.Client()}
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := icims.New(cfg)
	require.NoError(t, err)
	return c
}

// basicClient is the common case: customer cid with its own Basic user.
func basicClient(t *testing.T, srv *icimstest.Server, cid string) *icims.Client {
	t.Helper()
	return newClient(t, srv, cid, basicAuth(cid), nil)
}

// requireKind requires err to be an *icims.Error of kind and returns it.
func requireKind(t *testing.T, err error, kind icims.Kind) *icims.Error {
	t.Helper()
	var e *icims.Error
	require.True(t, errors.As(err, &e), "want an *icims.Error of kind %s, got %v", kind, err)
	require.Equal(t, kind, e.Kind, "error: %v", e)
	return e
}

// lastCall is the last API call the simulator received for cid.
func lastCall(t *testing.T, srv *icimstest.Server, cid string) icimstest.Call {
	t.Helper()
	calls := srv.Calls(cid)
	require.NotEmpty(t, calls, "the simulator received no call for %s", cid)
	return calls[len(calls)-1]
}

func TestSimPeople(t *testing.T) {
	ctx := context.Background()
	srv := icimstest.Start(t)
	c := basicClient(t, srv, us)

	t.Run("get with fields, missing means empty", func(t *testing.T) {
		p, err := c.GetPerson(ctx, id(icimstest.USPerson1), []string{icimstest.FieldAssessmentScore, "middlename"})
		require.NoError(t, err)
		assert.Equal(t, icims.Person{ID: "1001", FirstName: "Avery", LastName: "Brooks", Email: "avery.brooks@example.com", Fields: p.Fields}, p)
		assert.NotContains(t, p.Fields, icimstest.FieldAssessmentScore, "an empty field is absent")
		assert.NotContains(t, p.Fields, "middlename")
		assert.Empty(t, p.Fields.String("middlename"))
		assert.Equal(t, "fields=firstname%2Clastname%2Cemail%2Crcf3001%2Cmiddlename", lastCall(t, srv, us).Query)
	})

	t.Run("patch scorecard fields, then delete one", func(t *testing.T) {
		pid := id(icimstest.USPerson2)
		ws, err := c.PatchPerson(ctx, pid, map[string]any{icimstest.FieldAssessmentScore: 87.5, icimstest.FieldAssessmentVerdict: "Recommended"})
		require.NoError(t, err)
		assert.Empty(t, ws)
		assert.Equal(t, http.StatusNoContent, lastCall(t, srv, us).Status)

		p, err := c.GetPerson(ctx, pid, []string{icimstest.FieldAssessmentScore, icimstest.FieldAssessmentVerdict})
		require.NoError(t, err)
		var score float64
		present, err := p.Fields.Decode(icimstest.FieldAssessmentScore, &score)
		require.NoError(t, err)
		assert.True(t, present)
		assert.Equal(t, 87.5, score)
		assert.Equal(t, "Recommended", p.Fields.String(icimstest.FieldAssessmentVerdict))

		_, err = c.PatchPerson(ctx, pid, map[string]any{icimstest.FieldAssessmentVerdict: nil})
		require.NoError(t, err)
		stored, err := srv.PersonFields(us, icimstest.USPerson2)
		require.NoError(t, err)
		assert.Equal(t, "87.5", stored[icimstest.FieldAssessmentScore])
		assert.NotContains(t, stored, icimstest.FieldAssessmentVerdict, "null deletes the value")
	})

	t.Run("create reads the id from Location", func(t *testing.T) {
		newID, ws, err := c.CreatePerson(ctx, map[string]any{"firstname": "Quinn", "lastname": "Reyes", "email": "quinn.reyes@example.com"})
		require.NoError(t, err)
		assert.Empty(t, ws)
		assert.Equal(t, id(icimstest.USPerson12+1), newID)
		p, err := c.GetPerson(ctx, newID, nil)
		require.NoError(t, err)
		assert.Equal(t, "Quinn", p.FirstName)
	})

	t.Run("create without a required field", func(t *testing.T) {
		_, _, err := c.CreatePerson(ctx, map[string]any{"firstname": "Nolast"})
		e := requireKind(t, err, icims.RequiredField)
		assert.Equal(t, "lastname", e.Field)
		assert.Equal(t, icims.CodeRequired, e.Code)
		assert.Equal(t, http.StatusBadRequest, e.HTTPStatus)
	})

	t.Run("patch a field that does not exist", func(t *testing.T) {
		_, err := c.PatchPerson(ctx, id(icimstest.USPerson3), map[string]any{"rcf9999": "x"})
		e := requireKind(t, err, icims.InvalidField)
		assert.Equal(t, "rcf9999", e.Field)
		assert.Equal(t, icims.CodeInvalid, e.Code)
	})

	t.Run("unknown person", func(t *testing.T) {
		_, err := c.GetPerson(ctx, "999999", nil)
		e := requireKind(t, err, icims.NotFound)
		assert.Equal(t, icims.CodeNotFound, e.Code)
		assert.Equal(t, "Person not found.", e.Message)
	})
}

func TestSimJobs(t *testing.T) {
	ctx := context.Background()
	srv := icimstest.Start(t)
	c := basicClient(t, srv, us)

	tests := []struct {
		job   int
		title string
		types []icims.ListNode
		where string
	}{
		{icimstest.USJob1, "Account Executive", []icims.ListNode{
			{ID: icimstest.AssessmentBigFive, Value: "Big Five Work Personality"},
			{ID: icimstest.AssessmentReasoning, Value: "Reasoning"},
		}, "Boston, MA"},
		{icimstest.USJob2, "Customer Support Specialist", []icims.ListNode{{ID: icimstest.AssessmentWorkStyle, Value: "Work Style Profile"}}, "Austin, TX"},
		{icimstest.USJob3, "Data Analyst", []icims.ListNode{{ID: icimstest.AssessmentReasoning, Value: "Reasoning"}}, "Remote, US"},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			j, err := c.GetJob(ctx, id(tt.job), nil)
			require.NoError(t, err)
			assert.Equal(t, tt.title, j.JobTitle)
			assert.Equal(t, tt.types, j.AssessmentTypes)
			require.NotNil(t, j.Folder)
			assert.Equal(t, icims.ListNode{ID: "C53001", Value: "Approved"}, *j.Folder)
			require.NotNil(t, j.JobLocation)
			assert.Equal(t, tt.where, j.JobLocation.Value)
			assert.True(t, strings.HasPrefix(j.JobLocation.Profile, srv.APIBase()+"/customers/1234/"), j.JobLocation.Profile)
		})
	}
	t.Run("unknown job", func(t *testing.T) {
		_, err := c.GetJob(ctx, "77", nil)
		assert.Equal(t, "Job not found.", requireKind(t, err, icims.NotFound).Message)
	})
}

func TestSimApplicantWorkflows(t *testing.T) {
	ctx := context.Background()
	srv := icimstest.Start(t)
	c := basicClient(t, srv, us)

	t.Run("get", func(t *testing.T) {
		w, err := c.GetApplicantWorkflow(ctx, id(icimstest.USWorkflow1), []string{"source", "sourcename"})
		require.NoError(t, err)
		assert.Equal(t, id(icimstest.USJob1), w.JobID())
		assert.Equal(t, id(icimstest.USPerson1), w.PersonID())
		assert.Equal(t, "Account Executive", w.BaseProfile.Value)
		assert.Equal(t, "Avery Brooks", w.AssociatedProfile.Value)
		assert.Equal(t, icims.ListNode{ID: icimstest.StatusNewSubmission, Value: "New Submission"}, w.Status)
		assert.Equal(t, "Job Board", w.Fields.String("source"))
		var src icims.ListNode
		_, err = w.Fields.Decode("sourcename", &src)
		require.NoError(t, err)
		assert.Equal(t, icimstest.SourceJobBoard, src.ID)
	})

	t.Run("patch status moves it without an event", func(t *testing.T) {
		ws, err := c.PatchWorkflowStatus(ctx, id(icimstest.USWorkflow2), icimstest.StatusAssessment)
		require.NoError(t, err)
		assert.Empty(t, ws)
		st, err := srv.WorkflowStatus(us, icimstest.USWorkflow2)
		require.NoError(t, err)
		assert.Equal(t, icimstest.StatusAssessment, st)
		assert.Empty(t, srv.Events(us), "a status change through the API posts no event back")
	})

	t.Run("patch to a status not in the list", func(t *testing.T) {
		_, err := c.PatchWorkflowStatus(ctx, id(icimstest.USWorkflow2), "C99999")
		assert.Equal(t, "status", requireKind(t, err, icims.InvalidField).Field)
	})

	tests := []struct {
		name       string
		new        icims.NewApplicantWorkflow
		wantSource *icims.ListNode
		warnings   []icims.Warning
	}{
		{"create with a listed source", icims.NewApplicantWorkflow{JobID: id(icimstest.USJob2), PersonID: id(icimstest.USPerson1), StatusID: icimstest.StatusAssessment, Source: "Agency"},
			&icims.ListNode{ID: icimstest.SourceAgency, Value: "Agency"}, nil},
		{"create with an unknown source warns, code 4", icims.NewApplicantWorkflow{JobID: id(icimstest.USJob3), PersonID: id(icimstest.USPerson1), Source: "Billboard"},
			nil, []icims.Warning{{Code: icims.CodeInvalid, Field: "sourcename", Message: "sourcename: Provided source is not valid so cannot set sourcename."}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wid, ws, err := c.CreateApplicantWorkflow(ctx, tt.new)
			require.NoError(t, err)
			assert.Equal(t, tt.warnings, ws)
			assert.Equal(t, http.StatusCreated, lastCall(t, srv, us).Status)

			w, err := c.GetApplicantWorkflow(ctx, wid, []string{"source", "sourcename"})
			require.NoError(t, err)
			assert.Equal(t, tt.new.JobID, w.JobID())
			assert.Equal(t, tt.new.PersonID, w.PersonID())
			assert.Equal(t, tt.new.Source, w.Fields.String("source"), "the source text is stored either way")
			var src *icims.ListNode
			_, err = w.Fields.Decode("sourcename", &src)
			require.NoError(t, err)
			assert.Equal(t, tt.wantSource, src)
			if tt.new.StatusID == "" {
				assert.Equal(t, icimstest.StatusNewSubmission, w.Status.ID, "iCIMS's default status")
			}
		})
	}

	t.Run("create the same application twice", func(t *testing.T) {
		_, _, err := c.CreateApplicantWorkflow(ctx, icims.NewApplicantWorkflow{JobID: id(icimstest.USJob1), PersonID: id(icimstest.USPerson1)})
		assert.Equal(t, "associatedprofile", requireKind(t, err, icims.InvalidField).Field)
	})
}

func TestSimAssessmentResults(t *testing.T) {
	ctx := context.Background()
	srv := icimstest.Start(t)
	c := basicClient(t, srv, us)
	wid := icimstest.USWorkflow1
	sentAt := icims.NewDateTime(simStart)
	sent := icims.AssessmentResult{
		Name:   &icims.ListNode{ID: icimstest.AssessmentBigFive},
		Status: &icims.ListNode{ID: icims.StatusSent},
		Date:   sentAt,
		URL:    "https://jobcannon.example.com/results/inv-1",
	}

	loc, ws, err := c.AddAssessmentResult(ctx, id(wid), sent)
	require.NoError(t, err)
	assert.Empty(t, ws)
	assert.True(t, strings.HasPrefix(loc, srv.APIBase()+"/customers/1234/applicantworkflows/3001/fields/assessmentresults/"), loc)

	t.Run("a duplicate row is silently not created", func(t *testing.T) {
		again, _, err := c.AddAssessmentResult(ctx, id(wid), sent)
		require.NoError(t, err)
		assert.Equal(t, loc, again, "the answer names the existing row")
		rows, err := srv.Results(us, wid)
		require.NoError(t, err)
		assert.Len(t, rows, 1)
	})

	t.Run("patch by the kept Location", func(t *testing.T) {
		score := 87.5
		ws, err := c.UpdateAssessmentResult(ctx, loc, icims.AssessmentResult{
			Status: &icims.ListNode{ID: icims.StatusComplete}, Score: &score, Result: "Recommended",
			Notes: "High conscientiousness, moderate extraversion.", Date: icims.NewDateTime(simStart.Add(26 * time.Hour)),
		})
		require.NoError(t, err)
		assert.Empty(t, ws)
		assert.Equal(t, http.StatusNoContent, lastCall(t, srv, us).Status)

		rows, err := srv.Results(us, wid)
		require.NoError(t, err)
		require.Len(t, rows, 1)
		r := rows[0]
		assert.Equal(t, icims.StatusComplete, r.AssessmentStatus)
		assert.Equal(t, icimstest.AssessmentBigFive, r.AssessmentName, "subfields left out keep their values")
		assert.Equal(t, sent.URL, r.URL)
		require.NotNil(t, r.Score)
		assert.Equal(t, 87.5, *r.Score)
		assert.Equal(t, "Recommended", r.Result)
		assert.Equal(t, "2026-03-03 11:00 AM", r.Date)
		assert.True(t, strings.HasSuffix(loc, "/"+id(r.Entry)))

		w, err := c.GetApplicantWorkflow(ctx, id(wid), []string{"assessmentresults"})
		require.NoError(t, err)
		var got []struct {
			Entry            int            `json:"entry"`
			AssessmentStatus icims.ListNode `json:"assessmentstatus"`
			AssessmentScore  float64        `json:"assessmentscore"`
			AssessmentDate   icims.DateTime `json:"assessmentdate"`
		}
		_, err = w.Fields.Decode("assessmentresults", &got)
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.Equal(t, icims.ListNode{ID: icims.StatusComplete, Value: "Complete"}, got[0].AssessmentStatus)
		assert.Equal(t, 87.5, got[0].AssessmentScore)
		assert.Equal(t, simStart.Add(26*time.Hour), got[0].AssessmentDate.Time)
	})

	t.Run("a row naming a package not in the Assessment Type list", func(t *testing.T) {
		_, _, err := c.AddAssessmentResult(ctx, id(wid), icims.AssessmentResult{Name: &icims.ListNode{ID: "C99999"}})
		assert.Equal(t, "assessmentname", requireKind(t, err, icims.InvalidField).Field)
	})

	t.Run("foreign Locations are refused without a request", func(t *testing.T) {
		rest := loc[len(srv.URL):]
		foreign := map[string]string{
			"another host":     "http://icims.attacker.example" + rest,
			"another scheme":   "https" + strings.TrimPrefix(loc, "http"),
			"another customer": strings.Replace(loc, "/customers/1234/", "/customers/5678/", 1),
			"dot segments":     strings.Replace(loc, "/customers/1234/", "/customers/1234/../5678/", 1),
			"credentials":      strings.Replace(loc, "http://", "http://u:p@", 1),
			"not a url":        "::",
		}
		before := len(srv.Calls(us)) + len(srv.Calls(eu))
		for name, l := range foreign {
			t.Run(name, func(t *testing.T) {
				_, err := c.UpdateAssessmentResult(ctx, l, icims.AssessmentResult{Result: "x"})
				assert.ErrorIs(t, err, icims.ErrForeignLocation)
			})
		}
		assert.Equal(t, before, len(srv.Calls(us))+len(srv.Calls(eu)))
	})

	t.Run("a location whose row does not exist", func(t *testing.T) {
		missing := loc[:strings.LastIndex(loc, "/")+1] + "999999"
		_, err := c.UpdateAssessmentResult(ctx, missing, icims.AssessmentResult{Result: "x"})
		requireKind(t, err, icims.NotFound)
	})
}

func TestSimSearchPagesPastTheLimit(t *testing.T) {
	ctx := context.Background()
	for _, n := range []int{999, 1000, 1001, 2500} {
		t.Run(id(n), func(t *testing.T) {
			srv := icimstest.Start(t)
			var want []string
			for i := range n {
				pid, err := srv.AddPerson(us, map[string]any{"firstname": "Page" + id(i), "lastname": "Pager"})
				require.NoError(t, err)
				want = append(want, id(pid))
			}
			c := basicClient(t, srv, us)
			srv.ClearLog(us)

			got, err := c.Search(ctx, icims.SearchPeople, icims.SearchQuery{Filters: []icims.SearchFilter{
				{Name: "person.lastname", Value: []string{"pager"}, Operator: "="},
			}})
			require.NoError(t, err)
			ids := make([]string, 0, len(got))
			for _, r := range got {
				ids = append(ids, r.ID)
				assert.Equal(t, srv.APIBase()+"/customers/1234/people/"+r.ID, r.Self)
			}
			assert.Equal(t, want, ids, "every match once, ascending")
			assert.Len(t, srv.Calls(us), n/icims.SearchPageSize+1, "one call per page, and one that comes back short")
		})
	}

	srv := icimstest.Start(t)
	c := basicClient(t, srv, us)
	searches := []struct {
		name string
		kind icims.SearchKind
		f    icims.SearchFilter
		want []int
	}{
		{"workflows of a job", icims.SearchApplicantWorkflows, icims.SearchFilter{Name: "applicantworkflow.job.id", Value: []string{id(icimstest.USJob1)}, Operator: "="},
			[]int{icimstest.USWorkflow1, icimstest.USWorkflow4, icimstest.USWorkflow7, icimstest.USWorkflow10}},
		{"jobs in a folder", icims.SearchJobs, icims.SearchFilter{Name: "job.folder", Value: []string{"C53001"}, Operator: "="},
			[]int{icimstest.USJob1, icimstest.USJob2, icimstest.USJob3}},
		{"nobody", icims.SearchPeople, icims.SearchFilter{Name: "person.email", Value: []string{"nobody@nowhere"}, Operator: "="}, nil},
	}
	for _, tt := range searches {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Search(ctx, tt.kind, icims.SearchQuery{Filters: []icims.SearchFilter{tt.f}})
			require.NoError(t, err)
			var ids []int
			for _, r := range got {
				n, err := strconv.Atoi(r.ID)
				require.NoError(t, err)
				ids = append(ids, n)
			}
			assert.Equal(t, tt.want, ids)
		})
	}
	t.Run("a filter iCIMS does not know", func(t *testing.T) {
		_, err := c.Search(ctx, icims.SearchPeople, icims.SearchQuery{Filters: []icims.SearchFilter{{Name: "person.shoesize", Value: []string{"9"}, Operator: "="}}})
		requireKind(t, err, icims.InvalidField)
	})
}

func TestSimLists(t *testing.T) {
	ctx := context.Background()
	srv := icimstest.Start(t)
	c := basicClient(t, srv, us)

	ids, err := c.GetLists(ctx)
	require.NoError(t, err)
	for _, want := range []string{icims.ListSources, icimstest.ListWorkflowStatuses, icimstest.ListAssessmentStatuses, icims.ListCustomLists} {
		assert.Contains(t, ids, want)
	}
	assert.NotContains(t, ids, icimstest.ListAssessmentTypes, "custom lists have no list id (contract §4)")

	tests := []struct {
		cid, list, name string
		nodes           int
		has             icims.ListNode
	}{
		{us, icims.ListSources, "Sources", 5, icims.ListNode{ID: icimstest.SourceJobBoard, Value: "Job Board"}},
		{us, icimstest.ListWorkflowStatuses, "Applicant Workflow Status", 9, icims.ListNode{ID: icimstest.StatusRecruiterReview, Value: "Assessment - Recruiter Review"}},
		{us, icimstest.ListAssessmentTypes, "Assessment Type", 3, icims.ListNode{ID: icimstest.AssessmentWorkStyle, Value: "Work Style Profile"}},
		{us, icimstest.ListAssessmentStatuses, "Assessment Status", 4, icims.ListNode{ID: icims.StatusInProgress, Value: "In-Progress"}},
		{eu, icims.ListSources, "Sources", 2, icims.ListNode{ID: "C82002", Value: "Agency"}},
		{eu, icimstest.ListAssessmentTypesEU, "Assessment Type", 2, icims.ListNode{ID: icimstest.AssessmentReasoningEU, Value: "Reasoning"}},
	}
	for _, tt := range tests {
		t.Run(tt.cid+" "+tt.list, func(t *testing.T) {
			l, err := basicClient(t, srv, tt.cid).GetList(ctx, tt.list)
			require.NoError(t, err)
			assert.Equal(t, tt.list, l.ID)
			assert.Equal(t, tt.name, l.Value)
			assert.Len(t, l.Nodes, tt.nodes)
			n, ok := l.Node(tt.has.ID)
			assert.True(t, ok)
			assert.Equal(t, tt.has, n)
			byValue, ok := l.NodeByValue(strings.ToUpper(tt.has.Value))
			assert.True(t, ok, "values match regardless of case")
			assert.Equal(t, tt.has, byValue)
		})
	}
	t.Run("another customer's list is not found", func(t *testing.T) {
		_, err := c.GetList(ctx, icimstest.ListAssessmentTypesEU)
		requireKind(t, err, icims.NotFound)
	})
}

func TestSimResume(t *testing.T) {
	ctx := context.Background()
	srv := icimstest.Start(t)
	c := basicClient(t, srv, us)

	r, err := c.GetResume(ctx, id(icimstest.USPerson1))
	require.NoError(t, err)
	assert.Equal(t, "text/plain; charset=utf-8", r.ContentType)
	assert.Equal(t, "avery-brooks-cv.txt", r.Filename)
	assert.Contains(t, string(r.Data), "Avery Brooks")

	_, err = c.GetResume(ctx, id(icimstest.USPerson12))
	assert.Equal(t, "resume: No file found.", requireKind(t, err, icims.NotFound).Message)
}

// TestSimEveryCallIsRecorded checks that the simulator's log, which other
// tests count on, holds exactly what the client sent.
func TestSimEveryCallIsRecorded(t *testing.T) {
	ctx := context.Background()
	srv := icimstest.Start(t)
	c := basicClient(t, srv, us)
	var seen []icims.Call
	observed := newClient(t, srv, us, basicAuth(us), func(cfg *icims.Config) {
		cfg.Observer = func(_ context.Context, call icims.Call) { seen = append(seen, call) }
	})
	_, err := observed.GetJob(ctx, id(icimstest.USJob1), nil)
	require.NoError(t, err)
	_, err = c.GetPerson(ctx, "424242", nil)
	require.Error(t, err)

	calls := srv.Calls(us)
	require.Len(t, calls, 2)
	var lines []string
	for _, call := range calls {
		lines = append(lines, call.Method+" "+call.Path+" "+id(call.Status)+" "+call.Auth)
	}
	assert.Equal(t, []string{"GET /sandbox/icims/api/customers/1234/jobs/2001 200 basic", "GET /sandbox/icims/api/customers/1234/people/424242 404 basic"}, lines)
	require.Len(t, seen, 1)
	assert.Equal(t, http.StatusOK, seen[0].Status)
	assert.Equal(t, srv.APIBase()+"/customers/1234/jobs/2001?"+calls[0].Query, seen[0].URL)
}
