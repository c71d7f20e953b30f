package icims

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGetPerson(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		// No email: iCIMS omits empty fields; an unknown key is ignored.
		reply(w, 200, `{"firstname":"Jane","lastname":"Doe","rcf1001":"82","newthing":{"x":1}}`)
	})
	p, err := f.client(t, nil).GetPerson(context.Background(), "1930", []string{"rcf1001", "email"})
	require.NoError(t, err)

	req := f.last(t)
	assert.Equal(t, http.MethodGet, req.Method)
	assert.Equal(t, cust+"/people/1930", req.Path)
	q, _ := url.ParseQuery(req.RawQuery)
	assert.Equal(t, "firstname,lastname,email,rcf1001", q.Get("fields"))
	assert.Equal(t, "application/json", req.Header.Get("Accept"))
	assert.Equal(t, Person{ID: "1930", FirstName: "Jane", LastName: "Doe", Fields: p.Fields}, p)
	assert.Equal(t, "82", p.Fields.String("rcf1001"))
	assert.Equal(t, "", p.Fields.String("missing"))
}

func TestPatchPerson(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 204, "") })
	ws, err := f.client(t, nil).PatchPerson(context.Background(), "1930", map[string]any{"rcf1001": "82", "rcf1002": nil})
	require.NoError(t, err)
	assert.Empty(t, ws)
	req := f.last(t)
	assert.Equal(t, http.MethodPatch, req.Method)
	assert.Equal(t, cust+"/people/1930", req.Path)
	assert.JSONEq(t, `{"rcf1001":"82","rcf1002":null}`, string(req.Body))
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
}

func TestCreatePerson(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		reply(w, 201, "", "Location", "http://"+r.Host+cust+"/people/2001")
	})
	id, ws, err := f.client(t, nil).CreatePerson(context.Background(), map[string]any{"firstname": "Ann", "lastname": "Lee", "email": "ann@example.com"})
	require.NoError(t, err)
	assert.Equal(t, "2001", id)
	assert.Empty(t, ws)
	assert.Equal(t, http.MethodPost, f.last(t).Method)
	assert.Equal(t, cust+"/people", f.last(t).Path)
}

func TestCreatePersonWithoutLocation(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 201, "") })
	_, _, err := f.client(t, nil).CreatePerson(context.Background(), map[string]any{"lastname": "Lee"})
	var e *Error
	require.True(t, errors.As(err, &e), "got %v", err)
	assert.Equal(t, Other, e.Kind)
}

func TestGetJob(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		reply(w, 200, `{"jobtitle":"Sales Manager",
			"assessmenttype":[{"id":"C100","value":"Big Five"},{"id":"C101","value":"DISC"}],
			"folder":{"id":"C20","value":"Approved"},
			"joblocation":{"profile":"https://api.icims.com/customers/1234/locations/7","id":7,"value":"Boston"},
			"department":{"id":"C55","value":"Sales"}}`)
	})
	j, err := f.client(t, nil).GetJob(context.Background(), "2201", []string{"department"})
	require.NoError(t, err)
	assert.Equal(t, "jobtitle,assessmenttype,folder,joblocation,department", mustQuery(t, f.last(t).RawQuery).Get("fields"))
	assert.Equal(t, "Sales Manager", j.JobTitle)
	assert.Equal(t, []ListNode{{ID: "C100", Value: "Big Five"}, {ID: "C101", Value: "DISC"}}, j.AssessmentTypes)
	assert.Equal(t, &ListNode{ID: "C20", Value: "Approved"}, j.Folder)
	assert.Equal(t, &ProfileRef{Profile: "https://api.icims.com/customers/1234/locations/7", ID: "7", Value: "Boston"}, j.JobLocation)
	var dept ListNode
	found, err := j.Fields.Decode("department", &dept)
	require.NoError(t, err)
	assert.True(t, found)
	assert.Equal(t, "Sales", dept.Value)
}

func TestGetJobEmptyAndMalformed(t *testing.T) {
	body := `{}`
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, body) })
	c := f.client(t, nil)
	j, err := c.GetJob(context.Background(), "2201", nil)
	require.NoError(t, err, "missing keys are normal")
	assert.Empty(t, j.AssessmentTypes)
	assert.Nil(t, j.Folder)

	body = `{"assessmenttype":"Big Five"}`
	_, err = c.GetJob(context.Background(), "2201", nil)
	var e *Error
	require.True(t, errors.As(err, &e), "got %v", err)
	assert.Equal(t, "assessmenttype", e.Field)
}

func TestGetApplicantWorkflow(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		reply(w, 200, `{"baseprofile":{"profile":"u/jobs/2201","id":2201,"value":"Sales Manager"},
			"associatedprofile":{"profile":"u/people/1930","id":"1930","value":"Jane Doe"},
			"status":{"id":"C12346","value":"Assessment"},"sourcename":"Job Board"}`)
	})
	w, err := f.client(t, nil).GetApplicantWorkflow(context.Background(), "5501", nil)
	require.NoError(t, err)
	assert.Equal(t, cust+"/applicantworkflows/5501", f.last(t).Path)
	assert.Equal(t, "2201", w.JobID())
	assert.Equal(t, "1930", w.PersonID())
	assert.Equal(t, ListNode{ID: "C12346", Value: "Assessment"}, w.Status)
	assert.Equal(t, "Job Board", w.Fields.String("sourcename"))
}

func TestPatchWorkflowStatus(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 204, "") })
	_, err := f.client(t, nil).PatchWorkflowStatus(context.Background(), "5501", "C12347")
	require.NoError(t, err)
	assert.Equal(t, http.MethodPatch, f.last(t).Method)
	assert.JSONEq(t, `{"status":{"id":"C12347"}}`, string(f.last(t).Body))
}

