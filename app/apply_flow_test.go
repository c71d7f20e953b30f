package app

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

var applyLinkURL = regexp.MustCompile(`/apply/[0-9]+\.[A-Za-z0-9_.-]+`)

// shareLink creates a link for USJob2 on the admin's share page and
// returns its public URL.
func shareLink(t *testing.T, e *writebackEnv, source string) string {
	t.Helper()
	return shareLinkAs(t, e.b, e.app.URL, e.pkg.ID, source)
}

// shareLinkAs is shareLink for any signed-in admin browser b.
func shareLinkAs(t *testing.T, b *browser, base string, pkgID int64, source string) string {
	t.Helper()
	share := b.get(base + "/admin/jobs/" + strconv.Itoa(icimstest.USJob2) + "/share")
	require.Equal(t, http.StatusOK, share.Status, share.Body)
	assert.Contains(t, share.Body, "Customer Support Specialist", "the title is read from iCIMS")
	assert.Contains(t, share.Body, `<option value="Job Board"`, "the sources are read from lists.sources")
	p := b.submit(share, "/admin/jobs/2002/share", url.Values{"package": {idString(pkgID)}, "source": {source}, "label": {"JobCannon"}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	m := applyLinkURL.FindString(p.Body)
	require.NotEmpty(t, m, p.Body)
	return base + m
}

// applyForm posts the public form as a browser does (multipart), with the
// hidden fields of the page.
func applyForm(t *testing.T, b *browser, form page, fields map[string]string, cvName string, cv []byte) page {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, m := range hiddenInput.FindAllStringSubmatch(form.Body, -1) {
		require.NoError(t, mw.WriteField(m[1], htmlUnescape(m[2])))
	}
	for k, v := range fields {
		require.NoError(t, mw.WriteField(k, v))
	}
	w, err := mw.CreateFormFile("cv", cvName)
	require.NoError(t, err)
	_, err = w.Write(cv)
	require.NoError(t, err)
	require.NoError(t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, form.URL.String(), &buf)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

func (e *writebackEnv) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	require.NoError(e.t, e.app.DB.R.QueryRow(query, args...).Scan(&n))
	return n
}

// writes counts the calls an application makes to iCIMS: creating a
// person or an application, uploading a CV. (The write-back's own writes
// for an earlier application may land at any time, so they are not
// counted.)
func (e *writebackEnv) writes() int {
	n := 0
	for _, c := range e.app.sim.Calls(icimstest.CustomerUS) {
		switch {
		case c.Method == http.MethodPost && (strings.HasSuffix(c.Path, "/people") || strings.HasSuffix(c.Path, "/applicantworkflows")),
			c.Method == http.MethodPatch && strings.HasSuffix(c.Path, "/fields/resume/binary"):
			n++
		}
	}
	return n
}

func TestAssessmentFirstApplicationEndToEnd(t *testing.T) {
	e := newWritebackEnv(t)
	link := shareLink(t, e, "Job Board")
	e.app.sim.ClearLog(icimstest.CustomerUS)
	pb := newBrowser(t)
	form := pb.get(link)
	require.Equal(t, http.StatusOK, form.Status, form.Body)
	assert.LessOrEqual(t, len(form.Body), 40<<10, "first page ≤ 40 KB")
	t.Logf("apply form: %d bytes of HTML", len(form.Body))
	assert.NotContains(t, form.Body, "<script", "no JavaScript on the public page")
	assert.NotContains(t, form.Body, "style=", "no inline style")

	good := map[string]string{"first_name": "Rae", "last_name": "Lin", "email": "Rae.Lin@Example.com", "phone": "+1 555 010 2030"}
	pdf := []byte("%PDF-1.4\n% Rae Lin CV\n%%EOF\n")
	writesBefore := e.writes()
	bad := []struct {
		name   string
		edit   func(map[string]string)
		cvName string
		cv     []byte
		status int
		want   string
	}{
		{"bad e-mail", func(f map[string]string) { f["email"] = "rae@" }, "cv.pdf", pdf, http.StatusUnprocessableEntity, "Enter an e-mail address"},
		{"script in a name", func(f map[string]string) { f["first_name"] = "<script>alert(1)</script>" }, "cv.pdf", pdf, http.StatusUnprocessableEntity, "letters, spaces"},
		{"fake CV", func(map[string]string) {}, "cv.pdf", []byte("MZ not a pdf"), http.StatusUnprocessableEntity, "PDF or a Word"},
		{"huge CV", func(map[string]string) {}, "cv.pdf", append([]byte("%PDF-"), make([]byte, 5<<20)...), http.StatusUnprocessableEntity, "larger than 5 MB"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			fields := map[string]string{}
			for k, v := range good {
				fields[k] = v
			}
			tt.edit(fields)
			p := applyForm(t, pb, form, fields, tt.cvName, tt.cv)
			assert.Equal(t, tt.status, p.Status)
			assert.Contains(t, p.Body, tt.want)
			assert.NotContains(t, p.Body, "<script>alert", "the name is escaped when shown again")
		})
	}
	require.Equal(t, 0, e.count(`SELECT COUNT(*) FROM applications`), "bad input stores nothing")
	require.Equal(t, writesBefore, e.writes(), "bad input writes nothing to iCIMS")

	p := applyForm(t, pb, form, good, "Rae Lin CV.pdf", pdf)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	require.Eventually(t, func() bool {
		p = pb.get(p.URL.String())
		return strings.HasPrefix(p.URL.Path, "/a/")
	}, 20*time.Second, 50*time.Millisecond, "the waiting page leads into the assessment: %s", p.Body)
	assert.Contains(t, p.Body, "Customer Support Specialist")

	var appID, invID int64
	var personID, workflowID, step, warning string
	require.NoError(t, e.app.DB.R.QueryRow(`SELECT id, person_id, workflow_id, COALESCE(invitation_id, 0), warning FROM applications`).
		Scan(&appID, &personID, &workflowID, &invID, &warning))
	assert.Empty(t, warning)
	require.Eventually(t, func() bool {
		_ = e.app.DB.R.QueryRow(`SELECT step FROM applications WHERE id = ?`, appID).Scan(&step)
		return step == string(assessments.ApplyStepDone)
	}, 20*time.Second, 20*time.Millisecond)
	pid, _ := strconv.Atoi(personID)
	wid, _ := strconv.Atoi(workflowID)
	fields, err := e.app.sim.PersonFields(icimstest.CustomerUS, pid)
	require.NoError(t, err)
	assert.Equal(t, "rae.lin@example.com", fields["email"])
	assert.Equal(t, "Job Board", fields["source"])
	assert.Equal(t, "JobCannon", fields["sourcespecifics"])
	sandbox := pb.get(e.app.URL + "/sandbox/customers/" + icimstest.CustomerUS + "/workflows/" + workflowID)
	require.Equal(t, http.StatusOK, sandbox.Status)
	assert.Contains(t, sandbox.Body, "Rae Lin CV.pdf (application/pdf", "the sandbox shows the CV")
	assert.Contains(t, sandbox.Body, "<dd>JobCannon</dd>", "and Source Name")

	t.Run("the same person applying again changes nothing", func(t *testing.T) {
		before := e.writes()
		again := applyForm(t, pb, pb.get(link), good, "cv.pdf", pdf)
		assert.Equal(t, http.StatusConflict, again.Status)
		assert.Contains(t, again.Body, "already applied")
		assert.Equal(t, before, e.writes())
	})

	t.Run("the results row is written on the new application", func(t *testing.T) {
		inv, err := e.app.invitations.Invitation(e.ctx, e.tenant.ID, invID)
		require.NoError(t, err)
		c := &wbCandidate{e: e, inv: inv, wid: wid, pid: pid}
		c.startAndComplete(72, "Recommended")
		c.waitFor(assessments.WritebackDone)
		rows := c.rows()
		require.NotEmpty(t, rows)
		last := rows[len(rows)-1]
		assert.Equal(t, icimstest.AssessmentComplete, last.AssessmentStatus)
		require.NotNil(t, last.Score)
		assert.InDelta(t, 72, *last.Score, 0.01)
		assert.NotEmpty(t, last.URL)
	})

	// The iCIMS calls of one application, for the record (go test -v).
	for _, c := range e.app.sim.Calls(icimstest.CustomerUS) {
		t.Logf("iCIMS call: %s %s -> %d", c.Method, c.Path, c.Status)
	}

	t.Run("each step is on the logs page", func(t *testing.T) {
		logs := e.b.get(e.app.URL + "/admin/integrations/icims/logs")
		require.Equal(t, http.StatusOK, logs.Status)
		body := htmlUnescape(logs.Body)
		for _, message := range []string{"Created person " + personID, "Created application " + workflowID, "Uploaded the CV (Rae Lin CV.pdf"} {
			assert.Contains(t, body, message, "each step's row on the logs page")
		}
		for _, kind := range []string{"apply_person", "apply_application", "apply_cv"} {
			assert.Equal(t, 1, e.count(`SELECT COUNT(*) FROM deliveries WHERE kind = ? AND status = 'processed'`, kind), kind)
		}
	})
}

func TestAssessmentFirstWarnsAboutAnUnlistedSource(t *testing.T) {
	e := newWritebackEnv(t)
	share := e.b.get(e.app.URL + "/admin/jobs/2002/share")
	p := e.b.submit(share, "/admin/jobs/2002/share", url.Values{"package": {idString(e.pkg.ID)}, "source": {"Billboard"}, "label": {"JobCannon"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.Status, "the share page only takes a listed source")
	assert.Contains(t, p.Body, "Pick a value from the list")
}

func TestApplyPageOfAClosedLink(t *testing.T) {
	e := newWritebackEnv(t)
	link := shareLink(t, e, "Job Board")
	share := e.b.get(e.app.URL + "/admin/jobs/2002/share")
	closeURL := regexp.MustCompile(`/admin/jobs/2002/share/[0-9]+/close`).FindString(share.Body)
	require.NotEmpty(t, closeURL)
	e.b.submit(share, closeURL, nil)
	p := newBrowser(t).get(link)
	assert.Equal(t, http.StatusGone, p.Status)
	assert.Contains(t, p.Body, "no longer taking applications")
	bad := newBrowser(t).get(link + "x")
	assert.Equal(t, http.StatusNotFound, bad.Status)
}

func TestApplyFormIsRateLimitedPerIP(t *testing.T) {
	e := newWritebackEnv(t)
	link := shareLink(t, e, "Job Board")
	b := newBrowser(t)
	form := b.get(link)
	fields := map[string]string{"first_name": "Rae", "last_name": "Lin", "email": "not-an-email"}
	var statuses []int
	for range 11 {
		statuses = append(statuses, applyForm(t, b, form, fields, "cv.pdf", []byte("%PDF-1.4")).Status)
	}
	assert.Equal(t, http.StatusUnprocessableEntity, statuses[9], "ten tries pass")
	assert.Equal(t, http.StatusTooManyRequests, statuses[10], "the eleventh is refused")
}

func TestAssessmentFirstShowsTheSourceWarningToTheAdmin(t *testing.T) {
	e := newWritebackEnv(t)
	link := shareLink(t, e, "Job Board")
	// The customer's list changed after the link was made: its Source is
	// no longer a listed value.
	_, err := e.app.DB.W.Exec(`UPDATE apply_links SET source = 'Billboard'`)
	require.NoError(t, err)
	pb := newBrowser(t)
	p := applyForm(t, pb, pb.get(link), map[string]string{"first_name": "Sol", "last_name": "Ng", "email": "sol@example.com"}, "cv.pdf", []byte("%PDF-1.4"))
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	share := e.b.get(e.app.URL + "/admin/jobs/2002/share")
	require.Eventually(t, func() bool {
		share = e.b.get(e.app.URL + "/admin/jobs/2002/share")
		return strings.Contains(share.Body, "<td>done</td>")
	}, 20*time.Second, 50*time.Millisecond)
	body := htmlUnescape(share.Body)
	assert.Contains(t, body, "sourcename: Provided source is not valid so cannot set sourcename.")
	assert.Contains(t, body, assessments.SourceWarningFix, "the fix is shown with it")
}

func TestApplyPageOfAClosedJob(t *testing.T) {
	e := newWritebackEnv(t)
	req, err := http.NewRequest(http.MethodPatch, e.app.URL+"/sandbox/icims/api/customers/"+icimstest.CustomerUS+"/jobs/2002",
		strings.NewReader(`{"folder":{"id":"C53003"}}`))
	require.NoError(t, err)
	req.SetBasicAuth(icimstest.BasicUser(icimstest.CustomerUS), icimstest.BasicPassword(icimstest.CustomerUS))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusNoContent, res.StatusCode)

	link := shareLink(t, e, "Job Board")
	pb := newBrowser(t)
	p := pb.get(link)
	assert.Equal(t, http.StatusGone, p.Status)
	assert.Contains(t, p.Body, "no longer open")
}
