package icimstest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Value formats iCIMS uses on the wire (UTC).
const (
	DateTimeFormat = "2006-01-02 03:04 PM"
	DateFormat     = "2006-01-02"
)

type fieldType int

const (
	ftText     fieldType = iota // string, optional max length
	ftEmail                     // string with an @
	ftDecimal                   // JSON number (or a numeric string on writes)
	ftNode                      // one list node {"id","value"}
	ftNodes                     // array of list nodes
	ftRef                       // profile reference {"profile","id","value"}
	ftDate                      // "2006-01-02"
	ftDateTime                  // "2006-01-02 03:04 PM"
	ftURL                       // absolute http(s) URL
	ftRows                      // collection of rows (assessmentresults)
)

// fieldDef describes one field of a profile type: how it is written and how
// it is shown.
type fieldDef struct {
	id       string
	label    string
	typ      fieldType
	list     string // list id for ftNode/ftNodes
	orList   string // a second list whose nodes an ftNode also accepts
	refKind  string // "jobs", "people" or "locations" for ftRef
	max      int    // max length for ftText
	readOnly bool   // set at creation only
	rows     []fieldDef
}

// node is a list node as stored.
type node struct {
	ID    string
	Value string
}

// row is one entry of a collection field.
type row struct {
	entry  int
	fields map[string]any
}

// profile is a person, job or applicant workflow: an id and its fields,
// with absent keys meaning empty.
type profile struct {
	id     int
	fields map[string]any
	// updated is when the profile last changed (iCIMS's updateddate);
	// zero for seeded profiles, which changed before anything a test does.
	updated time.Time
}

// fieldError is a write the simulator refuses (or warns about) with code 4
// or code 1, the message prefixed by the field id as iCIMS does.
type fieldError struct {
	code  int
	field string
	msg   string
}

func (e *fieldError) Error() string { return e.field + ": " + e.msg }

func invalid(field, format string, args ...any) *fieldError {
	return &fieldError{code: codeInvalid, field: field, msg: fmt.Sprintf(format, args...)}
}

// decodeJSON decodes a request body keeping numbers exact.
func decodeJSON(body []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode json: %w", err)
	}
	return nil
}

// isEmpty reports whether a written value deletes the field: null or "".
func isEmpty(v any) bool {
	if v == nil {
		return true
	}
	s, ok := v.(string)
	return ok && s == ""
}

// parseValue turns a written JSON value into its stored form. It returns
// nil for a value that deletes the field.
func (c *customer) parseValue(def fieldDef, v any) (any, *fieldError) {
	if isEmpty(v) {
		return nil, nil
	}
	switch def.typ {
	case ftText:
		s, ok := v.(string)
		if !ok {
			return nil, invalid(def.id, "Value must be text.")
		}
		if def.max > 0 && len([]rune(s)) > def.max {
			return nil, invalid(def.id, "Value is longer than %d characters.", def.max)
		}
		return s, nil
	case ftEmail:
		s, ok := v.(string)
		if !ok || !strings.Contains(s, "@") || strings.ContainsAny(s, " \t\n") {
			return nil, invalid(def.id, "Value is not a valid e-mail address.")
		}
		return s, nil
	case ftDecimal:
		return parseDecimal(def.id, v)
	case ftNode:
		return c.parseNode(def, v)
	case ftNodes:
		arr, ok := v.([]any)
		if !ok {
			return nil, invalid(def.id, "Value must be an array of list nodes.")
		}
		var out []node
		for _, item := range arr {
			n, err := c.parseNode(def, item)
			if err != nil {
				return nil, err
			}
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
		if len(out) == 0 {
			return nil, nil
		}
		return out, nil
	case ftRef:
		return c.parseRef(def, v)
	case ftDate, ftDateTime:
		layout := DateFormat
		if def.typ == ftDateTime {
			layout = DateTimeFormat
		}
		s, ok := v.(string)
		if !ok {
			return nil, invalid(def.id, "Value must be a date formatted %q.", layout)
		}
		if _, err := time.Parse(layout, s); err != nil {
			return nil, invalid(def.id, "Value must be a date formatted %q.", layout)
		}
		return s, nil
	case ftURL:
		s, ok := v.(string)
		if !ok {
			return nil, invalid(def.id, "Value must be a URL.")
		}
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, invalid(def.id, "Value must be an absolute http or https URL.")
		}
		return s, nil
	case ftRows:
		arr, ok := v.([]any)
		if !ok {
			return nil, invalid(def.id, "Value must be an array of rows.")
		}
		var rows []*row
		for _, item := range arr {
			fields, err := c.parseRow(def, item, nil)
			if err != nil {
				return nil, err
			}
			rows = append(rows, &row{fields: fields})
		}
		return rows, nil
	}
	return nil, invalid(def.id, "Field cannot be written.")
}

