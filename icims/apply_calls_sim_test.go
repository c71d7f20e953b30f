package icims_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// TestAssessmentFirstCallsAgainstSimulator drives the calls of an
// assessment-first application, as the seed on source writing describes
// them: Source and Source Specifics on the person, Source and Source Name
// on the application, then the CV.
func TestAssessmentFirstCallsAgainstSimulator(t *testing.T) {
	ctx := context.Background()
	srv := icimstest.Start(t)
	c := basicClient(t, srv, us)

	t.Run("person with a listed source keeps Source Specifics", func(t *testing.T) {
		pid, ws, err := c.CreatePerson(ctx, map[string]any{"firstname": "Rae", "lastname": "Lin", "email": "rae.lin@example.com",
			"source": "Job Board", "sourcespecifics": "JobCannon"})
		require.NoError(t, err)
		assert.Empty(t, ws)
		assert.Equal(t, http.StatusCreated, lastCall(t, srv, us).Status)
		p, err := c.GetPerson(ctx, pid, []string{"source", "sourcespecifics"})
		require.NoError(t, err)
		assert.Equal(t, "Job Board", p.Fields.String("source"))
		assert.Equal(t, "JobCannon", p.Fields.String("sourcespecifics"))
	})
	t.Run("person with an unlisted source warns and leaves Source Specifics empty", func(t *testing.T) {
		pid, ws, err := c.CreatePerson(ctx, map[string]any{"firstname": "Sol", "lastname": "Ng", "email": "sol.ng@example.com",
			"source": "Billboard", "sourcespecifics": "JobCannon"})
		require.NoError(t, err, "the person is still created")
		require.Len(t, ws, 1)
		assert.Equal(t, icims.Warning{Code: 4, Field: "sourcename", Message: "sourcename: Provided source is not valid so cannot set sourcename."}, ws[0])
		p, err := c.GetPerson(ctx, pid, []string{"source", "sourcespecifics"})
		require.NoError(t, err)
		assert.Equal(t, "Billboard", p.Fields.String("source"))
		assert.Empty(t, p.Fields.String("sourcespecifics"))
	})
	t.Run("search people by e-mail", func(t *testing.T) {
		ids, err := c.FindPeopleByEmail(ctx, "rae.lin@example.com")
		require.NoError(t, err)
		require.Len(t, ids, 1)
		none, err := c.FindPeopleByEmail(ctx, "nobody@example.com")
		require.NoError(t, err)
		assert.Empty(t, none)
	})
	t.Run("application with a listed source keeps the Source Name label", func(t *testing.T) {
		ids, err := c.FindPeopleByEmail(ctx, "rae.lin@example.com")
		require.NoError(t, err)
		wid, ws, err := c.CreateApplicantWorkflow(ctx, icims.NewApplicantWorkflow{JobID: id(icimstest.USJob2), PersonID: ids[0],
			Source: "Job Board", SourceName: "JobCannon"})
		require.NoError(t, err)
		assert.Empty(t, ws)
		w, err := c.GetApplicantWorkflow(ctx, wid, []string{"source", "sourcename"})
		require.NoError(t, err)
		assert.Equal(t, "Job Board", w.Fields.String("source"))
		assert.Equal(t, "JobCannon", w.Fields.String("sourcename"))
		found, err := c.FindApplications(ctx, ids[0], id(icimstest.USJob2))
		require.NoError(t, err)
		assert.Equal(t, []string{wid}, found, "search finds the application, so a retry need not create it again")
	})
	t.Run("application with an unlisted source warns and has no Source Name", func(t *testing.T) {
		ids, err := c.FindPeopleByEmail(ctx, "sol.ng@example.com")
		require.NoError(t, err)
		wid, ws, err := c.CreateApplicantWorkflow(ctx, icims.NewApplicantWorkflow{JobID: id(icimstest.USJob2), PersonID: ids[0],
			Source: "Billboard", SourceName: "JobCannon"})
		require.NoError(t, err)
		require.Len(t, ws, 1)
		assert.Equal(t, 4, ws[0].Code)
		w, err := c.GetApplicantWorkflow(ctx, wid, []string{"source", "sourcename"})
		require.NoError(t, err)
		assert.Equal(t, "Billboard", w.Fields.String("source"))
		_, has := w.Fields["sourcename"]
		assert.False(t, has)
	})
	t.Run("upload a CV and read it back", func(t *testing.T) {
		ids, err := c.FindPeopleByEmail(ctx, "rae.lin@example.com")
		require.NoError(t, err)
		pdf := []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
		require.NoError(t, c.UploadResume(ctx, ids[0], icims.Resume{ContentType: "application/pdf", Filename: "C:\\cv\\rae.pdf", Data: pdf}))
		call := lastCall(t, srv, us)
		assert.Equal(t, http.MethodPatch, call.Method)
		assert.Equal(t, http.StatusNoContent, call.Status)
		r, err := c.GetResume(ctx, ids[0])
		require.NoError(t, err)
		assert.Equal(t, pdf, r.Data)
		assert.Equal(t, "application/pdf", r.ContentType)
		assert.Equal(t, "rae.pdf", r.Filename)
	})
	t.Run("a CV sent as raw bytes is refused", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodPatch, srv.URL+"/sandbox/icims/api/customers/"+us+"/people/1001/fields/resume/binary", strings.NewReader("%PDF-1.4"))
		require.NoError(t, err)
		req.SetBasicAuth(icimstest.BasicUser(us), icimstest.BasicPassword(us))
		req.Header.Set("Content-Type", "application/pdf")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	})
}
