package assessments_test

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/storage"
)

func keyring(t *testing.T, fill byte) *secrets.Keyring {
	t.Helper()
	kr, err := secrets.NewKeyring(bytes.Repeat([]byte{fill}, secrets.KeySize))
	require.NoError(t, err)
	return kr
}

func TestReportLinkSignature(t *testing.T) {
	kr := keyring(t, 1)
	base, err := url.Parse("https://jobcannon.example/")
	require.NoError(t, err)
	u := assessments.ReportURL(base, kr, "abcDEF123_-")
	require.True(t, strings.HasPrefix(u, "https://jobcannon.example/r/abcDEF123_-."), u)
	token := strings.TrimPrefix(u, "https://jobcannon.example/r/")

	id, ok := assessments.ParseReportToken(kr, token)
	require.True(t, ok)
	assert.Equal(t, "abcDEF123_-", id)

	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	bad := map[string]string{
		"another id":            "zzzDEF123_-" + token[len("abcDEF123_-"):],
		"tampered signature":    flip(token, len(token)-2),
		"no signature":          "abcDEF123_-",
		"empty id":              token[len("abcDEF123_-"):],
		"bare signature of id":  "abcDEF123_-." + kr.Sign([]byte("abcDEF123_-")),
		"another service's key": strings.TrimPrefix(assessments.ReportURL(base, keyring(t, 2), "abcDEF123_-"), "https://jobcannon.example/r/"),
	}
	for name, tok := range bad {
		t.Run(name, func(t *testing.T) {
			_, ok := assessments.ParseReportToken(kr, tok)
			assert.False(t, ok)
		})
	}

	// After a key rotation, links signed with the old key still open.
	rotated, err := secrets.NewKeyring(bytes.Repeat([]byte{3}, secrets.KeySize), bytes.Repeat([]byte{1}, secrets.KeySize))
	require.NoError(t, err)
	_, ok = assessments.ParseReportToken(rotated, token)
	assert.True(t, ok)
}

func TestReportOpensPendingCompletedAndRevoked(t *testing.T) {
	f := newCandFixture(t)
	ctx := context.Background()
	kr := keyring(t, 1)
	reports := &assessments.Reports{Signer: kr, Library: f.lib, Catalog: f.catalog, Invitations: f.invitations, Results: f.results,
		Tenants: storage.NewTenantStore(f.db, kr, f.clock)}
	inv, token := f.seed(t, "w1", "big-five-work")
	path := assessments.ReportPath(kr, inv.ReportID)
	link := strings.TrimPrefix(path, assessments.ReportPathPrefix)

	rep, err := reports.Open(ctx, link)
	require.NoError(t, err)
	assert.False(t, rep.Completed, "before completion the report says it is pending")
	assert.Equal(t, inv.ID, rep.Invitation.ID)

	_, err = f.svc.Start(ctx, token, true)
	require.NoError(t, err)
	f.walkBigFive(t, token, 4)
	_, res, err := f.svc.Submit(ctx, token)
	require.NoError(t, err)

	rep, err = reports.Open(ctx, link)
	require.NoError(t, err)
	require.True(t, rep.Completed)
	assert.Equal(t, res.Overall, rep.Result.Overall)
	require.Len(t, rep.Parts, 1)
	part := rep.Parts[0]
	assert.Equal(t, "Big Five Work Personality", part.Name)
	require.Len(t, part.Rows, 5)
	for _, row := range part.Rows {
		assert.NotEmpty(t, row.Interpretation, row.Scale)
		assert.NotEmpty(t, row.Name)
	}

	_, err = reports.Open(ctx, link[:len(link)-3]+"AAA")
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err), "a tampered link")
	unknown := strings.TrimPrefix(assessments.ReportPath(kr, "notAReportId"), assessments.ReportPathPrefix)
	_, err = reports.Open(ctx, unknown)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err), "a signed id that names nothing")

	require.NoError(t, f.results.RevokeReport(ctx, res.TenantID, res.ID))
	_, err = reports.Open(ctx, link)
	assert.Equal(t, assessments.EFORBIDDEN, assessments.ErrorCode(err), "revocation is checked on every view")
	assert.Contains(t, assessments.ErrorMessage(err), "withdrawn")
}
