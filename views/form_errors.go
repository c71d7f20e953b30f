package views

import "github.com/a-h/templ"

// FieldError is one form field's problem: the field's element id and the
// message shown at it ("" when the field is fine).
type FieldError struct {
	ID      string
	Label   string
	Message string
}

// invalidAttrs marks a field's input: aria-invalid when it has a message,
// and aria-describedby naming its hint (when it has one) and its message.
func invalidAttrs(id, msg string, hint bool) templ.Attributes {
	attrs := templ.Attributes{}
	var describedBy string
	if hint {
		describedBy = id + "-hint"
	}
	if msg != "" {
		attrs["aria-invalid"] = "true"
		if describedBy != "" {
			describedBy += " "
		}
		describedBy += id + "-msg"
	}
	if describedBy != "" {
		attrs["aria-describedby"] = describedBy
	}
	return attrs
}

// failing is the fields of errs that have a message, in order.
func failing(errs []FieldError) []FieldError {
	var out []FieldError
	for _, e := range errs {
		if e.Message != "" {
			out = append(out, e)
		}
	}
	return out
}
