package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/storage"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// complete takes a seeded Big Five invitation to the end.
func (s *site) complete(t *testing.T, sb storage.Sandbox) {
	t.Helper()
	c := s.client(t)
	base := "/a/" + sb.Token
	c.get(base)
	c.post(base+"/start", url.Values{"consent": {"yes"}})
	c.post(base+"/step/0", url.Values{"nav": {"next"}})
	for n := 1; n <= 4; n++ {
		page := c.get(base + "/step/" + strconv.Itoa(n))
		require.Equal(t, http.StatusSeeOther, c.post(base+"/step/"+strconv.Itoa(n), withNav(answerPage(page.Body, 4), "next")).Status)
	}
	require.Equal(t, http.StatusSeeOther, c.post(base+"/submit", nil).Status)
}

func TestReportLinkSignatureAndRevocation(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	sb := s.seed(t, storage.SandboxSeed{FirstName: "Ana", LastName: "Silva", JobTitle: "Account Executive", CompanyName: "Acme Ltd"})
	link := assessments.ReportPath(s.keys, sb.Invitation.ReportID)
	c := s.client(t)

	pending := c.get(link)
	require.Equal(t, http.StatusOK, pending.Status)
	assert.Equal(t, "private, no-store", pending.Header.Get("Cache-Control"))
	assert.Contains(t, pending.Body, "Not completed yet")

	s.complete(t, sb)
	rep := c.get(link)
	require.Equal(t, http.StatusOK, rep.Status)
	for _, want := range []string{"Ana Silva", "Account Executive", "Work personality", "Big Five Work Personality",
		"Extraversion", "Openness", "<svg class=\"bar\"", "Time taken", "Completed"} {
		assert.Contains(t, rep.Body, want)
	}
	assert.Equal(t, 5, strings.Count(rep.Body, `<svg class="bar"`), "one bar per scale")
	assert.Contains(t, rep.Body, "—", "no percentile before there is a comparison group")

	tampered := link[:len(link)-2] + "xx"
	for name, path := range map[string]string{
		"tampered":       tampered,
		"id alone":       "/r/" + sb.Invitation.ReportID,
		"database id":    "/r/" + itoa(sb.Invitation.ID),
		"other key":      "/r/" + sb.Invitation.ReportID + "." + strings.Repeat("A", 10) + "." + strings.Repeat("B", 43),
		"candidate link": "/r/" + sb.Token,
	} {
		res := c.get(path)
		assert.Equal(t, http.StatusNotFound, res.Status, name)
		assert.NotContains(t, res.Body, "Ana Silva", name)
	}

	res, err := s.results.ResultByInvitation(ctx, sb.TenantID, sb.Invitation.ID)
	require.NoError(t, err)
	require.NoError(t, s.results.RevokeReport(ctx, sb.TenantID, res.ID))
	revoked := c.get(link)
	assert.Equal(t, http.StatusForbidden, revoked.Status)
	assert.Contains(t, revoked.Body, "withdrawn")
	assert.NotContains(t, revoked.Body, "Ana Silva")
}
