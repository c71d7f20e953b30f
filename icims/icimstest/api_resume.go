package icimstest

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strings"
	"unicode/utf8"
)

// maxResumeBytes bounds an uploaded CV; iCIMS documents no limit, so the
// simulator only guards its own memory.
const maxResumeBytes = 20 << 20

// patchResume stores a person's CV. iCIMS documents this as a PATCH of
// people/{id}/fields/resume/binary with a multipart/form-data body whose one
// part carries the file (its filename in the part's Content-Disposition),
// answered 204; raw bytes without a form are refused.
func (s *Sim) patchResume(w http.ResponseWriter, r *http.Request) {
	if !requireScope(w, r, ScopeProfileWrite) {
		return
	}
	f, aerr := readResumePart(r)
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	id, ok := pathID(r, "id")
	s.mu.Lock()
	c := s.customers[r.PathValue("cid")]
	exists := ok && c.people[id] != nil
	if exists {
		c.resumes[id] = f
	}
	s.mu.Unlock()
	if !exists {
		writeAPIError(w, notFound("Person not found."))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// readResumePart reads the one file part of a multipart/form-data body.
func readResumePart(r *http.Request) (*file, *apiError) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, badRequest(codeInvalid, "resume: The request must be multipart/form-data with the file as a form part.")
	}
	mr := multipart.NewReader(http.MaxBytesReader(nil, r.Body, maxResumeBytes), params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, badRequest(codeRequired, "resume: No file was provided.")
		} else if err != nil {
			return nil, badRequest(codeInvalid, "resume: The multipart body could not be read.")
		}
		if part.FileName() == "" {
			continue
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, badRequest(codeInvalid, "resume: The file could not be read.")
		}
		if len(data) == 0 {
			return nil, badRequest(codeRequired, "resume: The file is empty.")
		}
		ct := part.Header.Get("Content-Type")
		if ct == "" {
			ct = http.DetectContentType(data)
		}
		return &file{name: path.Base(part.FileName()), contentType: ct, data: data}, nil
	}
}

// sourceLabel takes the integration's label (Source Name on an application,
// Source Specifics on a person) out of a create body: it is only stored when
// the Source is a listed value, which is known after the other fields.
func sourceLabel(body map[string]any, key string, max int) (string, *apiError) {
	v, ok := body[key]
	delete(body, key)
	if !ok || v == nil {
		return "", nil
	}
	label, isText := v.(string)
	if !isText {
		return "", badRequest(codeInvalid, key+": A text value is expected.")
	}
	label = strings.TrimSpace(label)
	if utf8.RuneCountInString(label) > max {
		return "", badRequest(codeInvalid, key+": The value is too long.")
	}
	return label, nil
}

// checkPersonSource applies the seed's rule to a new person: Source
// Specifics is only set when Source is a value of lists.sources; otherwise
// the Source text is kept, Source Specifics is left empty, and the same
// code 4 warning as for an application is returned.
func (c *customer) checkPersonSource(fields map[string]any) []*fieldError {
	src, _ := fields["source"].(string)
	if src == "" {
		return nil
	}
	if l := c.list(ListSources); l != nil {
		if _, ok := l.byValue(src); ok {
			return nil
		}
	}
	delete(fields, "sourcespecifics")
	return []*fieldError{sourceWarning()}
}
