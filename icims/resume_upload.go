package icims

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path"
	"strings"
)

// UploadResume sets a person's CV. iCIMS's Binary Files page
// (developer.icims.com, REST-API/Object-Types-Commands/Binary-Files)
// documents only PATCH for adding or updating it (POST is "not supported"),
// with a multipart/form-data body whose part carries the file and its
// filename, answered 204 No Content.
func (c *Client) UploadResume(ctx context.Context, personID string, r Resume) error {
	const op = "upload resume"
	if !validID(personID) {
		return fmt.Errorf("icims: %s: invalid id %q", op, personID)
	}
	if len(r.Data) == 0 {
		return fmt.Errorf("icims: %s: empty file", op)
	}
	name := path.Base(strings.ReplaceAll(r.Filename, "\\", "/"))
	if name == "." || name == "/" || name == "" {
		name = "resume"
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, name))
	ct := r.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	pw, err := mw.CreatePart(h)
	if err == nil {
		_, err = pw.Write(r.Data)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return fmt.Errorf("icims: %s: encode: %w", op, err)
	}
	_, err = c.do(ctx, request{op: op, method: http.MethodPatch, raw: buf.Bytes(), contentType: mw.FormDataContentType(),
		rawNote: fmt.Sprintf("(multipart/form-data: %s, %s, %d bytes)", name, ct, len(r.Data)),
		url:     c.customerBase + "/people/" + url.PathEscape(personID) + "/fields/resume/binary"})
	return err
}