func TestCreateApplicantWorkflowWarnsOnSource(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		reply(w, 201, `{"warnings":[{"errorMessage":"sourcename: Provided source is not valid so cannot set sourcename.","errorCode":4}]}`,
			"Location", cust+"/applicantworkflows/5600")
	})
	id, ws, err := f.client(t, nil).CreateApplicantWorkflow(context.Background(),
		NewApplicantWorkflow{JobID: "2201", PersonID: "1930", StatusID: "C1", Source: "Somewhere"})
	require.NoError(t, err)
	assert.Equal(t, "5600", id)
	assert.JSONEq(t, `{"baseprofile":2201,"associatedprofile":1930,"status":{"id":"C1"},"source":"Somewhere"}`, string(f.last(t).Body))
	require.Len(t, ws, 1)
	assert.Equal(t, Warning{Code: 4, Field: "sourcename", Message: "sourcename: Provided source is not valid so cannot set sourcename."}, ws[0])
}

func TestWarningFromHeaderOnly(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		reply(w, 201, "", "Location", cust+"/people/9", "X-Warning", "4:sourcespecifics:Value is too long.")
	})
	_, ws, err := f.client(t, nil).CreatePerson(context.Background(), map[string]any{"lastname": "x"})
	require.NoError(t, err)
	assert.Equal(t, []Warning{{Code: 4, Field: "sourcespecifics", Message: "sourcespecifics: Value is too long."}}, ws)
}

func TestAssessmentResultRow(t *testing.T) {
	loc := ""
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			reply(w, 201, "", "Location", loc)
			return
		}
		reply(w, 204, "")
	})
	c := f.client(t, nil)
	score := 87.5
	row := AssessmentResult{Name: &ListNode{ID: "C100"}, Status: &ListNode{ID: StatusSent}}

	loc = cust + "/applicantworkflows/5501/fields/assessmentresults/3" // relative, resolved
	got, _, err := c.AddAssessmentResult(context.Background(), "5501", row)
	require.NoError(t, err)
	assert.Equal(t, f.base()+"/customers/1234/applicantworkflows/5501/fields/assessmentresults/3", got)
	assert.Equal(t, cust+"/applicantworkflows/5501/fields/assessmentresults", f.last(t).Path)
	assert.JSONEq(t, `{"assessmentname":{"id":"C100"},"assessmentstatus":{"id":"D37002019004"}}`, string(f.last(t).Body))

	_, err = c.UpdateAssessmentResult(context.Background(), got, AssessmentResult{Status: &ListNode{ID: StatusComplete}, Score: &score})
	require.NoError(t, err)
	assert.Equal(t, http.MethodPatch, f.last(t).Method)
	assert.Equal(t, cust+"/applicantworkflows/5501/fields/assessmentresults/3", f.last(t).Path)
	assert.JSONEq(t, `{"assessmentstatus":{"id":"D37002019001"},"assessmentscore":87.5}`, string(f.last(t).Body))

	loc = "https://evil.test" + cust + "/applicantworkflows/5501/fields/assessmentresults/4"
	_, _, err = c.AddAssessmentResult(context.Background(), "5501", row)
	assert.ErrorIs(t, err, ErrForeignLocation)
}

func TestUpdateAssessmentResultRefusesForeignLocations(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 204, "") })
	c := f.client(t, nil)
	u, err := url.Parse(f.base())
	require.NoError(t, err)
	row := AssessmentResult{Status: &ListNode{ID: StatusInProgress}}
	for _, loc := range []string{
		"https://evil.test" + cust + "/applicantworkflows/1/fields/assessmentresults/2",
		"https://" + u.Host + cust + "/applicantworkflows/1/fields/assessmentresults/2", // other scheme
		"http://user:pw@" + u.Host + cust + "/applicantworkflows/1/fields/assessmentresults/2",
		f.base() + "/customers/9999/applicantworkflows/1/fields/assessmentresults/2",
		f.base() + "/customers/1234/../9999/applicantworkflows/1",
		f.base() + "/customers/12345/applicantworkflows/1",
		"/sandbox/icims/api/customers/1234/applicantworkflows/1/fields/assessmentresults/2",
		"",
	} {
		t.Run(loc, func(t *testing.T) {
			_, err := c.UpdateAssessmentResult(context.Background(), loc, row)
			assert.ErrorIs(t, err, ErrForeignLocation)
		})
	}
	assert.Empty(t, f.requests(), "no request may leave for a foreign location")
}

func TestAssessmentResultTooLongIsRefusedLocally(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 201, "") })
	_, _, err := f.client(t, nil).AddAssessmentResult(context.Background(), "5501", AssessmentResult{Notes: strings.Repeat("x", 200)})
	assert.ErrorContains(t, err, "assessmentnotes")
	assert.Empty(t, f.requests())
}

func TestInvalidIDsNeverLeave(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, `{}`) })
	c := f.client(t, nil)
	ctx := context.Background()
	for _, id := range []string{"", "..", "1/2", "1?x=2", "1%2F2"} {
		_, err := c.GetPerson(ctx, id, nil)
		assert.Error(t, err, id)
		_, err = c.GetJob(ctx, id, nil)
		assert.Error(t, err, id)
		_, err = c.GetApplicantWorkflow(ctx, id, nil)
		assert.Error(t, err, id)
		_, err = c.PatchWorkflowStatus(ctx, "1", id)
		assert.Error(t, err, id)
	}
	assert.Empty(t, f.requests())
}

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	q, err := url.ParseQuery(raw)
	require.NoError(t, err)
	return q
}