func parseDecimal(field string, v any) (any, *fieldError) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
	case string:
		s = strings.TrimSpace(x)
	default:
		return nil, invalid(field, "Value must be a decimal number.")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, invalid(field, "Value must be a decimal number.")
	}
	return f, nil
}

// parseNode accepts a node written as {"id":"…"} (a value, if sent, is
// ignored: iCIMS keys nodes by id).
func (c *customer) parseNode(def fieldDef, v any) (node, *fieldError) {
	m, ok := v.(map[string]any)
	if !ok {
		return node{}, invalid(def.id, "Value must be a list node {\"id\":…}.")
	}
	id, _ := m["id"].(string)
	available := false
	for _, listID := range []string{def.list, def.orList} {
		l := c.list(listID)
		if listID == "" || l == nil {
			continue
		}
		available = true
		if n, found := l.node(id); found {
			return n, nil
		}
		// iCIMS's Collection Fields page sets a list field by its value
		// alone ({"value":"Mobile"}).
		if value, _ := m["value"].(string); id == "" && value != "" {
			if n, found := l.byValue(value); found {
				return n, nil
			}
		}
	}
	if !available {
		return node{}, invalid(def.id, "List is not available.")
	}
	return node{}, invalid(def.id, "%q is not a node of list %s.", id, def.list)
}

// parseRef accepts a reference written as {"id":"…"}, "…" or a number.
func (c *customer) parseRef(def fieldDef, v any) (any, *fieldError) {
	if m, ok := v.(map[string]any); ok {
		v = m["id"]
	}
	var id int
	var err error
	switch x := v.(type) {
	case string:
		id, err = strconv.Atoi(x)
	case json.Number:
		id, err = strconv.Atoi(x.String())
	default:
		return nil, invalid(def.id, "Value must reference a profile by id.")
	}
	if err != nil || !c.refExists(def.refKind, id) {
		return nil, invalid(def.id, "Referenced profile %v does not exist.", v)
	}
	return id, nil
}

func (c *customer) refExists(kind string, id int) bool {
	switch kind {
	case "jobs":
		return c.jobs[id] != nil
	case "people":
		return c.people[id] != nil
	case "locations":
		_, ok := c.locations[id]
		return ok
	}
	return false
}

// parseRow parses one collection row; base holds the row's current fields
// when the write is a PATCH of that row.
func (c *customer) parseRow(def fieldDef, v any, base map[string]any) (map[string]any, *fieldError) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, invalid(def.id, "Each row must be a JSON object.")
	}
	out := map[string]any{}
	for k, val := range base {
		out[k] = val
	}
	for k, val := range m {
		if k == "entry" {
			continue
		}
		sub, found := findDef(def.rows, k)
		if !found {
			return nil, invalid(def.id+"."+k, "Field is not valid.")
		}
		parsed, err := c.parseValue(sub, val)
		if err != nil {
			return nil, err
		}
		if parsed == nil {
			delete(out, k)
		} else {
			out[k] = parsed
		}
	}
	return out, nil
}

func findDef(defs []fieldDef, id string) (fieldDef, bool) {
	for _, d := range defs {
		if d.id == id {
			return d, true
		}
	}
	return fieldDef{}, false
}

// sameRow reports whether two rows hold the same values: iCIMS silently
// skips creating a row that duplicates an existing one.
func sameRow(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, va := range a {
		vb, ok := b[k]
		if !ok || fmt.Sprint(va) != fmt.Sprint(vb) {
			return false
		}
	}
	return true
}
