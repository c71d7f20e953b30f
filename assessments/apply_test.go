package assessments_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/secrets"
)

func docx(t *testing.T, withDocument bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := []string{"[Content_Types].xml"}
	if withDocument {
		names = append(names, "word/document.xml")
	}
	for _, n := range names {
		w, err := zw.Create(n)
		require.NoError(t, err)
		_, err = w.Write([]byte("<x/>"))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestCheckCVReadsTheTypeFromTheContent(t *testing.T) {
	pdf := []byte("%PDF-1.7\n...")
	tests := []struct {
		name, file string
		data       []byte
		wantType   string
		wantName   string
	}{
		{"pdf", "My CV.pdf", pdf, assessments.ContentTypePDF, "My CV.pdf"},
		{"pdf named .docx is still a pdf", "cv.docx", pdf, assessments.ContentTypePDF, "cv.pdf"},
		{"docx", `C:\Users\x\cv.docx`, docx(t, true), assessments.ContentTypeDOCX, "cv.docx"},
		{"a zip that is not a Word file", "cv.docx", docx(t, false), "", ""},
		{"an executable named .pdf", "cv.pdf", []byte("MZ\x90\x00"), "", ""},
		{"html named .pdf", "cv.pdf", []byte("<script>alert(1)</script>"), "", ""},
		{"empty", "cv.pdf", nil, "", ""},
		{"too large", "cv.pdf", append([]byte("%PDF-"), make([]byte, assessments.MaxCVBytes)...), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := assessments.CheckCV(tt.file, tt.data)
			if tt.wantType == "" {
				require.Error(t, err)
				assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantType, f.ContentType)
			assert.Equal(t, tt.wantName, f.Name)
		})
	}
}

func TestNewApplicationValidate(t *testing.T) {
	ok := assessments.NewApplication{FirstName: "Zoë", LastName: "O'Neil-Smith", Email: "zoe@example.com", Phone: "+1 (555) 010-2030"}
	tests := []struct {
		name  string
		edit  func(*assessments.NewApplication)
		field string
	}{
		{"valid", func(*assessments.NewApplication) {}, ""},
		{"script in a name", func(n *assessments.NewApplication) { n.FirstName = "<script>alert(1)</script>" }, "first_name"},
		{"missing last name", func(n *assessments.NewApplication) { n.LastName = "" }, "last_name"},
		{"bad e-mail", func(n *assessments.NewApplication) { n.Email = "zoe@example" }, "email"},
		{"e-mail with a display name", func(n *assessments.NewApplication) { n.Email = "Zoe <zoe@example.com>" }, "email"},
		{"bad phone", func(n *assessments.NewApplication) { n.Phone = "call me" }, "phone"},
		{"long name", func(n *assessments.NewApplication) { n.LastName = strings.Repeat("a", 101) }, "last_name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := ok
			tt.edit(&n)
			n.Normalize()
			errs := n.Validate()
			if tt.field == "" {
				assert.Empty(t, errs)
				return
			}
			assert.Len(t, errs, 1)
			assert.NotEmpty(t, errs[tt.field])
		})
	}
}

func TestApplyLinkToken(t *testing.T) {
	kr, err := secrets.NewKeyring(bytes.Repeat([]byte{7}, 32))
	require.NoError(t, err)
	tok := assessments.ApplyLinkToken(kr, 42)
	id, err := assessments.ParseApplyLinkToken(kr, tok)
	require.NoError(t, err)
	assert.Equal(t, int64(42), id)
	for _, bad := range []string{"43" + tok[2:], "42", "", "42.x", "-1." + tok[3:]} {
		_, err := assessments.ParseApplyLinkToken(kr, bad)
		assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err), bad)
	}
}

func TestNewApplyLinkValidateRefusesAnUnlistedSource(t *testing.T) {
	n := assessments.NewApplyLink{TenantID: 1, PackageID: 2, JobID: "2001", Source: "Billboard", SourceLabel: "JobCannon"}
	err := n.Validate([]string{"Job Board", "Agency"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Pick a value from the list")
	n.Source = "job board"
	assert.NoError(t, n.Validate([]string{"Job Board", "Agency"}))
}

func TestJobTakesApplications(t *testing.T) {
	assert.True(t, assessments.JobTakesApplications("Approved"))
	assert.False(t, assessments.JobTakesApplications("Closed (Filled)"))
	assert.False(t, assessments.JobTakesApplications("closed"))
}
