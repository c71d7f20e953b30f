package icimstest_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// multipartCV builds a form body with one part; filename "" makes it a
// plain field rather than a file.
func multipartCV(t *testing.T, filename string, data []byte) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	var err error
	if filename == "" {
		err = mw.WriteField("note", string(data))
	} else {
		var w interface{ Write([]byte) (int, error) }
		w, err = mw.CreateFormFile("file", filename)
		if err == nil {
			_, err = w.Write(data)
		}
	}
	require.NoError(t, err)
	require.NoError(t, mw.Close())
	return buf.Bytes(), mw.FormDataContentType()
}

func TestPatchResume(t *testing.T) {
	srv := icimstest.Start(t)
	cases := []struct {
		name     string
		path     string
		filename string
		status   int
	}{
		{"stored", "people/1001/fields/resume/binary", "cv.pdf", http.StatusNoContent},
		{"no file part", "people/1001/fields/resume/binary", "", http.StatusBadRequest},
		{"unknown person", "people/999999/fields/resume/binary", "cv.pdf", http.StatusNotFound},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			body, ct := multipartCV(t, tt.filename, []byte("%PDF-1.4 new"))
			req, err := http.NewRequest(http.MethodPatch, srv.URL+api(us, tt.path), bytes.NewReader(body))
			require.NoError(t, err)
			req.Header.Set("Content-Type", ct)
			basicAuth(us)(t, req, body)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tt.status, resp.StatusCode)
		})
	}
	r := do(t, srv, basicAuth(us), "GET", api(us, "people/1001/fields/resume/binary"), nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "%PDF-1.4 new", string(r.body), "the upload replaced the seeded CV")
}
